//! Every diagnostic code the checker emits. Codes are stable: a code is never reused for a
//! different problem, and a retired code stays retired.
//!
//! Errors (`E…`) make a map invalid. Warnings (`W…`) are lint rules: the map can be used, but
//! something a journey-mapping team would want to know is missing or doubtful. A map silences a
//! lint rule by name in `lint: {allow: [...]}`.

use trailmap_diag::{Code, Severity};

macro_rules! codes {
    ($($konst:ident = $id:literal, $name:literal, $severity:ident, $doc:literal;)*) => {
        $(pub const $konst: Code = Code { id: $id, name: $name };)*

        /// Every code with its default severity and a one-line description, in code order.
        pub const ALL: &[(Code, Severity, &str)] = &[
            $(($konst, Severity::$severity, $doc),)*
        ];
    };
}

codes! {
    YAML_SYNTAX = "E001", "yaml-syntax", Error,
        "The file is not valid YAML, or holds more than one document.";
    WRONG_TYPE = "E002", "wrong-type", Error,
        "A value has the wrong type, e.g. a list where a text is expected.";
    MISSING_KEY = "E003", "missing-key", Error,
        "A required key is missing.";
    UNKNOWN_KEY = "E004", "unknown-key", Error,
        "A key that format v1 does not define; usually a typo.";
    UNKNOWN_VALUE = "E005", "unknown-value", Error,
        "A value outside a closed set, e.g. a channel that does not exist.";
    OUT_OF_RANGE = "E006", "out-of-range", Error,
        "A number outside its range: emotion -2..2, severity 1..5, share 0..1, KPI targets.";
    DUPLICATE_ID = "E007", "duplicate-id", Error,
        "Two personas, departments, stages or steps share an id.";
    UNKNOWN_PERSONA = "E008", "unknown-persona", Error,
        "A reference to a persona id that the map does not define.";
    UNKNOWN_DEPARTMENT = "E009", "unknown-department", Error,
        "A reference to a department id that the map does not define.";
    UNKNOWN_STEP = "E010", "unknown-step", Error,
        "A reference to a step id that does not exist (e.g. in `replaces`).";
    INVALID_EXPRESSION = "E011", "invalid-expression", Error,
        "A `match`, `rule`, `feedback` or outcome that is not valid SQL.";
    NOT_BOOLEAN = "E012", "expression-not-boolean", Error,
        "A `match`, `rule`, `feedback` or outcome that is valid SQL but not a true/false test.";
    BASED_ON = "E013", "invalid-based-on", Error,
        "A future map whose `based_on` is missing, unreadable, or not a current map.";
    SHARES_OVER_ONE = "E014", "persona-shares-over-one", Error,
        "The personas' shares of the customer base add up to more than 1.";
    UNSUPPORTED_VERSION = "E015", "unsupported-version", Error,
        "The `trailmap:` format version is not one this Trailmap reads.";
    INVALID_FORMAT = "E016", "invalid-format", Error,
        "A text in the wrong shape: an id, a date (YYYY-MM-DD) or a duration (`30d`).";
    DUPLICATE_KEY = "E017", "duplicate-key", Error,
        "A mapping holds the same key twice.";
    UNKNOWN_OUTCOME = "E018", "unknown-outcome", Error,
        "A KPI names an outcome that the map's `outcomes` does not define.";
    UNKNOWN_RULE = "E019", "unknown-rule", Error,
        "`lint.allow` names a lint rule that does not exist.";
    STEP_WITHOUT_DEPARTMENT = "W101", "step-without-department", Warning,
        "A step has no owning department, so nobody is accountable for it.";
    HANDOFF_WITHOUT_BACKSTAGE = "W102", "handoff-without-backstage", Warning,
        "The owning department changes at this step, but its backstage lane is empty: handoffs are where journeys break.";
    TOUCHPOINT_WITHOUT_INITIATOR = "W103", "touchpoint-without-initiator", Warning,
        "A touchpoint does not say whether the customer or the company starts it.";
    STEP_WITHOUT_MATCH = "W104", "step-without-match", Warning,
        "A step has no `match` expression, so no data can ever be evidence for it.";
    MOMENT_OF_TRUTH_WITHOUT_OPPORTUNITY = "W105", "moment-of-truth-without-opportunity", Warning,
        "A moment of truth has a pain point but no opportunity to fix it.";
    STALE_EVIDENCE = "W106", "stale-evidence", Warning,
        "Evidence was last verified longer ago than `lint.stale_after` (default 365 days).";
    PERSONA_WITHOUT_RULE = "W107", "persona-without-rule", Warning,
        "A persona has no `rule`, so customers in data cannot be assigned to it.";
    CURRENT_WITH_BASED_ON = "W108", "current-map-with-based-on", Warning,
        "A current map names a `based_on` map; only future maps improve on another map.";
    DOUBLE_QUOTED_VALUE = "W109", "double-quoted-value", Warning,
        "An expression compares with a \"double-quoted\" name: in SQL that is a column, not a text (write 'text').";
}

/// The code with this name or id, e.g. `step-without-match` or `W104`.
pub fn find(name_or_id: &str) -> Option<(Code, Severity, &'static str)> {
    ALL.iter()
        .copied()
        .find(|(code, _, _)| code.name == name_or_id || code.id == name_or_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_match_severity() {
        for (i, (a, severity, _)) in ALL.iter().enumerate() {
            let prefix = match severity {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(a.id.starts_with(prefix), "{}", a.id);
            for (b, _, _) in &ALL[i + 1..] {
                assert_ne!(a.id, b.id);
                assert_ne!(a.name, b.name);
            }
        }
    }
}

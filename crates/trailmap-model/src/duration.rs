//! Durations as maps write them: a whole number and a unit, like `30d`.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A span of time in whole seconds, written `<n><unit>` with unit `s`, `m`, `h`, `d` or `w`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration {
    seconds: u64,
}

/// The pattern of a duration string; kept in step with [`Duration::parse`].
pub(crate) const DURATION_PATTERN: &str = r"^[0-9]+(s|m|h|d|w)$";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDurationError;

impl fmt::Display for ParseDurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a whole number and a unit (s, m, h, d or w), like `30d`")
    }
}

impl std::error::Error for ParseDurationError {}

impl Duration {
    pub const fn from_seconds(seconds: u64) -> Duration {
        Duration { seconds }
    }

    pub const fn from_days(days: u64) -> Duration {
        Duration {
            seconds: days * 86_400,
        }
    }

    pub fn seconds(self) -> u64 {
        self.seconds
    }

    pub fn parse(text: &str) -> Result<Duration, ParseDurationError> {
        let unit_at = text
            .find(|c: char| !c.is_ascii_digit())
            .ok_or(ParseDurationError)?;
        let (digits, unit) = text.split_at(unit_at);
        let n: u64 = digits.parse().map_err(|_| ParseDurationError)?;
        let scale = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            "w" => 604_800,
            _ => return Err(ParseDurationError),
        };
        let seconds = n.checked_mul(scale).ok_or(ParseDurationError)?;
        Ok(Duration { seconds })
    }
}

impl fmt::Display for Duration {
    /// Writes the largest unit that divides the duration exactly, so `parse` round-trips.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.seconds;
        for (scale, unit) in [(604_800, "w"), (86_400, "d"), (3_600, "h"), (60, "m")] {
            if s != 0 && s.is_multiple_of(scale) {
                return write!(f, "{}{unit}", s / scale);
            }
        }
        write!(f, "{s}s")
    }
}

impl Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Duration::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A whole number and a unit: s, m, h, d or w (e.g. `30d`).",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_round_trips() {
        for (text, seconds) in [
            ("30d", 2_592_000),
            ("12h", 43_200),
            ("2w", 1_209_600),
            ("45s", 45),
        ] {
            let d = Duration::parse(text).unwrap();
            assert_eq!(d.seconds(), seconds);
            assert_eq!(d.to_string(), text);
        }
        assert_eq!(Duration::from_seconds(90).to_string(), "90s");
    }

    #[test]
    fn rejects_malformed() {
        for text in ["", "d", "30", "30 d", "-3d", "3y", "99999999999999999999d"] {
            assert_eq!(Duration::parse(text), Err(ParseDurationError), "{text}");
        }
    }
}

//! A starting map drafted from data (`trailmap draft`; the heuristic is documented in
//! docs/conformance.md).
//!
//! 1. The *main activities* are the event names found in at least `min_share` of cases.
//! 2. They are put in their *typical order* (`order.rs`): ascending by the share of (case,
//!    other main activity) pairs in which the other one's first event comes first. Skipped or
//!    swapped activities in some cases are outvoted by the others.
//! 3. Stages are cut where customers wait longest: between consecutive activities, the median
//!    time from the first one's first event to the second one's; cut at gaps over three times
//!    the median gap (at most seven stages), or at the `stages − 1` largest gaps.
//! 4. Activities whose place in journeys is spread widely (the middle half of their places spans
//!    [`BACKGROUND_SPREAD`] of a journey or more) are flagged in a comment as possible background
//!    events; `ignore` leaves named events out.
//! 5. Each activity becomes a step: `match: "event = '...'"` on the map's event column, its
//!    most common channels as touchpoints, `evidence: {source: observed}` with its counts.
//!
//! The YAML is written by hand (`yaml.rs`), every string quoted so any event name gives a valid
//! map whose `match` selects exactly that event.

mod names;
mod order;
mod yaml;

use std::collections::HashMap;
use std::fmt;

use trailmap_engine::ColumnNames;
use trailmap_engine::log::CaseLog;

use crate::conform::{percent, thousands};

use names::{Ids, channel_of, human_name, initiator_of};
use yaml::DraftTouchpoint;

/// How to draft, and what to write about the data.
#[derive(Debug, Clone)]
pub struct DraftOptions {
    /// Activities in fewer cases than this share are left out (listed as rare).
    pub min_share: f64,
    /// Exactly this many stages (fewer if there are fewer activities); `None` chooses.
    pub stages: Option<usize>,
    /// The journey's id (must match the format's id pattern) and name.
    pub journey_id: String,
    pub journey_name: String,
    /// The columns the data was read with: `match` uses the event column, and non-default ones
    /// go into the map's `data.columns`.
    pub columns: ColumnNames,
    /// The event column as SQL sees it (for XES logs read as columns, `event` too).
    pub event_col: String,
    /// A time zone to write into `data.time_zone`.
    pub time_zone: Option<String>,
    /// `evidence.verified` of every step (`YYYY-MM-DD`, the caller's today).
    pub verified: Option<String>,
    /// The event files in words, for comments and descriptions.
    pub source: String,
    /// The customers file's columns, listed as a hint for persona rules.
    pub customer_columns: Vec<String>,
    /// At most this many rare activities are listed.
    pub rare_listed: usize,
    /// Event names to leave out (background events the user knows are not steps).
    pub ignore: Vec<String>,
}

impl Default for DraftOptions {
    fn default() -> Self {
        DraftOptions {
            min_share: 0.05,
            stages: None,
            journey_id: "drafted-journey".to_owned(),
            journey_name: "Drafted journey".to_owned(),
            columns: ColumnNames::default(),
            event_col: "event".to_owned(),
            time_zone: None,
            verified: None,
            source: "the event files".to_owned(),
            customer_columns: Vec::new(),
            rare_listed: 30,
            ignore: Vec::new(),
        }
    }
}

/// Steps whose place in journeys is spread at least this much are flagged as possible
/// background events. Tuned on generated data for `examples/subscription-success.yaml` (3,000
/// customers): its journey steps spread 0 to 0.36, its background and survey events 0.39 to
/// 0.54; so the flag is a hint for the map's author, not a verdict.
pub const BACKGROUND_SPREAD: f64 = 0.375;

/// Values of a column counted per activity (name), most frequent first: `CaseLog::tallies`
/// keyed by activity.
pub type Tallies = HashMap<String, Vec<(String, u64)>>;

/// What the draft is drafted with beyond the log.
#[derive(Debug, Clone, Default)]
pub struct DraftInputs {
    /// The `channel` column per activity.
    pub channels: Option<Tallies>,
    /// The `initiator` column per activity.
    pub initiators: Option<Tallies>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub cases: u64,
    pub events: u64,
    pub stages: Vec<DraftStage>,
    /// The most common activities below `min_share`, most common first.
    pub rare: Vec<ActivityShare>,
    /// How many activities are below `min_share`.
    pub rare_total: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DraftStage {
    pub id: String,
    pub name: String,
    pub description: String,
    pub steps: Vec<DraftStep>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DraftStep {
    pub id: String,
    pub name: String,
    /// The event name it matches.
    pub event: String,
    pub cases: u64,
    pub events: u64,
    pub note: String,
    /// How spread the step's place in journeys is (`order.rs`, `FirstSeen::spread`).
    pub spread: Option<f64>,
    touchpoints: Vec<DraftTouchpoint>,
}

impl DraftStep {
    /// `(channel, name)` of each drafted touchpoint.
    pub fn channels(&self) -> Vec<(&'static str, Option<&str>)> {
        self.touchpoints
            .iter()
            .map(|t| (t.channel.as_str(), t.name.as_deref()))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityShare {
    pub event: String,
    pub cases: u64,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DraftError {
    /// The log has no cases.
    Empty,
    /// No activity is in `min_share` of cases; the most common one's share.
    NothingCommon { min_share: f64, best: f64 },
}

impl fmt::Display for DraftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DraftError::Empty => write!(f, "the event files have no events to draft from"),
            DraftError::NothingCommon { min_share, best } => write!(
                f,
                "no activity is in {} of cases (the most common is in {}); lower --min-share",
                percent(*min_share),
                percent(*best)
            ),
        }
    }
}

impl std::error::Error for DraftError {}

/// Drafts a map from a log read by event.
pub fn draft(
    log: &CaseLog,
    inputs: &DraftInputs,
    options: &DraftOptions,
) -> Result<Draft, DraftError> {
    let cases = log.cases.len() as u64;
    if cases == 0 {
        return Err(DraftError::Empty);
    }
    // Cases and events per activity.
    let n = log.activities.len();
    let mut in_cases = vec![0u64; n];
    let mut events = vec![0u64; n];
    let mut last_case = vec![usize::MAX; n];
    for c in 0..log.cases.len() {
        for e in log.case_events(c) {
            let a = e.activity as usize;
            events[a] += 1;
            if last_case[a] != c {
                last_case[a] = c;
                in_cases[a] += 1;
            }
        }
    }
    let share = |a: usize| in_cases[a] as f64 / cases as f64;
    let (main, mut rare): (Vec<usize>, Vec<usize>) = (0..n)
        .filter(|a| in_cases[*a] > 0 && !options.ignore.contains(&log.activities[*a]))
        .partition(|a| share(*a) >= options.min_share);
    if main.is_empty() {
        let best = (0..n).map(share).fold(0.0, f64::max);
        return Err(DraftError::NothingCommon {
            min_share: options.min_share,
            best,
        });
    }
    rare.sort_by(|a, b| in_cases[*b].cmp(&in_cases[*a]).then(a.cmp(b)));

    let first = order::FirstSeen::new(log, &main);
    let typical = first.typical_order();
    let gaps = first.gaps(&typical);
    let spread = first.spread();
    let cuts = order::cuts(&gaps, options.stages);

    let mut step_ids = Ids::default();
    let mut stages = Vec::new();
    let mut start = 0;
    for (s, end) in cuts
        .iter()
        .map(|c| c + 1)
        .chain([typical.len()])
        .enumerate()
    {
        let members = &typical[start..end];
        let steps: Vec<DraftStep> = members
            .iter()
            .map(|k| {
                let a = main[*k];
                let event = &log.activities[a];
                DraftStep {
                    id: step_ids.make(event, "step"),
                    name: human_name(event),
                    event: event.clone(),
                    cases: in_cases[a],
                    events: events[a],
                    note: format!(
                        "Drafted from data: in {} of {} cases ({}), {} events.",
                        thousands(in_cases[a]),
                        thousands(cases),
                        percent(share(a)),
                        thousands(events[a])
                    ),
                    touchpoints: touchpoints(event, inputs),
                    spread: spread[*k],
                }
            })
            .collect();
        let name = match (steps.first(), steps.last()) {
            (Some(a), Some(b)) if steps.len() > 1 => {
                format!("{} to {}", a.name, lower_first(&b.name))
            }
            (Some(a), _) => a.name.clone(),
            _ => format!("Stage {}", s + 1),
        };
        let wait = if start == 0 {
            "The journey's first stage.".to_owned()
        } else {
            match gaps[start - 1] {
                Some(g) => format!(
                    "Starts after a median wait of {} from the stage before.",
                    duration(g)
                ),
                None => "No case has both this stage and the one before.".to_owned(),
            }
        };
        stages.push(DraftStage {
            id: format!("stage-{}", s + 1),
            name,
            description: format!(
                "Drafted from data: {} activit{}. {wait}",
                steps.len(),
                if steps.len() == 1 { "y" } else { "ies" }
            ),
            steps,
        });
        start = end;
    }
    let rare_total = rare.len() as u64;
    Ok(Draft {
        cases,
        events: log.events.len() as u64,
        stages,
        rare: rare
            .into_iter()
            .take(options.rare_listed)
            .map(|a| ActivityShare {
                event: log.activities[a].clone(),
                cases: in_cases[a],
                share: share(a),
            })
            .collect(),
        rare_total,
    })
}

/// The draft as a map file (format v1 YAML).
pub fn to_yaml(draft: &Draft, options: &DraftOptions) -> String {
    yaml::write(draft, options)
}

/// Channels covering most of an activity's events: most frequent first, each with at least 10%
/// of the events, until 80% are covered, at most three; each with the activity's most common
/// initiator when the data has one.
fn touchpoints(event: &str, inputs: &DraftInputs) -> Vec<DraftTouchpoint> {
    let Some(counts) = inputs.channels.as_ref().and_then(|t| t.get(event)) else {
        return Vec::new();
    };
    let initiator = inputs
        .initiators
        .as_ref()
        .and_then(|t| t.get(event))
        .and_then(|values| {
            let mut by: Vec<(trailmap_model::Initiator, u64)> = Vec::new();
            for (value, n) in values {
                if let Some(i) = initiator_of(value) {
                    match by.iter_mut().find(|(j, _)| *j == i) {
                        Some((_, m)) => *m += n,
                        None => by.push((i, *n)),
                    }
                }
            }
            by.into_iter()
                .max_by_key(|(i, n)| (*n, i.as_str() == "customer"))
                .map(|(i, _)| i)
        });
    // The format's channels, counts of the values that map to each merged.
    let mut merged: Vec<((trailmap_model::Channel, Option<String>), u64)> = Vec::new();
    for (value, n) in counts {
        if value.is_empty() {
            continue;
        }
        let key = channel_of(value);
        match merged.iter_mut().find(|(k, _)| *k == key) {
            Some((_, m)) => *m += n,
            None => merged.push((key, *n)),
        }
    }
    merged.sort_by(|(ka, a), (kb, b)| b.cmp(a).then(ka.0.cmp(&kb.0)).then(ka.1.cmp(&kb.1)));
    let total: u64 = merged.iter().map(|(_, n)| n).sum();
    let mut out = Vec::new();
    let mut covered = 0;
    for ((channel, name), n) in merged {
        if out.len() == 3 || (!out.is_empty() && (covered * 5 >= total * 4 || n * 10 < total)) {
            break;
        }
        covered += n;
        out.push(DraftTouchpoint {
            channel,
            initiator,
            name,
        });
    }
    out
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        // Keep acronyms (`SMS sent`) as they are.
        Some(c) if !chars.clone().next().is_some_and(char::is_uppercase) => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

/// `21 min`, `1.9 h`, `7.1 d`.
fn duration(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{seconds:.0} s")
    } else if seconds < 5400.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 36.0 * 3600.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.1} d", seconds / 86400.0)
    }
}

#[cfg(test)]
mod tests;

//! The diff as plain text for a terminal: a summary, then one section per kind of change.
//! No colour here: the CLI decides about colour, and the text must read well without it.

use std::fmt::{self, Write};

use super::{MapDiff, metrics};
use crate::curve::signed;

/// The longest lane text shown before it is cut with `…`: the terminal is for an overview;
/// the JSON and HTML carry the full texts.
const MAX_TEXT: usize = 72;

/// Renders `diff` as text lines ending in a newline.
pub fn text(diff: &MapDiff) -> String {
    let mut out = String::new();
    write_text(&mut out, diff).expect("writing to a String cannot fail");
    out
}

fn cut(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX_TEXT {
        return flat;
    }
    let kept: String = flat.chars().take(MAX_TEXT - 1).collect();
    format!("{}\u{2026}", kept.trim_end())
}

fn opt(text: Option<&str>) -> String {
    text.map_or_else(|| "(none)".to_owned(), |t| format!("\"{}\"", cut(t)))
}

fn write_text(out: &mut String, diff: &MapDiff) -> fmt::Result {
    let s = &diff.summary;
    writeln!(
        out,
        "{} ({}) \u{2192} {} ({})",
        diff.current.name, diff.current.state, diff.future.name, diff.future.state
    )?;
    writeln!(
        out,
        "  steps: {} added, {} removed, {} moved, {} renamed, {} changed",
        s.steps_added, s.steps_removed, s.steps_moved, s.steps_renamed, s.steps_changed
    )?;
    writeln!(
        out,
        "  pain points: {} resolved, {} new (total severity {} \u{2192} {}); {} opportunities added",
        s.pain_points_resolved,
        s.pain_points_added,
        s.pain_current,
        s.pain_future,
        s.opportunities_added
    )?;
    writeln!(
        out,
        "  emotion: {} steps better, {} worse",
        s.emotion_better, s.emotion_worse
    )?;

    if !diff.steps_added.is_empty() {
        writeln!(out, "\nSteps added")?;
        for step in &diff.steps_added {
            writeln!(
                out,
                "  + {} \"{}\" in {} (step {})",
                step.id,
                cut(&step.name),
                step.stage_name,
                step.position
            )?;
        }
    }
    if !diff.steps_removed.is_empty() {
        writeln!(out, "\nSteps removed")?;
        for removed in &diff.steps_removed {
            write!(
                out,
                "  - {} \"{}\" from {}",
                removed.step.id,
                cut(&removed.step.name),
                removed.step.stage_name
            )?;
            if !removed.replaced_by.is_empty() {
                write!(out, ", replaced by {}", removed.replaced_by.join(", "))?;
            }
            writeln!(out)?;
        }
    }
    if !diff.steps_moved.is_empty() {
        writeln!(out, "\nSteps moved")?;
        for moved in &diff.steps_moved {
            let after = |id: &Option<String>| {
                id.as_deref()
                    .map_or_else(|| "first".to_owned(), |id| format!("after {id}"))
            };
            writeln!(
                out,
                "  > {} \"{}\": {}, {} \u{2192} {}, {}",
                moved.id,
                cut(&moved.name),
                moved.from_stage,
                after(&moved.from_after),
                moved.to_stage,
                after(&moved.to_after)
            )?;
        }
    }
    if !diff.steps_renamed.is_empty() {
        writeln!(out, "\nSteps renamed")?;
        for renamed in &diff.steps_renamed {
            writeln!(
                out,
                "  ~ {}: \"{}\" \u{2192} \"{}\"",
                renamed.id,
                cut(&renamed.from),
                cut(&renamed.to)
            )?;
        }
    }
    if !diff.steps_changed.is_empty() {
        writeln!(out, "\nSteps changed")?;
        for changed in &diff.steps_changed {
            writeln!(out, "  * {} \"{}\"", changed.id, cut(&changed.name))?;
            for t in &changed.touchpoints_added {
                writeln!(out, "      + touchpoint {}", touchpoint(t))?;
            }
            for t in &changed.touchpoints_removed {
                writeln!(out, "      - touchpoint {}", touchpoint(t))?;
            }
            for lane in &changed.lanes {
                writeln!(
                    out,
                    "      {}: {} \u{2192} {}",
                    lane.lane,
                    opt(lane.current.as_deref()),
                    opt(lane.future.as_deref())
                )?;
            }
        }
    }
    if !diff.pain_points_resolved.is_empty() {
        writeln!(out, "\nPain points resolved")?;
        for pain in &diff.pain_points_resolved {
            write!(
                out,
                "  \u{2713} [severity {}] {} ({}, {}",
                pain.severity,
                cut(&pain.text),
                pain.step,
                pain.how.replace('_', " ")
            )?;
            if !pain.replaced_by.is_empty() {
                write!(out, " by {}", pain.replaced_by.join(", "))?;
            }
            writeln!(out, ")")?;
        }
    }
    if !diff.pain_points_added.is_empty() {
        writeln!(out, "\nNew pain points")?;
        for pain in &diff.pain_points_added {
            writeln!(
                out,
                "  ! [severity {}] {} ({})",
                pain.severity,
                cut(&pain.text),
                pain.step
            )?;
        }
    }
    if !diff.opportunities_added.is_empty() {
        writeln!(out, "\nOpportunities added")?;
        for opportunity in &diff.opportunities_added {
            write!(
                out,
                "  + [{}] {} ({}",
                opportunity.status,
                cut(&opportunity.text),
                opportunity.step
            )?;
            if let Some(owner) = &opportunity.owner {
                write!(out, "; owner {}", cut(owner))?;
            }
            writeln!(out, ")")?;
        }
    }
    if !diff.emotion.is_empty() {
        writeln!(out, "\nEmotion per step")?;
        let width = diff
            .emotion
            .iter()
            .map(|e| e.step.chars().count())
            .max()
            .unwrap_or(0);
        for change in &diff.emotion {
            let score =
                |s: Option<i8>| s.map_or_else(|| "  .".to_owned(), |s| format!("{:>3}", signed(s)));
            write!(
                out,
                "  {:<width$}  {} \u{2192} {}",
                change.step,
                score(change.current),
                score(change.future)
            )?;
            match change.delta {
                Some(d) if d > 0 => write!(out, "   \u{25b2} {}", signed(d))?,
                Some(d) if d < 0 => write!(out, "   \u{25bc} {}", signed(d))?,
                _ => {}
            }
            if let Some(from) = &change.current_step {
                write!(out, "   (was {from})")?;
            }
            writeln!(out)?;
        }
    }
    if !diff.metrics.is_empty() {
        writeln!(out, "\nMeasured per step (all customers)")?;
        for step in &diff.metrics {
            write!(out, "  {} \"{}\"", step.step, cut(&step.name))?;
            if let Some(from) = &step.current_step {
                write!(out, " (was {from})")?;
            }
            writeln!(out)?;
            let known: Vec<_> = step
                .metrics
                .iter()
                .filter(|m| m.current.is_some() || m.future.is_some())
                .collect();
            let width = known
                .iter()
                .map(|m| metrics::label(m).chars().count())
                .max()
                .unwrap_or(0);
            for m in known {
                let (before, after) = (metrics::value(m, m.current), metrics::value(m, m.future));
                let mut line = format!(
                    "      {:<width$}  {before:>8} \u{2192} {after:<8}",
                    metrics::label(m)
                );
                if let Some(change) = metrics::change(m) {
                    line.push_str(&format!("  {change}"));
                }
                match m.verdict.as_deref() {
                    Some("better") => line.push_str("  \u{25b2} better"),
                    Some("worse") => line.push_str("  \u{25bc} worse"),
                    _ => {}
                }
                writeln!(out, "{}", line.trim_end())?;
            }
        }
    }
    Ok(())
}

fn touchpoint(t: &super::TouchpointRef) -> String {
    let mut text = t.channel.clone();
    if let Some(name) = &t.name {
        text.push_str(&format!(" \"{}\"", cut(name)));
    }
    if let Some(initiator) = &t.initiator {
        text.push_str(&format!(" (by {initiator})"));
    }
    text
}

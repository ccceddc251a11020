//! The content of one lane for one step: a grid cell of the map.

use std::fmt::{self, Write};

use trailmap_model::{Initiator, Metric, OpportunityStatus};

use crate::escape::Esc;
use crate::evidence::{self, FeelingSource, KpiVerdict};
use crate::view::{StepView, View};
use crate::{Lane, format, icons, palette};

pub(super) fn write_cell(
    out: &mut String,
    view: &View<'_>,
    step: &StepView<'_>,
    lane: Lane,
) -> fmt::Result {
    let s = step.step;
    match lane {
        Lane::Does => text(out, s.customer.does.as_deref()),
        Lane::Goal => text(out, s.customer.goal.as_deref()),
        Lane::Thinks => match s.customer.thinks.as_deref() {
            Some(thinks) => write!(out, "<p dir=\"auto\">\u{201c}{}\u{201d}</p>", Esc(thinks)),
            None => Ok(()),
        },
        Lane::Feels => match (s.customer.feels.as_deref(), s.customer.emotion) {
            (Some(feels), Some(score)) => write!(
                out,
                "<p class=\"feel\"><span class=\"dot\" style=\"background:{}\" title=\"{}\"></span><span dir=\"auto\">{}</span></p>",
                palette::emotion(score),
                palette::emotion_word(score),
                Esc(feels)
            ),
            (Some(feels), None) => text(out, Some(feels)),
            (None, _) => Ok(()),
        },
        // Drawn as one row-wide chart by the grid, never cell by cell.
        Lane::Emotion | Lane::Reach => Ok(()),
        Lane::Feedback => feedback(out, step),
        Lane::Outcomes => outcomes(out, view, step),
        Lane::Touchpoints => touchpoints(out, view, step),
        Lane::Frontstage => text(out, s.business.frontstage.as_deref()),
        Lane::Backstage => text(out, s.business.backstage.as_deref()),
        Lane::Department => match s.department.as_deref() {
            Some(id) => {
                write!(
                    out,
                    "<span class=\"dept\" dir=\"auto\">{}</span>",
                    Esc(view.department_name(id))
                )?;
                if let Some(lead) = view.map.department(id).and_then(|d| d.lead.as_deref()) {
                    write!(
                        out,
                        "<span class=\"lead\" dir=\"auto\">Lead: {}</span>",
                        Esc(lead)
                    )?;
                }
                Ok(())
            }
            None => Ok(()),
        },
        Lane::Employee => {
            let rows = [
                ("Does", s.employee.does.as_deref()),
                ("Feels", s.employee.feels.as_deref()),
                ("Tools", s.employee.tools.as_deref()),
            ];
            if rows.iter().all(|(_, v)| v.is_none()) {
                return Ok(());
            }
            out.push_str("<dl class=\"emp\">");
            for (label, value) in rows {
                if let Some(value) = value {
                    write!(out, "<dt>{label}</dt><dd dir=\"auto\">{}</dd>", Esc(value))?;
                }
            }
            out.push_str("</dl>");
            Ok(())
        }
        Lane::PainPoints => pain_points(out, view, step),
        Lane::Opportunities => opportunities(out, step),
        Lane::Kpis => {
            if s.kpis.is_empty() {
                return Ok(());
            }
            out.push_str("<ul class=\"kpis\">");
            for kpi in &s.kpis {
                write!(out, "<li class=\"kpi\"><b>{}</b>", Esc(&format::kpi(kpi)))?;
                if let Some(analysis) = view.evidence {
                    let whose = if view.persona.is_some() {
                        " (all customers)"
                    } else {
                        ""
                    };
                    match evidence::kpi_verdict(analysis, &s.id, kpi) {
                        KpiVerdict::Met(actual) => write!(
                            out,
                            "<em class=\"act met\" title=\"Target met{whose}\">\u{2713} {} measured</em>",
                            format::measured(kpi.metric, actual)
                        )?,
                        KpiVerdict::Missed(actual) => write!(
                            out,
                            "<em class=\"act missed\" title=\"Target missed{whose}\">\u{2715} {} measured</em>",
                            format::measured(kpi.metric, actual)
                        )?,
                        KpiVerdict::NoData => out.push_str(
                            "<em class=\"act no-data\" title=\"The data has no value for this target\">no data</em>",
                        ),
                    }
                }
                if let Some(note) = &kpi.note {
                    write!(out, "<span dir=\"auto\">{}</span>", Esc(note))?;
                }
                out.push_str("</li>");
            }
            out.push_str("</ul>");
            Ok(())
        }
    }
}

/// The longest verbatim quoted in a cell; the full text is in its tooltip.
const MAX_VERBATIM: usize = 140;
/// The longest outcome name shown; outcome names come from the map, but nothing stops one
/// from being a sentence.
const MAX_OUTCOME: usize = 60;

/// Survey scores as small tiles (topped with the colour of the emotion they map to), the
/// sentiment of free text, and the most negative thing a customer wrote.
fn feedback(out: &mut String, step: &StepView<'_>) -> fmt::Result {
    let Some(figures) = step.measured.figures() else {
        return Ok(());
    };
    let drawn = evidence::measured_emotion(figures).map(|m| m.source);
    let f = &figures.feedback;
    let scores = [
        (Metric::Nps, FeelingSource::Nps, &f.nps),
        (Metric::Csat, FeelingSource::Csat, &f.csat),
        (Metric::Ces, FeelingSource::Ces, &f.ces),
    ];
    let mut tiles = scores
        .iter()
        .filter_map(|(metric, source, score)| {
            let value = score.score.filter(|v| v.is_finite() && score.n > 0)?;
            Some((*metric, *source, value, score.n))
        })
        .peekable();
    if tiles.peek().is_some() {
        out.push_str("<ul class=\"scores\">");
        for (metric, source, value, n) in tiles {
            let few = n < evidence::MIN_ANSWERS;
            write!(
                out,
                "<li class=\"sc{}\" style=\"border-top-color:{}\" title=\"{} from {} answers{}\"><b>{}</b><span>{}</span><small>n {}</small></li>",
                if few { " few" } else { "" },
                palette::emotion_at(source.to_emotion(value)),
                source.label(),
                format::int(n),
                if few {
                    "; too few to draw on the emotion curve"
                } else if drawn == Some(source) {
                    "; drawn on the emotion curve"
                } else {
                    ""
                },
                format::measured(metric, value),
                source.label(),
                format::int(n)
            )?;
        }
        out.push_str("</ul>");
    }
    let sentiment = &figures.sentiment;
    if let Some(mean) = sentiment.mean.filter(|m| m.is_finite() && sentiment.n > 0) {
        write!(
            out,
            "<p class=\"senti\"><span class=\"dot\" style=\"background:{}\"></span>Sentiment <b>{}</b> <small>n {}",
            palette::emotion_at(FeelingSource::Sentiment.to_emotion(mean)),
            format::signed(mean, 2),
            format::int(sentiment.n)
        )?;
        if let Some(negative) = sentiment.share_negative {
            write!(out, " \u{b7} {} negative", format::percent(negative))?;
        }
        out.push_str("</small></p>");
        if let Some(verbatim) = sentiment
            .most_negative
            .first()
            .filter(|v| v.compound <= -0.05)
        {
            write!(
                out,
                "<blockquote class=\"verbatim\" dir=\"auto\" title=\"{}\">\u{201c}{}\u{201d}</blockquote>",
                Esc(&verbatim.text),
                Esc(&cut(&verbatim.text, MAX_VERBATIM))
            )?;
        }
    }
    Ok(())
}

/// Each outcome's rate after the step, with its lift over the baseline: green or red when the
/// lift is significant and the map's KPI targets say which way is good, grey otherwise.
fn outcomes(out: &mut String, view: &View<'_>, step: &StepView<'_>) -> fmt::Result {
    let (Some(figures), Some(analysis)) = (step.measured.figures(), view.evidence) else {
        return Ok(());
    };
    let rows: Vec<_> = figures
        .outcomes
        .iter()
        .filter_map(|(name, o)| o.rate_after.filter(|r| r.is_finite()).map(|r| (name, o, r)))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    out.push_str("<ul class=\"outs\">");
    for (name, outcome, rate) in rows {
        let significant = outcome.p_value.is_some_and(|p| p < evidence::SIGNIFICANT);
        let lift = outcome.lift.filter(|l| l.is_finite());
        let tone = evidence::Tone::of(
            evidence::outcome_direction(view.map, name),
            lift,
            significant,
        )
        .class();
        let arrow = match lift {
            Some(l) if l > 1.0 => "\u{25b2} ",
            Some(l) if l < 1.0 => "\u{25bc} ",
            _ => "",
        };
        write!(
            out,
            "<li class=\"oc {tone}{}\"><span class=\"on\" dir=\"auto\">{}</span><b>{}</b>",
            if significant { "" } else { " ns" },
            Esc(&cut(&format::outcome_label(name), MAX_OUTCOME)),
            format::percent(rate)
        )?;
        out.push_str("<small>");
        if let Some(l) = lift {
            write!(
                out,
                "<span class=\"lift\">{arrow}{}</span> ",
                format::lift(l)
            )?;
        }
        if let Some(baseline) = evidence::outcome_baseline(analysis, name, view.persona) {
            write!(out, "vs {} overall \u{b7} ", format::percent(baseline))?;
        }
        match outcome.p_value {
            Some(p) if significant => write!(out, "{}", Esc(&format::p_value(p)))?,
            Some(_) => out.push_str("not significant"),
            None => out.push_str("not tested"),
        }
        out.push_str("</small></li>");
    }
    out.push_str("</ul>");
    Ok(())
}

/// `text` cut to `max` characters with an ellipsis, on a word boundary where one is near.
pub(crate) fn cut(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let kept: String = flat.chars().take(max - 1).collect();
    let kept = match kept.rfind(' ') {
        Some(idx) if idx > max / 2 => &kept[..idx],
        _ => &kept,
    };
    format!("{}\u{2026}", kept.trim_end())
}

fn text(out: &mut String, text: Option<&str>) -> fmt::Result {
    match text {
        Some(text) => {
            // Blank lines in the source separate paragraphs on the map too.
            for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
                write!(out, "<p dir=\"auto\">{}</p>", Esc(paragraph))?;
            }
            Ok(())
        }
        None => Ok(()),
    }
}

fn touchpoints(out: &mut String, view: &View<'_>, step: &StepView<'_>) -> fmt::Result {
    let s = step.step;
    if s.touchpoints.is_empty() {
        return Ok(());
    }
    out.push_str("<ul class=\"tps\">");
    for touchpoint in &s.touchpoints {
        let channel = touchpoint.channel;
        write!(
            out,
            "<li class=\"tp\"><span class=\"icb\"><svg class=\"ic\" role=\"img\" aria-label=\"{0}\"><use href=\"#{1}\"/></svg></span><span><span class=\"tn\" dir=\"auto\">{2}</span><span class=\"tm\">{0}",
            channel.label(),
            icons::symbol_id(channel),
            Esc(touchpoint.name.as_deref().unwrap_or(channel.label())),
        )?;
        if let Some(department) = touchpoint.department.as_deref()
            && s.department.as_deref() != Some(department)
        {
            write!(out, " \u{b7} {}", Esc(view.department_name(department)))?;
        }
        match touchpoint.initiator {
            Some(Initiator::Customer) => {
                out.push_str(" <span class=\"by by-customer\">by customer</span>")
            }
            Some(Initiator::Company) => {
                out.push_str(" <span class=\"by by-company\">by company</span>")
            }
            None => {}
        }
        out.push_str("</span></span></li>");
    }
    out.push_str("</ul>");
    Ok(())
}

fn pain_points(out: &mut String, view: &View<'_>, step: &StepView<'_>) -> fmt::Result {
    if step.pain_points.is_empty() {
        return Ok(());
    }
    // Worst first: the eye lands on what hurts most. The sort is stable, so equal
    // severities keep the map's order.
    let mut pains = step.pain_points.clone();
    pains.sort_by_key(|p| std::cmp::Reverse(p.severity));
    out.push_str("<ul class=\"cards\">");
    for pain in pains {
        let severity = pain.severity.clamp(1, 5);
        write!(
            out,
            "<li class=\"pain s{severity}\"><span class=\"sev\"><span aria-hidden=\"true\">"
        )?;
        for idx in 1..=5 {
            out.push_str(if idx <= severity {
                "<i class=\"on\"></i>"
            } else {
                "<i></i>"
            });
        }
        write!(
            out,
            "</span>Severity {severity}/5</span><p dir=\"auto\">{}</p>",
            Esc(&pain.text)
        )?;
        if view.persona.is_none()
            && let Some(persona) = pain.persona.as_deref()
        {
            write!(
                out,
                "<span class=\"who\"><span class=\"dot\" style=\"background:{}\"></span>{}</span>",
                palette::persona(view.persona_index(persona)),
                Esc(view.persona_name(persona))
            )?;
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    Ok(())
}

fn opportunities(out: &mut String, step: &StepView<'_>) -> fmt::Result {
    let s = step.step;
    if s.opportunities.is_empty() {
        return Ok(());
    }
    out.push_str("<ul class=\"cards\">");
    for opportunity in &s.opportunities {
        let status = opportunity.status;
        let (done_class, mark) = match status {
            OpportunityStatus::Done => (" done", "\u{2713} "),
            OpportunityStatus::Doing => ("", "\u{25d1} "),
            OpportunityStatus::Planned => ("", "\u{25cb} "),
            OpportunityStatus::Idea => ("", ""),
        };
        write!(
            out,
            "<li class=\"opp{done_class}\"><span class=\"st st-{0}\">{mark}{0}</span><p dir=\"auto\">{1}</p>",
            status.as_str(),
            Esc(&opportunity.text)
        )?;
        if let Some(owner) = &opportunity.owner {
            write!(
                out,
                "<span class=\"owner\" dir=\"auto\">Owner: {}</span>",
                Esc(owner)
            )?;
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    Ok(())
}

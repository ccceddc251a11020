//! The blocks of one lane for one step, wrapped to the SVG column width.

use trailmap_model::{Initiator, Metric, OpportunityStatus};

use super::block::{Block, INK, MUTED, Pill, Styled};
use super::text::Font;
use crate::evidence::{self, FeelingSource, KpiVerdict};
use crate::view::{StepView, View};
use crate::{Lane, format, palette};

const BODY: Font = Font::new(12.5);
const SMALL: Font = Font::new(11.0);
const STRONG: Font = Font::bold(12.5);
/// Lines of text a lane may take in one cell before it is cut with an ellipsis; the full text
/// stays in a tooltip. Keeps one long text from making its row a page tall.
const MAX_LINES: usize = 6;

/// The blocks for `lane` of `step`, for a cell whose content is `width` wide.
pub(super) fn blocks(view: &View<'_>, step: &StepView<'_>, lane: Lane, width: f64) -> Vec<Block> {
    let s = step.step;
    let plain = |text: Option<&str>, font: Font| -> Vec<Block> {
        text.map(|t| vec![Block::text(Styled::new(t, font, INK, width, MAX_LINES), t)])
            .unwrap_or_default()
    };
    match lane {
        Lane::Does => plain(s.customer.does.as_deref(), BODY),
        Lane::Goal => plain(s.customer.goal.as_deref(), STRONG),
        Lane::Thinks => s
            .customer
            .thinks
            .as_deref()
            .map(|t| {
                let quoted = format!("\u{201c}{t}\u{201d}");
                vec![Block::text(
                    Styled::new(&quoted, BODY, INK, width, MAX_LINES).italic(),
                    t,
                )]
            })
            .unwrap_or_default(),
        Lane::Feels => match s.customer.feels.as_deref() {
            Some(feels) => {
                let inset = Block::insets(false, false, false, s.customer.emotion.is_some());
                let mut block = Block::text(
                    Styled::new(feels, BODY, INK, width - inset, MAX_LINES),
                    feels,
                );
                block.dot = s.customer.emotion.map(palette::emotion);
                vec![block]
            }
            None => vec![],
        },
        Lane::Emotion | Lane::Reach => vec![],
        Lane::Feedback => feedback(step, width),
        Lane::Outcomes => outcomes(view, step, width),
        Lane::Touchpoints => s
            .touchpoints
            .iter()
            .map(|touchpoint| {
                let channel = touchpoint.channel;
                let text_w = width - Block::insets(false, false, true, false);
                let name = touchpoint.name.as_deref().unwrap_or(channel.label());
                let mut meta = channel.label().to_owned();
                if let Some(department) = touchpoint.department.as_deref()
                    && s.department.as_deref() != Some(department)
                {
                    meta.push_str(" \u{b7} ");
                    meta.push_str(view.department_name(department));
                }
                match touchpoint.initiator {
                    Some(Initiator::Customer) => meta.push_str(" \u{b7} by customer"),
                    Some(Initiator::Company) => meta.push_str(" \u{b7} by company"),
                    None => {}
                }
                Block {
                    icon: Some(channel),
                    sub: Some(Styled::new(&meta, SMALL, MUTED, text_w, 2)),
                    ..Block::text(Styled::new(name, STRONG, INK, text_w, 3), name)
                }
            })
            .collect(),
        Lane::Frontstage => plain(s.business.frontstage.as_deref(), BODY),
        Lane::Backstage => plain(s.business.backstage.as_deref(), BODY),
        Lane::Department => match s.department.as_deref() {
            Some(id) => {
                let name = view.department_name(id);
                let text_w = width - Block::insets(false, false, false, true);
                let lead = view.map.department(id).and_then(|d| d.lead.as_deref());
                vec![Block {
                    dot: Some(palette::INK),
                    sub: lead
                        .map(|lead| Styled::new(&format!("Lead: {lead}"), SMALL, MUTED, text_w, 2)),
                    ..Block::text(Styled::new(name, STRONG, INK, text_w, 3), name)
                }]
            }
            None => vec![],
        },
        Lane::Employee => [
            ("DOES", s.employee.does.as_deref()),
            ("FEELS", s.employee.feels.as_deref()),
            ("TOOLS", s.employee.tools.as_deref()),
        ]
        .into_iter()
        .filter_map(|(label, text)| text.map(|t| (label, t)))
        .map(|(label, text)| Block {
            pill: Some(Pill {
                text: label.to_owned(),
                fg: MUTED,
                bg: "#f1f5f9",
                bars: None,
            }),
            ..Block::text(Styled::new(text, BODY, INK, width, 4), text)
        })
        .collect(),
        Lane::PainPoints => {
            let mut pains = step.pain_points.clone();
            pains.sort_by_key(|p| std::cmp::Reverse(p.severity));
            let text_w = width - Block::insets(true, true, false, false);
            pains
                .into_iter()
                .map(|pain| {
                    let severity = pain.severity.clamp(1, 5);
                    let font = if severity >= 4 { STRONG } else { BODY };
                    let who = match (view.persona, pain.persona.as_deref()) {
                        (None, Some(persona)) => Some(Styled::new(
                            view.persona_name(persona),
                            SMALL,
                            MUTED,
                            text_w,
                            1,
                        )),
                        _ => None,
                    };
                    Block {
                        frame: Some((
                            palette::severity_tint(severity),
                            None,
                            Some(palette::severity(severity)),
                        )),
                        pill: Some(Pill {
                            text: format!("SEVERITY {severity}/5"),
                            fg: severity_text(severity),
                            bg: "transparent",
                            bars: Some((severity, 5, palette::severity(severity))),
                        }),
                        sub: who,
                        ..Block::text(
                            Styled::new(&pain.text, font, INK, text_w, MAX_LINES),
                            &pain.text,
                        )
                    }
                })
                .collect()
        }
        Lane::Opportunities => {
            let text_w = width - Block::insets(true, false, false, false);
            s.opportunities
                .iter()
                .map(|opportunity| {
                    let (fg, bg) = palette::status(opportunity.status);
                    let mark = match opportunity.status {
                        OpportunityStatus::Done => "\u{2713} ",
                        OpportunityStatus::Doing => "\u{25d1} ",
                        OpportunityStatus::Planned => "\u{25cb} ",
                        OpportunityStatus::Idea => "",
                    };
                    Block {
                        frame: Some((palette::PAPER, Some(palette::LINE), None)),
                        pill: Some(Pill {
                            text: format!("{mark}{}", opportunity.status.as_str().to_uppercase()),
                            fg,
                            bg,
                            bars: None,
                        }),
                        sub: opportunity.owner.as_deref().map(|owner| {
                            Styled::new(&format!("Owner: {owner}"), SMALL, MUTED, text_w, 2)
                        }),
                        ..Block::text(
                            Styled::new(&opportunity.text, BODY, INK, text_w, MAX_LINES),
                            &opportunity.text,
                        )
                    }
                })
                .collect()
        }
        Lane::Kpis => {
            let text_w = width - Block::insets(true, false, false, false);
            s.kpis
                .iter()
                .map(|kpi| {
                    let target = format::kpi(kpi);
                    let verdict = view
                        .evidence
                        .map(|analysis| evidence::kpi_verdict(analysis, &s.id, kpi));
                    let (pill, stroke) = match verdict {
                        Some(KpiVerdict::Met(actual)) => (
                            Some(Pill {
                                text: format!(
                                    "\u{2713} {} MEASURED",
                                    format::measured(kpi.metric, actual)
                                ),
                                fg: "#166534",
                                bg: "#dcfce7",
                                bars: None,
                            }),
                            "#86efac",
                        ),
                        Some(KpiVerdict::Missed(actual)) => (
                            Some(Pill {
                                text: format!(
                                    "\u{2715} {} MEASURED",
                                    format::measured(kpi.metric, actual)
                                ),
                                fg: "#991b1b",
                                bg: "#fee2e2",
                                bars: None,
                            }),
                            "#dc2626",
                        ),
                        Some(KpiVerdict::NoData) => (
                            Some(Pill {
                                text: "NO DATA".to_owned(),
                                fg: MUTED,
                                bg: "#f1f5f9",
                                bars: None,
                            }),
                            "#cbd5e1",
                        ),
                        None => (None, "#cbd5e1"),
                    };
                    Block {
                        frame: Some(("#f8fafc", Some(stroke), None)),
                        pill,
                        sub: kpi
                            .note
                            .as_deref()
                            .map(|note| Styled::new(note, SMALL, MUTED, text_w, 3)),
                        ..Block::text(Styled::new(&target, STRONG, INK, text_w, 2), &target)
                    }
                })
                .collect()
        }
    }
}

/// Survey scores, one line each with a dot in the colour of the emotion they map to; the
/// sentiment of free text; the most negative thing a customer wrote.
fn feedback(step: &StepView<'_>, width: f64) -> Vec<Block> {
    let Some(figures) = step.measured.figures() else {
        return vec![];
    };
    let text_w = width - Block::insets(false, false, false, true);
    let f = &figures.feedback;
    let mut blocks = Vec::new();
    for (metric, source, score) in [
        (Metric::Nps, FeelingSource::Nps, &f.nps),
        (Metric::Csat, FeelingSource::Csat, &f.csat),
        (Metric::Ces, FeelingSource::Ces, &f.ces),
    ] {
        let Some(value) = score.score.filter(|v| v.is_finite() && score.n > 0) else {
            continue;
        };
        let few = if score.n < evidence::MIN_ANSWERS {
            " (few)"
        } else {
            ""
        };
        let line = format!(
            "{} {}  \u{b7}  n {}{few}",
            source.label(),
            format::measured(metric, value),
            format::int(score.n)
        );
        blocks.push(Block {
            dot: Some(palette::emotion_at(source.to_emotion(value))),
            ..Block::text(Styled::new(&line, STRONG, INK, text_w, 2), &line)
        });
    }
    let sentiment = &figures.sentiment;
    if let Some(mean) = sentiment.mean.filter(|m| m.is_finite() && sentiment.n > 0) {
        let mut line = format!(
            "Sentiment {}  \u{b7}  n {}",
            format::signed(mean, 2),
            format::int(sentiment.n)
        );
        if let Some(negative) = sentiment.share_negative {
            line.push_str(&format!("  \u{b7}  {} negative", format::percent(negative)));
        }
        blocks.push(Block {
            dot: Some(palette::emotion_at(
                FeelingSource::Sentiment.to_emotion(mean),
            )),
            ..Block::text(Styled::new(&line, BODY, INK, text_w, 2), &line)
        });
        if let Some(verbatim) = sentiment
            .most_negative
            .first()
            .filter(|v| v.compound <= -0.05)
        {
            let quoted = format!("\u{201c}{}\u{201d}", verbatim.text);
            blocks.push(Block::text(
                Styled::new(&quoted, SMALL, MUTED, width, 3).italic(),
                &verbatim.text,
            ));
        }
    }
    blocks
}

/// Each outcome's rate after the step, with its lift as a pill: green or red when significant
/// and the map says which way is good, grey otherwise.
fn outcomes(view: &View<'_>, step: &StepView<'_>, width: f64) -> Vec<Block> {
    let (Some(figures), Some(analysis)) = (step.measured.figures(), view.evidence) else {
        return vec![];
    };
    figures
        .outcomes
        .iter()
        .filter_map(|(name, o)| o.rate_after.filter(|r| r.is_finite()).map(|r| (name, o, r)))
        .map(|(name, outcome, rate)| {
            let significant = outcome.p_value.is_some_and(|p| p < evidence::SIGNIFICANT);
            let lift = outcome.lift.filter(|l| l.is_finite());
            let tone = evidence::Tone::of(
                evidence::outcome_direction(view.map, name),
                lift,
                significant,
            );
            let (fg, bg) = match tone {
                evidence::Tone::Better => ("#166534", "#dcfce7"),
                evidence::Tone::Worse => ("#991b1b", "#fee2e2"),
                evidence::Tone::Neutral => (MUTED, "#f1f5f9"),
            };
            let arrow = match lift {
                Some(l) if l > 1.0 => "\u{25b2} ",
                Some(l) if l < 1.0 => "\u{25bc} ",
                _ => "",
            };
            let main = format!("{} {}", format::outcome_label(name), format::percent(rate));
            let mut sub = String::new();
            if let Some(baseline) = evidence::outcome_baseline(analysis, name, view.persona) {
                sub.push_str(&format!("vs {} overall \u{b7} ", format::percent(baseline)));
            }
            sub.push_str(&match outcome.p_value {
                Some(p) if significant => format::p_value(p),
                Some(_) => "not significant".to_owned(),
                None => "not tested".to_owned(),
            });
            Block {
                pill: lift.map(|l| Pill {
                    text: format!("{arrow}{} LIFT", format::lift(l)),
                    fg,
                    bg,
                    bars: None,
                }),
                sub: Some(Styled::new(&sub, SMALL, MUTED, width, 2)),
                ..Block::text(Styled::new(&main, STRONG, INK, width, 2), &main)
            }
        })
        .collect()
}

fn severity_text(severity: u8) -> &'static str {
    match severity {
        0 | 1 => "#854d0e",
        2 => "#92400e",
        3 => "#9a3412",
        4 => "#991b1b",
        _ => "#7f1d1d",
    }
}

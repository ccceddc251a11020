//! The blocks of one lane for one step, wrapped to the SVG column width.

use trailmap_model::{Initiator, OpportunityStatus};

use super::block::{Block, INK, MUTED, Pill, Styled};
use super::text::Font;
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
        Lane::Emotion => vec![],
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
                    Block {
                        frame: Some(("#f8fafc", Some("#cbd5e1"), None)),
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

fn severity_text(severity: u8) -> &'static str {
    match severity {
        0 | 1 => "#854d0e",
        2 => "#92400e",
        3 => "#9a3412",
        4 => "#991b1b",
        _ => "#7f1d1d",
    }
}

//! The legend under the map: what the icons, colours and marks mean.

use std::collections::BTreeSet;
use std::fmt::{self, Write};

use trailmap_model::Channel;

use crate::view::View;
use crate::{Lane, icons, palette};

pub(super) fn write_section(out: &mut String, view: &View<'_>) -> fmt::Result {
    if view.n_steps() == 0 {
        return Ok(());
    }
    out.push_str("<section aria-labelledby=\"legend-h\">\n<h2 id=\"legend-h\">Legend</h2>\n<div class=\"legend\">\n");
    let channels: BTreeSet<Channel> = view
        .steps()
        .flat_map(|s| &s.step.touchpoints)
        .map(|t| t.channel)
        .chain(
            view.personas
                .iter()
                .flat_map(|p| p.channels.iter().copied()),
        )
        .collect();
    if !channels.is_empty() {
        out.push_str("<div><h3>Channels</h3><ul>");
        for channel in &channels {
            write!(
                out,
                "<li><svg class=\"ic\" aria-hidden=\"true\"><use href=\"#{}\"/></svg>{}</li>",
                icons::symbol_id(*channel),
                channel.label()
            )?;
        }
        out.push_str("</ul></div>\n");
    }
    let lanes = &view.lanes;
    if lanes.contains(&Lane::Touchpoints) {
        out.push_str("<div><h3>Who starts the contact</h3><ul><li><span class=\"by by-customer\">by customer</span></li><li><span class=\"by by-company\">by company</span></li></ul></div>\n");
    }
    if lanes.contains(&Lane::Emotion) || lanes.contains(&Lane::Feels) {
        out.push_str("<div><h3>Emotion</h3><ul>");
        for score in (-2..=2).rev() {
            write!(
                out,
                "<li><span class=\"dot\" style=\"background:{}\"></span>{} {}</li>",
                palette::emotion(score),
                crate::curve::signed(score),
                palette::emotion_word(score)
            )?;
        }
        out.push_str("</ul></div>\n");
    }
    if lanes.contains(&Lane::PainPoints) {
        out.push_str("<div><h3>Pain point severity</h3><ul>");
        for severity in 1..=5u8 {
            write!(
                out,
                "<li><span class=\"sw\" style=\"background:{}\"></span>{severity}{}</li>",
                palette::severity(severity),
                match severity {
                    1 => " minor",
                    5 => " customer leaves",
                    _ => "",
                }
            )?;
        }
        out.push_str("</ul></div>\n");
    }
    if lanes.contains(&Lane::Opportunities) {
        out.push_str("<div><h3>Opportunity status</h3><ul><li><span class=\"st st-idea\">idea</span></li><li><span class=\"st st-planned\">\u{25cb} planned</span></li><li><span class=\"st st-doing\">\u{25d1} doing</span></li><li><span class=\"st st-done\">\u{2713} done</span></li></ul></div>\n");
    }
    if view.evidence.is_some() {
        writeln!(
            out,
            "<div><h3>Measured in data</h3><ul><li><span class=\"sw\" style=\"background:{}\"></span>customers at the step</li><li><span class=\"sw\" style=\"background:{}\"></span>dropped off there</li><li><span class=\"dash\"></span>emotion measured from feedback</li><li><em class=\"act met\">\u{2713}</em> KPI target met</li><li><em class=\"act missed\">\u{2715}</em> KPI target missed</li><li><span class=\"badge no-evidence\">\u{2205} no evidence in data</span></li><li><span class=\"badge now-observed\">\u{2713} now observed</span> measured, though the map calls it research or assumption</li></ul></div>",
            palette::bar(view.map.journey.state),
            crate::funnel::DROP
        )?;
    }
    if view
        .steps()
        .any(|s| crate::evidence::stale_evidence(view.map, s.step, view.today).is_some())
    {
        out.push_str("<div><h3>Evidence age</h3><ul><li><span class=\"badge stale\">stale</span> verified longer ago than the map allows; check it again</li></ul></div>\n");
    }
    if view.steps().any(|s| s.step.moment_of_truth) {
        out.push_str("<div><h3>Marks</h3><ul><li><span class=\"badge mot\">\u{2605} Moment of truth</span> makes or breaks the relationship</li></ul></div>\n");
    }
    out.push_str("</div>\n</section>\n");
    Ok(())
}

//! The state banner and the journey header: name, kind, state, owner, objectives, stakeholders.

use std::fmt::{self, Write};

use trailmap_model::JourneyState;

use crate::escape::Esc;
use crate::format;
use crate::view::View;

/// The coloured strip at the very top that says, before anything else, whether this is the
/// journey as it is or as it should be.
pub(super) fn write_banner(out: &mut String, view: &View<'_>) -> fmt::Result {
    let (word, gloss) = match view.map.journey.state {
        JourneyState::Current => ("CURRENT STATE", "The journey as customers live it today"),
        JourneyState::Future => ("FUTURE STATE", "The journey as we want it to be"),
    };
    writeln!(
        out,
        "<div class=\"banner\" role=\"note\"><strong>{word}</strong><span>{gloss}</span></div>"
    )
}

pub(super) fn write_header(out: &mut String, view: &View<'_>) -> fmt::Result {
    let journey = &view.map.journey;
    out.push_str("<header class=\"head\">\n<div>\n");
    write!(
        out,
        "<h1 dir=\"auto\">{}</h1>\n<div class=\"meta\">",
        Esc(&journey.name)
    )?;
    write!(
        out,
        "<span class=\"chip state\">{}</span><span class=\"chip\">{}</span>",
        journey.state.as_str().to_uppercase(),
        format::journey_kind(journey.kind)
    )?;
    if let Some(owner) = &journey.owner {
        write!(out, "<span class=\"chip\">Owner: {}</span>", Esc(owner))?;
    }
    if let Some(based_on) = &journey.based_on {
        write!(
            out,
            "<span class=\"chip\">Improves: {}</span>",
            Esc(based_on)
        )?;
    }
    if let Some(persona) = view.persona {
        write!(
            out,
            "<span class=\"chip\">Persona: {}</span>",
            Esc(view.persona_name(persona))
        )?;
    }
    writeln!(
        out,
        "<span class=\"chip\">{} \u{b7} {}</span></div>",
        format::count(view.stages.len(), "stage"),
        format::count(view.n_steps(), "step")
    )?;
    if let Some(description) = &journey.description {
        writeln!(
            out,
            "<p class=\"desc\" dir=\"auto\">{}</p>",
            Esc(description)
        )?;
    }
    out.push_str("</div>\n<div class=\"side\">\n");
    if !journey.objectives.is_empty() {
        out.push_str("<div><h2>Objectives</h2><ul>");
        for objective in &journey.objectives {
            write!(out, "<li dir=\"auto\">{}</li>", Esc(objective))?;
        }
        out.push_str("</ul></div>\n");
    }
    if !journey.stakeholders.is_empty() {
        out.push_str("<div><h2>Stakeholders</h2><div class=\"people\">");
        for stakeholder in &journey.stakeholders {
            write!(
                out,
                "<span class=\"chip\" dir=\"auto\">{}</span>",
                Esc(stakeholder)
            )?;
        }
        out.push_str("</div></div>\n");
    }
    out.push_str("</div>\n</header>\n");
    Ok(())
}

//! Persona cards: who takes the journey, what they want, how they behave, what they said.

use std::fmt::{self, Write};

use trailmap_model::{Openness, Persona};

use crate::escape::Esc;
use crate::view::View;
use crate::{format, icons, palette};

pub(super) fn write_section(out: &mut String, view: &View<'_>) -> fmt::Result {
    if view.personas.is_empty() {
        return Ok(());
    }
    let title = if view.persona.is_some() {
        "Persona"
    } else {
        "Personas"
    };
    write!(
        out,
        "<section class=\"personas-section\" aria-labelledby=\"personas-h\">\n<h2 id=\"personas-h\">{title}"
    )?;
    if view.persona.is_none() {
        write!(
            out,
            " <small>{}</small>",
            format::count(view.personas.len(), "segment")
        )?;
    }
    out.push_str("</h2>\n<div class=\"personas\">\n");
    for persona in &view.personas {
        write_card(out, view, persona)?;
    }
    out.push_str("</div>\n</section>\n");
    Ok(())
}

fn write_card(out: &mut String, view: &View<'_>, persona: &Persona) -> fmt::Result {
    let colour = palette::persona(view.persona_index(&persona.id));
    out.push_str("<article class=\"persona\">\n<header>");
    write!(
        out,
        "<span class=\"avatar\" style=\"background:{colour}\" aria-hidden=\"true\">{}</span><div><h3 dir=\"auto\">{}</h3>",
        Esc(&format::initials(&persona.name)),
        Esc(&persona.name)
    )?;
    let mut sub: Vec<String> = Vec::new();
    if let Some(generation) = &persona.generation {
        sub.push(generation.clone());
    }
    if let Some(demographics) = &persona.demographics {
        sub.push(demographics.clone());
    }
    if !sub.is_empty() {
        write!(
            out,
            "<p class=\"sub\" dir=\"auto\">{}</p>",
            Esc(&sub.join(" \u{b7} "))
        )?;
    }
    out.push_str("</div></header>\n");
    if let Some(share) = persona.share {
        let share = share.clamp(0.0, 1.0);
        writeln!(
            out,
            "<div class=\"share\"><span>{} of customers</span><span class=\"bar\" aria-hidden=\"true\"><i style=\"width:{:.1}%;background:{colour}\"></i></span></div>",
            format::share(share),
            share * 100.0
        )?;
    }
    if let Some(description) = &persona.description {
        writeln!(out, "<p dir=\"auto\">{}</p>", Esc(description))?;
    }
    write_list(out, "Goals", &persona.goals)?;
    write_list(out, "Behaviours", &persona.behaviours)?;
    write_list(out, "Expectations", &persona.expectations)?;
    if let Some(openness) = persona.openness {
        let level = match openness {
            Openness::Low => 1,
            Openness::Medium => 2,
            Openness::High => 3,
        };
        write!(
            out,
            "<div><h4>Openness to new ideas</h4><p>{}<span class=\"openness\" aria-hidden=\"true\">",
            capitalised(openness.as_str())
        )?;
        for idx in 1..=3 {
            out.push_str(if idx <= level {
                "<i class=\"on\"></i>"
            } else {
                "<i></i>"
            });
        }
        out.push_str("</span></p></div>\n");
    }
    if !persona.quotes.is_empty() {
        out.push_str("<div><h4>In their words</h4>");
        for quote in &persona.quotes {
            write!(
                out,
                "<blockquote dir=\"auto\">\u{201c}{}\u{201d}</blockquote>",
                Esc(quote)
            )?;
        }
        out.push_str("</div>\n");
    }
    if !persona.channels.is_empty() {
        out.push_str("<div><h4>Preferred channels</h4><ul class=\"channels\">");
        for channel in &persona.channels {
            write!(
                out,
                "<li class=\"chip\"><svg class=\"ic\" aria-hidden=\"true\"><use href=\"#{}\"/></svg>{}</li>",
                icons::symbol_id(*channel),
                channel.label()
            )?;
        }
        out.push_str("</ul></div>\n");
    }
    out.push_str("</article>\n");
    Ok(())
}

fn write_list(out: &mut String, title: &str, items: &[String]) -> fmt::Result {
    if items.is_empty() {
        return Ok(());
    }
    write!(out, "<div><h4>{title}</h4><ul>")?;
    for item in items {
        write!(out, "<li dir=\"auto\">{}</li>", Esc(item))?;
    }
    out.push_str("</ul></div>\n");
    Ok(())
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

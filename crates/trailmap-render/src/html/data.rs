//! The data block: what the measured figures on the map were computed from (files, rows,
//! customers, period), how the KPI targets fare, and the events no step matches, which are
//! the touchpoints the map is missing. Drawn only with evidence.

use std::fmt::{self, Write};

use trailmap_model::analysis::Analysis;

use crate::escape::Esc;
use crate::evidence::{self, KpiVerdict};
use crate::view::View;
use crate::{Date, format, palette};

/// How many unmapped event names are listed.
const TOP_UNMAPPED: usize = 5;
/// Texts from the data (file paths, event names) longer than this are cut; the full text is
/// in the tooltip. A block about the data must not be drowned by one odd value.
const MAX_NAME: usize = 80;

/// `text` in a `tag` element, escaped and cut to [`MAX_NAME`], with the full text as a tooltip
/// when cut.
fn name(out: &mut String, tag: &str, text: &str) -> fmt::Result {
    let cut = super::cells::cut(text, MAX_NAME);
    let class = if tag == "dd" { " class=\"period\"" } else { "" };
    if cut == text {
        write!(out, "<{tag}{class} dir=\"auto\">{}</{tag}>", Esc(text))
    } else {
        write!(
            out,
            "<{tag}{class} dir=\"auto\" title=\"{}\">{}</{tag}>",
            Esc(text),
            Esc(&cut)
        )
    }
}

pub(super) fn write_section(out: &mut String, view: &View<'_>) -> fmt::Result {
    let Some(analysis) = view.evidence else {
        return Ok(());
    };
    out.push_str("<section class=\"data\" aria-labelledby=\"data-h\">\n<h2 id=\"data-h\">Evidence <small>measured in customer data by trailmap analyze</small></h2>\n<div class=\"data-card\">\n");
    write_facts(out, view, analysis)?;
    write_inputs(out, analysis)?;
    write_unmapped(out, analysis)?;
    write_segments(out, view, analysis)?;
    out.push_str("</div>\n</section>\n");
    Ok(())
}

fn write_facts(out: &mut String, view: &View<'_>, analysis: &Analysis) -> fmt::Result {
    let inputs = &analysis.inputs;
    out.push_str("<dl class=\"facts\">");
    match view.persona {
        Some(persona) => write!(
            out,
            "<div><dt>Customers</dt><dd>{}</dd><small>{} of {} analysed</small></div>",
            analysis
                .personas
                .get(persona)
                .map_or_else(|| "\u{2014}".to_owned(), |n| format::int(*n)),
            Esc(view.persona_name(persona)),
            format::int(inputs.customers_analysed)
        )?,
        None => write!(
            out,
            "<div><dt>Customers</dt><dd>{}</dd><small>with at least one analysed event</small></div>",
            format::int(inputs.customers_analysed)
        )?,
    }
    write!(
        out,
        "<div><dt>Events</dt><dd>{}</dd><small>of {} rows read",
        format::int(inputs.analysed_events),
        format::int(inputs.event_rows)
    )?;
    if inputs.bad_rows > 0 {
        write!(out, "; {} bad rows skipped", format::int(inputs.bad_rows))?;
    }
    out.push_str("</small></div>");
    if let Some(span) = &inputs.time_span {
        let (from, to) = (format::date_part(&span.from), format::date_part(&span.to));
        out.push_str("<div><dt>Period</dt>");
        name(out, "dd", &format!("{from} \u{2192} {to}"))?;
        if let (Ok(from), Ok(to)) = (from.parse::<Date>(), to.parse::<Date>()) {
            write!(
                out,
                "<small>{}</small>",
                format::count(to.days_since(from).max(0) as usize + 1, "day")
            )?;
        }
        out.push_str("</div>");
    }
    let (mut met, mut missed, mut no_data) = (0, 0, 0);
    for step in view.steps() {
        for kpi in &step.step.kpis {
            match evidence::kpi_verdict(analysis, &step.step.id, kpi) {
                KpiVerdict::Met(_) => met += 1,
                KpiVerdict::Missed(_) => missed += 1,
                KpiVerdict::NoData => no_data += 1,
            }
        }
    }
    if met + missed + no_data > 0 {
        write!(
            out,
            "<div><dt>KPI targets</dt><dd><span class=\"met\">\u{2713} {met} met</span> <span class=\"missed\">\u{2715} {missed} missed</span></dd><small>"
        )?;
        let mut notes = Vec::new();
        if no_data > 0 {
            notes.push(format!("{no_data} without data"));
        }
        if view.persona.is_some() {
            notes.push("measured on all customers".to_owned());
        }
        if notes.is_empty() {
            notes.push("on the steps drawn".to_owned());
        }
        write!(out, "{}</small></div>", notes.join(" \u{b7} "))?;
    }
    out.push_str("</dl>\n");
    Ok(())
}

fn write_inputs(out: &mut String, analysis: &Analysis) -> fmt::Result {
    let inputs = &analysis.inputs;
    out.push_str("<div class=\"inputs\"><h3>Inputs</h3><ul>");
    for file in inputs.events.iter().chain(&inputs.customers) {
        out.push_str("<li>");
        name(out, "code", &file.path)?;
        write!(
            out,
            " <span>{} \u{b7} {} rows</span></li>",
            Esc(&super::cells::cut(&file.format, MAX_NAME)),
            format::int(file.rows)
        )?;
    }
    let settings = &inputs.settings;
    writeln!(
        out,
        "</ul><p>Time zone {} \u{b7} feedback window {} \u{b7} outcome window {}</p></div>",
        Esc(&super::cells::cut(&settings.time_zone, MAX_NAME)),
        format::duration_human(settings.feedback_window_s as f64),
        format::duration_human(settings.outcome_window_s as f64)
    )
}

fn write_unmapped(out: &mut String, analysis: &Analysis) -> fmt::Result {
    let unmapped = &analysis.unmapped;
    out.push_str("<div class=\"unmapped\"><h3>Unmapped events");
    if let Some(share) = unmapped.share {
        write!(out, " <b>{}</b>", format::percent(share))?;
    }
    write!(
        out,
        "</h3><p>{} events match no step: touchpoints the map may be missing.</p>",
        format::int(unmapped.events)
    )?;
    if !unmapped.top.is_empty() {
        out.push_str("<ol>");
        for event in unmapped.top.iter().take(TOP_UNMAPPED) {
            out.push_str("<li>");
            name(out, "code", &event.event)?;
            write!(
                out,
                "<span class=\"bar\"><i style=\"width:{:.1}%\"></i></span><span>{} \u{b7} {}</span></li>",
                (event.share * 100.0).clamp(0.0, 100.0),
                format::int(event.count),
                format::percent(event.share)
            )?;
        }
        out.push_str("</ol>");
    }
    out.push_str("</div>\n");
    Ok(())
}

/// Customers per persona, as the personas' rules sorted them.
fn write_segments(out: &mut String, view: &View<'_>, analysis: &Analysis) -> fmt::Result {
    if analysis.personas.is_empty() {
        return Ok(());
    }
    let total = analysis.inputs.customers_analysed.max(1) as f64;
    out.push_str("<div class=\"segments\"><h3>Customers per persona</h3><ul>");
    // Map order first, then what the map does not know (`unassigned`), as the file sorts it.
    let known = view
        .map
        .personas
        .iter()
        .filter_map(|p| analysis.personas.get(&p.id).map(|n| (p.id.as_str(), *n)));
    let others = analysis
        .personas
        .iter()
        .filter(|(id, _)| view.map.persona(id).is_none())
        .map(|(id, n)| (id.as_str(), *n));
    for (id, n) in known.chain(others) {
        let colour = match view.map.persona(id) {
            Some(_) => palette::persona(view.persona_index(id)),
            None => "#94a3b8",
        };
        let chosen = view.persona == Some(id);
        out.push_str(if chosen {
            "<li class=\"chosen\">"
        } else {
            "<li>"
        });
        name(out, "span", view.persona_name(id))?;
        write!(
            out,
            "<span class=\"bar\"><i style=\"width:{:.1}%;background:{colour}\"></i></span><span>{} \u{b7} {}</span></li>",
            (n as f64 / total * 100.0).clamp(0.0, 100.0),
            format::int(n),
            format::percent(n as f64 / total)
        )?;
    }
    out.push_str("</ul></div>\n");
    Ok(())
}

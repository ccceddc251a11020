//! The map as one self-contained HTML page: inline CSS and SVG, no script, no request.
//!
//! The page has a state banner (CURRENT or FUTURE), the journey header, the data block (with
//! evidence), the persona cards, the map grid (stages as columns, lanes as rows) and a legend. On screen the grid scrolls
//! sideways with sticky lane labels; on paper (A3 landscape by default) wide maps are split
//! into pages of whole stages, each with its own lane labels.

pub(crate) mod cells;
mod data;
mod grid;
mod header;
mod legend;
mod personas;
pub(crate) mod style;

use std::fmt::{self, Write};

use trailmap_model::{JourneyState, Map};

use crate::escape::Esc;
use crate::view::View;
use crate::{RenderOptions, icons};

/// Renders `map` as a self-contained HTML document.
pub fn render(map: &Map, options: &RenderOptions) -> String {
    let view = View::new(map, options);
    let mut out = String::with_capacity(64 * 1024 + view.n_steps() * 6 * 1024);
    write_page(&mut out, &view).expect("writing to a String cannot fail");
    out
}

fn write_page(out: &mut String, view: &View<'_>) -> fmt::Result {
    let journey = &view.map.journey;
    let state_class = match journey.state {
        JourneyState::Current => "state-current",
        JourneyState::Future => "state-future",
    };
    let chunks = grid::print_chunks(view);
    let print_class = if chunks.len() > 1 { " has-print" } else { "" };
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing on this page may load anything: this policy makes the browser enforce it.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"generator\" content=\"Trailmap\">\n");
    write!(out, "<title>{}", Esc(&journey.name))?;
    if let Some(persona) = view.persona {
        write!(out, " \u{2014} {}", Esc(view.persona_name(persona)))?;
    }
    writeln!(
        out,
        " ({} state) \u{b7} Trailmap</title>\n<style>{}</style>\n</head>",
        journey.state.as_str(),
        style::CSS
    )?;
    writeln!(out, "<body class=\"{state_class}{print_class}\">")?;
    out.push_str("<svg class=\"sprite\" aria-hidden=\"true\" focusable=\"false\"><defs>");
    icons::write_symbols(out)?;
    out.push_str("</defs></svg>\n");
    header::write_banner(out, view)?;
    out.push_str("<main class=\"page\">\n");
    header::write_header(out, view)?;
    data::write_section(out, view)?;
    personas::write_section(out, view)?;
    grid::write_section(out, view, &chunks)?;
    legend::write_section(out, view)?;
    out.push_str("<footer>Drawn by Trailmap from the journey map file; the file is the source of truth.</footer>\n");
    out.push_str("</main>\n</body>\n</html>\n");
    Ok(())
}

#[cfg(test)]
mod tests;

//! The visual journey map: a [`Map`](trailmap_model::Map) drawn as a self-contained HTML page
//! ([`html::render`]) or a standalone SVG ([`svg::render`]), and the comparison of a current
//! map with a future one ([`diff::compare`]).
//!
//! ```
//! # fn demo(map: &trailmap_model::Map, analysis: trailmap_model::analysis::Analysis) {
//! use trailmap_render::{Date, Lane, RenderOptions};
//! let options = RenderOptions {
//!     persona: Some("mia".to_owned()),
//!     lanes: Some(Lane::parse_list("does,feels,emotion,reach,pain-points").unwrap()),
//!     evidence: Some(analysis),
//!     today: Date::new(2026, 11, 25),
//! };
//! let page: String = trailmap_render::html::render(map, &options);
//! # }
//! ```
//!
//! **Evidence.** With [`RenderOptions::evidence`] (the `result.json` of `trailmap analyze`)
//! the map also shows what the data measured: a "Measured in data" lane group (a reach bar per
//! step with its drop-off in red, feedback scores, outcomes after the step), a dashed measured
//! emotion curve beside the designed one, KPI targets against their actual values, marks on
//! steps without evidence, and a data block (inputs, unmapped events). Without it the map looks
//! exactly as before. The rules (which figures, how feedback becomes emotion) live in
//! `evidence.rs` and are explained for readers in `docs/evidence.md`.
//!
//! **Architecture invariants.** This crate does no IO: every function returns a `String` (or a
//! value) and the caller writes it. Output is deterministic: the same map gives the same bytes
//! (no clocks, no hash-map iteration, numbers formatted with fixed decimals), which is what
//! lets golden tests pin it. Every piece of user text passes through one escaper
//! (`escape.rs`) before it reaches the output, and the output loads nothing: no fonts, no
//! images, no scripts, so a map renders the same offline, in a mail attachment or on paper.
//!
//! The HTML and SVG renderers share one idea of what is drawn (`view.rs`: the persona filter
//! and the collapsing of empty lanes), one palette and one emotion curve.

mod curve;
mod date;
pub mod diff;
mod escape;
mod evidence;
mod format;
mod funnel;
pub mod html;
mod icons;
mod options;
mod palette;
pub mod paths;
pub mod svg;
mod view;

#[cfg(test)]
mod testmap;

pub use date::{Date, ParseDateError};
pub use options::{Lane, ParseLaneError, RenderOptions};

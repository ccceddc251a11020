//! A journey map in interchange formats, for the tools teams already use:
//! [`json`] (the normalised map), [`csv`] (one row per step, for spreadsheets) and
//! [`mermaid`] (a `journey` diagram for Markdown and wikis).
//!
//! Every function is pure: a [`Map`](trailmap_model::Map) in, text out. The visual map (HTML,
//! SVG) is `trailmap-render`'s job, not this crate's.

pub mod csv;
pub mod json;
pub mod mermaid;

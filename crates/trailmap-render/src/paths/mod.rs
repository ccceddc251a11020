//! Pictures of the paths customers really take, from `trailmap discover` and `trailmap conform`:
//! the directly-follows graph as SVG, with the designed path overlaid and deviations in their
//! own colours when the activities are a map's steps, and a flow (Sankey) view of customers
//! step by step; both in one self-contained HTML page.
//!
//! ```
//! # fn demo(discovery: &trailmap_model::paths::Discovery, map: &trailmap_model::Map) {
//! use trailmap_render::paths::{PathsOptions, render_paths_html};
//! let page: String = render_paths_html(discovery, Some(map), &PathsOptions::default());
//! # }
//! ```
//!
//! The pipeline: `wire.rs` turns the wire types into the renderer's own graph (`graph.rs`) and
//! flow input (`flow.rs`); `filter.rs` ranks edges into frequency levels; the layered layout is
//! `layering.rs` → `order.rs` → `place.rs` → `layout.rs`; `dfg.rs` and `sankey.rs` write SVG;
//! `page.rs`, `paths_page.rs` and `conform_page.rs` write the pages.
//!
//! The crate's invariants hold here too: no IO, deterministic bytes (every sort has a
//! tie-break, no hash maps), user text only through `escape.rs`, and the pages request
//! nothing and run no script: the frequency control and the tabs are radio inputs and CSS
//! over pre-drawn panes.

mod conform_page;
mod dfg;
mod filter;
mod flow;
mod graph;
mod layering;
mod layout;
mod order;
mod page;
mod paths_page;
mod place;
mod sankey;
mod wire;

use std::collections::BTreeMap;

use trailmap_model::Map;
use trailmap_model::conformance::Conformance;
use trailmap_model::paths::Discovery;

use filter::{FilterSpec, Levels};

/// What the pictures show beyond the data.
#[derive(Debug, Clone, PartialEq)]
pub struct PathsOptions {
    /// The page's title, e.g. the event file's name; the map's journey name when `None`.
    pub title: Option<String>,
    /// The share of all transitions (0..1] the graph shows first: it keeps the most frequent
    /// transitions until they cover it. `None` picks the most complete level that stays
    /// readable (at most 60 transitions).
    pub edge_share: Option<f64>,
    /// Transitions seen at least this often are always drawn.
    pub min_count: Option<u64>,
    /// Rows of the variants table.
    pub top_variants: usize,
}

impl Default for PathsOptions {
    fn default() -> PathsOptions {
        PathsOptions {
            title: None,
            edge_share: None,
            min_count: None,
            top_variants: 15,
        }
    }
}

/// The page of `trailmap discover -o paths.html`. With `map` and activities by step, the
/// designed path is drawn over the graph and the flow view can go by stage.
pub fn render_paths_html(
    discovery: &Discovery,
    map: Option<&Map>,
    options: &PathsOptions,
) -> String {
    let mut out = String::with_capacity(256 * 1024);
    paths_page::write(&mut out, discovery, map, options).expect("writing to a String cannot fail");
    out
}

/// The directly-follows graph alone, as a standalone SVG at one filter level.
pub fn render_dfg_svg(discovery: &Discovery, map: Option<&Map>, options: &PathsOptions) -> String {
    let graph = wire::graph(discovery, map, None);
    let spec = FilterSpec::new(options.edge_share, options.min_count);
    let levels = Levels::new(&graph, &spec);
    let level = levels.default;
    let layout = layout::layout(
        &graph,
        &levels.drawn_nodes(level),
        &levels.drawn_edges(level),
    );
    let title = options
        .title
        .clone()
        .or_else(|| map.map(|m| m.journey.name.clone()))
        .unwrap_or_else(|| "Event log".to_owned());
    let mut out = String::new();
    dfg::write_svg(
        &mut out,
        &graph,
        &levels,
        &layout,
        level,
        &format!("Directly-follows graph: {title}"),
        true,
    )
    .expect("writing to a String cannot fail");
    out.push('\n');
    out
}

/// The page of `trailmap conform -o conform.html`: how many customers follow the map, what the
/// deviations cost, and the graph with the designed path, for everyone and per persona.
/// `everyone` and `personas` are `discover`'s results (by step) on the same customers.
pub fn render_conformance_html(
    conformance: &Conformance,
    everyone: &Discovery,
    personas: &BTreeMap<String, Discovery>,
    map: &Map,
    options: &PathsOptions,
) -> String {
    let mut out = String::with_capacity(256 * 1024);
    conform_page::write(&mut out, conformance, everyone, personas, map, options)
        .expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests;

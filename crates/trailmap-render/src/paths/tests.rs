//! Tests of the pictures as a whole: SVG well-formedness, determinism, hostile text.

use trailmap_model::paths::{
    ActivityCount, ActivityStats, CountStats, Discovery, DiscoveryInputs, DurationStats, Edge,
    Variant, VariantRest, Variants,
};

use super::{PathsOptions, render_dfg_svg, render_paths_html};

/// A discovery over event names built from variants, the way `discover` counts.
pub(crate) fn discovery(variants: &[(&[&str], u64)]) -> Discovery {
    let mut activities: Vec<String> = Vec::new();
    let mut events: Vec<u64> = Vec::new();
    let mut cases_of: Vec<u64> = Vec::new();
    let mut edges: std::collections::BTreeMap<(String, String), u64> = Default::default();
    let mut starts: std::collections::BTreeMap<String, u64> = Default::default();
    let mut ends: std::collections::BTreeMap<String, u64> = Default::default();
    let mut cases = 0;
    for (seq, n) in variants {
        cases += n;
        let mut seen = std::collections::BTreeSet::new();
        for a in seq.iter() {
            let i = match activities.iter().position(|x| x == a) {
                Some(i) => i,
                None => {
                    activities.push((*a).to_owned());
                    events.push(0);
                    cases_of.push(0);
                    activities.len() - 1
                }
            };
            events[i] += n;
            if seen.insert(i) {
                cases_of[i] += n;
            }
        }
        for pair in seq.windows(2) {
            *edges
                .entry((pair[0].to_owned(), pair[1].to_owned()))
                .or_default() += n;
        }
        *starts.entry(seq[0].to_owned()).or_default() += n;
        *ends.entry(seq[seq.len() - 1].to_owned()).or_default() += n;
    }
    let mut edges: Vec<Edge> = edges
        .into_iter()
        .enumerate()
        .map(|(i, ((from, to), count))| Edge {
            from,
            to,
            count,
            mean_s: 600.0 * (i + 1) as f64,
            median_s: 500.0 * (i + 1) as f64,
            min_s: 1.0,
            max_s: 1e5,
            sum_s: 600.0 * count as f64,
            stdev_s: None,
        })
        .collect();
    edges.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.from.cmp(&b.from))
            .then(a.to.cmp(&b.to))
    });
    let counts = |m: std::collections::BTreeMap<String, u64>| {
        let mut v: Vec<ActivityCount> = m
            .into_iter()
            .map(|(activity, cases)| ActivityCount { activity, cases })
            .collect();
        v.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.activity.cmp(&b.activity)));
        v
    };
    let mut top: Vec<Variant> = variants
        .iter()
        .map(|(seq, n)| Variant {
            activities: seq.iter().map(|s| (*s).to_owned()).collect(),
            count: *n,
            share: *n as f64 / cases as f64,
        })
        .collect();
    top.sort_by_key(|v| std::cmp::Reverse(v.count));
    let total_events: u64 = events.iter().sum();
    Discovery {
        version: 1,
        by: "event".to_owned(),
        journey: None,
        persona: None,
        inputs: DiscoveryInputs {
            files: Vec::new(),
            rows_read: total_events,
            rows_dropped: 0,
            rows_outside_period: 0,
            bad_rows: 0,
            bad_row_examples: Vec::new(),
        },
        cases,
        events: total_events,
        time_span: None,
        activities: activities
            .into_iter()
            .zip(events.iter().zip(&cases_of))
            .map(|(activity, (&events, &cases))| ActivityStats {
                activity,
                events,
                cases,
            })
            .collect(),
        start_activities: counts(starts),
        end_activities: counts(ends),
        edges,
        variants: Variants {
            distinct: top.len() as u64,
            top,
            rest: VariantRest {
                variants: 0,
                cases: 0,
                share: 0.0,
            },
        },
        case_duration: DurationStats {
            mean_s: Some(7200.0),
            median_s: Some(3600.0),
            p90_s: Some(86_400.0),
            min_s: Some(0.0),
            max_s: Some(1e6),
        },
        events_per_case: CountStats {
            mean: Some(3.4),
            median: Some(3.0),
            min: Some(1),
            max: Some(9),
        },
    }
}

pub(crate) fn shop() -> Discovery {
    discovery(&[
        (
            &[
                "visit",
                "search",
                "view item",
                "add to cart",
                "checkout",
                "pay",
            ],
            420,
        ),
        (
            &["visit", "view item", "add to cart", "checkout", "pay"],
            260,
        ),
        (
            &[
                "visit",
                "search",
                "view item",
                "search",
                "view item",
                "add to cart",
                "checkout",
                "pay",
            ],
            130,
        ),
        (&["visit", "search", "view item"], 300),
        (
            &[
                "visit",
                "view item",
                "add to cart",
                "checkout",
                "contact support",
                "checkout",
                "pay",
            ],
            45,
        ),
        (
            &[
                "visit",
                "search",
                "view item",
                "add to cart",
                "add to cart",
                "checkout",
            ],
            60,
        ),
        (
            &[
                "newsletter",
                "view item",
                "add to cart",
                "checkout",
                "pay",
                "review",
            ],
            38,
        ),
        (&["visit", "contact support"], 12),
    ])
}

/// A journey through `n` activities in a row with detours, so that most activities have many
/// rare edges: the shape that makes a directly-follows graph unreadable without a filter.
fn wide(n: usize) -> Discovery {
    let names: Vec<String> = (0..n).map(|i| format!("activity {i:02}")).collect();
    let mut variants: Vec<(Vec<String>, u64)> = Vec::new();
    for k in 0..n {
        // Everyone walks the line; variant k also jumps from k to (k * 7) % n and back.
        let mut seq: Vec<String> = names.clone();
        let j = (k * 7 + 3) % n;
        seq.insert(k + 1, names[j].clone());
        variants.push((seq, 1 + (k as u64 % 5)));
    }
    variants.push((names.clone(), 500));
    let refs: Vec<(Vec<&str>, u64)> = variants
        .iter()
        .map(|(s, c)| (s.iter().map(String::as_str).collect(), *c))
        .collect();
    let slices: Vec<(&[&str], u64)> = refs.iter().map(|(s, c)| (s.as_slice(), *c)).collect();
    discovery(&slices)
}

const HOSTILE: [&str; 3] = [
    "<script>window.__pwned=1</script>",
    "\"'><img src=x onerror=alert(1)>",
    "a & b \u{1} </svg>",
];

fn hostile() -> Discovery {
    discovery(&[
        (&[HOSTILE[0], HOSTILE[1], HOSTILE[2]], 10),
        (&[HOSTILE[0], HOSTILE[2]], 4),
        (&[HOSTILE[1], HOSTILE[0]], 2),
    ])
}

/// A small XML checker for the SVG we write: tags balance, attribute values are quoted, no raw
/// `<`, `>` or bare `&` in text, only the elements we draw, no event handlers or links.
pub(crate) fn assert_well_formed(svg: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        assert!(!text.contains('>'), "raw > in text: {text:.80}");
        for (idx, _) in text.match_indices('&') {
            let entity = &text[idx..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "bare & in text: {entity:.20}"
            );
        }
        let close = rest[open..].find('>').expect("tag is closed") + open;
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "< inside a tag: {tag:.80}");
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes: {tag:.80}"
        );
        let outside_quotes: String = tag.split('"').step_by(2).collect();
        assert!(
            !outside_quotes.contains(" on") && !outside_quotes.contains("href"),
            "{tag:.80}"
        );
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        assert!(
            ["svg", "title", "rect", "text", "tspan", "g", "path"].contains(&name),
            "unexpected element <{name}>"
        );
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            stack.push(tag.split(|c: char| c.is_whitespace()).next().unwrap_or(""));
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert!(
        !svg.chars().any(|c| c.is_control() && c != '\n'),
        "control characters"
    );
    assert!(
        !svg.contains("NaN") && !svg.contains("inf"),
        "every number is finite"
    );
}

/// Every `<svg>…</svg>` in a page.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("closed") + start + 6;
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

fn check_page(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("Content-Security-Policy\" content=\"default-src 'none'"),
        "the page requests nothing"
    );
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "no script, no image"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no address at all"
    );
    let figures = svgs(html);
    assert!(figures.len() >= 2, "a flow and a graph");
    for svg in figures {
        assert_well_formed(svg);
    }
}

#[test]
fn pages_and_pictures_are_well_formed_and_deterministic() {
    let d = shop();
    let options = PathsOptions::default();
    let html = render_paths_html(&d, None, &options);
    assert_eq!(
        html,
        render_paths_html(&d, None, &options),
        "same bytes every time"
    );
    check_page(&html);
    let svg = render_dfg_svg(&d, None, &options);
    assert_eq!(svg, render_dfg_svg(&d, None, &options));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_well_formed(svg.trim_end());
    assert!(
        !svg.contains("class=\"l"),
        "the standalone picture draws one level, untagged"
    );
    // Every activity and the figures people read.
    for name in ["visit", "add to cart", "contact support", "newsletter"] {
        assert!(svg.contains(&format!(">{name}</tspan>")), "{name}");
    }
    assert!(
        svg.contains("953 \u{b7} "),
        "edge labels carry counts and times"
    );
    assert!(html.contains("Most common journeys") && html.contains("Slowest moves"));
}

#[test]
fn hostile_activity_names_come_out_inert() {
    let d = hostile();
    let html = render_paths_html(
        &d,
        None,
        &PathsOptions {
            title: Some(HOSTILE[1].to_owned()),
            ..PathsOptions::default()
        },
    );
    check_page(&html);
    for text in HOSTILE {
        assert!(!html.contains(text), "{text} is escaped");
    }
    assert!(html.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
    assert!(html.contains("&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    let svg = render_dfg_svg(&d, None, &PathsOptions::default());
    assert_well_formed(svg.trim_end());
}

#[test]
fn sixty_activities_stay_readable() {
    let d = wide(60);
    let html = render_paths_html(&d, None, &PathsOptions::default());
    check_page(&html);
    let svg = render_dfg_svg(&d, None, &PathsOptions::default());
    assert!(
        svg.contains("Showing ") && svg.contains(" transitions ("),
        "the picture says what it hides"
    );
    let levels = super::filter::Levels::new(
        &super::wire::graph(&d, None, None),
        &super::filter::FilterSpec::new(None, None),
    );
    let graph = super::wire::graph(&d, None, None);
    assert!(levels.stats(&graph, levels.default).edges_shown <= super::filter::READABLE_EDGES);
    // The HTML draws every level (a pane and a radio input each), the default one checked.
    assert!(html.contains("id=\"dfg-0\"") && html.contains("id=\"dfg-1\""));
    assert_eq!(
        html.matches("class=\"dfg-svg\"").count(),
        html.matches("name=\"dfg\"").count()
    );
}

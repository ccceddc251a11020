//! Tests of the SVG picture: well-formed, escaped, deterministic, and text kept in its cells.

use crate::testmap;
use crate::{Lane, RenderOptions};

fn check(map: &trailmap_model::Map, options: &RenderOptions) -> String {
    let svg = super::render(map, options);
    assert_eq!(
        svg,
        super::render(map, options),
        "rendering is deterministic"
    );
    assert_well_formed(&svg);
    svg
}

/// A small XML checker: tags balance, attribute values are quoted, no raw `<` or `&` in text,
/// no characters XML forbids. Enough to catch escaping mistakes without an XML dependency.
fn assert_well_formed(svg: &str) {
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
            [
                "svg",
                "title",
                "rect",
                "defs",
                "pattern",
                "text",
                "tspan",
                "g",
                "path",
                "circle",
                "ellipse",
                "linearGradient",
                "stop"
            ]
            .contains(&name),
            "unexpected element <{name}>"
        );
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            let name = tag.split(|c: char| c.is_whitespace()).next().unwrap_or("");
            stack.push(name);
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert!(
        !svg.chars().any(|c| c.is_control() && c != '\n'),
        "control characters"
    );
}

#[test]
fn draws_every_lane_and_the_state() {
    let svg = check(&testmap::purchase(), &RenderOptions::default());
    for lane in Lane::ALL {
        if lane != Lane::Emotion && lane.group() != crate::options::LaneGroup::Measured {
            assert!(
                svg.contains(&format!(">{}</tspan>", lane.label().to_uppercase())),
                "lane {lane}"
            );
        }
    }
    assert!(svg.contains("CURRENT STATE") && svg.contains("LINE OF VISIBILITY"));
    assert!(svg.contains("stroke=\"url(#tm-emo)\""), "emotion curve");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
}

#[test]
fn hostile_texts_are_escaped_and_long_texts_cut() {
    let svg = check(&testmap::hostile(), &RenderOptions::default());
    assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    // The 2,000-character string is cut on the map and kept whole in the tooltip.
    assert!(svg.contains(&format!("<title>{}</title>", "x".repeat(2_000))));
    assert!(svg.contains("x\u{2026}</tspan>"));
    assert!(
        svg.contains("direction=\"rtl\""),
        "right-to-left text is set from the right"
    );
}

#[test]
fn every_cell_line_fits_its_cell() {
    // Cell text is the only text set at 12.5 units; no line of it may be wider than a cell's
    // inside, by the same estimate the wrapping used.
    let svg = check(&testmap::hostile(), &RenderOptions::default());
    let mut n_lines = 0;
    for element in svg.split("<text ").skip(1) {
        let Some((attributes, body)) = element.split_once('>') else {
            continue;
        };
        if !attributes.contains("font-size=\"12.5\"") {
            continue;
        }
        let font = if attributes.contains("font-weight=\"700\"") {
            super::text::Font::bold(12.5)
        } else {
            super::text::Font::new(12.5)
        };
        for tspan in body
            .split("</text>")
            .next()
            .unwrap_or("")
            .split("<tspan ")
            .skip(1)
        {
            let Some(line) = tspan
                .split_once('>')
                .and_then(|(_, t)| t.split_once("</tspan>"))
                .map(|(t, _)| t)
            else {
                continue;
            };
            let line = line
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            assert!(super::text::width(&line, font) <= super::INNER_W, "{line}");
            n_lines += 1;
        }
    }
    assert!(n_lines > 50, "the test saw the cells");
}

#[test]
fn persona_and_lane_options_apply() {
    let map = testmap::purchase();
    let options = RenderOptions {
        persona: Some("mia".into()),
        lanes: Some(vec![Lane::Does, Lane::PainPoints]),
        ..RenderOptions::default()
    };
    let svg = check(&map, &options);
    assert!(!svg.contains("Calls to ask") && svg.contains("Forced account creation"));
    assert!(!svg.contains(">THINKS</tspan>") && svg.contains(">DOES</tspan>"));
    assert!(!svg.contains("LINE OF VISIBILITY"));
}

#[test]
fn huge_maps_render() {
    let svg = check(&testmap::huge(), &RenderOptions::default());
    assert!(svg.contains("Step 10 of stage 8"));
}

#[test]
fn evidence_draws_measured_lanes_well_formed() {
    for map in [testmap::purchase(), testmap::huge()] {
        let options = RenderOptions {
            evidence: Some(testmap::analysis(&map)),
            today: crate::Date::new(2026, 11, 25),
            ..RenderOptions::default()
        };
        let svg = check(&map, &options);
        for lane in [Lane::Reach, Lane::Feedback, Lane::Outcomes] {
            let first_word = lane.label().to_uppercase();
            let first_word = first_word.split(' ').next().unwrap_or_default();
            assert!(svg.contains(&format!(">{first_word}")), "lane {lane}");
        }
        assert!(svg.contains("MEASURED IN DATA"));
        assert!(svg.contains("\u{2205} No evidence in data"));
        assert!(svg.contains("stroke-dasharray=\"7 5\""), "measured curve");
        assert!(svg.contains("MEASURED</text>"), "KPI actuals");
        assert!(svg.contains("wishlist_added 38%"));
    }
    let hostile = testmap::hostile();
    let options = RenderOptions {
        evidence: Some(testmap::hostile_analysis(&hostile)),
        ..RenderOptions::default()
    };
    let svg = check(&hostile, &options);
    assert!(svg.contains("&lt;script&gt;"));
}

//! Tests of the HTML page: safety, filters, collapsing lanes, determinism.

use trailmap_model::Map;

use crate::testmap;
use crate::{Date, Lane, RenderOptions};

fn check(map: &Map, options: &RenderOptions) -> String {
    let html = super::render(map, options);
    assert_eq!(
        html,
        super::render(map, options),
        "rendering is deterministic"
    );
    assert_only_our_markup(&html);
    html
}

/// Every tag in the page is one we write, and nothing is loaded from anywhere.
fn assert_only_our_markup(html: &str) {
    const TAGS: &[&str] = &[
        "!DOCTYPE",
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "svg",
        "defs",
        "symbol",
        "circle",
        "ellipse",
        "path",
        "rect",
        "use",
        "div",
        "strong",
        "span",
        "main",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "p",
        "ul",
        "li",
        "section",
        "small",
        "article",
        "blockquote",
        "table",
        "colgroup",
        "col",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "i",
        "b",
        "dl",
        "dt",
        "dd",
        "footer",
        "tspan",
        "em",
        "code",
        "ol",
        "linearGradient",
        "stop",
        "g",
        "text",
        "title",
    ];
    for (idx, _) in html.match_indices('<') {
        let rest = &html[idx + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect();
        assert!(
            TAGS.contains(&name.as_str()),
            "unexpected tag <{name}> at {}",
            &html[idx..(idx + 60).min(html.len())]
        );
    }
    for (idx, _) in html.match_indices('<') {
        let tag = &html[idx..idx + html[idx..].find('>').unwrap_or(0)];
        // Attribute values hold escaped user text; what matters is the attributes themselves.
        let tag: String = tag.split('"').step_by(2).collect();
        for attribute in [" on", "src=", "http:", "https:", "javascript:"] {
            assert!(!tag.contains(attribute), "tag {tag} has {attribute}");
        }
    }
    assert_eq!(html.matches("<style>").count(), 1);
    assert!(!html.contains("<script"));
    assert!(
        !html
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    );
    for (idx, _) in html.match_indices("url(") {
        assert!(
            html[idx..].starts_with("url(#"),
            "only same-document references"
        );
    }
}

fn has_lane(html: &str, lane: Lane) -> bool {
    html.contains(&format!("<tr class=\"lane-{}\"", lane.name()))
}

#[test]
fn renders_every_lane_of_a_full_map() {
    let html = check(&testmap::purchase(), &RenderOptions::default());
    for lane in Lane::ALL {
        let measured = lane.group() == crate::options::LaneGroup::Measured;
        assert_eq!(has_lane(&html, lane), !measured, "lane {lane} drawn");
    }
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<title>Online purchase (current state)"));
    assert!(html.contains("CURRENT STATE"));
    assert!(html.contains("Line of visibility"));
    assert!(html.contains("\u{2605} Moment of truth"));
    assert!(html.contains("Drop-off \u{2264} 20%"));
    assert!(html.contains("href=\"#tm-ch-in-person\""));
    assert!(html.contains("by customer"));
}

#[test]
fn future_maps_say_so() {
    let mut map = testmap::purchase();
    map.journey.state = trailmap_model::JourneyState::Future;
    let html = check(&map, &RenderOptions::default());
    assert!(html.contains("FUTURE STATE") && html.contains("class=\"state-future"));
    assert!(!html.contains("CURRENT STATE"));
}

#[test]
fn hostile_texts_are_escaped() {
    let html = check(&testmap::hostile(), &RenderOptions::default());
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("Tom&#39;s &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; text"));
    assert!(html.contains("שלום, זה טקסט מימין לשמאל"));
    assert!(html.contains("👩‍👩‍👧‍👦"));
    assert!(html.contains("&lt;/style&gt;&lt;style&gt;"));
    assert!(
        html.contains(&"x".repeat(2_000)),
        "long text is kept whole and wraps"
    );
    assert!(html.contains("overflow-wrap:anywhere"));
    assert!(
        html.contains("<p dir=\"auto\">&lt;script&gt;"),
        "user text gets dir=auto"
    );
}

#[test]
fn persona_filter_draws_that_persona_only() {
    let map = testmap::purchase();
    let bob = RenderOptions {
        persona: Some("bob".into()),
        lanes: None,
        ..RenderOptions::default()
    };
    let html = check(&map, &bob);
    assert!(html.contains("Calls to ask"));
    assert!(html.contains("Waits 12 minutes on hold"));
    assert!(
        !html.contains("Forced account creation"),
        "Mia's pain point is hidden"
    );
    assert!(!html.contains("Mia, the mobile millennial"));
    let mia = RenderOptions {
        persona: Some("mia".into()),
        lanes: None,
        ..RenderOptions::default()
    };
    let html = check(&map, &mia);
    assert!(!html.contains("Calls to ask"));
    assert!(
        !has_lane(&html, Lane::Employee),
        "only Bob's step had an employee lane"
    );
    assert!(html.contains("Forced account creation"));
}

#[test]
fn lanes_can_be_picked_and_empty_lanes_collapse() {
    let map = testmap::purchase();
    let options = RenderOptions {
        persona: None,
        lanes: Some(vec![Lane::Emotion, Lane::Does, Lane::Backstage]),
        ..RenderOptions::default()
    };
    let html = check(&map, &options);
    assert!(
        has_lane(&html, Lane::Does)
            && has_lane(&html, Lane::Emotion)
            && has_lane(&html, Lane::Backstage)
    );
    assert!(!has_lane(&html, Lane::Thinks) && !has_lane(&html, Lane::PainPoints));
    // Drawn in canonical order, whatever order they were asked in.
    assert!(html.find("<tr class=\"lane-does") < html.find("<tr class=\"lane-emotion"));

    let mut bare = testmap::purchase();
    for step in bare.stages.iter_mut().flat_map(|s| &mut s.steps) {
        step.kpis.clear();
        step.business = Default::default();
    }
    let html = check(&bare, &RenderOptions::default());
    assert!(!has_lane(&html, Lane::Kpis) && !has_lane(&html, Lane::Frontstage));
    assert!(!html.contains("Line of visibility"));
}

#[test]
fn wide_maps_get_print_pages_of_whole_stages() {
    let html = check(&testmap::huge(), &RenderOptions::default());
    let n_headers = html.matches("<th scope=\"col\" class=\"step").count();
    assert_eq!(n_headers, 80 * 2, "screen table and print pages");
    assert!(html.contains("has-print"));
    // 8 stages of 10 steps, 6 steps a page: each stage takes two pages.
    assert!(html.contains("page 16 of 16"));
    let mut small = testmap::purchase();
    small.stages.truncate(2);
    let small = check(&small, &RenderOptions::default());
    assert!(!small.contains(" has-print\"") && !small.contains("class=\"chunk\""));
}

#[test]
fn a_persona_with_no_steps_gets_a_message() {
    let mut map = testmap::purchase();
    for step in map.stages.iter_mut().flat_map(|s| &mut s.steps) {
        step.personas = vec!["bob".into()];
    }
    let options = RenderOptions {
        persona: Some("mia".into()),
        lanes: None,
        ..RenderOptions::default()
    };
    let html = check(&map, &options);
    assert!(html.contains("No step of this journey is taken by this persona."));
}

/// Writes the test maps' pages for a person to look at, when `TRAILMAP_PREVIEW_DIR` is set.
#[test]
fn preview() {
    let Some(dir) = std::env::var_os("TRAILMAP_PREVIEW_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    for (name, map) in [
        ("purchase", testmap::purchase()),
        ("hostile", testmap::hostile()),
        ("huge", testmap::huge()),
    ] {
        std::fs::write(
            dir.join(format!("{name}.html")),
            super::render(&map, &RenderOptions::default()),
        )
        .unwrap();
        std::fs::write(
            dir.join(format!("{name}.svg")),
            crate::svg::render(&map, &RenderOptions::default()),
        )
        .unwrap();
        let evidence = if name == "hostile" {
            testmap::hostile_analysis(&map)
        } else {
            testmap::analysis(&map)
        };
        let options = RenderOptions {
            evidence: Some(evidence),
            today: Date::new(2027, 6, 1),
            ..RenderOptions::default()
        };
        std::fs::write(
            dir.join(format!("{name}.evidence.html")),
            super::render(&map, &options),
        )
        .unwrap();
        std::fs::write(
            dir.join(format!("{name}.evidence.svg")),
            crate::svg::render(&map, &options),
        )
        .unwrap();
    }
}

fn with_evidence(map: &Map) -> RenderOptions {
    RenderOptions {
        evidence: Some(testmap::analysis(map)),
        today: Date::new(2026, 11, 25),
        ..RenderOptions::default()
    }
}

#[test]
fn without_evidence_nothing_measured_is_drawn() {
    let map = testmap::purchase();
    let html = check(&map, &RenderOptions::default());
    for lane in [Lane::Reach, Lane::Feedback, Lane::Outcomes] {
        assert!(!has_lane(&html, lane), "{lane}");
    }
    for mark in [
        "Measured in data",
        "class=\"data\"",
        "no evidence in data",
        "dashed: measured",
        "class=\"act",
        "<b>stale</b>",
    ] {
        assert!(!html.contains(mark), "{mark}");
    }
}

#[test]
fn evidence_adds_measured_lanes_curve_kpis_and_data_block() {
    let map = testmap::purchase();
    let html = check(&map, &with_evidence(&map));
    for lane in [Lane::Reach, Lane::Feedback, Lane::Outcomes] {
        assert!(has_lane(&html, lane), "{lane}");
    }
    // The measured lanes sit right under the emotion curve.
    assert!(html.find("<tr class=\"lane-emotion") < html.find("<tr class=\"lane-reach"));
    assert!(html.find("<tr class=\"lane-outcomes") < html.find("<tr class=\"lane-touchpoints"));
    assert!(html.contains("Measured in data"));
    // Reach, drop-off and time to next of the first step (10,000 customers, 5% drop off).
    assert!(html.contains(">10,000</text>"), "reach");
    assert!(html.contains("5% drop off"));
    assert!(html.contains("next in 1 h") && html.contains("90% within 12 h"));
    // The last step reached nobody.
    assert!(html.contains("\u{2205} no evidence in data"));
    assert!(html.contains(">No evidence</text>"));
    // Designed and measured emotion.
    assert!(html.contains("solid: designed; dashed: measured"));
    assert!(html.contains("measured +0.2 from CSAT"), "CSAT 55% is +0.2");
    // KPIs: met on even steps, missed on odd ones.
    assert!(html.contains("class=\"act met\"") && html.contains("class=\"act missed\""));
    // The data block.
    for text in [
        "11,500",
        "240,000",
        "2026-03-01 \u{2192} 2026-08-31",
        "184 days",
        "data/events.csv",
        "wishlist_added",
        "Customers per persona",
    ] {
        assert!(html.contains(text), "{text}");
    }
}

#[test]
fn persona_evidence_uses_that_personas_figures() {
    let map = testmap::purchase();
    let mut options = with_evidence(&map);
    options.persona = Some("mia".into());
    let html = check(&map, &options);
    // Mia's share is a half of every figure: 5,000 of the first step's 10,000.
    assert!(html.contains(">5,000</text>"));
    assert!(!html.contains(">10,000</text>"));
    assert!(
        html.contains("Target met (all customers)")
            || html.contains("Target missed (all customers)")
    );
    // A persona missing from the analysis has no figures: every step is marked.
    let mut analysis = testmap::analysis(&map);
    for step in &mut analysis.steps {
        step.personas.clear();
    }
    options.evidence = Some(analysis);
    let html = check(&map, &options);
    assert!(!html.contains("drop off</text>"));
    assert!(html.contains("The analysis has no figures for this step"));
}

#[test]
fn stale_and_newly_observed_evidence_are_marked() {
    let map = testmap::purchase();
    // The checkout step's evidence was verified on 2026-03-01.
    let mut options = with_evidence(&map);
    options.today = Date::new(2027, 3, 2);
    let html = check(&map, &options);
    assert!(html.contains("observed \u{b7} 2026-03-01 \u{b7} <b>stale</b>"));
    assert!(html.contains("verified 366 days before 2027-03-02"));
    options.today = Date::new(2027, 3, 1);
    assert!(!check(&map, &options).contains("<b>stale</b>"));
    options.today = None;
    assert!(!check(&map, &options).contains("<b>stale</b>"));
    // Steps the map does not call observed, yet measured, get a hint; the checkout step not.
    let html = check(&map, &with_evidence(&map));
    assert!(html.contains("\u{2713} now observed"));
    let n_steps = map.steps().count();
    assert_eq!(
        html.matches("\u{2713} now observed</span>").count(),
        // Every step but the observed checkout step and the last, which nobody reached, on
        // screen and on the print pages, plus the legend's example.
        (n_steps - 2) * 2 + 1,
    );
}

#[test]
fn texts_from_the_data_are_escaped() {
    let map = testmap::hostile();
    let options = RenderOptions {
        evidence: Some(testmap::hostile_analysis(&map)),
        today: Date::new(2026, 11, 25),
        ..RenderOptions::default()
    };
    let html = check(&map, &options);
    assert!(html.contains("&lt;script&gt;"));
    let svg = crate::svg::render(&map, &options);
    assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script"));
}

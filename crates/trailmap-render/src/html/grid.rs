//! The map grid: a table with stages and steps as columns and lanes as rows.
//!
//! A `<table>` rather than CSS grid: rows must line up across every column whatever their
//! content, row and column headers are real `th` cells for screen readers, and the lane
//! labels can stick to the left edge while the map scrolls sideways.
//!
//! Paper cannot scroll, so a wide map is also drawn as a series of narrower tables
//! ([`print_chunks`]), shown only when printing, each holding whole stages where it can.

use std::fmt::{self, Write};
use std::ops::Range;

use crate::curve::{self, CurvePoint};
use crate::escape::Esc;
use crate::evidence::{self, Measured};
use crate::funnel::{self, FunnelColumn};
use crate::options::LaneGroup;
use crate::view::{StageView, StepView, View};
use crate::{Lane, format, palette};

/// Width of a lane-label column, in CSS pixels (see `.grid col.c-label`).
pub(crate) const LABEL_W: f64 = 140.0;
/// Width of a step column, in CSS pixels (see `.grid col.c-step`).
pub(crate) const STEP_W: f64 = 240.0;
/// The most steps one printed page holds (A3 landscape at a readable size).
const STEPS_PER_PAGE: usize = 6;

/// A run of drawn steps printed together: for each stage, the range of its steps.
pub(super) type Chunk = Vec<(usize, Range<usize>)>;

/// Splits the drawn steps into printed pages, breaking between stages where possible and
/// inside a stage only when it alone is wider than a page.
pub(super) fn print_chunks(view: &View<'_>) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut current: Chunk = Vec::new();
    let mut filled = 0;
    for (stage_idx, stage) in view.stages.iter().enumerate() {
        let n = stage.steps.len();
        if filled > 0 && filled + n > STEPS_PER_PAGE {
            chunks.push(std::mem::take(&mut current));
            filled = 0;
        }
        let mut start = 0;
        while start < n {
            let take = (n - start).min(STEPS_PER_PAGE - filled);
            current.push((stage_idx, start..start + take));
            filled += take;
            start += take;
            if filled == STEPS_PER_PAGE {
                chunks.push(std::mem::take(&mut current));
                filled = 0;
            }
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

pub(super) fn write_section(out: &mut String, view: &View<'_>, chunks: &[Chunk]) -> fmt::Result {
    out.push_str("<section class=\"map\" aria-labelledby=\"map-h\">\n<h2 id=\"map-h\">Journey map");
    if let Some(persona) = view.persona {
        write!(
            out,
            " <small>as {} lives it</small>",
            Esc(view.persona_name(persona))
        )?;
    }
    out.push_str("</h2>\n");
    if view.n_steps() == 0 {
        out.push_str("<p class=\"empty\">No step of this journey is taken by this persona.</p>\n</section>\n");
        return Ok(());
    }
    let everything: Chunk = view
        .stages
        .iter()
        .enumerate()
        .map(|(idx, stage)| (idx, 0..stage.steps.len()))
        .collect();
    out.push_str("<div class=\"scroll screen-only\">\n");
    write_table(out, view, &everything, 0)?;
    out.push_str("</div>\n");
    if chunks.len() > 1 {
        out.push_str("<div class=\"print-only\" aria-hidden=\"true\">\n");
        for (idx, chunk) in chunks.iter().enumerate() {
            writeln!(
                out,
                "<div class=\"chunk\"><p>{} \u{b7} page {} of {}</p>",
                Esc(&view.map.journey.name),
                idx + 1,
                chunks.len()
            )?;
            write_table(out, view, chunk, idx + 1)?;
            out.push_str("</div>\n");
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
    Ok(())
}

/// The steps of a chunk, each with whether it opens its stage (and so gets a stage rule).
fn chunk_steps<'v, 'a>(
    view: &'v View<'a>,
    chunk: &'v Chunk,
) -> impl Iterator<Item = (&'v StepView<'a>, bool)> + 'v {
    chunk.iter().flat_map(move |(stage_idx, range)| {
        view.stages[*stage_idx].steps[range.clone()]
            .iter()
            .enumerate()
            .map(|(idx, step)| (step, idx == 0))
    })
}

fn write_table(out: &mut String, view: &View<'_>, chunk: &Chunk, table_idx: usize) -> fmt::Result {
    let steps: Vec<(&StepView<'_>, bool)> = chunk_steps(view, chunk).collect();
    let n = steps.len();
    write!(
        out,
        "<table class=\"grid\" style=\"width:{:.0}px\">\n<colgroup><col class=\"c-label\">",
        LABEL_W + n as f64 * STEP_W
    )?;
    for _ in &steps {
        out.push_str("<col class=\"c-step\">");
    }
    out.push_str("</colgroup>\n<thead>\n<tr><th class=\"corner\" scope=\"col\">Stage</th>");
    for (stage_idx, range) in chunk {
        write_stage_header(out, &view.stages[*stage_idx], range)?;
    }
    out.push_str("</tr>\n<tr><th class=\"corner\" scope=\"col\">Step</th>");
    for (step, first) in &steps {
        write_step_header(out, view, step, *first)?;
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    let mut group: Option<LaneGroup> = None;
    for &lane in &view.lanes {
        if group != Some(lane.group()) {
            group = Some(lane.group());
            writeln!(
                out,
                "<tr class=\"r-group\"><th colspan=\"{}\" scope=\"rowgroup\"><span>{}</span></th></tr>",
                n + 1,
                lane.group().label()
            )?;
        }
        if lane == Lane::Backstage {
            writeln!(
                out,
                "<tr class=\"r-line\" aria-hidden=\"true\"><td colspan=\"{}\"><span>Line of visibility</span></td></tr>",
                n + 1
            )?;
        }
        if lane == Lane::Emotion {
            write_curve_row(out, view, &steps, table_idx)?;
            continue;
        }
        if lane == Lane::Reach {
            write_funnel_row(out, view, &steps)?;
            continue;
        }
        write!(
            out,
            "<tr class=\"lane-{}\"><th scope=\"row\">{}</th>",
            lane.name(),
            lane.label()
        )?;
        for (step, first) in &steps {
            out.push_str("<td");
            write_cell_class(out, step, *first)?;
            out.push('>');
            super::cells::write_cell(out, view, step, lane)?;
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    Ok(())
}

fn write_cell_class(out: &mut String, step: &StepView<'_>, first: bool) -> fmt::Result {
    match (first, step.step.moment_of_truth) {
        (true, true) => out.push_str(" class=\"sf mot\""),
        (true, false) => out.push_str(" class=\"sf\""),
        (false, true) => out.push_str(" class=\"mot\""),
        (false, false) => {}
    }
    Ok(())
}

fn write_stage_header(
    out: &mut String,
    stage: &StageView<'_>,
    range: &Range<usize>,
) -> fmt::Result {
    let continued = range.start > 0;
    write!(
        out,
        "<th class=\"stage sf\" colspan=\"{}\" scope=\"colgroup\"><h3 dir=\"auto\">{}{}<span class=\"count\">{} step{}</span></h3>",
        range.len(),
        Esc(&stage.stage.name),
        if continued { " (continued)" } else { "" },
        stage.steps.len(),
        if stage.steps.len() == 1 { "" } else { "s" },
    )?;
    if let Some(description) = &stage.stage.description {
        write!(out, "<p dir=\"auto\">{}</p>", Esc(description))?;
    }
    out.push_str("</th>");
    Ok(())
}

fn write_step_header(
    out: &mut String,
    view: &View<'_>,
    step: &StepView<'_>,
    first: bool,
) -> fmt::Result {
    let s = step.step;
    let mut class = String::from("step");
    if first {
        class.push_str(" sf");
    }
    if s.moment_of_truth {
        class.push_str(" mot");
    }
    write!(
        out,
        "<th scope=\"col\" class=\"{class}\"><span class=\"num\">{}</span><h4 dir=\"auto\">{}</h4>",
        step.number,
        Esc(&s.name)
    )?;
    if let Some(description) = &s.description {
        write!(out, "<p class=\"sd\" dir=\"auto\">{}</p>", Esc(description))?;
    }
    let mut badges = String::new();
    if s.moment_of_truth {
        badges.push_str("<span class=\"badge mot\">\u{2605} Moment of truth</span>");
    }
    if s.optional {
        badges.push_str("<span class=\"badge\">Optional</span>");
    }
    if view.persona.is_none() {
        for persona in &s.personas {
            write!(
                badges,
                "<span class=\"badge\"><span class=\"dot\" style=\"background:{}\"></span>{}</span>",
                palette::persona(view.persona_index(persona)),
                Esc(view.persona_name(persona))
            )?;
        }
    }
    if let Some(evidence) = &s.evidence {
        let stale = evidence::stale_evidence(view.map, s, view.today);
        write!(
            badges,
            "<span class=\"badge ev-{0}{1}\" title=\"{2}",
            evidence.source.as_str(),
            if stale.is_some() { " stale" } else { "" },
            Esc(evidence
                .note
                .as_deref()
                .unwrap_or("Where this step's content comes from"))
        )?;
        if let (Some((age, limit)), Some(today)) = (stale, view.today) {
            write!(
                badges,
                " (verified {age} days before {today}; stale after {limit} days)"
            )?;
        }
        write!(badges, "\">{}", evidence.source.as_str())?;
        if let Some(verified) = &evidence.verified {
            write!(badges, " \u{b7} {}", Esc(verified))?;
        }
        if stale.is_some() {
            badges.push_str(" \u{b7} <b>stale</b>");
        }
        badges.push_str("</span>");
    }
    write_evidence_badges(&mut badges, view, step)?;
    if !s.replaces.is_empty() {
        write!(
            badges,
            "<span class=\"badge\">Replaces {}</span>",
            Esc(&s.replaces.join(", "))
        )?;
    }
    if !badges.is_empty() {
        write!(out, "<div class=\"badges\">{badges}</div>")?;
    }
    out.push_str("</th>");
    Ok(())
}

/// The marks the data puts on a step: no evidence, newly observed, the data's view of it as a
/// moment of truth.
fn write_evidence_badges(badges: &mut String, view: &View<'_>, step: &StepView<'_>) -> fmt::Result {
    let Some(analysis) = view.evidence else {
        return Ok(());
    };
    let s = step.step;
    let zero = analysis.zero_reach.contains(&s.id);
    match step.measured.reached() {
        Some(figures) if !zero => {
            if evidence::newly_observed(s, step.measured) {
                write!(
                    badges,
                    "<span class=\"badge now-observed\" title=\"The map does not call this step observed; the data measured {} customers at it\">\u{2713} now observed</span>",
                    format::int(figures.reach)
                )?;
            }
        }
        _ => {
            let why = match step.measured {
                Measured::Figures(_) => "No customer in the analysed data reached this step",
                _ => "The analysis has no figures for this step",
            };
            write!(
                badges,
                "<span class=\"badge no-evidence\" title=\"{why}\">\u{2205} no evidence in data</span>"
            )?;
        }
    }
    if let Some(moment) = analysis.moments_of_truth.iter().find(|m| m.step == s.id) {
        let effect = moment
            .strongest
            .as_ref()
            .map(|o| {
                format!(
                    "{} {} after this step",
                    format::outcome_label(&o.outcome),
                    format::lift(o.lift)
                )
            })
            .unwrap_or_default();
        match moment.verdict.as_str() {
            "data_only" => write!(
                badges,
                "<span class=\"badge mot-data\" title=\"A strong, significant outcome effect: {}\">\u{2606} data: moment of truth</span>",
                Esc(&effect)
            )?,
            "map_only" => badges.push_str(
                "<span class=\"badge mot-unconfirmed\" title=\"No outcome changes strongly and significantly after this step\">not confirmed by data</span>",
            ),
            _ => {}
        }
    }
    Ok(())
}

/// The reach lane: one cell across all step columns holding the funnel chart, drawn like the
/// emotion curve so the bars of neighbouring steps line up.
fn write_funnel_row(
    out: &mut String,
    view: &View<'_>,
    steps: &[(&StepView<'_>, bool)],
) -> fmt::Result {
    let (Some((first, _)), n) = (steps.first(), steps.len()) else {
        return Ok(());
    };
    let all: Vec<FunnelColumn<'_>> = view
        .steps()
        .map(|step| FunnelColumn {
            column: step.column,
            name: &step.step.name,
            measured: step.measured,
        })
        .collect();
    let base = funnel::Base::of(
        &all,
        view.evidence
            .and_then(|a| evidence::customers(a, view.persona)),
    );
    let x0 = first.column as f64 * STEP_W;
    let width = n as f64 * STEP_W;
    let own: Vec<FunnelColumn<'_>> = steps
        .iter()
        .map(|(step, _)| FunnelColumn {
            column: step.column,
            name: &step.step.name,
            measured: step.measured,
        })
        .collect();
    write!(
        out,
        "<tr class=\"lane-reach\"><th scope=\"row\">Reach<small>bar: customers; red: dropped off</small></th><td class=\"curve\" colspan=\"{n}\"><svg viewBox=\"{x0:.1} 0 {width:.1} {h:.1}\" width=\"{width:.0}\" height=\"{h:.0}\" role=\"img\" aria-label=\"{}\">",
        Esc(&funnel::label(&own, base)),
        h = funnel::HEIGHT
    )?;
    // Unlike the curve, bars do not run into each other: a printed page draws only its own,
    // scaled like the whole map's.
    funnel::write_chart(
        out,
        &own,
        (funnel::max_reach(&all), base),
        view.n_steps(),
        STEP_W,
        palette::bar(view.map.journey.state),
    )?;
    out.push_str("</svg></td></tr>\n");
    Ok(())
}

/// The emotion lane: one cell across all step columns holding the curve, so the line runs
/// continuously from step to step. Every table draws the whole curve and its view box shows
/// the table's own columns, so a printed page's curve leaves its edge where the next begins.
fn write_curve_row(
    out: &mut String,
    view: &View<'_>,
    steps: &[(&StepView<'_>, bool)],
    table_idx: usize,
) -> fmt::Result {
    let (Some((first, _)), n) = (steps.first(), steps.len()) else {
        return Ok(());
    };
    let points: Vec<CurvePoint<'_>> = view
        .steps()
        .map(|step| CurvePoint {
            column: step.column,
            name: &step.step.name,
            score: step.step.customer.emotion,
            measured: step.measured.figures().and_then(evidence::measured_emotion),
        })
        .collect();
    let any_measured = points.iter().any(|p| p.measured.is_some());
    let x0 = first.column as f64 * STEP_W;
    let width = n as f64 * STEP_W;
    let mut label = String::from("Emotion curve:");
    for (step, _) in steps {
        if let Some(score) = step.step.customer.emotion {
            write!(
                label,
                " {} {} ({});",
                step.step.name,
                curve::signed(score),
                palette::emotion_word(score)
            )?;
        }
        if let Some(m) = step.measured.figures().and_then(evidence::measured_emotion) {
            write!(
                label,
                " {} measured {} from {};",
                step.step.name,
                format::signed(m.score, 1),
                m.source.label()
            )?;
        }
    }
    let key = if any_measured {
        "<small>solid: designed; dashed: measured</small>"
    } else {
        ""
    };
    write!(
        out,
        "<tr class=\"lane-emotion\"><th scope=\"row\">Emotion{key}</th><td class=\"curve\" colspan=\"{n}\"><svg viewBox=\"{x0:.1} 0 {width:.1} {h:.1}\" width=\"{width:.0}\" height=\"{h:.0}\" role=\"img\" aria-label=\"{}\">",
        Esc(label.trim_end_matches(';')),
        h = curve::HEIGHT
    )?;
    let total = view.n_steps();
    curve::write_chart(out, &points, total, STEP_W, &format!("tm-emo-{table_idx}"))?;
    out.push_str("</svg></td></tr>\n");
    Ok(())
}

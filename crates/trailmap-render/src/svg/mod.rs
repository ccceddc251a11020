//! The map as one standalone SVG picture, for slides and documents.
//!
//! SVG has no text flow, so everything is laid out here: texts are wrapped to their cells by
//! estimated widths (`text.rs`), cut with an ellipsis past a few lines (the full text becomes a
//! `<title>` tooltip), and every row is as tall as its tallest cell. Only presentation
//! attributes are used (no `<style>`, no `<use>`), so slide tools that import SVG draw it as a
//! browser does.

mod block;
mod cells;
pub(crate) mod text;

use std::fmt::{self, Write};

use trailmap_model::{Channel, JourneyState, Map, Persona};

use self::block::{Block, INK, MUTED, Styled};
use self::text::Font;
use crate::curve::{self, CurvePoint};
use crate::escape::Esc;
use crate::evidence::{self, KpiVerdict};
use crate::funnel::{self, FunnelColumn};
use crate::options::LaneGroup;
use crate::view::View;
use crate::{Date, Lane, RenderOptions, format, icons, palette};

const MARGIN: f64 = 32.0;
const LABEL_W: f64 = 140.0;
const COL_W: f64 = 240.0;
const CELL_PAD: f64 = 12.0;
const INNER_W: f64 = COL_W - 2.0 * CELL_PAD;
const BLOCK_GAP: f64 = 8.0;
const PERSONA_W: f64 = 290.0;
const PERSONA_GAP: f64 = 16.0;
const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'Noto Sans', 'Liberation Sans', Arial, sans-serif, 'Apple Color Emoji', 'Segoe UI Emoji', 'Noto Color Emoji'";

/// Renders `map` as a standalone SVG document.
pub fn render(map: &Map, options: &RenderOptions) -> String {
    let view = View::new(map, options);
    let mut page = Page {
        width: (2.0 * MARGIN + LABEL_W + view.n_steps() as f64 * COL_W).max(1040.0),
        back: String::new(),
        front: String::new(),
        y: 0.0,
    };
    page.draw(&view).expect("writing to a String cannot fail");
    let mut out = String::with_capacity(page.back.len() + page.front.len() + 1024);
    let title = match view.persona {
        Some(persona) => format!(
            "{} \u{2014} {}",
            map.journey.name,
            view.persona_name(persona)
        ),
        None => map.journey.name.clone(),
    };
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" font-family=\"{FONT_FAMILY}\" role=\"img\" aria-labelledby=\"tm-title\">\n<title id=\"tm-title\">{} ({} state)</title>\n<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>\n{}{}</svg>",
        Esc(&title),
        map.journey.state.as_str(),
        palette::CANVAS,
        page.back,
        page.front,
        w = page.width,
        h = page.y.ceil(),
    );
    out
}

/// The picture being drawn: backgrounds and content go to separate layers so a row's
/// background can be drawn after its content was measured, yet appear beneath it.
struct Page {
    width: f64,
    back: String,
    front: String,
    /// The top of the next thing to draw.
    y: f64,
}

impl Page {
    fn draw(&mut self, view: &View<'_>) -> fmt::Result {
        self.banner(view.map.journey.state)?;
        self.header(view)?;
        self.data(view)?;
        self.personas(view)?;
        self.grid(view)?;
        self.legend(view)?;
        Ok(())
    }

    fn banner(&mut self, state: JourneyState) -> fmt::Result {
        let (word, gloss) = match state {
            JourneyState::Current => ("CURRENT STATE", "The journey as customers live it today"),
            JourneyState::Future => ("FUTURE STATE", "The journey as we want it to be"),
        };
        let accent = palette::accent(state);
        write!(
            self.back,
            "<rect width=\"{:.0}\" height=\"40\" fill=\"{accent}\"/>",
            self.width
        )?;
        if state == JourneyState::Future {
            // Diagonal stripes: future maps must not be mistaken for current ones, even in grey.
            write!(
                self.back,
                "<defs><pattern id=\"tm-stripes\" width=\"28\" height=\"28\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"14\" height=\"28\" fill=\"#5b21b6\"/></pattern></defs><rect width=\"{:.0}\" height=\"40\" fill=\"url(#tm-stripes)\"/>",
                self.width
            )?;
        }
        // Letter spacing is not in the width estimate: add it per character.
        let word_w = text::width(word, Font::bold(13.0)) + 1.6 * word.len() as f64 + 20.0;
        writeln!(
            self.front,
            "<rect x=\"{MARGIN}\" y=\"8\" width=\"{word_w:.1}\" height=\"24\" rx=\"4\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"1.5\"/><text x=\"{:.1}\" y=\"25\" font-size=\"13\" font-weight=\"700\" letter-spacing=\"1.6\" fill=\"#ffffff\">{word}</text><text x=\"{:.1}\" y=\"25\" font-size=\"13\" fill=\"#ffffff\">{gloss}</text>",
            MARGIN + 10.0,
            MARGIN + word_w + 14.0
        )?;
        self.y = 40.0 + 28.0;
        Ok(())
    }

    fn header(&mut self, view: &View<'_>) -> fmt::Result {
        let journey = &view.map.journey;
        let width = self.width - 2.0 * MARGIN;
        let title = Styled::new(&journey.name, Font::bold(26.0), INK, width, 2);
        self.text_block(Block::text(title, &journey.name), MARGIN, width)?;
        let mut meta = vec![
            format::journey_kind(journey.kind).to_owned(),
            format!("{} state", journey.state.as_str()),
        ];
        if let Some(owner) = &journey.owner {
            meta.push(format!("Owner: {owner}"));
        }
        if let Some(persona) = view.persona {
            meta.push(format!("Persona: {}", view.persona_name(persona)));
        }
        meta.push(format!(
            "{} \u{b7} {}",
            format::count(view.stages.len(), "stage"),
            format::count(view.n_steps(), "step")
        ));
        let meta = meta.join("  \u{b7}  ");
        self.y += 4.0;
        self.text_block(
            Block::text(Styled::new(&meta, Font::new(13.0), MUTED, width, 2), &meta),
            MARGIN,
            width,
        )?;
        if let Some(description) = &journey.description {
            self.y += 6.0;
            let styled = Styled::new(description, Font::new(13.5), INK, width.min(900.0), 3);
            self.text_block(Block::text(styled, description), MARGIN, width.min(900.0))?;
        }
        for (label, items) in [
            ("Objectives", &journey.objectives),
            ("Stakeholders", &journey.stakeholders),
        ] {
            if items.is_empty() {
                continue;
            }
            let line = format!("{label}: {}", items.join("  \u{b7}  "));
            self.y += 6.0;
            self.text_block(
                Block::text(Styled::new(&line, Font::new(13.0), MUTED, width, 2), &line),
                MARGIN,
                width,
            )?;
        }
        self.y += 24.0;
        Ok(())
    }

    /// Draws a block at the current position and moves below it.
    fn text_block(&mut self, block: Block, x: f64, width: f64) -> fmt::Result {
        block.draw(&mut self.front, x, self.y, width)?;
        self.y += block.height();
        Ok(())
    }

    fn section_title(&mut self, title: &str) -> fmt::Result {
        writeln!(
            self.front,
            "<text x=\"{MARGIN}\" y=\"{:.1}\" font-size=\"17\" font-weight=\"700\" fill=\"{INK}\">{}</text>",
            self.y + 16.0,
            Esc(title)
        )?;
        self.y += 30.0;
        Ok(())
    }

    fn personas(&mut self, view: &View<'_>) -> fmt::Result {
        if view.personas.is_empty() {
            return Ok(());
        }
        self.section_title(if view.persona.is_some() {
            "Persona"
        } else {
            "Personas"
        })?;
        let per_row = (((self.width - 2.0 * MARGIN + PERSONA_GAP) / (PERSONA_W + PERSONA_GAP))
            .floor() as usize)
            .max(1);
        for row in view.personas.chunks(per_row) {
            let cards: Vec<Vec<Block>> = row.iter().map(|p| persona_blocks(view, p)).collect();
            let height = cards
                .iter()
                .map(|blocks| stack_height(blocks) + 28.0)
                .fold(0.0, f64::max);
            for (idx, (persona, blocks)) in row.iter().zip(&cards).enumerate() {
                let x = MARGIN + idx as f64 * (PERSONA_W + PERSONA_GAP);
                let colour = palette::persona(view.persona_index(&persona.id));
                write!(
                    self.back,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{PERSONA_W}\" height=\"{height:.1}\" rx=\"10\" fill=\"#ffffff\" stroke=\"{}\"/><path d=\"M{:.1} {:.1}h{:.1}\" stroke=\"{colour}\" stroke-width=\"4\" stroke-linecap=\"round\"/>",
                    self.y,
                    palette::LINE,
                    x + 10.0,
                    self.y + 1.5,
                    PERSONA_W - 20.0
                )?;
                let mut y = self.y + 14.0;
                for block in blocks {
                    block.draw(&mut self.front, x + 16.0, y, PERSONA_W - 32.0)?;
                    y += block.height() + 6.0;
                }
            }
            self.y += height + PERSONA_GAP;
        }
        self.y += 16.0;
        Ok(())
    }

    fn grid(&mut self, view: &View<'_>) -> fmt::Result {
        self.section_title("Journey map")?;
        let n = view.n_steps();
        if n == 0 {
            let message = "No step of this journey is taken by this persona.";
            write!(
                self.front,
                "<text x=\"{MARGIN}\" y=\"{:.1}\" font-size=\"13\" fill=\"{MUTED}\">{message}</text>",
                self.y + 14.0
            )?;
            self.y += 40.0;
            return Ok(());
        }
        let left = MARGIN;
        let right = MARGIN + LABEL_W + n as f64 * COL_W;
        let col_x = |column: usize| MARGIN + LABEL_W + column as f64 * COL_W;
        let grid_top = self.y;

        // Stage row.
        let stage_blocks: Vec<Vec<Block>> = view
            .stages
            .iter()
            .map(|stage| {
                let width = stage.steps.len() as f64 * COL_W - 2.0 * CELL_PAD;
                let count = format!(
                    "{} step{}",
                    stage.steps.len(),
                    if stage.steps.len() == 1 { "" } else { "s" }
                );
                let name = Styled::new(
                    &stage.stage.name,
                    Font::bold(15.0),
                    palette::accent_dark(view.map.journey.state),
                    width,
                    2,
                );
                let mut blocks = vec![Block {
                    sub: Some(Styled::new(&count, Font::new(11.0), MUTED, width, 1)),
                    ..Block::text(name, &stage.stage.name)
                }];
                if let Some(description) = &stage.stage.description {
                    blocks.push(Block::text(
                        Styled::new(description, Font::new(12.0), MUTED, width, 2),
                        description,
                    ));
                }
                blocks
            })
            .collect();
        let stage_h = stage_blocks
            .iter()
            .map(|b| stack_height(b))
            .fold(0.0, f64::max)
            + 2.0 * CELL_PAD;
        let tint = palette::accent_tint(view.map.journey.state);
        let accent = palette::accent(view.map.journey.state);
        for (stage, blocks) in view.stages.iter().zip(&stage_blocks) {
            let Some(first) = stage.steps.first() else {
                continue;
            };
            let x = col_x(first.column);
            let w = stage.steps.len() as f64 * COL_W;
            write!(
                self.back,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{stage_h:.1}\" fill=\"{tint}\"/><path d=\"M{x:.1} {:.1}h{w:.1}\" stroke=\"{accent}\" stroke-width=\"2.5\"/>",
                self.y,
                self.y + stage_h - 1.0
            )?;
            self.stack(blocks, x + CELL_PAD, self.y + CELL_PAD, w - 2.0 * CELL_PAD)?;
        }
        self.row_label("STAGE", self.y, stage_h)?;
        self.y += stage_h;

        // Step row, with moments of truth tinted down the whole column.
        let step_blocks: Vec<Vec<Block>> = view
            .steps()
            .map(|step| step_header_blocks(view, step))
            .collect();
        let step_h = step_blocks
            .iter()
            .map(|b| stack_height(b))
            .fold(0.0, f64::max)
            + 2.0 * CELL_PAD
            + 26.0;
        let steps_top = self.y;
        for (step, blocks) in view.steps().zip(&step_blocks) {
            let x = col_x(step.column);
            write!(
                self.front,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"11\" fill=\"{tint}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"700\" fill=\"{}\">{}</text>",
                x + CELL_PAD + 11.0,
                self.y + CELL_PAD + 11.0,
                x + CELL_PAD + 11.0,
                self.y + CELL_PAD + 15.0,
                palette::accent_dark(view.map.journey.state),
                step.number
            )?;
            self.stack(blocks, x + CELL_PAD, self.y + CELL_PAD + 26.0, INNER_W)?;
        }
        self.row_label("STEP", self.y, step_h)?;
        self.y += step_h;
        self.hline(left, right, self.y, palette::LINE)?;

        // Lanes.
        let mut group: Option<LaneGroup> = None;
        for &lane in &view.lanes {
            if group != Some(lane.group()) {
                group = Some(lane.group());
                write!(
                    self.back,
                    "<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"26\" fill=\"{}\"/>",
                    self.y,
                    right - left,
                    palette::CANVAS
                )?;
                write!(
                    self.front,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10.5\" font-weight=\"800\" letter-spacing=\"1.4\" fill=\"{}\">{}</text>",
                    left + 12.0,
                    self.y + 17.0,
                    palette::accent_dark(view.map.journey.state),
                    lane.group().label().to_uppercase()
                )?;
                self.y += 26.0;
                self.hline(left, right, self.y, palette::LINE)?;
            }
            if lane == Lane::Backstage {
                self.line_of_visibility(left, right)?;
            }
            if lane == Lane::Reach {
                let columns: Vec<FunnelColumn<'_>> = view
                    .steps()
                    .map(|step| FunnelColumn {
                        column: step.column,
                        name: &step.step.name,
                        measured: step.measured,
                    })
                    .collect();
                let base = funnel::Base::of(
                    &columns,
                    view.evidence
                        .and_then(|a| evidence::customers(a, view.persona)),
                );
                write!(
                    self.front,
                    "<g transform=\"translate({:.1} {:.1})\">",
                    col_x(0),
                    self.y
                )?;
                funnel::write_chart(
                    &mut self.front,
                    &columns,
                    (funnel::max_reach(&columns), base),
                    n,
                    COL_W,
                    palette::bar(view.map.journey.state),
                )?;
                self.front.push_str("</g>\n");
                self.row_label(lane.label(), self.y, funnel::HEIGHT)?;
                self.row_note("Bar: customers. Red: dropped off.", self.y)?;
                self.y += funnel::HEIGHT;
                self.hline(left, right, self.y, palette::LINE)?;
                continue;
            }
            if lane == Lane::Emotion {
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
                write!(
                    self.front,
                    "<g transform=\"translate({:.1} {:.1})\">",
                    col_x(0),
                    self.y
                )?;
                curve::write_chart(&mut self.front, &points, n, COL_W, "tm-emo")?;
                self.front.push_str("</g>\n");
                self.row_label(lane.label(), self.y, curve::HEIGHT)?;
                if any_measured {
                    self.row_note("Solid: designed. Dashed: measured.", self.y)?;
                }
                self.y += curve::HEIGHT;
                self.hline(left, right, self.y, palette::LINE)?;
                continue;
            }
            let cells: Vec<Vec<Block>> = view
                .steps()
                .map(|step| cells::blocks(view, step, lane, INNER_W))
                .collect();
            let row_h = (cells.iter().map(|b| stack_height(b)).fold(0.0, f64::max)
                + 2.0 * CELL_PAD)
                .max(40.0);
            for (step, blocks) in view.steps().zip(&cells) {
                self.stack(
                    blocks,
                    col_x(step.column) + CELL_PAD,
                    self.y + CELL_PAD,
                    INNER_W,
                )?;
            }
            self.row_label(lane.label(), self.y, row_h)?;
            self.y += row_h;
            self.hline(left, right, self.y, palette::LINE)?;
        }
        let grid_bottom = self.y;

        // Column backgrounds and rules, now that the grid's height is known. They go first in
        // the back layer so the stage and group bands are drawn over them.
        let mut columns = String::new();
        write!(
            columns,
            "<rect x=\"{left:.1}\" y=\"{grid_top:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"10\" fill=\"#ffffff\" stroke=\"{}\"/>",
            right - left,
            grid_bottom - grid_top,
            palette::LINE
        )?;
        write!(
            columns,
            "<rect x=\"{left:.1}\" y=\"{grid_top:.1}\" width=\"{LABEL_W}\" height=\"{:.1}\" fill=\"#f1f5f9\"/>",
            grid_bottom - grid_top
        )?;
        for step in view.steps().filter(|s| s.step.moment_of_truth) {
            let x = col_x(step.column);
            write!(
                columns,
                "<rect x=\"{x:.1}\" y=\"{steps_top:.1}\" width=\"{COL_W}\" height=\"{:.1}\" fill=\"{}\"/><rect x=\"{x:.1}\" y=\"{steps_top:.1}\" width=\"{COL_W}\" height=\"4\" fill=\"{}\"/>",
                grid_bottom - steps_top,
                palette::MOMENT_OF_TRUTH_TINT,
                palette::MOMENT_OF_TRUTH
            )?;
        }
        for stage in &view.stages {
            for (idx, step) in stage.steps.iter().enumerate() {
                let (colour, width) = if idx == 0 {
                    ("#cbd5e1", 2.0)
                } else {
                    (palette::LINE, 1.0)
                };
                let x = col_x(step.column);
                write!(
                    self.front,
                    "<path d=\"M{x:.1} {grid_top:.1}V{grid_bottom:.1}\" stroke=\"{colour}\" stroke-width=\"{width}\"/>"
                )?;
            }
        }
        columns.push_str(&self.back);
        self.back = columns;
        self.y += 28.0;
        Ok(())
    }

    fn line_of_visibility(&mut self, left: f64, right: f64) -> fmt::Result {
        const RULE: &str = "#64748b";
        let mid = self.y + 13.0;
        let label = "LINE OF VISIBILITY";
        let label_w = text::width(label, Font::bold(10.0)) + label.len() as f64 + 20.0;
        writeln!(
            self.front,
            "<path d=\"M{left:.1} {mid:.1}H{right:.1}\" stroke=\"{RULE}\" stroke-width=\"2\" stroke-dasharray=\"8 6\"/><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{label_w:.1}\" height=\"20\" rx=\"10\" fill=\"#ffffff\" stroke=\"{RULE}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" font-weight=\"700\" letter-spacing=\"1\" fill=\"{MUTED}\">{label}</text>",
            left + 12.0,
            mid - 10.0,
            left + 22.0,
            mid + 3.5
        )?;
        self.y += 26.0;
        self.hline(left, right, self.y, palette::LINE)
    }

    fn row_label(&mut self, label: &str, y: f64, height: f64) -> fmt::Result {
        let styled = Styled::new(
            &label.to_uppercase(),
            Font::bold(11.0),
            MUTED,
            LABEL_W - 2.0 * CELL_PAD,
            3,
        );
        let block = Block::text(styled, label);
        block.draw(
            &mut self.front,
            MARGIN + CELL_PAD,
            y + CELL_PAD.min(height / 2.0 - 7.0),
            LABEL_W - 2.0 * CELL_PAD,
        )
    }

    /// A small note under a row's label, e.g. the key to its chart.
    fn row_note(&mut self, note: &str, y: f64) -> fmt::Result {
        let width = LABEL_W - 2.0 * CELL_PAD;
        let block = Block::text(Styled::new(note, Font::new(10.5), MUTED, width, 3), note);
        block.draw(
            &mut self.front,
            MARGIN + CELL_PAD,
            y + CELL_PAD + 20.0,
            width,
        )
    }

    /// The data block: what the figures were measured on, how the KPI targets fare, and the
    /// events no step matches.
    fn data(&mut self, view: &View<'_>) -> fmt::Result {
        let Some(analysis) = view.evidence else {
            return Ok(());
        };
        self.section_title("Evidence")?;
        let width = (self.width - 2.0 * MARGIN).min(1200.0);
        let inner = width - 40.0;
        let inputs = &analysis.inputs;
        let mut facts = match view.persona {
            Some(persona) => format!(
                "{} customers ({}) of {} analysed",
                analysis
                    .personas
                    .get(persona)
                    .map_or_else(|| "\u{2014}".to_owned(), |n| format::int(*n)),
                view.persona_name(persona),
                format::int(inputs.customers_analysed)
            ),
            None => format!("{} customers", format::int(inputs.customers_analysed)),
        };
        facts.push_str(&format!(
            "  \u{b7}  {} events of {} rows read",
            format::int(inputs.analysed_events),
            format::int(inputs.event_rows)
        ));
        if let Some(span) = &inputs.time_span {
            let (from, to) = (format::date_part(&span.from), format::date_part(&span.to));
            facts.push_str(&format!("  \u{b7}  {from} \u{2192} {to}"));
            if let (Ok(from), Ok(to)) = (from.parse::<Date>(), to.parse::<Date>()) {
                facts.push_str(&format!(
                    " ({})",
                    format::count(to.days_since(from).max(0) as usize + 1, "day")
                ));
            }
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
        let kpis = format!(
            "KPI targets: \u{2713} {met} met  \u{2715} {missed} missed  ({no_data} without data)"
        );
        let files: Vec<String> = inputs
            .events
            .iter()
            .chain(&inputs.customers)
            .map(|f| format!("{} ({}, {} rows)", f.path, f.format, format::int(f.rows)))
            .collect();
        let files = format!("Inputs: {}", files.join("; "));
        let mut unmapped = format!(
            "Unmapped events: {} events match no step",
            format::int(analysis.unmapped.events)
        );
        if let Some(share) = analysis.unmapped.share {
            unmapped.push_str(&format!(" ({} of all)", format::percent(share)));
        }
        if !analysis.unmapped.top.is_empty() {
            let top: Vec<String> = analysis
                .unmapped
                .top
                .iter()
                .take(5)
                .map(|e| format!("{} {}", e.event, format::percent(e.share)))
                .collect();
            unmapped.push_str(&format!(": {}", top.join("  \u{b7}  ")));
        }
        let total = inputs.customers_analysed.max(1) as f64;
        let segments: Vec<String> = view
            .map
            .personas
            .iter()
            .filter_map(|p| analysis.personas.get(&p.id).map(|n| (p.id.as_str(), *n)))
            .chain(
                analysis
                    .personas
                    .iter()
                    .filter(|(id, _)| view.map.persona(id).is_none())
                    .map(|(id, n)| (id.as_str(), *n)),
            )
            .map(|(id, n)| {
                format!(
                    "{} {} ({})",
                    view.persona_name(id),
                    format::int(n),
                    format::percent(n as f64 / total)
                )
            })
            .collect();
        let segments = format!("Customers per persona: {}", segments.join("  \u{b7}  "));
        let mut blocks = vec![
            Block::text(Styled::new(&facts, Font::bold(15.0), INK, inner, 2), &facts),
            Block::text(Styled::new(&kpis, Font::new(13.0), INK, inner, 2), &kpis),
            Block::text(
                Styled::new(&files, Font::new(12.0), MUTED, inner, 3),
                &files,
            ),
            Block::text(
                Styled::new(&unmapped, Font::new(12.0), MUTED, inner, 3),
                &unmapped,
            ),
        ];
        if !analysis.personas.is_empty() {
            blocks.push(Block::text(
                Styled::new(&segments, Font::new(12.0), MUTED, inner, 3),
                &segments,
            ));
        }
        let height = stack_height(&blocks) + 32.0;
        write!(
            self.back,
            "<rect x=\"{MARGIN}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" rx=\"10\" fill=\"#ffffff\" stroke=\"{}\"/><rect x=\"{MARGIN}\" y=\"{:.1}\" width=\"4\" height=\"{height:.1}\" rx=\"2\" fill=\"#0f766e\"/>",
            self.y,
            palette::LINE,
            self.y
        )?;
        let top = self.y + 16.0;
        self.stack(&blocks, MARGIN + 20.0, top, inner)?;
        self.y += height + 28.0;
        Ok(())
    }

    fn hline(&mut self, left: f64, right: f64, y: f64, colour: &str) -> fmt::Result {
        writeln!(
            self.front,
            "<path d=\"M{left:.1} {y:.1}H{right:.1}\" stroke=\"{colour}\"/>"
        )
    }

    /// Draws blocks one under the other.
    fn stack(&mut self, blocks: &[Block], x: f64, y: f64, width: f64) -> fmt::Result {
        let mut y = y;
        for block in blocks {
            block.draw(&mut self.front, x, y, width)?;
            y += block.height() + BLOCK_GAP;
        }
        Ok(())
    }

    fn legend(&mut self, view: &View<'_>) -> fmt::Result {
        let channels: std::collections::BTreeSet<Channel> = view
            .steps()
            .flat_map(|s| &s.step.touchpoints)
            .map(|t| t.channel)
            .collect();
        let mut x = MARGIN;
        let y = self.y;
        for channel in &channels {
            write!(
                self.front,
                "<g transform=\"translate({x:.1} {y:.1}) scale(.66)\" fill=\"none\" stroke=\"{MUTED}\" stroke-width=\"1.8\" stroke-linecap=\"round\" stroke-linejoin=\"round\">{}</g><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{MUTED}\">{}</text>",
                icons::shape(*channel),
                x + 21.0,
                y + 12.5,
                channel.label()
            )?;
            x += 21.0 + text::width(channel.label(), Font::new(12.0)) + 18.0;
        }
        if view.lanes.contains(&Lane::PainPoints) {
            x += 14.0;
            for severity in 1..=5u8 {
                write!(
                    self.front,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"16\" height=\"8\" rx=\"2\" fill=\"{}\"/>",
                    y + 4.0,
                    palette::severity(severity)
                )?;
                x += 18.0;
            }
            write!(
                self.front,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{MUTED}\">pain severity 1\u{2013}5</text>",
                x + 4.0,
                y + 12.5
            )?;
        }
        // The measured marks get a line of their own: the first line is full of channels.
        let footer_y = if view.evidence.is_some() {
            let y = y + 24.0;
            let mut x = MARGIN;
            for (colour, label) in [
                (
                    palette::bar(view.map.journey.state),
                    "customers at the step",
                ),
                (funnel::DROP, "dropped off there"),
            ] {
                write!(
                    self.front,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"16\" height=\"8\" rx=\"2\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{MUTED}\">{label}</text>",
                    y + 4.0,
                    x + 21.0,
                    y + 12.5
                )?;
                x += 21.0 + text::width(label, Font::new(12.0)) + 18.0;
            }
            write!(
                self.front,
                "<path d=\"M{x:.1} {:.1}h24\" stroke=\"#334155\" stroke-width=\"2.5\" stroke-dasharray=\"7 5\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{MUTED}\">emotion measured from feedback    \u{2713} KPI target met    \u{2715} KPI target missed    \u{2205} no evidence in data</text>",
                y + 8.0,
                x + 30.0,
                y + 12.5
            )?;
            y + 40.0
        } else {
            y + 40.0
        };
        writeln!(
            self.front,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#64748b\">Drawn by Trailmap from the journey map file; the file is the source of truth.</text>",
            MARGIN, footer_y
        )?;
        self.y = footer_y + 20.0;
        Ok(())
    }
}

fn stack_height(blocks: &[Block]) -> f64 {
    let gaps = blocks.len().saturating_sub(1) as f64 * BLOCK_GAP;
    blocks.iter().map(Block::height).sum::<f64>() + gaps
}

fn step_header_blocks(view: &View<'_>, step: &crate::view::StepView<'_>) -> Vec<Block> {
    let s = step.step;
    let mut blocks = vec![Block::text(
        Styled::new(&s.name, Font::bold(14.0), INK, INNER_W, 3),
        &s.name,
    )];
    if let Some(description) = &s.description {
        blocks.push(Block::text(
            Styled::new(description, Font::new(12.0), MUTED, INNER_W, 3),
            description,
        ));
    }
    let mut badges = Vec::new();
    if s.moment_of_truth {
        badges.push("\u{2605} Moment of truth".to_owned());
    }
    if s.optional {
        badges.push("Optional".to_owned());
    }
    if view.persona.is_none() && !s.personas.is_empty() {
        let names: Vec<&str> = s.personas.iter().map(|p| view.persona_name(p)).collect();
        badges.push(format!("Only {}", names.join(", ")));
    }
    let stale = evidence::stale_evidence(view.map, s, view.today);
    if let Some(evidence) = &s.evidence {
        badges.push(format!(
            "Evidence: {}{}",
            evidence.source.as_str(),
            if stale.is_some() { " (stale)" } else { "" }
        ));
    }
    if !badges.is_empty() {
        let line = badges.join("  \u{b7}  ");
        let colour = if s.moment_of_truth {
            palette::MOMENT_OF_TRUTH
        } else {
            MUTED
        };
        blocks.push(Block::text(
            Styled::new(&line, Font::bold(11.0), colour, INNER_W, 3),
            &line,
        ));
    }
    let mut marks: Vec<(String, &'static str)> = Vec::new();
    if let (Some((age, limit)), Some(today)) = (stale, view.today) {
        marks.push((
            format!("Stale: verified {age} days before {today} (limit {limit})"),
            "#991b1b",
        ));
    }
    if let Some(analysis) = view.evidence {
        let zero = analysis.zero_reach.contains(&s.id);
        match step.measured.reached() {
            Some(figures) if !zero => {
                if evidence::newly_observed(s, step.measured) {
                    marks.push((
                        format!(
                            "\u{2713} Now observed: {} customers",
                            format::int(figures.reach)
                        ),
                        "#166534",
                    ));
                }
            }
            _ => marks.push(("\u{2205} No evidence in data".to_owned(), "#b91c1c")),
        }
        match analysis
            .moments_of_truth
            .iter()
            .find(|m| m.step == s.id)
            .map(|m| m.verdict.as_str())
        {
            Some("data_only") => marks.push((
                "\u{2606} Data: moment of truth".to_owned(),
                palette::MOMENT_OF_TRUTH,
            )),
            Some("map_only") => marks.push(("Not confirmed by data".to_owned(), MUTED)),
            _ => {}
        }
    }
    for (text, colour) in marks {
        blocks.push(Block::text(
            Styled::new(&text, Font::bold(11.0), colour, INNER_W, 2),
            &text,
        ));
    }
    blocks
}

fn persona_blocks(view: &View<'_>, persona: &Persona) -> Vec<Block> {
    let width = PERSONA_W - 32.0;
    let mut blocks = vec![Block::text(
        Styled::new(&persona.name, Font::bold(15.0), INK, width, 2),
        &persona.name,
    )];
    let mut sub = Vec::new();
    if let Some(generation) = &persona.generation {
        sub.push(generation.clone());
    }
    if let Some(share) = persona.share {
        sub.push(format!("{} of customers", format::share(share)));
    }
    if let Some(openness) = persona.openness {
        sub.push(format!("openness {}", openness.as_str()));
    }
    if !sub.is_empty() {
        let line = sub.join(" \u{b7} ");
        blocks.push(Block::text(
            Styled::new(
                &line,
                Font::new(12.0),
                palette::persona(view.persona_index(&persona.id)),
                width,
                2,
            ),
            &line,
        ));
    }
    for text in [&persona.demographics, &persona.description]
        .into_iter()
        .flatten()
    {
        blocks.push(Block::text(
            Styled::new(text, Font::new(12.0), INK, width, 3),
            text,
        ));
    }
    if !persona.goals.is_empty() {
        let line = format!("Goals: {}", persona.goals.join("; "));
        blocks.push(Block::text(
            Styled::new(&line, Font::new(12.0), INK, width, 3),
            &line,
        ));
    }
    if let Some(quote) = persona.quotes.first() {
        let quoted = format!("\u{201c}{quote}\u{201d}");
        blocks.push(Block::text(
            Styled::new(&quoted, Font::new(12.0), MUTED, width, 3).italic(),
            quote,
        ));
    }
    if !persona.channels.is_empty() {
        let labels: Vec<&str> = persona.channels.iter().map(|c| c.label()).collect();
        let line = format!("Prefers: {}", labels.join(", "));
        blocks.push(Block::text(
            Styled::new(&line, Font::bold(11.5), MUTED, width, 2),
            &line,
        ));
    }
    blocks
}

#[cfg(test)]
mod tests;

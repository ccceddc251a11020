//! The emotion curve: a smooth line through the steps' emotion scores (-2..2), and, when
//! evidence was given, a dashed line through the emotion measured from feedback (see
//! `evidence.rs` for the mapping). The measured line only joins neighbouring steps that
//! both have a measured point; elsewhere it breaks, because nothing was measured there.
//!
//! The line is a monotone cubic (the Fritsch–Carlson method, as d3's `curveMonotoneX`):
//! unlike a Catmull-Rom spline it never overshoots a point, so a curve through two `+2`
//! steps stays at `+2` between them instead of bulging above the chart. Steps without a
//! score break the line; the gap is bridged by a faint dashed segment.
//!
//! The chart is drawn in its own coordinates: column `i` is centred at `(i + 0.5) * col_w`,
//! and the caller places it (an inline `<svg>` in HTML, a `<g>` in the standalone SVG).

use std::fmt::{self, Write};

use crate::escape::Esc;
use crate::evidence::MeasuredEmotion;
use crate::{format, palette};

/// Height of the chart in user units.
pub(crate) const HEIGHT: f64 = 136.0;
const PAD: f64 = 22.0;

/// The y coordinate of a score.
pub(crate) fn y_of(score: i8) -> f64 {
    y_at(f64::from(score))
}

/// The y coordinate of a real-valued score (a measured one), clamped to the chart.
pub(crate) fn y_at(score: f64) -> f64 {
    let score = score.clamp(-2.0, 2.0);
    PAD + (2.0 - score) / 4.0 * (HEIGHT - 2.0 * PAD)
}

/// One drawn step: its column, its name (for the tooltip), its designed score and its
/// measured emotion, if it has them.
pub(crate) struct CurvePoint<'a> {
    pub(crate) column: usize,
    pub(crate) name: &'a str,
    pub(crate) score: Option<i8>,
    pub(crate) measured: Option<MeasuredEmotion>,
}

/// The colour of the measured line and its marks: dark enough to read over both bands.
const MEASURED: &str = "#334155";

/// Writes the chart's elements for `n_cols` columns of width `col_w`. `gradient_id` must be
/// unique in the document; the line's colour runs from green (top) to red (bottom).
pub(crate) fn write_chart(
    out: &mut String,
    points: &[CurvePoint<'_>],
    n_cols: usize,
    col_w: f64,
    gradient_id: &str,
) -> fmt::Result {
    let width = n_cols as f64 * col_w;
    let (top, zero, bottom) = (y_of(2), y_of(0), y_of(-2));
    write!(
        out,
        r##"<defs><linearGradient id="{gradient_id}" gradientUnits="userSpaceOnUse" x1="0" y1="{top:.1}" x2="0" y2="{bottom:.1}"><stop offset="0" stop-color="{}"/><stop offset=".5" stop-color="#ca8a04"/><stop offset="1" stop-color="{}"/></linearGradient></defs>"##,
        palette::emotion(2),
        palette::emotion(-2),
    )?;
    // Pale bands above and below neutral, so "good" and "bad" read without the labels.
    write!(
        out,
        r##"<rect x="0" y="{:.1}" width="{width:.1}" height="{:.1}" fill="#f0fdf4"/><rect x="0" y="{zero:.1}" width="{width:.1}" height="{:.1}" fill="#fef2f2"/>"##,
        top - 10.0,
        zero - top + 10.0,
        bottom - zero + 10.0,
    )?;
    for score in [-2i8, -1, 1, 2] {
        write!(
            out,
            r##"<path d="M0 {y:.1}H{width:.1}" stroke="#e2e8f0" stroke-width="1"/>"##,
            y = y_of(score)
        )?;
    }
    write!(
        out,
        r##"<path d="M0 {zero:.1}H{width:.1}" stroke="#94a3b8" stroke-width="1" stroke-dasharray="4 4"/>"##
    )?;

    let located: Vec<(f64, f64, &CurvePoint<'_>)> = points
        .iter()
        .filter_map(|p| {
            p.score
                .map(|s| ((p.column as f64 + 0.5) * col_w, y_of(s), p))
        })
        .collect();
    // Runs of consecutive columns with a score are drawn smooth; gaps are bridged dashed.
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut last_column: Option<usize> = None;
    for &(x, y, p) in &located {
        match (runs.last_mut(), last_column) {
            (Some(run), Some(col)) if col + 1 == p.column => run.push((x, y)),
            _ => runs.push(vec![(x, y)]),
        }
        last_column = Some(p.column);
    }
    for pair in runs.windows(2) {
        if let (Some(&(x0, y0)), Some(&(x1, y1))) = (pair[0].last(), pair[1].first()) {
            write!(
                out,
                r##"<path d="M{x0:.1} {y0:.1}L{x1:.1} {y1:.1}" fill="none" stroke="#94a3b8" stroke-width="2" stroke-dasharray="2 6" stroke-linecap="round"/>"##
            )?;
        }
    }
    for run in runs.iter().filter(|run| run.len() > 1) {
        write!(
            out,
            r#"<path d="{}" fill="none" stroke="url(#{gradient_id})" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/>"#,
            monotone_path(run)
        )?;
    }
    for &(x, y, p) in &located {
        let score = p.score.unwrap_or(0);
        let label = signed(score);
        // Labels sit above points in the upper half and below in the lower half, away from
        // the line's most likely direction; when a measured point sits on that side, the label
        // moves to the other so the diamond never covers it.
        let above = match p.measured.map(|m| y_at(m.score) - y) {
            Some(dy) if dy <= -3.0 => false,
            Some(dy) if dy >= 3.0 => true,
            _ => score >= 0,
        };
        let label_y = if above { y - 12.0 } else { y + 21.0 };
        write!(
            out,
            r##"<g><title>{}: {label} ({})</title><circle cx="{x:.1}" cy="{y:.1}" r="7" fill="{}" stroke="#ffffff" stroke-width="2.5"/><text x="{x:.1}" y="{label_y:.1}" text-anchor="middle" font-size="12" font-weight="700" fill="{}">{label}</text></g>"##,
            Esc(p.name),
            palette::emotion_word(score),
            palette::emotion(score),
            palette::INK,
        )?;
    }
    write_measured(out, points, col_w)
}

/// The measured line: dashed, joining only neighbouring columns, with a diamond per point
/// labelled with its score and source.
fn write_measured(out: &mut String, points: &[CurvePoint<'_>], col_w: f64) -> fmt::Result {
    let located: Vec<(f64, f64, &CurvePoint<'_>, MeasuredEmotion)> = points
        .iter()
        .filter_map(|p| {
            p.measured
                .map(|m| ((p.column as f64 + 0.5) * col_w, y_at(m.score), p, m))
        })
        .collect();
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut last_column: Option<usize> = None;
    for &(x, y, p, _) in &located {
        match (runs.last_mut(), last_column) {
            (Some(run), Some(col)) if col + 1 == p.column => run.push((x, y)),
            _ => runs.push(vec![(x, y)]),
        }
        last_column = Some(p.column);
    }
    for run in runs.iter().filter(|run| run.len() > 1) {
        write!(
            out,
            r#"<path d="{}" fill="none" stroke="{MEASURED}" stroke-width="2.5" stroke-dasharray="7 5" stroke-linecap="round"/>"#,
            monotone_path(run)
        )?;
    }
    for (idx, &(x, y, p, m)) in located.iter().enumerate() {
        let value = format::signed(m.score, 1);
        // The label sits beside the diamond, on the side the dashed line does not take: above
        // when the line goes on level or down to the next step, below when it climbs.
        let next_y = located
            .get(idx + 1)
            .filter(|next| next.2.column == p.column + 1)
            .map(|next| next.1);
        let label_y = match next_y {
            Some(next_y) if next_y < y - 1.0 => y + 17.0,
            _ => y - 8.0,
        };
        write!(
            out,
            r##"<g><title>{}: measured {value} from {} {} (n {})</title><path d="M{x:.1} {:.1}l6 6l-6 6l-6 -6z" fill="#ffffff" stroke="{MEASURED}" stroke-width="2.2"/><text x="{:.1}" y="{:.1}" font-size="10.5" font-weight="700" fill="{MEASURED}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{value} <tspan font-weight="400">{}</tspan></text></g>"##,
            Esc(p.name),
            m.source.label(),
            source_value(m),
            format::int(m.n),
            y - 6.0,
            x + 9.0,
            label_y,
            m.source.label(),
        )?;
    }
    Ok(())
}

/// The raw figure a measured point comes from, in its own unit: `78%`, `+32`, `+0.21`, `3.1`.
pub(crate) fn source_value(m: MeasuredEmotion) -> String {
    use crate::evidence::FeelingSource;
    use trailmap_model::Metric;
    let metric = match m.source {
        FeelingSource::Csat => Metric::Csat,
        FeelingSource::Nps => Metric::Nps,
        FeelingSource::Sentiment => Metric::Sentiment,
        FeelingSource::Ces => Metric::Ces,
    };
    format::measured(metric, m.value)
}

/// `+2`, `0`, `−1` (with a real minus sign).
pub(crate) fn signed(score: i8) -> String {
    match score {
        s if s > 0 => format!("+{s}"),
        s if s < 0 => format!("\u{2212}{}", s.unsigned_abs()),
        _ => "0".to_owned(),
    }
}

/// An SVG path through `points` (x increasing) as a monotone cubic spline.
pub(crate) fn monotone_path(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    let Some(&(x0, y0)) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{x0:.1} {y0:.1}");
    if points.len() == 2 {
        let (x1, y1) = points[1];
        let _ = write!(d, "L{x1:.1} {y1:.1}");
        return d;
    }
    let n = points.len();
    let mut tangents = vec![0.0; n];
    for i in 1..n.saturating_sub(1) {
        let (xa, ya) = points[i - 1];
        let (xb, yb) = points[i];
        let (xc, yc) = points[i + 1];
        let (h0, h1) = (xb - xa, xc - xb);
        let (s0, s1) = ((yb - ya) / h0, (yc - yb) / h1);
        let p = (s0 * h1 + s1 * h0) / (h0 + h1);
        tangents[i] = (sign(s0) + sign(s1)) * s0.abs().min(s1.abs()).min(0.5 * p.abs());
    }
    if n > 2 {
        let end_slope =
            |a: (f64, f64), b: (f64, f64), t: f64| (3.0 * (b.1 - a.1) / (b.0 - a.0) - t) / 2.0;
        tangents[0] = end_slope(points[0], points[1], tangents[1]);
        tangents[n - 1] = end_slope(points[n - 2], points[n - 1], tangents[n - 2]);
    }
    for i in 0..n - 1 {
        let (xa, ya) = points[i];
        let (xb, yb) = points[i + 1];
        let dx = (xb - xa) / 3.0;
        let _ = write!(
            d,
            "C{:.1} {:.1} {:.1} {:.1} {xb:.1} {yb:.1}",
            xa + dx,
            ya + dx * tangents[i],
            xb - dx,
            yb - dx * tangents[i + 1]
        );
    }
    d
}

fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_runs_stay_flat() {
        let path = monotone_path(&[(0.0, 10.0), (10.0, 10.0), (20.0, 10.0)]);
        assert_eq!(
            path,
            "M0.0 10.0C3.3 10.0 6.7 10.0 10.0 10.0C13.3 10.0 16.7 10.0 20.0 10.0"
        );
    }

    #[test]
    fn never_overshoots_a_peak() {
        let path = monotone_path(&[(0.0, 50.0), (10.0, 0.0), (20.0, 50.0), (30.0, 0.0)]);
        for number in path
            .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
            .filter(|s| !s.is_empty())
            .skip(1)
            .step_by(2)
        {
            let y: f64 = number.parse().unwrap();
            assert!((0.0..=50.0).contains(&y), "{y} in {path}");
        }
    }

    #[test]
    fn scores_map_into_the_chart() {
        assert!(y_of(2) < y_of(0) && y_of(0) < y_of(-2));
        assert_eq!(y_of(9), y_of(2));
        assert_eq!(signed(-2), "\u{2212}2");
    }
}

//! The reach lane: one bar per step whose height is the step's reach, its top part red for the
//! customers who dropped off there, with the figures beside it (reach, share of the funnel's
//! top, drop-off, time to the next step).
//!
//! Like the emotion curve it is drawn in its own coordinates, column `i` spanning
//! `i * col_w .. (i + 1) * col_w`, and placed by the caller (an inline `<svg>` in HTML, a `<g>`
//! in the standalone SVG), so the bars of neighbouring steps line up into a funnel.

use std::fmt::{self, Write};

use crate::escape::Esc;
use crate::evidence::Measured;
use crate::{format, palette};

/// Height of the chart in user units.
pub(crate) const HEIGHT: f64 = 112.0;
const BASELINE: f64 = HEIGHT - 14.0;
const BAR_MAX: f64 = 84.0;
const BAR_X: f64 = 22.0;
const BAR_W: f64 = 52.0;
const TEXT_X: f64 = 90.0;
/// The red of drop-off, dark enough for text on white.
pub(crate) const DROP: &str = "#dc2626";
const DROP_TEXT: &str = "#b91c1c";

/// One drawn step.
pub(crate) struct FunnelColumn<'a> {
    pub(crate) column: usize,
    pub(crate) name: &'a str,
    pub(crate) measured: Measured<'a>,
}

/// What shares of reach are shares of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Base {
    pub(crate) reach: u64,
    pub(crate) of: BaseKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseKind {
    /// The first drawn step, when it is the widest point: a true funnel.
    FirstStep,
    /// All customers analysed (or the persona's): when a later step reaches more customers than
    /// the first (branching journeys, persona-only first steps), a share of the first step
    /// would pass 100%.
    Customers,
}

impl Base {
    /// The base for these steps, in drawing order; `customers` is the analysed group's size.
    pub(crate) fn of(columns: &[FunnelColumn<'_>], customers: Option<u64>) -> Option<Base> {
        let reaches: Vec<u64> = columns
            .iter()
            .filter_map(|c| c.measured.figures().map(|f| f.reach))
            .collect();
        let first = columns.first()?.measured.figures()?.reach;
        let max = reaches.iter().copied().max().unwrap_or(0);
        if first > 0 && first >= max {
            return Some(Base {
                reach: first,
                of: BaseKind::FirstStep,
            });
        }
        customers.filter(|&c| c > 0).map(|reach| Base {
            reach,
            of: BaseKind::Customers,
        })
    }

    fn describe(self) -> &'static str {
        match self.of {
            BaseKind::FirstStep => "of step 1",
            BaseKind::Customers => "of customers",
        }
    }
}

/// The largest reach among `columns`: the height of a full bar. At least 1.
pub(crate) fn max_reach(columns: &[FunnelColumn<'_>]) -> u64 {
    columns
        .iter()
        .filter_map(|c| c.measured.figures().map(|f| f.reach))
        .max()
        .unwrap_or(0)
        .max(1)
}

/// Writes the chart's `columns` (all of them, or the ones a printed page shows) in a chart of
/// `n_cols` columns of width `col_w`, bars scaled so `max` reach is a full bar. `accent`
/// colours the bars of the customers who went on.
pub(crate) fn write_chart(
    out: &mut String,
    columns: &[FunnelColumn<'_>],
    (max, base): (u64, Option<Base>),
    n_cols: usize,
    col_w: f64,
    accent: &str,
) -> fmt::Result {
    let width = n_cols as f64 * col_w;
    // Faint column rules, so each step's bar and figures read as one.
    for idx in 1..n_cols {
        write!(
            out,
            r##"<path d="M{:.1} 0V{HEIGHT:.1}" stroke="#eef2f6" stroke-width="1"/>"##,
            idx as f64 * col_w
        )?;
    }
    write!(
        out,
        r##"<path d="M0 {BASELINE:.1}H{width:.1}" stroke="#cbd5e1" stroke-width="1"/>"##
    )?;
    for column in columns {
        let x0 = column.column as f64 * col_w;
        let bar_x = x0 + BAR_X;
        let text_x = x0 + TEXT_X;
        let Some(figures) = column.measured.reached() else {
            let why = match column.measured {
                Measured::Figures(_) => "No customer in the analysed data reached this step",
                _ => "The analysis has no figures for this step",
            };
            write!(
                out,
                r##"<g><title>{}: {why}</title><rect x="{bar_x:.1}" y="{:.1}" width="{BAR_W}" height="{BAR_MAX}" rx="3" fill="none" stroke="#94a3b8" stroke-width="1.2" stroke-dasharray="4 3"/><text x="{text_x:.1}" y="40" font-size="12" font-weight="700" fill="{}">No evidence</text><text x="{text_x:.1}" y="56" font-size="11.5" fill="{}">in data</text></g>"##,
                Esc(column.name),
                BASELINE - BAR_MAX,
                palette::MUTED,
                palette::MUTED,
            )?;
            continue;
        };
        let height = (BAR_MAX * figures.reach as f64 / max as f64).max(2.0);
        let top = BASELINE - height;
        let drop = figures.drop_off_rate.filter(|d| d.is_finite());
        let drop_h = drop.map_or(0.0, |d| height * d.clamp(0.0, 1.0));
        let share = base.map(|b| (figures.reach as f64 / b.reach as f64, b.describe()));
        let mut title = format!("{}: {} customers", column.name, format::int(figures.reach));
        if let Some((share, of)) = share {
            let _ = write!(title, " ({} {of})", format::percent(share));
        }
        if let Some(drop) = drop {
            let _ = write!(title, "; {} dropped off here", format::percent(drop));
        }
        if let Some(median) = figures.time_to_next.median_s {
            let _ = write!(
                title,
                "; median {} to the next step",
                format::duration_human(median)
            );
            if let Some(p90) = figures.time_to_next.p90_s {
                let _ = write!(title, ", 90% within {}", format::duration_human(p90));
            }
        }
        write!(
            out,
            r##"<g><title>{}</title><rect x="{bar_x:.1}" y="{:.1}" width="{BAR_W}" height="{BAR_MAX}" rx="3" fill="#f1f5f9"/><rect x="{bar_x:.1}" y="{top:.1}" width="{BAR_W}" height="{height:.1}" rx="3" fill="{accent}"/>"##,
            Esc(&title),
            BASELINE - BAR_MAX,
        )?;
        if drop_h >= 0.5 {
            write!(
                out,
                r#"<rect x="{bar_x:.1}" y="{top:.1}" width="{BAR_W}" height="{drop_h:.1}" rx="3" fill="{DROP}"/>"#
            )?;
        }
        write!(
            out,
            r##"<text x="{text_x:.1}" y="24" font-size="16" font-weight="700" fill="{}">{}</text>"##,
            palette::INK,
            format::int(figures.reach)
        )?;
        let mut line_y = 40.0;
        if let Some((share, of)) = share {
            write!(
                out,
                r##"<text x="{text_x:.1}" y="{line_y:.1}" font-size="11.5" fill="{}">{} {of}</text>"##,
                palette::MUTED,
                format::percent(share)
            )?;
        }
        line_y += 19.0;
        match drop {
            Some(drop) => write!(
                out,
                r##"<text x="{text_x:.1}" y="{line_y:.1}" font-size="12" font-weight="700" fill="{DROP_TEXT}">▼ {} drop off</text>"##,
                format::percent(drop)
            )?,
            None => write!(
                out,
                r##"<text x="{text_x:.1}" y="{line_y:.1}" font-size="11.5" fill="{}">journey ends</text>"##,
                palette::MUTED
            )?,
        }
        if let Some(median) = figures.time_to_next.median_s {
            line_y += 17.0;
            write!(
                out,
                r##"<text x="{text_x:.1}" y="{line_y:.1}" font-size="11.5" fill="{}">→ next in {}</text>"##,
                palette::INK,
                format::duration_human(median)
            )?;
            if let Some(p90) = figures.time_to_next.p90_s {
                line_y += 15.0;
                write!(
                    out,
                    r##"<text x="{text_x:.1}" y="{line_y:.1}" font-size="11" fill="{}">90% within {}</text>"##,
                    palette::MUTED,
                    format::duration_human(p90)
                )?;
            }
        }
        out.push_str("</g>");
    }
    Ok(())
}

/// A one-line description of the chart for screen readers.
pub(crate) fn label(columns: &[FunnelColumn<'_>], base: Option<Base>) -> String {
    let mut label = String::from("Reach per step:");
    for column in columns {
        match column.measured.reached() {
            Some(f) => {
                let _ = write!(label, " {} {}", column.name, format::int(f.reach));
                if let Some(b) = base {
                    let _ = write!(
                        label,
                        " ({} {})",
                        format::percent(f.reach as f64 / b.reach as f64),
                        b.describe()
                    );
                }
                if let Some(drop) = f.drop_off_rate {
                    let _ = write!(label, ", {} drop off", format::percent(drop));
                }
                label.push(';');
            }
            None => {
                let _ = write!(label, " {} no evidence in data;", column.name);
            }
        }
    }
    label.trim_end_matches(';').to_owned()
}

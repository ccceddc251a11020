//! A block: one card or paragraph inside an SVG cell, laid out before it is drawn.
//!
//! Every block is wrapped to the width it will be drawn at when it is built, so its height is
//! known before anything is written and rows can be sized to their tallest cell. A block whose
//! text was cut carries the full text, which is drawn as a `<title>` tooltip.

use std::fmt::{self, Write};

use trailmap_model::Channel;

use super::text::{self, Font, Wrapped};
use crate::escape::Esc;
use crate::{icons, palette};

/// A styled run of wrapped text.
pub(super) struct Styled {
    pub(super) wrapped: Wrapped,
    pub(super) font: Font,
    pub(super) colour: &'static str,
    pub(super) italic: bool,
    pub(super) rtl: bool,
}

impl Styled {
    pub(super) fn new(
        text: &str,
        font: Font,
        colour: &'static str,
        width: f64,
        max_lines: usize,
    ) -> Styled {
        Styled {
            wrapped: text::wrap(text, font, width, max_lines),
            font,
            colour,
            italic: false,
            rtl: text::is_rtl(text),
        }
    }

    pub(super) fn italic(mut self) -> Styled {
        self.italic = true;
        self
    }

    pub(super) fn height(&self) -> f64 {
        self.wrapped.height(self.font)
    }

    /// Writes the lines with their first line box's top at `y`, between `x` and `x + width`.
    pub(super) fn draw(&self, out: &mut String, x: f64, y: f64, width: f64) -> fmt::Result {
        if self.wrapped.lines.is_empty() {
            return Ok(());
        }
        let font = self.font;
        let lh = font.line_height();
        let (anchor_x, direction) = if self.rtl {
            (x + width, " direction=\"rtl\"")
        } else {
            (x, "")
        };
        write!(
            out,
            "<text font-size=\"{}\"{}{} fill=\"{}\"{direction}>",
            font.size,
            if font.bold {
                " font-weight=\"700\""
            } else {
                ""
            },
            if self.italic {
                " font-style=\"italic\""
            } else {
                ""
            },
            self.colour
        )?;
        for (idx, line) in self.wrapped.lines.iter().enumerate() {
            let baseline = y + idx as f64 * lh + lh * 0.5 + font.size * 0.36;
            write!(
                out,
                "<tspan x=\"{anchor_x:.1}\" y=\"{baseline:.1}\">{}</tspan>",
                Esc(line)
            )?;
        }
        out.push_str("</text>");
        Ok(())
    }
}

/// A small label drawn above a block's text (severity, status, employee row names).
pub(super) struct Pill {
    pub(super) text: String,
    pub(super) fg: &'static str,
    pub(super) bg: &'static str,
    /// Severity marks: (filled, of) small bars before the text.
    pub(super) bars: Option<(u8, u8, &'static str)>,
}

const PILL_FONT: Font = Font::bold(10.0);
const PILL_H: f64 = 17.0;

pub(super) struct Block {
    /// Background and left bar colours, for cards.
    pub(super) frame: Option<(&'static str, Option<&'static str>, Option<&'static str>)>,
    pub(super) icon: Option<Channel>,
    pub(super) dot: Option<&'static str>,
    pub(super) pill: Option<Pill>,
    pub(super) main: Option<Styled>,
    pub(super) sub: Option<Styled>,
    /// The full text, shown as a tooltip when something was cut.
    pub(super) full: String,
}

pub(super) const ICON_INSET: f64 = 32.0;
pub(super) const DOT_INSET: f64 = 15.0;
pub(super) const FRAME_PAD: f64 = 9.0;
const FRAME_PAD_Y: f64 = 7.0;

impl Block {
    pub(super) fn text(main: Styled, full: &str) -> Block {
        Block {
            frame: None,
            icon: None,
            dot: None,
            pill: None,
            main: Some(main),
            sub: None,
            full: full.to_owned(),
        }
    }

    /// The horizontal space the text loses to the frame, icon and dot.
    pub(super) fn insets(framed: bool, bar: bool, icon: bool, dot: bool) -> f64 {
        let mut inset = 0.0;
        if framed {
            inset += 2.0 * FRAME_PAD;
        }
        if bar {
            inset += 4.0;
        }
        if icon {
            inset += ICON_INSET;
        }
        if dot {
            inset += DOT_INSET;
        }
        inset
    }

    fn truncated(&self) -> bool {
        [&self.main, &self.sub]
            .into_iter()
            .flatten()
            .any(|s| s.wrapped.truncated)
    }

    pub(super) fn height(&self) -> f64 {
        let mut h = 0.0;
        if self.frame.is_some() {
            h += 2.0 * FRAME_PAD_Y;
        }
        if self.pill.is_some() {
            h += PILL_H + 3.0;
        }
        if let Some(main) = &self.main {
            h += main.height();
        }
        if let Some(sub) = &self.sub {
            h += sub.height() + 1.0;
        }
        if self.icon.is_some() {
            h = h.max(28.0);
        }
        h
    }

    pub(super) fn draw(&self, out: &mut String, x: f64, y: f64, width: f64) -> fmt::Result {
        let height = self.height();
        if self.truncated() {
            write!(out, "<g><title>{}</title>", Esc(&self.full))?;
        } else {
            out.push_str("<g>");
        }
        let mut left = x;
        let mut right = x + width;
        let mut top = y;
        if let Some((fill, stroke, bar)) = self.frame {
            write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" rx=\"6\" fill=\"{fill}\"{}/>",
                stroke
                    .map(|s| format!(" stroke=\"{s}\""))
                    .unwrap_or_default()
            )?;
            if let Some(bar) = bar {
                write!(
                    out,
                    "<path d=\"M{:.1} {:.1}v{:.1}\" stroke=\"{bar}\" stroke-width=\"4\" stroke-linecap=\"round\"/>",
                    x + 2.0,
                    y + 2.0,
                    height - 4.0
                )?;
                left += 4.0;
            }
            left += FRAME_PAD;
            right -= FRAME_PAD;
            top += FRAME_PAD_Y;
        }
        if let Some(channel) = self.icon {
            write!(
                out,
                "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"26\" height=\"26\" rx=\"7\" fill=\"#eef2ff\"/><g transform=\"translate({:.1} {:.1}) scale(.7)\" fill=\"none\" stroke=\"#3730a3\" stroke-width=\"1.8\" stroke-linecap=\"round\" stroke-linejoin=\"round\">{}</g>",
                left + 4.6,
                top + 4.6,
                icons::shape(channel)
            )?;
            left += ICON_INSET;
        }
        if let Some(colour) = self.dot {
            let lh = self.main.as_ref().map_or(18.0, |m| m.font.line_height());
            write!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4.5\" fill=\"{colour}\"/>",
                left + 5.0,
                top + lh / 2.0
            )?;
            left += DOT_INSET;
        }
        if let Some(pill) = &self.pill {
            let mut px = left;
            if let Some((filled, of, colour)) = pill.bars {
                for idx in 0..of {
                    let fill = if idx < filled { colour } else { "#e2e8f0" };
                    write!(
                        out,
                        "<rect x=\"{px:.1}\" y=\"{:.1}\" width=\"9\" height=\"5\" rx=\"1\" fill=\"{fill}\"/>",
                        top + 6.0
                    )?;
                    px += 11.0;
                }
                px += 4.0;
            }
            let pill_w =
                text::width(&pill.text, PILL_FONT) + 0.4 * pill.text.chars().count() as f64 + 12.0;
            write!(
                out,
                "<rect x=\"{px:.1}\" y=\"{top:.1}\" width=\"{pill_w:.1}\" height=\"{:.1}\" rx=\"4\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{}\" font-weight=\"700\" letter-spacing=\".4\" fill=\"{}\">{}</text>",
                PILL_H - 1.0,
                pill.bg,
                px + 6.0,
                top + 12.0,
                PILL_FONT.size,
                pill.fg,
                Esc(&pill.text)
            )?;
            top += PILL_H + 3.0;
        }
        if let Some(main) = &self.main {
            main.draw(out, left, top, right - left)?;
            top += main.height();
        }
        if let Some(sub) = &self.sub {
            sub.draw(out, left, top + 1.0, right - left)?;
        }
        out.push_str("</g>");
        Ok(())
    }
}

/// Text colours used in blocks.
pub(super) const INK: &str = palette::INK;
pub(super) const MUTED: &str = palette::MUTED;

//! The map's colours: one calm palette shared by the HTML and SVG renderings.
//!
//! Text colours are chosen to reach a WCAG contrast of at least 4.5:1 on the light
//! backgrounds they are drawn on; the brighter "fill" colours are only used for shapes.

use trailmap_model::{JourneyState, OpportunityStatus};

pub(crate) const INK: &str = "#1e293b";
pub(crate) const MUTED: &str = "#475569";
pub(crate) const LINE: &str = "#e2e8f0";
pub(crate) const PAPER: &str = "#ffffff";
pub(crate) const CANVAS: &str = "#f8fafc";

/// The accent of a map: blue for today's journey, violet for the journey we want.
pub(crate) fn accent(state: JourneyState) -> &'static str {
    match state {
        JourneyState::Current => "#1d4ed8",
        JourneyState::Future => "#6d28d9",
    }
}

/// The bars of the reach lane: a lighter accent, so the red of drop-off stands out on them.
pub(crate) fn bar(state: JourneyState) -> &'static str {
    match state {
        JourneyState::Current => "#60a5fa",
        JourneyState::Future => "#a78bfa",
    }
}

/// The fill for a measured (real-valued) emotion score: the colour of the nearest score.
pub(crate) fn emotion_at(score: f64) -> &'static str {
    emotion(score.clamp(-2.0, 2.0).round() as i8)
}

/// A pale tint of the accent, for banners and headers.
pub(crate) fn accent_tint(state: JourneyState) -> &'static str {
    match state {
        JourneyState::Current => "#eff6ff",
        JourneyState::Future => "#f5f3ff",
    }
}

/// The fill for an emotion score, red (-2) through amber to green (+2).
pub(crate) fn emotion(score: i8) -> &'static str {
    match score {
        i8::MIN..=-2 => "#dc2626",
        -1 => "#f97316",
        0 => "#eab308",
        1 => "#65a30d",
        2..=i8::MAX => "#15803d",
    }
}

/// A word for an emotion score, so the curve is not read by colour alone.
pub(crate) fn emotion_word(score: i8) -> &'static str {
    match score {
        i8::MIN..=-2 => "very negative",
        -1 => "negative",
        0 => "neutral",
        1 => "positive",
        2..=i8::MAX => "very positive",
    }
}

/// The bar colour of a pain point: warmer and darker as the severity grows.
pub(crate) fn severity(severity: u8) -> &'static str {
    match severity {
        0 | 1 => "#facc15",
        2 => "#f59e0b",
        3 => "#f97316",
        4 => "#dc2626",
        _ => "#991b1b",
    }
}

/// The background tint of a pain point card.
pub(crate) fn severity_tint(severity: u8) -> &'static str {
    match severity {
        0 | 1 => "#fefce8",
        2 => "#fffbeb",
        3 => "#fff7ed",
        4 => "#fef2f2",
        _ => "#fee2e2",
    }
}

/// (text colour, background) of an opportunity's status pill.
pub(crate) fn status(status: OpportunityStatus) -> (&'static str, &'static str) {
    match status {
        OpportunityStatus::Idea => ("#475569", "#f1f5f9"),
        OpportunityStatus::Planned => ("#1d4ed8", "#dbeafe"),
        OpportunityStatus::Doing => ("#b45309", "#fef3c7"),
        OpportunityStatus::Done => ("#15803d", "#dcfce7"),
    }
}

/// Persona colours, picked by the persona's index in the map so they never change between
/// renderings. Dark enough to carry white initials.
const PERSONA: [&str; 8] = [
    "#0f766e", "#7c3aed", "#c2410c", "#1d4ed8", "#be185d", "#4d7c0f", "#0e7490", "#a16207",
];

pub(crate) fn persona(index: usize) -> &'static str {
    PERSONA[index % PERSONA.len()]
}

pub(crate) const MOMENT_OF_TRUTH: &str = "#b45309";
pub(crate) const MOMENT_OF_TRUTH_TINT: &str = "#fffbeb";

/// A darker accent, for text on the accent tint.
pub(crate) fn accent_dark(state: JourneyState) -> &'static str {
    match state {
        JourneyState::Current => "#1e40af",
        JourneyState::Future => "#5b21b6",
    }
}

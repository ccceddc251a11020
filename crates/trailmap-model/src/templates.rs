//! Starter maps for `trailmap new --template`.

/// A starter map for one kind of journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    Purchase,
    Support,
    Success,
    Onboarding,
}

impl Template {
    pub const ALL: [Template; 4] = [
        Template::Purchase,
        Template::Support,
        Template::Success,
        Template::Onboarding,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Template::Purchase => "purchase",
            Template::Support => "support",
            Template::Success => "success",
            Template::Onboarding => "onboarding",
        }
    }

    /// The template's YAML text, a complete and valid map.
    pub fn source(self) -> &'static str {
        match self {
            Template::Purchase => include_str!("../templates/purchase.yaml"),
            Template::Support => include_str!("../templates/support.yaml"),
            Template::Success => include_str!("../templates/success.yaml"),
            Template::Onboarding => include_str!("../templates/onboarding.yaml"),
        }
    }
}

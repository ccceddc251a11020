//! Names, ids and channels for drafted steps: every id valid and unique, every channel one of the
//! format's.

use std::collections::HashSet;

use trailmap_model::{Channel, Initiator};

/// `order_placed` → `Order placed`. Never empty.
pub(crate) fn human_name(event: &str) -> String {
    let spaced: String = event
        .chars()
        .map(|c| {
            if c == '_' || c == '-' || c.is_whitespace() || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "(unnamed event)".to_owned(),
    }
}

/// Hands out ids that match the format's pattern `^[a-z0-9][a-z0-9_-]*$`, each once.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// A slug of `text` (lower-case ASCII letters and digits, other runs become `-`), made
    /// unique with `-2`, `-3`, ...; `fallback` when nothing is left of the text.
    pub(crate) fn make(&mut self, text: &str, fallback: &str) -> String {
        let mut slug = String::new();
        for c in text.chars() {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
            if slug.len() >= 48 {
                break;
            }
        }
        let slug = slug.trim_end_matches('-');
        let base = if slug.is_empty() { fallback } else { slug };
        let mut id = base.to_owned();
        let mut n = 2;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// A channel column's value as one of the format's channels; `other` keeps the value as the
/// touchpoint's name.
pub(crate) fn channel_of(value: &str) -> (Channel, Option<String>) {
    let key: String = value
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect();
    if let Some(channel) = Channel::ALL.iter().find(|c| c.as_str() == key) {
        return (*channel, None);
    }
    let channel = match key.as_str() {
        "website" | "online" | "desktop" | "browser" | "webshop" | "portal" => Channel::Web,
        "mobile" | "mobile-app" | "ios" | "android" | "in-app" | "push" => Channel::App,
        "e-mail" | "newsletter" => Channel::Email,
        "call" | "telephone" | "voice" | "call-center" | "callcenter" => Channel::Phone,
        "live-chat" | "livechat" | "chatbot" | "whatsapp" | "messenger" => Channel::Chat,
        "text" | "text-message" => Channel::Sms,
        "facebook" | "instagram" | "twitter" | "linkedin" | "tiktok" | "social-media" => {
            Channel::Social
        }
        "reviews" | "review-site" | "trustpilot" => Channel::Review,
        "letter" | "post" | "mail" | "catalogue" | "catalog" | "flyer" => Channel::Print,
        "shop" | "in-store" | "branch" | "retail" => Channel::Store,
        "person" | "face-to-face" | "visit" | "field" | "in-person-visit" => Channel::InPerson,
        _ => return (Channel::Other, Some(value.trim().to_owned())),
    };
    (channel, None)
}

/// An initiator column's value, when it is one the format knows.
pub(crate) fn initiator_of(value: &str) -> Option<Initiator> {
    match value.trim().to_lowercase().as_str() {
        "customer" | "user" | "client" => Some(Initiator::Customer),
        "company" | "business" | "system" | "agent" | "staff" => Some(Initiator::Company),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_like_words() {
        assert_eq!(human_name("order_placed"), "Order placed");
        assert_eq!(human_name("Take in charge ticket"), "Take in charge ticket");
        assert_eq!(human_name("  checkout--started\n"), "Checkout started");
        assert_eq!(human_name("ávaliação_enviada"), "Ávaliação enviada");
        assert_eq!(human_name("___"), "(unnamed event)");
    }

    #[test]
    fn ids_are_valid_and_unique() {
        let pattern = regex_lite::Regex::new(trailmap_model::ID_PATTERN).unwrap();
        let mut ids = Ids::default();
        let made: Vec<String> = [
            "Order Placed",
            "order_placed",
            "order-placed",
            "'; DROP TABLE x; --",
            "über",
            "日本語",
            "",
            "--x--",
            "A Very Long Event Name That Goes On And On And On Beyond Any Reason At All",
        ]
        .iter()
        .map(|t| ids.make(t, "step"))
        .collect();
        assert_eq!(made[0], "order-placed");
        assert_eq!(made[1], "order-placed-2");
        assert_eq!(made[2], "order-placed-3");
        assert_eq!(made[3], "drop-table-x");
        assert_eq!(made[4], "ber");
        assert_eq!(made[5], "step");
        assert_eq!(made[6], "step-2");
        assert_eq!(made[7], "x");
        assert!(made[8].len() <= 48);
        for id in &made {
            assert!(pattern.is_match(id), "{id}");
        }
        let unique: HashSet<&String> = made.iter().collect();
        assert_eq!(unique.len(), made.len());
    }

    #[test]
    fn channels_map_to_the_formats() {
        assert_eq!(channel_of("web"), (Channel::Web, None));
        assert_eq!(channel_of("In Person"), (Channel::InPerson, None));
        assert_eq!(channel_of("in_person"), (Channel::InPerson, None));
        assert_eq!(channel_of("Mobile"), (Channel::App, None));
        assert_eq!(
            channel_of("Carrier pigeon"),
            (Channel::Other, Some("Carrier pigeon".to_owned()))
        );
        assert_eq!(initiator_of("Company"), Some(Initiator::Company));
        assert_eq!(initiator_of("robot"), None);
    }
}

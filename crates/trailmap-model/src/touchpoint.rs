//! Touchpoints: where customer and company meet, on which channel, started by whom.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A point of contact between the customer and the company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Touchpoint {
    /// The channel of contact.
    pub channel: Channel,
    /// Who starts the contact: the customer (about two thirds of contacts) or the company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator: Option<Initiator>,
    /// What happens at this touchpoint (e.g. `Order confirmation email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The department behind this touchpoint, when it differs from the step's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

/// A channel of contact.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// Website.
    Web,
    /// Mobile app.
    App,
    Email,
    Phone,
    /// Live chat or chatbot.
    Chat,
    Sms,
    /// Social media.
    Social,
    /// Review site.
    Review,
    /// Print: catalogues, letters, flyers, ads.
    Print,
    /// Physical store or branch.
    Store,
    /// In person: a visit, an event, a field agent.
    InPerson,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 12] = [
        Channel::Web,
        Channel::App,
        Channel::Email,
        Channel::Phone,
        Channel::Chat,
        Channel::Sms,
        Channel::Social,
        Channel::Review,
        Channel::Print,
        Channel::Store,
        Channel::InPerson,
        Channel::Other,
    ];

    /// The YAML spelling of this channel.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::App => "app",
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Chat => "chat",
            Channel::Sms => "sms",
            Channel::Social => "social",
            Channel::Review => "review",
            Channel::Print => "print",
            Channel::Store => "store",
            Channel::InPerson => "in-person",
            Channel::Other => "other",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Web => "Web",
            Channel::App => "App",
            Channel::Email => "Email",
            Channel::Phone => "Phone",
            Channel::Chat => "Chat",
            Channel::Sms => "SMS",
            Channel::Social => "Social media",
            Channel::Review => "Review site",
            Channel::Print => "Print",
            Channel::Store => "Store",
            Channel::InPerson => "In person",
            Channel::Other => "Other",
        }
    }

    /// Whether contact on this channel happens online.
    pub fn is_online(self) -> bool {
        !matches!(
            self,
            Channel::Phone | Channel::Print | Channel::Store | Channel::InPerson
        )
    }
}

/// Who starts a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Initiator {
    Customer,
    Company,
}

impl Initiator {
    pub fn as_str(self) -> &'static str {
        match self {
            Initiator::Customer => "customer",
            Initiator::Company => "company",
        }
    }
}

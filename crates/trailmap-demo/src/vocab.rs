//! What the generator knows about the world beyond the map: the event vocabulary of
//! `examples/EVENTS.md` (which channels an event comes on, which columns it carries, who starts
//! it), value lists for the usual columns and customer attributes, noise events, and the
//! sentences that review, survey, chat and search texts are made of.
//!
//! Nothing here is required: an event or column the vocabulary does not know is generated from
//! the map alone (its matchers' literals and touchpoints). The vocabulary only makes the data
//! look like a real shop's or software company's.

use trailmap_model::JourneyKind;

/// What a sentence says, and how it feels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextKind {
    Positive,
    Neutral,
    Negative,
    /// A message that opens a support contact.
    Contact,
    /// A shop search query.
    Query,
    /// A help-centre search query.
    HelpQuery,
}

/// Which kind of business a sentence fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Domain {
    Any,
    Shop,
    Software,
}

/// The domain of a map's texts, from its journey kind.
pub(crate) fn domain_of(kind: JourneyKind) -> Domain {
    match kind {
        JourneyKind::Purchase | JourneyKind::Support => Domain::Shop,
        JourneyKind::Success | JourneyKind::Onboarding => Domain::Software,
        JourneyKind::Other => Domain::Any,
    }
}

use Domain::{Any, Shop, Software};
use TextKind::{Contact, HelpQuery, Negative, Neutral, Positive, Query};

/// Every sentence a generated text can use. A text is one sentence, or two of the same kind.
/// Negative ones include negations ("not good", "never arrived") on purpose: a sentiment model
/// that only counts words gets them wrong.
pub(crate) const SENTENCES: &[(TextKind, Domain, &str)] = &[
    (Positive, Any, "Really happy with this, would recommend."),
    (Positive, Any, "Great experience from start to finish."),
    (Positive, Any, "Quick, friendly and easy."),
    (Positive, Any, "Exactly what I needed."),
    (Positive, Any, "Five stars, no complaints at all."),
    (
        Positive,
        Any,
        "The team was lovely and sorted everything out.",
    ),
    (Positive, Any, "Not a single problem, very impressed."),
    (Positive, Any, "Couldn't have been easier."),
    (Positive, Any, "Excellent service, thank you!"),
    (Positive, Any, "Better than I expected."),
    (
        Positive,
        Shop,
        "Arrived a day early and beautifully packed.",
    ),
    (
        Positive,
        Shop,
        "The jars look even better than in the photos.",
    ),
    (
        Positive,
        Shop,
        "Good quality for the price, I will order again.",
    ),
    (Positive, Shop, "Lovely products and fast delivery."),
    (
        Positive,
        Shop,
        "Ordering by phone was a pleasure, the agent was so patient.",
    ),
    (Positive, Shop, "Love my new kitchen set!"),
    (
        Positive,
        Software,
        "Setup took ten minutes and my clients love booking online.",
    ),
    (
        Positive,
        Software,
        "The reminders have cut our no-shows in half.",
    ),
    (
        Positive,
        Software,
        "The calendar is simple and works on every device.",
    ),
    (
        Positive,
        Software,
        "Support answered within minutes and fixed it.",
    ),
    (
        Positive,
        Software,
        "Worth every penny for a small studio like mine.",
    ),
    (Neutral, Any, "It was fine."),
    (Neutral, Any, "Okay overall, nothing special."),
    (Neutral, Any, "Some things were good, some could be better."),
    (Neutral, Any, "Average experience."),
    (Neutral, Any, "Does what it says."),
    (Neutral, Shop, "Delivery took the usual time."),
    (Neutral, Shop, "The product is as described."),
    (Neutral, Software, "Took a while to learn but it works now."),
    (Neutral, Software, "Fine for now, we will see at renewal."),
    (Negative, Any, "Not good at all."),
    (Negative, Any, "Very disappointed."),
    (Negative, Any, "Nobody got back to me."),
    (Negative, Any, "I had to explain my problem three times."),
    (Negative, Any, "Not happy with the service, won't be back."),
    (Negative, Any, "Terrible experience, I want my money back."),
    (Negative, Any, "Far too complicated, I gave up."),
    (Negative, Any, "The website kept timing out."),
    (Negative, Any, "Still waiting for an answer after a week."),
    (Negative, Any, "Not worth the hassle."),
    (Negative, Any, "Never again."),
    (Negative, Shop, "My order never arrived."),
    (Negative, Shop, "Two of the glasses were broken in the box."),
    (
        Negative,
        Shop,
        "The tracking page didn't say when it would come.",
    ),
    (Negative, Shop, "Returns are a pain, I don't own a printer."),
    (
        Negative,
        Shop,
        "Checkout made me create an account, so I didn't buy.",
    ),
    (
        Negative,
        Shop,
        "The delivery cost was only shown at the very end.",
    ),
    (Negative, Shop, "The refund took far too long."),
    (
        Negative,
        Software,
        "The client import mangled half of my contacts.",
    ),
    (
        Negative,
        Software,
        "Payments were not connected for two weeks.",
    ),
    (Negative, Software, "The price went up and nobody told us."),
    (
        Negative,
        Software,
        "My card payment failed and the account was locked.",
    ),
    (
        Negative,
        Software,
        "Calendar sync with my phone doesn't work.",
    ),
    (Contact, Any, "Hi, I have a question, can someone help?"),
    (
        Contact,
        Any,
        "This is my second message about this, please reply.",
    ),
    (Contact, Any, "I need to speak to someone today."),
    (Contact, Shop, "Where is my order? It was due yesterday."),
    (Contact, Shop, "Is this dish oven-safe?"),
    (Contact, Shop, "The parcel arrived damaged, what do I do?"),
    (Contact, Shop, "Can I change the delivery address?"),
    (
        Contact,
        Software,
        "How do I import my clients from a spreadsheet?",
    ),
    (Contact, Software, "My calendar is not syncing."),
    (Contact, Software, "Why was my card declined?"),
    (Query, Shop, "glass storage jars"),
    (Query, Shop, "kitchen shelf"),
    (Query, Shop, "oven dish"),
    (Query, Shop, "linen napkins"),
    (Query, Shop, "spice rack"),
    (Query, Shop, "gift set"),
    (Query, Software, "online booking"),
    (Query, Software, "sms reminders"),
    (Query, Any, "sale"),
    (HelpQuery, Shop, "where is my order"),
    (HelpQuery, Shop, "return an item"),
    (HelpQuery, Shop, "delivery times"),
    (HelpQuery, Shop, "broken item"),
    (HelpQuery, Software, "import clients"),
    (HelpQuery, Software, "calendar sync"),
    (HelpQuery, Software, "change card"),
    (HelpQuery, Any, "contact us"),
];

/// How an event usually shows up: its channels, who starts it and what it carries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventInfo {
    pub(crate) name: &'static str,
    /// The channels it usually comes on; empty when it has no channel of its own.
    pub(crate) channels: &'static [&'static str],
    /// Whether the company starts it (an email sent, a parcel shipped).
    pub(crate) by_company: bool,
    pub(crate) kind: EventKind,
}

/// What an event is about, which decides the columns it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventKind {
    Plain,
    /// Browsing products (product category).
    Browse,
    /// A shop search (query text).
    Search,
    /// A help-centre search (query text).
    HelpSearch,
    /// Money changes hands: basket, checkout, payment, order, refund.
    Money,
    /// About an existing order (order id).
    Order,
    /// A return (order id, return reason).
    Return,
    /// A customer contacts support (reason, contact number, ticket, message).
    Contact,
    /// Support works on a case (ticket, contact number).
    Case,
    Survey,
    Review,
    /// A public social post (text).
    Social,
    /// Marketing reaches the customer (campaign).
    Campaign,
    /// A subscription changes (plan, recurring revenue).
    Subscription,
    /// A product feature (feature name).
    Feature,
    /// An add-on (add-on name, recurring revenue).
    Addon,
}

const fn ev(
    name: &'static str,
    channels: &'static [&'static str],
    by_company: bool,
    kind: EventKind,
) -> EventInfo {
    EventInfo {
        name,
        channels,
        by_company,
        kind,
    }
}

/// The events of `examples/EVENTS.md`.
const EVENTS: &[EventInfo] = &[
    ev(
        "ad_clicked",
        &["social", "web", "app"],
        false,
        EventKind::Campaign,
    ),
    ev("catalogue_sent", &["print"], true, EventKind::Campaign),
    ev(
        "search_performed",
        &["web", "app"],
        false,
        EventKind::Search,
    ),
    ev("product_viewed", &["web", "app"], false, EventKind::Browse),
    ev("reviews_viewed", &["web", "app"], false, EventKind::Browse),
    ev("cart_added", &["web", "app"], false, EventKind::Money),
    ev("checkout_started", &["web", "app"], false, EventKind::Money),
    ev(
        "payment_submitted",
        &["web", "app"],
        false,
        EventKind::Money,
    ),
    ev(
        "order_placed",
        &["web", "app", "phone"],
        false,
        EventKind::Money,
    ),
    ev(
        "order_confirmation_sent",
        &["email", "print", "sms"],
        true,
        EventKind::Order,
    ),
    ev(
        "shipment_dispatched",
        &["email", "sms"],
        true,
        EventKind::Order,
    ),
    ev(
        "delivery_window_sent",
        &["sms", "app"],
        true,
        EventKind::Order,
    ),
    ev("tracking_viewed", &["web", "app"], false, EventKind::Order),
    ev(
        "order_delivered",
        &["in-person", "sms"],
        true,
        EventKind::Order,
    ),
    ev(
        "return_requested",
        &["web", "phone", "email"],
        false,
        EventKind::Return,
    ),
    ev(
        "return_dropped_off",
        &["in-person"],
        false,
        EventKind::Return,
    ),
    ev("refund_issued", &["email"], true, EventKind::Money),
    ev("replacement_shipped", &["email"], true, EventKind::Case),
    ev("care_email_sent", &["email"], true, EventKind::Order),
    ev(
        "review_posted",
        &["review", "web"],
        false,
        EventKind::Review,
    ),
    ev(
        "survey_answered",
        &["email", "web", "app", "sms"],
        false,
        EventKind::Survey,
    ),
    ev("customer_lapsed", &[], true, EventKind::Plain),
    ev("email_unsubscribed", &["email"], false, EventKind::Plain),
    ev(
        "help_search_performed",
        &["web", "app"],
        false,
        EventKind::HelpSearch,
    ),
    ev(
        "help_article_viewed",
        &["web", "app"],
        false,
        EventKind::Plain,
    ),
    ev("chat_started", &["chat"], false, EventKind::Contact),
    ev("call_started", &["phone"], false, EventKind::Contact),
    ev(
        "callback_scheduled",
        &["phone", "web"],
        false,
        EventKind::Contact,
    ),
    ev(
        "ticket_opened",
        &["email", "web", "social", "phone"],
        false,
        EventKind::Contact,
    ),
    ev("social_mention", &["social"], false, EventKind::Social),
    ev(
        "ticket_replied",
        &["email", "chat", "phone"],
        true,
        EventKind::Case,
    ),
    ev("ticket_reopened", &["email", "web"], false, EventKind::Case),
    ev("ticket_escalated", &[], true, EventKind::Case),
    ev(
        "ticket_resolved",
        &["email", "chat", "phone"],
        true,
        EventKind::Case,
    ),
    ev("follow_up_call_made", &["phone"], true, EventKind::Case),
    ev(
        "account_closed",
        &["web", "email", "phone"],
        false,
        EventKind::Plain,
    ),
    ev(
        "signup_page_viewed",
        &["web", "app"],
        false,
        EventKind::Campaign,
    ),
    ev("account_created", &["web", "app"], false, EventKind::Plain),
    ev("email_verified", &["email"], false, EventKind::Plain),
    ev(
        "profile_completed",
        &["web", "app"],
        false,
        EventKind::Plain,
    ),
    ev("integration_connected", &["web"], false, EventKind::Feature),
    ev("onboarding_email_sent", &["email"], true, EventKind::Plain),
    ev(
        "first_value_reached",
        &["web", "app"],
        false,
        EventKind::Feature,
    ),
    ev("trial_expired", &[], true, EventKind::Plain),
    ev(
        "subscription_started",
        &["web", "app"],
        false,
        EventKind::Subscription,
    ),
    ev(
        "onboarding_call_held",
        &["phone", "in-person"],
        true,
        EventKind::Plain,
    ),
    ev("setup_completed", &["web", "app"], false, EventKind::Plain),
    ev("client_import_started", &["web"], false, EventKind::Plain),
    ev("client_import_completed", &["web"], false, EventKind::Plain),
    ev(
        "payments_connected",
        &["web", "app"],
        false,
        EventKind::Plain,
    ),
    ev(
        "first_booking_received",
        &["web", "app"],
        false,
        EventKind::Plain,
    ),
    ev("feature_used", &["app", "web"], false, EventKind::Feature),
    ev(
        "team_member_invited",
        &["web", "app"],
        false,
        EventKind::Plain,
    ),
    ev(
        "health_check_held",
        &["in-person", "phone"],
        true,
        EventKind::Plain,
    ),
    ev(
        "business_review_held",
        &["in-person", "phone"],
        true,
        EventKind::Plain,
    ),
    ev(
        "renewal_reminder_sent",
        &["email"],
        true,
        EventKind::Subscription,
    ),
    ev("payment_failed", &["email"], true, EventKind::Subscription),
    ev(
        "cancellation_started",
        &["web", "app"],
        false,
        EventKind::Plain,
    ),
    ev("subscription_renewed", &[], true, EventKind::Subscription),
    ev(
        "subscription_cancelled",
        &["web", "email", "phone"],
        false,
        EventKind::Subscription,
    ),
    ev(
        "addon_offer_viewed",
        &["app", "web", "email"],
        false,
        EventKind::Addon,
    ),
    ev("addon_purchased", &["app", "web"], false, EventKind::Addon),
    ev(
        "plan_upgraded",
        &["web", "app"],
        false,
        EventKind::Subscription,
    ),
];

/// What the vocabulary knows about an event name.
pub(crate) fn event_info(name: &str) -> Option<&'static EventInfo> {
    EVENTS.iter().find(|e| e.name == name)
}

/// Events that are evidence of no step in a usual map: the background of real analytics data.
pub(crate) const NOISE_EVENTS: &[(&str, &[&str], Domain)] = &[
    ("page_viewed", &["web", "app"], Any),
    ("app_opened", &["app"], Any),
    ("newsletter_opened", &["email"], Any),
    ("email_link_clicked", &["email"], Any),
    ("push_notification_opened", &["app"], Any),
    ("login_succeeded", &["web", "app"], Any),
    ("settings_viewed", &["web", "app"], Any),
    ("wishlist_updated", &["web", "app"], Shop),
    ("store_locator_viewed", &["web"], Shop),
    ("report_exported", &["web"], Software),
    ("invoice_downloaded", &["web", "email"], Software),
];

/// The event name of surveys and reviews made up by the generator outside the map's steps.
pub(crate) const SURVEY_EVENT: &str = "survey_answered";
pub(crate) const REVIEW_EVENT: &str = "review_posted";

/// Values of a text column, for an event of the given kind (None: any kind).
pub(crate) fn text_values(column: &str, kind: Option<EventKind>) -> &'static [&'static str] {
    match (column, kind) {
        ("reason", Some(EventKind::Return)) => &["faulty", "damaged", "wrong_item", "changed_mind"],
        ("reason", Some(EventKind::Subscription)) => &[
            "price",
            "seasonal",
            "switched",
            "closed_business",
            "payment_failed",
        ],
        ("reason", _) => &[
            "product_question",
            "where_is_my_order",
            "delivery_problem",
            "faulty",
            "how_to",
            "calendar_sync",
            "payments",
            "onboarding",
        ],
        ("survey", _) => &["post_purchase", "support", "onboarding", "transactional"],
        ("payment_method", _) => &["card", "card", "card", "apple_pay", "google_pay"],
        ("product_category", _) => &["kitchen", "storage", "tableware", "textiles", "appliances"],
        ("campaign", _) => &[
            "autumn-catalogue-2026",
            "spring-sale-2026",
            "summer-social-2026",
            "black-friday-2025",
            "always-on-search",
        ],
        ("feature", _) => &[
            "calendar",
            "sms_reminders",
            "online_booking",
            "payments",
            "reports",
            "memberships",
        ],
        ("plan", _) => &["solo", "solo", "team", "multi_location"],
        ("addon", _) => &["memberships", "marketing_suite", "gift_cards"],
        ("channel" | "preferred_channel" | "signup_channel", _) => {
            &["web", "app", "email", "phone", "chat"]
        }
        ("acquisition_source", _) => &["catalogue", "social", "search", "referral"],
        ("industry", _) => &["hair", "beauty", "wellness", "health", "fitness"],
        ("initiator", _) => &["customer", "company"],
        ("country", _) => &["GB", "GB", "GB", "GB", "IE", "DE", "FR", "NL", "ES", "US"],
        _ => &[],
    }
}

/// The columns an event of this kind carries, beyond event, channel and initiator.
pub(crate) fn columns_of(kind: EventKind, name: &str) -> &'static [&'static str] {
    match kind {
        EventKind::Plain => &[],
        EventKind::Browse => &["product_category"],
        EventKind::Search | EventKind::HelpSearch | EventKind::Social => &["text"],
        EventKind::Money => match name {
            "cart_added" => &["product_category", "order_value", "order_id"],
            "payment_submitted" => &["order_value", "payment_method", "order_id"],
            "order_placed" => &["order_value", "order_count", "payment_method", "order_id"],
            _ => &["order_value", "order_id"],
        },
        EventKind::Order => &["order_id"],
        EventKind::Return => &["order_id", "reason"],
        EventKind::Contact => &["reason", "contact_count", "ticket_id", "text"],
        EventKind::Case => &["contact_count", "ticket_id"],
        EventKind::Survey => &["survey", "nps", "csat", "ces", "text"],
        EventKind::Review => &["rating", "text"],
        EventKind::Campaign => &["campaign"],
        EventKind::Subscription => match name {
            "subscription_cancelled" => &["plan", "reason"],
            "payment_failed" => &["plan"],
            _ => &["plan", "mrr"],
        },
        EventKind::Feature => &["feature"],
        EventKind::Addon => &["addon", "mrr"],
    }
}

/// The values a number column can take, where the vocabulary knows them.
pub(crate) fn number_domain(column: &str) -> Option<(f64, f64)> {
    Some(match column {
        "nps" => (0.0, 10.0),
        "csat" | "rating" => (1.0, 5.0),
        "ces" => (1.0, 7.0),
        "order_count" => (1.0, 40.0),
        "contact_count" => (1.0, 6.0),
        "age" => (18.0, 90.0),
        "team_size" => (1.0, 250.0),
        "order_value" => (1.0, 2000.0),
        "mrr" => (0.0, 5000.0),
        _ => return None,
    })
}

/// Whether a number column counts things: values near its lower bound are the most common.
pub(crate) fn is_count(column: &str) -> bool {
    column.ends_with("_count") || column == "team_size"
}

/// Columns the vocabulary knows to hold whole numbers.
pub(crate) fn is_integer_column(column: &str) -> bool {
    matches!(
        column,
        "nps" | "csat" | "ces" | "rating" | "order_count" | "contact_count" | "age" | "team_size"
    )
}

/// Columns the vocabulary knows to hold decimal numbers.
pub(crate) fn is_decimal_column(column: &str) -> bool {
    matches!(column, "order_value" | "mrr")
}

/// How a persona's customers feel when an outcome name says something went wrong: churn,
/// cancellation, lapsing, unsubscribing, complaints. Everything else is a good outcome.
pub(crate) fn is_bad_outcome(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "churn",
        "cancel",
        "lapse",
        "unsubscri",
        "complain",
        "closed",
        "lost",
        "downgrade",
        "refund",
        "detract",
        "leave",
        "left",
        "quit",
        "expire",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// Whether a bad outcome ends the relationship (after it, nothing good happens).
pub(crate) fn is_terminal_outcome(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["churn", "cancel", "closed", "lost", "leave", "left", "quit"]
        .iter()
        .any(|word| name.contains(word))
}

/// How common an outcome is relative to the others of its kind, from its name.
pub(crate) fn outcome_weight(name: &str) -> f64 {
    let name = name.to_ascii_lowercase();
    if name.contains("involuntary") {
        0.35
    } else if ["unsubscri", "complain", "upgrade", "cross"]
        .iter()
        .any(|word| name.contains(word))
    {
        0.6
    } else if name.contains("renew") {
        1.6
    } else {
        1.0
    }
}

/// Whether an event name looks like a contact with support, where repeat contacts happen.
pub(crate) fn is_contact_name(name: &str) -> bool {
    if let Some(info) = event_info(name) {
        return matches!(info.kind, EventKind::Contact | EventKind::Case);
    }
    ["chat", "call", "ticket", "contact", "complain", "support"]
        .iter()
        .any(|w| name.contains(w))
}

/// Whether an event name sounds like something the company sends or does.
pub(crate) fn sounds_company_initiated(name: &str) -> bool {
    if let Some(info) = event_info(name) {
        return info.by_company;
    }
    [
        "_sent",
        "_shipped",
        "_dispatched",
        "_issued",
        "_delivered",
        "_held",
        "_made",
        "_expired",
    ]
    .iter()
    .any(|suffix| name.ends_with(suffix))
}

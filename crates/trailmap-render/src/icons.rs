//! Channel icons as inline SVG symbols, one per [`Channel`], drawn on a 24×24 grid with
//! `currentColor` strokes so they take the colour of the text around them.
//!
//! Hand-drawn here rather than taken from an icon font or a file: the output must make no
//! request of any kind and stay byte-for-byte deterministic.

use std::fmt::{self, Write};

use trailmap_model::Channel;

/// The body of the icon for `channel`, in a 24×24 view box.
pub(crate) fn shape(channel: Channel) -> &'static str {
    match channel {
        Channel::Web => {
            r#"<circle cx="12" cy="12" r="9"/><ellipse cx="12" cy="12" rx="4" ry="9"/><path d="M3 12h18M4.6 7.5h14.8M4.6 16.5h14.8"/>"#
        }
        Channel::App => {
            r#"<rect x="6.5" y="2.5" width="11" height="19" rx="2.5"/><path d="M10.5 18.5h3"/>"#
        }
        Channel::Email => {
            r#"<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3.5 6.5 12 13l8.5-6.5"/>"#
        }
        Channel::Phone => {
            r#"<path d="M5 3.5h3.5l2 5-2.5 1.6a11 11 0 0 0 5.9 5.9l1.6-2.5 5 2v3.5a2 2 0 0 1-2 2A17 17 0 0 1 3 5.5a2 2 0 0 1 2-2z"/>"#
        }
        Channel::Chat => {
            r#"<path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4h0A2.5 2.5 0 0 1 4 13.5z"/><path d="M8 8.5h8M8 12h5"/>"#
        }
        Channel::Sms => {
            r#"<path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4h0A2.5 2.5 0 0 1 4 13.5z"/><circle cx="8.5" cy="9.5" r=".6"/><circle cx="12" cy="9.5" r=".6"/><circle cx="15.5" cy="9.5" r=".6"/>"#
        }
        Channel::Social => {
            r#"<circle cx="6" cy="12" r="2.5"/><circle cx="18" cy="5.5" r="2.5"/><circle cx="18" cy="18.5" r="2.5"/><path d="m8.2 10.8 7.6-4.1M8.2 13.2l7.6 4.1"/>"#
        }
        Channel::Review => {
            r#"<path d="m12 3 2.7 5.6 6.1.8-4.5 4.2 1.1 6.1L12 16.8l-5.4 2.9 1.1-6.1-4.5-4.2 6.1-.8z"/>"#
        }
        Channel::Print => {
            r#"<path d="M6 2.5h8.5l4 4V21.5H6z"/><path d="M14 2.5V7h4.5M9 11h6.5M9 14.5h6.5M9 18h4"/>"#
        }
        Channel::Store => {
            r#"<path d="M3.5 9 5 4h14l1.5 5M4.5 9v11.5h15V9M3.5 9h17"/><path d="M10 20.5v-6h4v6"/>"#
        }
        Channel::InPerson => {
            r#"<circle cx="12" cy="7.5" r="4"/><path d="M4.5 21a7.5 7.5 0 0 1 15 0"/>"#
        }
        Channel::Other => {
            r#"<circle cx="12" cy="12" r="9"/><circle cx="8" cy="12" r=".8"/><circle cx="12" cy="12" r=".8"/><circle cx="16" cy="12" r=".8"/>"#
        }
    }
}

/// The id of the symbol for `channel`.
pub(crate) fn symbol_id(channel: Channel) -> String {
    format!("tm-ch-{}", channel.as_str())
}

/// Writes one `<symbol>` per channel, to go inside a `<defs>` or a hidden `<svg>`.
pub(crate) fn write_symbols(out: &mut String) -> fmt::Result {
    for channel in Channel::ALL {
        write!(
            out,
            r#"<symbol id="{}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">{}</symbol>"#,
            symbol_id(channel),
            shape(channel)
        )?;
    }
    Ok(())
}

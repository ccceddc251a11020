//! Checks on user-given names and text, `LIKE` escaping, `@mention` extraction.

use crate::error::StoreError;

/// A URL-safe name: lowercase ASCII letters, digits and `-`, not starting or ending with `-`.
pub(crate) fn check_slug(field: &'static str, slug: &str, max: usize) -> Result<(), StoreError> {
    let ok_chars = slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if slug.is_empty()
        || slug.len() > max
        || !ok_chars
        || slug.starts_with('-')
        || slug.ends_with('-')
    {
        return Err(StoreError::invalid(
            field,
            format!("use 1 to {max} lowercase letters, digits and '-' (not at either end)"),
        ));
    }
    Ok(())
}

/// A `@handle`: lowercase ASCII letters, digits, `_`, `.`, `-`; 1 to 40 characters.
pub(crate) fn check_handle(handle: &str) -> Result<(), StoreError> {
    if handle.is_empty() || handle.len() > 40 || !handle.bytes().all(is_handle_byte) {
        return Err(StoreError::invalid(
            "handle",
            "use 1 to 40 lowercase letters, digits, '_', '.' or '-'",
        ));
    }
    Ok(())
}

fn is_handle_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-')
}

/// Trimmed text of 1 to `max` characters.
pub(crate) fn check_text<'a>(
    field: &'static str,
    text: &'a str,
    max: usize,
) -> Result<&'a str, StoreError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(StoreError::invalid(field, "must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(StoreError::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if trimmed.contains('\0') {
        return Err(StoreError::invalid(
            field,
            "must not contain NUL characters",
        ));
    }
    Ok(trimmed)
}

/// A plausible email: one `@` with something on both sides, no spaces, at most 254 bytes.
/// Returned trimmed and lowercased.
pub(crate) fn normalize_email(email: &str) -> Result<String, StoreError> {
    let email = email.trim().to_lowercase();
    let plausible = email.len() <= 254
        && !email.contains(|c: char| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !domain.contains('@')
        });
    if !plausible {
        return Err(StoreError::invalid(
            "email",
            "expected an address like name@example.com",
        ));
    }
    Ok(email)
}

/// The `LIKE` pattern that matches `query` anywhere, with `%`, `_` and `\` in it matched
/// literally (used with `ESCAPE '\'`). Lowercased as the database's `LOWER()` does, since both
/// sides of the match are lowered: every letter (`unicode`, PostgreSQL) or ASCII only (SQLite).
pub(crate) fn like_contains(query: &str, unicode: bool) -> String {
    let lowered = if unicode {
        query.to_lowercase()
    } else {
        query.to_ascii_lowercase()
    };
    let mut pattern = String::with_capacity(lowered.len() + 2);
    pattern.push('%');
    for c in lowered.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The distinct `@handles` named in a comment, lowercased, in order of first appearance.
/// A mention starts at `@` not preceded by a handle character (so `a@b.com` is no mention).
pub(crate) fn mentions(body: &str) -> Vec<String> {
    let bytes = body.as_bytes();
    let mut found: Vec<String> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts =
            bytes[i] == b'@' && (i == 0 || !is_handle_byte(bytes[i - 1].to_ascii_lowercase()));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < bytes.len() && is_handle_byte(bytes[end].to_ascii_lowercase()) {
            end += 1;
        }
        // A sentence may end right after a mention: "thanks @ana." names "ana".
        let mut handle = body[i + 1..end].to_ascii_lowercase();
        while handle.ends_with(['.', '-']) {
            handle.pop();
        }
        if !handle.is_empty() && handle.len() <= 40 && !found.contains(&handle) {
            found.push(handle);
        }
        i = end.max(i + 1);
    }
    found
}

/// The first line of `text` containing `query` (case-insensitively), trimmed, at most 200 characters.
pub(crate) fn snippet(text: &str, query: &str) -> Option<String> {
    let needle = query.to_lowercase();
    let line = text.lines().find(|l| l.to_lowercase().contains(&needle))?;
    Some(line.trim().chars().take(200).collect())
}

/// The first `n` characters of `text`, with an ellipsis if cut.
pub(crate) fn excerpt(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_contains("50%_off", true), "%50\\%\\_off%");
        assert_eq!(like_contains("a\\b", true), "%a\\\\b%");
        assert_eq!(like_contains("Checkout", true), "%checkout%");
        assert_eq!(
            like_contains("'; DROP TABLE maps; --", true),
            "%'; drop table maps; --%"
        );
        assert_eq!(like_contains("Éclair", true), "%éclair%");
        assert_eq!(like_contains("Éclair", false), "%Éclair%");
    }

    #[test]
    fn mentions_are_found_once_each() {
        assert_eq!(
            mentions("@ana please ask @Bo.Li and @ana."),
            ["ana", "bo.li"]
        );
        assert_eq!(mentions("mail me at x@example.com"), Vec::<String>::new());
        assert_eq!(mentions("@ @@ (@zoe)"), ["zoe"]);
        assert_eq!(mentions("ünïcode @jo_2, ok"), ["jo_2"]);
    }

    #[test]
    fn names_are_checked() {
        assert!(check_slug("slug", "checkout-2", 80).is_ok());
        for bad in ["", "-a", "a-", "Ab", "a b", "a/b", "a%"] {
            assert!(check_slug("slug", bad, 80).is_err(), "{bad:?}");
        }
        assert!(check_handle("ana.li_2").is_ok());
        assert!(check_handle("Ana").is_err());
        assert_eq!(
            normalize_email(" Ana@Example.COM ").unwrap(),
            "ana@example.com"
        );
        for bad in ["ana", "@x", "a@", "a b@x", "a@b@c", "a\0@b", "a@b\u{7}"] {
            assert!(normalize_email(bad).is_err(), "{bad:?}");
        }
        assert_eq!(check_text("title", "  T  ", 10).unwrap(), "T");
        assert!(check_text("title", "   ", 10).is_err());
        assert!(check_text("title", "a\0b", 10).is_err());
    }

    #[test]
    fn snippets_and_excerpts() {
        assert_eq!(
            snippet("a: 1\n  title: Pay NOW\n", "pay").as_deref(),
            Some("title: Pay NOW")
        );
        assert_eq!(snippet("a", "z"), None);
        assert_eq!(excerpt("hello world", 5), "hello…");
        assert_eq!(excerpt("hi", 5), "hi");
    }
}

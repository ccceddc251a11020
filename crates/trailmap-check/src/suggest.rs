//! "Did you mean" suggestions for names looked up in a closed set.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let name_lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let score =
                strsim::normalized_damerau_levenshtein(&name_lower, &candidate.to_lowercase())
                    .max(strsim::jaro_winkler(&name_lower, &candidate.to_lowercase()) - 0.25);
            (candidate, score)
        })
        .filter(|&(_, score)| score >= 0.5)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(candidate, _)| candidate)
}

/// A `help:` text: "did you mean `x`?" when one is close, else the valid values when they are
/// few enough to list.
pub(crate) fn help(name: &str, candidates: &[&str], what: &str) -> Option<String> {
    if let Some(best) = closest(name, candidates.iter().copied()) {
        return Some(format!("did you mean `{best}`?"));
    }
    if candidates.is_empty() {
        return None;
    }
    if candidates.len() <= 16 {
        let list = candidates
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return Some(format!("{what}: {list}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_not_strangers() {
        let keys = ["emotion", "does", "goal", "thinks", "feels"];
        assert_eq!(closest("emoton", keys), Some("emotion"));
        assert_eq!(closest("feel", keys), Some("feels"));
        assert_eq!(closest("Goal", keys), Some("goal"));
        assert_eq!(closest("xyzzy", keys), None);
    }
}

//! Tests of the VADER port: scores computed by the Python package (`reference.tsv`), the
//! lexicon sizes, the "but" rule's two code paths, and no panic on random input.

use super::lexicon::lexicons;
use super::{
    ButSplit, Scores, but_rescale_indexed, but_rescale_scan, compound, is_negative, scores,
};

const REFERENCE: &str = include_str!("reference.tsv");

/// Undoes `escape` in `make_reference.py`.
fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                let code = u32::from_str_radix(&hex, 16).expect("reference.tsv: bad \\u{} escape");
                out.push(char::from_u32(code).expect("reference.tsv: \\u{} is not a char"));
            }
            other => panic!("reference.tsv: unknown escape \\{other:?}"),
        }
    }
    out
}

fn reference() -> Vec<(String, Scores)> {
    REFERENCE
        .lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [text, neg, neu, pos, compound] = fields[..] else {
                panic!("reference.tsv: expected 5 fields in {line:?}");
            };
            let number = |field: &str| field.parse::<f64>().expect("reference.tsv: bad number");
            let expected = Scores {
                neg: number(neg),
                neu: number(neu),
                pos: number(pos),
                compound: number(compound),
            };
            (unescape(text), expected)
        })
        .collect()
}

#[test]
fn matches_python_reference() {
    let reference = reference();
    assert!(
        reference.len() >= 60,
        "reference.tsv has only {} texts",
        reference.len()
    );
    let mut mismatches = Vec::new();
    for (text, expected) in &reference {
        let actual = scores(text);
        let close = |a: f64, b: f64, tolerance: f64| (a - b).abs() <= tolerance;
        if !close(actual.compound, expected.compound, 1e-4)
            || !close(actual.neg, expected.neg, 1e-3)
            || !close(actual.neu, expected.neu, 1e-3)
            || !close(actual.pos, expected.pos, 1e-3)
        {
            mismatches.push(format!(
                "{text:?}\n  python: {expected:?}\n  rust:   {actual:?}"
            ));
        }
        assert_eq!(compound(text), actual.compound);
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn negative_threshold() {
    assert!(is_negative(-0.05));
    assert!(is_negative(-1.0));
    assert!(!is_negative(-0.0499));
    assert!(!is_negative(0.0));
    assert!(is_negative(compound(
        "The delivery was late and the driver was rude."
    )));
    assert!(!is_negative(compound("The delivery was on time.")));
}

#[test]
fn lexicon_sizes() {
    let lexicons = lexicons();
    // 7,520 lines, 14 of them repeating an earlier token.
    let n_lexicon = lexicons
        .words
        .values()
        .filter(|entry| entry.valence.is_some())
        .count();
    assert_eq!(n_lexicon, 7506);
    let n_boosters = lexicons
        .words
        .values()
        .filter(|entry| entry.booster.is_some())
        .count();
    assert_eq!(n_boosters, 81);
    let n_negations = lexicons
        .words
        .values()
        .filter(|entry| entry.is_negation)
        .count();
    assert_eq!(n_negations, 59);
    assert_eq!(
        lexicons.words.get("good").and_then(|entry| entry.valence),
        Some(1.9)
    );
    assert_eq!(
        lexicons.words.get("}:-)").and_then(|entry| entry.valence),
        Some(0.3)
    );
    // Emoji lexicon entries of exactly one code point.
    assert_eq!(lexicons.emoji.len(), 1212);
    assert_eq!(
        lexicons.emoji.get(&'😁'),
        Some(&"beaming face with smiling eyes")
    );
}

/// A seeded xorshift64* generator, enough for test inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn but_rule_scan_and_index_agree() {
    // Few distinct values, so that equal sentiments, the case Python's `list.index` treats
    // specially, are common.
    let values = [1.9, -1.9, 0.95, 2.85, 0.475, -2.5, 1.25, 3.75];
    let mut rng = Rng(0x5eed_0001);
    for _ in 0..2000 {
        let len = 1 + rng.below(80);
        let sentiments: Vec<f64> = (0..len).map(|_| values[rng.below(values.len())]).collect();
        let split = ButSplit {
            n_before: rng.below(len + 1),
            at_but: rng.below(4) == 0,
        };
        let mut scanned = sentiments.clone();
        but_rescale_scan(&mut scanned, split);
        let mut indexed = sentiments.clone();
        but_rescale_indexed(&mut indexed, split);
        assert_eq!(scanned, indexed, "sentiments {sentiments:?}, {split:?}");
    }
}

#[test]
fn never_panics_on_random_text() {
    let pieces = [
        "good",
        "bad",
        "not",
        "NOT",
        "very",
        "VERY",
        "but",
        "no",
        "never",
        "so",
        "this",
        "least",
        "at",
        "kind",
        "of",
        "sort",
        "the",
        "shit",
        "without",
        "doubt",
        "isn't",
        "n't",
        ":)",
        ":-(",
        "😁",
        "👍",
        "❤",
        "\u{fe0f}",
        "\u{200d}",
        "🇫🇷",
        "!",
        "?",
        "...",
        "'",
        "\"",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\u{1c}",
        "\u{a0}",
        "\u{3000}",
        "\u{0}",
        "\u{7f}",
        "\u{212a}",
        "Σ",
        "İ",
        "ǅ",
        "é",
        "e\u{301}",
        "日本",
        "\u{10ffff}",
        "\u{fffd}",
    ];
    let mut rng = Rng(0x5eed_0002);
    for round in 0..20_000 {
        let mut text = String::new();
        let n_pieces = if round % 500 == 0 {
            20_000
        } else {
            rng.below(40)
        };
        for _ in 0..n_pieces {
            if rng.below(4) == 0 {
                // Any Unicode scalar value.
                let c = char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{fffd}');
                text.push(c);
            } else {
                text.push_str(pieces[rng.below(pieces.len())]);
            }
        }
        let result = scores(&text);
        let Scores {
            neg,
            neu,
            pos,
            compound,
        } = result;
        assert!((-1.0..=1.0).contains(&compound), "{text:?}: {result:?}");
        for share in [neg, neu, pos] {
            assert!((0.0..=1.0).contains(&share), "{text:?}: {result:?}");
        }
        let total = neg + neu + pos;
        assert!(
            total == 0.0 || (total - 1.0).abs() <= 0.002,
            "{text:?}: {result:?}"
        );
    }
}

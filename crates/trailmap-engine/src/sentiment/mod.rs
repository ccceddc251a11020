//! Sentiment of free customer text (reviews, chat messages, emails): an offline port of VADER.
//!
//! VADER (Valence Aware Dictionary and sEntiment Reasoner; Hutto & Gilbert, "VADER: A
//! Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM 2014) is a
//! lexicon of about 7,500 English words, emoticons and slang rated by people from -4 (most
//! negative) to +4 (most positive), plus a few rules for what changes a word's weight:
//!
//! - boosters and dampeners before a word ("very good", "slightly good"), weaker with distance;
//! - negation in the three words before it ("not good", "isn't good", "never really good"):
//!   the valence is multiplied by -0.74; "no" negates the next lexicon word; "least" negates
//!   unless it follows "at" or "very"; "never so/this" boosts instead; "without doubt" does not
//!   negate;
//! - "but": words before it count half, words after it one and a half times;
//! - a word in ALL CAPS among words that are not gets +0.733 in its direction;
//! - "!" (up to four) and "?" (two or more) amplify the sum;
//! - idioms: "kind of" and "sort of" dampen; "the shit", "the bomb", "bad ass", "yeah right",
//!   "kiss of death", "to die for", "beating heart" and "bus stop" replace the word's valence;
//! - single-code-point emoji are replaced by their English description from a second lexicon
//!   ("😁" becomes "beaming face with smiling eyes"), which is then scored like any text.
//!
//! The sum of the word valences is normalized to the **compound** score
//! `sum / sqrt(sum² + 15)`, between -1 (most negative) and +1 (most positive); 0 means no
//! sentiment-bearing word at all. [`scores`] also returns `neg`, `neu` and `pos`, the shares of
//! the text that are negative, neutral and positive (they add up to about 1).
//! [`is_negative`] applies VADER's usual threshold: a compound of -0.05 or below is negative
//! (and 0.05 or above positive; in between, neutral).
//!
//! # Source, licence and faithfulness
//!
//! This is a port of the `vaderSentiment` Python package 3.3.2 (C.J. Hutto, MIT licence; see
//! `LICENSE-vader.txt` beside this file). Its two data files, `vader_lexicon.txt` and
//! `emoji_utf8_lexicon.txt`, are shipped here unchanged, compiled into the binary with
//! `include_str!` and parsed once, on first use. The rules follow the Python code line by line,
//! including its quirks, which matter for reproducing its numbers: the "but" rule finds each
//! sentiment by value (`list.index`), so of two equal sentiments only the first is rescaled, and
//! the emoji description is glued to a following non-space character. Scores are rounded as
//! Python rounds them (compound to 4 decimals, the shares to 3). `reference.tsv` holds scores
//! computed by the Python package (`make_reference.py` regenerates it) and the tests require
//! every one to match within 1e-4. Two differences can remain, both below the rounding in
//! practice: the sum is taken left to right as in CPython 3.11 (3.12 compensates its `sum`), and
//! upper/lower case and whitespace follow Rust's Unicode tables, which may be newer than
//! Python's.
//!
//! # Performance
//!
//! The lexicons are parsed on the first call (about 1.5 ms). After that a text costs one pass
//! to split it into words, one hash lookup per word and a few comparisons around each lexicon
//! word; word buffers are kept per thread, so scoring allocates nothing in the steady state.
//! That is over a million short messages per second on one core of the development machine.
//!
//! # Limits
//!
//! - English only. Other languages score 0 unless they share words with the English lexicon
//!   (emoticons, emoji and loan words still count).
//! - No sarcasm or irony ("great, another outage" scores +0.62), no world knowledge, and
//!   negation only reaches three words back.
//! - The lexicon was built on social-media text, not support tickets. Many domain words carry
//!   no sentiment ("The app keeps crashing" and "outage" score 0; "I want a refund" is slightly
//!   positive, from "want"), and some neutral product terms do ("my card was charged twice" is
//!   negative from "charged", "Please cancel my order" mixed). Pair the score with the event
//!   data rather than trusting it alone.
//! - It scores a whole text as one unit. Like the Python package, it works best on sentences or
//!   short messages; for long emails, scoring sentence by sentence and averaging is closer to
//!   the original study.
//! - An emoji counts only through the words of its description: "😁" ("beaming face with
//!   smiling eyes") is positive, but "👍" ("thumbs up") and "😡" ("pouting face") score 0.
//!   Emoji of several code points (flags, skin tones, ZWJ sequences) are looked up one code
//!   point at a time, as in Python, so only their base emoji counts.

mod lexicon;
mod tokens;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use lexicon::{C_INCR, N_SCALAR, booster_phrase, lexicons, special_case};
use tokens::{Word, Words};

/// The four VADER scores of a text.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scores {
    /// Share of the text that is negative, in [0, 1], rounded to 3 decimals.
    pub neg: f64,
    /// Share of the text that is neutral, in [0, 1], rounded to 3 decimals.
    pub neu: f64,
    /// Share of the text that is positive, in [0, 1], rounded to 3 decimals.
    pub pos: f64,
    /// Normalized sum of the valences, in [-1, 1], rounded to 4 decimals.
    pub compound: f64,
}

/// VADER compound score of `text`, from -1 (most negative) to 1 (most positive).
///
/// ```
/// use trailmap_engine::sentiment::{compound, is_negative};
/// assert!(compound("The support team was very helpful!") > 0.5);
/// assert!(is_negative(compound("The driver was rude and the parcel arrived broken.")));
/// // Domain words are not in the lexicon: this scores 0.
/// assert_eq!(compound("The app keeps crashing"), 0.0);
/// ```
pub fn compound(text: &str) -> f64 {
    scores(text).compound
}

/// Whether a compound score counts as negative (VADER's convention: compound <= -0.05).
pub fn is_negative(compound: f64) -> bool {
    compound <= -0.05
}

/// The full VADER scores (neg, neu, pos, compound) of `text`.
pub fn scores(text: &str) -> Scores {
    // The buffers are a cache: scoring does not depend on what they held before.
    SCRATCH
        .try_with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => scratch.scores(text),
            Err(_) => Scratch::default().scores(text),
        })
        .unwrap_or_else(|_| Scratch::default().scores(text))
}

thread_local! {
    /// Per-thread buffers, so that scoring a text allocates nothing once they have grown (the
    /// engine scores millions of short texts).
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// Buffers kept above this size (a few very long texts) are dropped after use.
const SCRATCH_MAX_BYTES: usize = 1 << 20;

#[derive(Default)]
struct Scratch {
    words: Words,
    sentiments: Vec<f64>,
    but: ButScratch,
}

impl Scratch {
    fn scores(&mut self, text: &str) -> Scores {
        let lexicons = lexicons();
        // Python also strips the text here; that changes neither the words nor the count of
        // '!' and '?', so it is skipped.
        let text = translate_emoji(text, &lexicons.emoji);
        self.words.fill(&text, lexicons);
        let words = &self.words;
        let n_words = words.len();
        self.sentiments.clear();
        for (idx, word) in words.words.iter().enumerate() {
            let is_kind_of =
                idx + 1 < n_words && words.lower(idx) == "kind" && words.lower(idx + 1) == "of";
            let valence = if word.entry.booster.is_some() || is_kind_of {
                // Modifiers carry no valence of their own; they act on the word after them.
                0.0
            } else {
                word_valence(words, word, idx)
            };
            self.sentiments.push(valence);
        }
        self.but.but_check(words, &mut self.sentiments);
        let scores = score_valence(&self.sentiments, &text);
        let retained = self.words.retained_bytes()
            + self.sentiments.capacity() * size_of::<f64>()
            + self.but.retained_bytes();
        if retained > SCRATCH_MAX_BYTES {
            *self = Scratch::default();
        }
        scores
    }
}

/// `polarity_scores`' first step: every character found in the emoji lexicon is replaced by
/// its description, preceded by a space unless the previous character was a space. Only the
/// ASCII space counts as one there, and no space is added after the description.
fn translate_emoji<'a>(text: &'a str, emoji: &FxHashMap<char, &str>) -> Cow<'a, str> {
    if text.is_ascii() {
        // No emoji lexicon entry is ASCII.
        return Cow::Borrowed(text);
    }
    let Some(first) = text.find(|c: char| !c.is_ascii() && emoji.contains_key(&c)) else {
        return Cow::Borrowed(text);
    };
    let (before, rest) = text.split_at(first);
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(before);
    let mut prev_space = before.is_empty() || before.ends_with(' ');
    for c in rest.chars() {
        if let Some(description) = emoji.get(&c) {
            if !prev_space {
                out.push(' ');
            }
            out.push_str(description);
            prev_space = false;
        } else {
            out.push(c);
            prev_space = c == ' ';
        }
    }
    Cow::Owned(out)
}

/// `sentiment_valence`: the valence of word `idx` after boosters, caps, negation and idioms.
fn word_valence(words: &Words, word: &Word, idx: usize) -> f64 {
    let Some(lexicon_valence) = word.entry.valence else {
        return 0.0;
    };
    let mut valence = lexicon_valence;
    // "no" before another lexicon word is a negation, not a sentiment of its own.
    if words.lower(idx) == "no" && idx + 1 != words.len() && words.in_lexicon(idx + 1) {
        valence = 0.0;
    }
    if (idx > 0 && words.lower(idx - 1) == "no")
        || (idx > 1 && words.lower(idx - 2) == "no")
        || (idx > 2 && words.lower(idx - 3) == "no" && matches!(words.lower(idx - 1), "or" | "nor"))
    {
        valence = lexicon_valence * N_SCALAR;
    }
    if word.is_upper && words.is_cap_diff {
        if valence > 0.0 {
            valence += C_INCR;
        } else {
            valence -= C_INCR;
        }
    }
    for start_idx in 0..3 {
        // Only words outside the lexicon can modify: up to three words back, the scalar of a
        // booster is dampened with distance (1, 0.95, 0.9).
        if idx > start_idx && !words.in_lexicon(idx - (start_idx + 1)) {
            let modifier = &words.words[idx - (start_idx + 1)];
            let mut scalar = scalar_inc_dec(modifier, valence, words.is_cap_diff);
            if start_idx == 1 && scalar != 0.0 {
                scalar *= 0.95;
            }
            if start_idx == 2 && scalar != 0.0 {
                scalar *= 0.9;
            }
            valence += scalar;
            valence = negation_check(valence, words, start_idx, idx);
            if start_idx == 2 {
                valence = special_idioms_check(valence, words, idx);
            }
        }
    }
    least_check(valence, words, idx)
}

/// `scalar_inc_dec`: the booster increment of `modifier`, signed like `valence`, plus the caps
/// emphasis if the booster itself is in ALL CAPS.
fn scalar_inc_dec(modifier: &Word, valence: f64, is_cap_diff: bool) -> f64 {
    let Some(mut scalar) = modifier.entry.booster else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if modifier.is_upper && is_cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

/// `_negation_check`: the word `start_idx + 1` places before `idx` negates (or, for "never so"
/// and "never this", boosts). Callers guarantee `idx > start_idx`.
fn negation_check(valence: f64, words: &Words, start_idx: usize, idx: usize) -> f64 {
    let is_so_or_this = |word: &str| matches!(word, "so" | "this");
    let negates = |back: usize| {
        words
            .words
            .get(idx - back)
            .is_some_and(|word| word.is_negation)
    };
    match start_idx {
        0 if negates(1) => valence * N_SCALAR,
        1 => {
            if words.lower(idx - 2) == "never" && is_so_or_this(words.lower(idx - 1)) {
                valence * 1.25
            } else if words.lower(idx - 2) == "without" && words.lower(idx - 1) == "doubt" {
                valence
            } else if negates(2) {
                valence * N_SCALAR
            } else {
                valence
            }
        }
        2 => {
            // Python's precedence: `never and (so or this) or (so or this)`.
            if (words.lower(idx - 3) == "never" && is_so_or_this(words.lower(idx - 2)))
                || is_so_or_this(words.lower(idx - 1))
            {
                valence * 1.25
            } else if words.lower(idx - 3) == "without"
                && (words.lower(idx - 2) == "doubt" || words.lower(idx - 1) == "doubt")
            {
                valence
            } else if negates(3) {
                valence * N_SCALAR
            } else {
                valence
            }
        }
        _ => valence,
    }
}

/// `_special_idioms_check`, called with `idx >= 3`: idioms around the word replace its
/// valence, and "kind of", "sort of" and "just enough" before it dampen it.
fn special_idioms_check(mut valence: f64, words: &Words, idx: usize) -> f64 {
    let [w3, w2, w1, w0] = [idx - 3, idx - 2, idx - 1, idx].map(|i| words.lower(i));
    let before: [&[&str]; 5] = [
        &[w1, w0],
        &[w2, w1, w0],
        &[w2, w1],
        &[w3, w2, w1],
        &[w3, w2],
    ];
    if let Some(idiom) = before.into_iter().find_map(special_case) {
        valence = idiom;
    }
    if words.len() - 1 > idx
        && let Some(idiom) = special_case(&[w0, words.lower(idx + 1)])
    {
        valence = idiom;
    }
    if words.len() - 1 > idx + 1
        && let Some(idiom) = special_case(&[w0, words.lower(idx + 1), words.lower(idx + 2)])
    {
        valence = idiom;
    }
    // The three-word n-gram of Python's list can never match a two-word booster phrase.
    for n_gram in [[w3, w2], [w2, w1]] {
        if let Some(increment) = booster_phrase(&n_gram) {
            valence += increment;
        }
    }
    valence
}

/// `_least_check`: "least" before a word negates it, except in "at least" and "very least".
fn least_check(valence: f64, words: &Words, idx: usize) -> f64 {
    let least_before = idx > 0 && !words.in_lexicon(idx - 1) && words.lower(idx - 1) == "least";
    if !least_before {
        return valence;
    }
    if idx > 1 && matches!(words.lower(idx - 2), "at" | "very") {
        valence
    } else {
        valence * N_SCALAR
    }
}

/// Number of non-zero sentiments up to which [`ButScratch::but_check`] scans instead of
/// indexing by value: a scan costs about n²/2 comparisons, the index a few allocations per value.
const BUT_SCAN_MAX: usize = 512;

/// Buffers of the "but" rule.
#[derive(Default)]
struct ButScratch {
    /// The non-zero sentiments, in order...
    values: Vec<f64>,
    /// ...and their word indices.
    word_idxs: Vec<usize>,
}

impl ButScratch {
    /// `_but_check`: sentiments before the first "but" are halved, those after it multiplied
    /// by 1.5.
    ///
    /// Python walks the list and finds each sentiment's position with `list.index(value)`, i.e.
    /// the first *equal* value, which may be an earlier, already rescaled entry. That is
    /// reproduced exactly. Zeros are left out, since rescaling a zero changes nothing; above [`BUT_SCAN_MAX`] non-zero sentiments, an index from
    /// value to positions keeps the cost at O(n log n) instead of quadratic.
    fn but_check(&mut self, words: &Words, sentiments: &mut [f64]) {
        let Some(but_idx) = (0..words.len()).find(|&idx| words.lower(idx) == "but") else {
            return;
        };
        self.values.clear();
        self.word_idxs.clear();
        for (word_idx, &sentiment) in sentiments.iter().enumerate() {
            if sentiment != 0.0 {
                self.values.push(sentiment);
                self.word_idxs.push(word_idx);
            }
        }
        // The rule only compares a word's index with the index of "but", so it can be given as
        // the number of non-zero sentiments before "but" ("but" itself has none).
        let n_before = self
            .word_idxs
            .partition_point(|&word_idx| word_idx < but_idx);
        let at_but = self.word_idxs.get(n_before) == Some(&but_idx);
        let split = ButSplit { n_before, at_but };
        if self.values.len() <= BUT_SCAN_MAX {
            but_rescale_scan(&mut self.values, split);
        } else {
            but_rescale_indexed(&mut self.values, split);
        }
        for (&word_idx, &value) in self.word_idxs.iter().zip(&self.values) {
            if let Some(sentiment) = sentiments.get_mut(word_idx) {
                *sentiment = value;
            }
        }
    }

    fn retained_bytes(&self) -> usize {
        self.values.capacity() * size_of::<f64>() + self.word_idxs.capacity() * size_of::<usize>()
    }
}

/// Where "but" is among the non-zero sentiments.
#[derive(Debug, Clone, Copy)]
struct ButSplit {
    /// Number of non-zero sentiments before "but".
    n_before: usize,
    /// Whether entry `n_before` is the sentiment of "but" itself, which is left as it is ("but"
    /// is not in the lexicon, so this is never the case with the shipped one).
    at_but: bool,
}

impl ButSplit {
    fn factor(self, idx: usize) -> Option<f64> {
        if idx < self.n_before {
            Some(0.5)
        } else if idx == self.n_before && self.at_but {
            None
        } else {
            Some(1.5)
        }
    }
}

/// The rule by scanning. Entry `k` still holds its original value at step `k`, because step `j`
/// writes at an index no greater than `j`; so the first equal value is found in `..=k`.
fn but_rescale_scan(values: &mut [f64], split: ButSplit) {
    for k in 0..values.len() {
        let value = values[k];
        let first = values[..=k]
            .iter()
            .position(|&other| other == value)
            .unwrap_or(k);
        if let Some(factor) = split.factor(first) {
            values[first] = value * factor;
        }
    }
}

/// The rule with an index from value to the positions holding it.
fn but_rescale_indexed(values: &mut [f64], split: ButSplit) {
    // Non-zero, non-NaN floats are equal exactly when their bits are.
    let mut by_value: FxHashMap<u64, BTreeSet<usize>> = FxHashMap::default();
    for (idx, value) in values.iter().enumerate() {
        by_value.entry(value.to_bits()).or_default().insert(idx);
    }
    for k in 0..values.len() {
        let value = values[k];
        let Some(positions) = by_value.get_mut(&value.to_bits()) else {
            continue;
        };
        let Some(first) = positions.first().copied() else {
            continue;
        };
        let Some(factor) = split.factor(first) else {
            continue;
        };
        positions.remove(&first);
        let rescaled = value * factor;
        values[first] = rescaled;
        by_value
            .entry(rescaled.to_bits())
            .or_default()
            .insert(first);
    }
}

/// `score_valence`: sums the sentiments, adds the punctuation emphasis, and normalizes.
fn score_valence(sentiments: &[f64], text: &str) -> Scores {
    if sentiments.is_empty() {
        return Scores::default();
    }
    // A plain left-to-right sum, as Python's `sum` (before 3.12) does.
    let mut sum: f64 = 0.0;
    for &sentiment in sentiments {
        sum += sentiment;
    }
    let emphasis = punctuation_emphasis(text);
    if sum > 0.0 {
        sum += emphasis;
    } else if sum < 0.0 {
        sum -= emphasis;
    }
    let compound = normalize(sum);

    let mut pos_sum: f64 = 0.0;
    let mut neg_sum: f64 = 0.0;
    let mut neu_count: usize = 0;
    for &sentiment in sentiments {
        // The +1 and -1 compensate for neutral words, which count as 1 each.
        if sentiment > 0.0 {
            pos_sum += sentiment + 1.0;
        }
        if sentiment < 0.0 {
            neg_sum += sentiment - 1.0;
        }
        if sentiment == 0.0 {
            neu_count += 1;
        }
    }
    if pos_sum > neg_sum.abs() {
        pos_sum += emphasis;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= emphasis;
    }
    let total = pos_sum + neg_sum.abs() + neu_count as f64;
    Scores {
        neg: round_like_python((neg_sum / total).abs(), 3),
        neu: round_like_python((neu_count as f64 / total).abs(), 3),
        pos: round_like_python((pos_sum / total).abs(), 3),
        compound: round_like_python(compound, 4),
    }
}

/// Emphasis from "!" (0.292 each, at most four) and "?" (0.18 each for two or three, 0.96 for
/// more; a single "?" adds nothing).
fn punctuation_emphasis(text: &str) -> f64 {
    let (mut n_exclamations, mut n_questions) = (0usize, 0usize);
    for byte in text.bytes() {
        n_exclamations += usize::from(byte == b'!');
        n_questions += usize::from(byte == b'?');
    }
    let exclamation = n_exclamations.min(4) as f64 * 0.292;
    let question = match n_questions {
        0 | 1 => 0.0,
        2 | 3 => n_questions as f64 * 0.18,
        _ => 0.96,
    };
    exclamation + question
}

/// `normalize`: maps a sum of valences into [-1, 1]; 15 approximates the largest expected sum.
fn normalize(score: f64) -> f64 {
    (score / (score * score + 15.0).sqrt()).clamp(-1.0, 1.0)
}

/// Python's `round(x, decimals)`: the decimal nearest to the exact binary value of `x`, ties to
/// even, as the nearest `f64`.
///
/// `(x * 10^d).round()` is wrong only when the product's rounding error moves it across a
/// half; there the exact product `y + error` (the error is exact by `mul_add`) decides.
fn round_like_python(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    let scaled = x * scale;
    if !scaled.is_finite() {
        return x;
    }
    let floor = scaled.floor();
    let above_half = scaled - floor - 0.5;
    let rounded = if above_half.abs() > 1e-6 {
        scaled.round()
    } else {
        let error = x.mul_add(scale, -scaled);
        let exact_above_half = above_half + error;
        if exact_above_half > 0.0 {
            floor + 1.0
        } else if exact_above_half < 0.0 {
            floor
        } else {
            scaled.round_ties_even()
        }
    };
    rounded / scale
}

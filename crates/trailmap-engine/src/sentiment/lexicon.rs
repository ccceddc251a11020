//! The word lists of VADER: the two lexicon files shipped next to this module, parsed once, and
//! the constant tables (boosters, negations, special idioms) copied from `vaderSentiment.py`
//! 3.3.2.
//!
//! Everything a rule may ask about a single word (its valence, its booster increment, whether
//! it negates) is merged into one map at start-up, so a word costs one hash lookup. The
//! multi-word tables are `match` statements on word slices.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// Mean increase in intensity for a booster word ("very"), `B_INCR` in Python.
pub(super) const B_INCR: f64 = 0.293;
/// Mean decrease for a dampener word ("slightly"), `B_DECR` in Python.
pub(super) const B_DECR: f64 = -0.293;
/// Increase for a word in ALL CAPS among words that are not, `C_INCR` in Python.
pub(super) const C_INCR: f64 = 0.733;
/// Factor applied to a negated word, `N_SCALAR` in Python.
pub(super) const N_SCALAR: f64 = -0.74;

/// The word lexicon: one `token<TAB>mean valence<TAB>std dev<TAB>ten ratings` line per entry.
const VADER_LEXICON: &str = include_str!("vader_lexicon.txt");
/// The emoji lexicon: one `emoji<TAB>English description` line per entry.
const EMOJI_LEXICON: &str = include_str!("emoji_utf8_lexicon.txt");

/// What the rules know about one lowercase word.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Entry {
    /// Mean valence in `vader_lexicon.txt`, for lexicon words.
    pub(super) valence: Option<f64>,
    /// `BOOSTER_DICT` increment, for boosters and dampeners.
    pub(super) booster: Option<f64>,
    /// In `NEGATE`. Words containing "n't" negate too; that is checked per word.
    pub(super) is_negation: bool,
}

/// The parsed lexicons, built on first use.
pub(super) struct Lexicons {
    /// Lowercase word to what the rules know about it. Lexicon entries with uppercase letters
    /// (":D") are kept as written; like in Python, no lowercased word can match them.
    pub(super) words: FxHashMap<&'static str, Entry>,
    /// Single-code-point emoji to its description. Python looks emoji up one code point at a
    /// time, so entries of several code points (flags, skin tones, ZWJ sequences) never match and
    /// are left out.
    pub(super) emoji: FxHashMap<char, &'static str>,
}

pub(super) fn lexicons() -> &'static Lexicons {
    static LEXICONS: OnceLock<Lexicons> = OnceLock::new();
    LEXICONS.get_or_init(|| Lexicons {
        words: word_entries(),
        emoji: parse_emoji(EMOJI_LEXICON),
    })
}

/// Splits a lexicon file into `(first column, second column)` pairs the way Python's
/// `make_lex_dict` does: lines split on `\n`, stripped (the files have CRLF line ends), empty
/// lines skipped.
fn columns(file: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    file.split('\n').filter_map(|line| {
        let mut fields = line.trim().split('\t');
        let key = fields.next().filter(|key| !key.is_empty())?;
        Some((key, fields.next()?))
    })
}

fn word_entries() -> FxHashMap<&'static str, Entry> {
    let mut words: FxHashMap<&'static str, Entry> = FxHashMap::default();
    words.reserve(VADER_LEXICON.len() / 50 + BOOSTERS.len() + NEGATIONS.len());
    // A line that fails to parse would make Python raise; the file is ours and the test
    // `lexicon_sizes` pins the number of entries, so skipping is only a guard against panics.
    for (word, measure) in columns(VADER_LEXICON) {
        if let Ok(valence) = measure.parse::<f64>() {
            // Later duplicates win, as in a Python dict.
            words.entry(word).or_default().valence = Some(valence);
        }
    }
    for (word, increment) in BOOSTERS {
        words.entry(word).or_default().booster = Some(increment);
    }
    for word in NEGATIONS {
        words.entry(word).or_default().is_negation = true;
    }
    words
}

fn parse_emoji(file: &'static str) -> FxHashMap<char, &'static str> {
    let mut emoji = FxHashMap::default();
    for (key, description) in columns(file) {
        let mut chars = key.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            emoji.insert(c, description);
        }
    }
    emoji
}

/// `BOOSTER_DICT`'s single words: boosters add [`B_INCR`] to the word they modify (away from
/// zero), dampeners [`B_DECR`]. Its two-word keys ("kind of", "sort of", "just enough") are in
/// [`booster_phrase`].
const BOOSTERS: [(&str, f64); 81] = [
    ("absolutely", B_INCR),
    ("amazingly", B_INCR),
    ("awfully", B_INCR),
    ("completely", B_INCR),
    ("considerable", B_INCR),
    ("considerably", B_INCR),
    ("decidedly", B_INCR),
    ("deeply", B_INCR),
    ("effing", B_INCR),
    ("enormous", B_INCR),
    ("enormously", B_INCR),
    ("entirely", B_INCR),
    ("especially", B_INCR),
    ("exceptional", B_INCR),
    ("exceptionally", B_INCR),
    ("extreme", B_INCR),
    ("extremely", B_INCR),
    ("fabulously", B_INCR),
    ("flipping", B_INCR),
    ("flippin", B_INCR),
    ("frackin", B_INCR),
    ("fracking", B_INCR),
    ("fricking", B_INCR),
    ("frickin", B_INCR),
    ("frigging", B_INCR),
    ("friggin", B_INCR),
    ("fully", B_INCR),
    ("fuckin", B_INCR),
    ("fucking", B_INCR),
    ("fuggin", B_INCR),
    ("fugging", B_INCR),
    ("greatly", B_INCR),
    ("hella", B_INCR),
    ("highly", B_INCR),
    ("hugely", B_INCR),
    ("incredible", B_INCR),
    ("incredibly", B_INCR),
    ("intensely", B_INCR),
    ("major", B_INCR),
    ("majorly", B_INCR),
    ("more", B_INCR),
    ("most", B_INCR),
    ("particularly", B_INCR),
    ("purely", B_INCR),
    ("quite", B_INCR),
    ("really", B_INCR),
    ("remarkably", B_INCR),
    ("so", B_INCR),
    ("substantially", B_INCR),
    ("thoroughly", B_INCR),
    ("total", B_INCR),
    ("totally", B_INCR),
    ("tremendous", B_INCR),
    ("tremendously", B_INCR),
    ("uber", B_INCR),
    ("unbelievably", B_INCR),
    ("unusually", B_INCR),
    ("utter", B_INCR),
    ("utterly", B_INCR),
    ("very", B_INCR),
    ("almost", B_DECR),
    ("barely", B_DECR),
    ("hardly", B_DECR),
    ("kinda", B_DECR),
    ("kindof", B_DECR),
    ("kind-of", B_DECR),
    ("less", B_DECR),
    ("little", B_DECR),
    ("marginal", B_DECR),
    ("marginally", B_DECR),
    ("occasional", B_DECR),
    ("occasionally", B_DECR),
    ("partly", B_DECR),
    ("scarce", B_DECR),
    ("scarcely", B_DECR),
    ("slight", B_DECR),
    ("slightly", B_DECR),
    ("somewhat", B_DECR),
    ("sorta", B_DECR),
    ("sortof", B_DECR),
    ("sort-of", B_DECR),
];

/// `BOOSTER_DICT` for word sequences. Python joins the words with spaces and looks the string
/// up; since a token never contains a space, comparing word by word is the same test.
pub(super) fn booster_phrase(words: &[&str]) -> Option<f64> {
    match words {
        ["just", "enough"] | ["kind", "of"] | ["sort", "of"] => Some(B_DECR),
        _ => None,
    }
}

/// `SPECIAL_CASES`: idioms whose valence replaces that of the lexicon word in them. The key
/// "badass" has no space, so Python's joined n-grams can never equal it; it is left out.
pub(super) fn special_case(words: &[&str]) -> Option<f64> {
    match words {
        ["the", "shit"] | ["the", "bomb"] | ["to", "die", "for"] => Some(3.0),
        ["bad", "ass"] => Some(1.5),
        ["bus", "stop"] => Some(0.0),
        ["yeah", "right"] => Some(-2.0),
        ["kiss", "of", "death"] => Some(-1.5),
        ["beating", "heart"] => Some(3.5),
        _ => None,
    }
}

/// `NEGATE`: words that negate a lexicon word up to three words after them.
const NEGATIONS: [&str; 59] = [
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

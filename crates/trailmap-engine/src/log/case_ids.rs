//! Case ids (customer ids) to dense numbers, in order of first appearance: the scan's hottest
//! table. Three layers, cheapest first: the previous row's case (logs grouped by case), a
//! dictionary-encoded column's mapping (one lookup per distinct value of a Parquet row group),
//! and the hash table itself.

use arrow::array::{Array, StringArray};

use super::prepare::Text;

/// The previous row's case, to skip the hash lookup while rows repeat it.
pub(super) struct LastCase {
    name: String,
    /// `u32::MAX` before the first row.
    id: u32,
    checking: bool,
    checks: u64,
    hits: u64,
}

impl Default for LastCase {
    fn default() -> Self {
        LastCase {
            name: String::new(),
            id: u32::MAX,
            checking: true,
            checks: 0,
            hits: 0,
        }
    }
}

impl LastCase {
    /// The previous row's case number, if `name` is its case. Logs grouped by case (XES,
    /// exports) repeat the previous case id row after row; a stream ordered by time rarely
    /// does, and then the check switches itself off.
    pub(super) fn repeat(&mut self, name: &str) -> Option<u32> {
        if !self.checking {
            return None;
        }
        self.checks += 1;
        if self.id != u32::MAX && self.name == name {
            self.hits += 1;
            return Some(self.id);
        }
        if self.checks == 4096 && self.hits < 1024 {
            self.checking = false;
        }
        None
    }

    /// Remembers the case of this row for the next.
    pub(super) fn remember(&mut self, name: &str, id: u32) {
        if self.checking {
            self.name.clear();
            self.name.push_str(name);
            self.id = id;
        }
    }
}

/// Case ids to dense numbers in order of first appearance. Millions of customers make this
/// table the scan's main cost, so ids of up to 23 bytes (nearly all) are kept inside the table
/// itself: a lookup compares bytes in place instead of following a pointer to a string
/// elsewhere in memory. Longer ids go to a second table.
pub(super) struct CaseIds {
    short: rustc_hash::FxHashMap<ShortId, u32>,
    long: rustc_hash::FxHashMap<Box<str>, u32>,
    /// A small direct-mapped cache of recently seen short ids in front of `short`: a stream in
    /// time order keeps revisiting the few thousand customers active at that moment, and the
    /// cache stays in the CPU cache where the big table does not. `u32::MAX`: empty slot.
    recent: Vec<(ShortId, u32)>,
}

/// Slots of [`CaseIds::recent`] (a power of two).
const RECENT_SLOTS: usize = 8192;

impl Default for CaseIds {
    fn default() -> Self {
        let empty = ShortId {
            len: 0,
            bytes: [0; 23],
        };
        CaseIds {
            short: Default::default(),
            long: Default::default(),
            recent: vec![(empty, u32::MAX); RECENT_SLOTS],
        }
    }
}

/// A case id of at most 23 bytes, stored inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ShortId {
    len: u8,
    bytes: [u8; 23],
}

impl ShortId {
    fn new(name: &str) -> Option<ShortId> {
        let len = name.len();
        if len > 23 {
            return None;
        }
        let mut bytes = [0u8; 23];
        bytes[..len].copy_from_slice(name.as_bytes());
        Some(ShortId {
            len: len as u8,
            bytes,
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes[..self.len as usize]).into_owned()
    }
}

impl CaseIds {
    pub(super) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    pub(super) fn intern(&mut self, name: &str) -> u32 {
        let next = self.len() as u32;
        match ShortId::new(name) {
            Some(short) => {
                let mut hasher = rustc_hash::FxHasher::default();
                std::hash::Hash::hash(&short, &mut hasher);
                let slot = std::hash::Hasher::finish(&hasher) as usize & (RECENT_SLOTS - 1);
                let (cached, id) = self.recent[slot];
                if id != u32::MAX && cached == short {
                    return id;
                }
                let id = *self.short.entry(short).or_insert(next);
                self.recent[slot] = (short, id);
                id
            }
            None => {
                if let Some(&id) = self.long.get(name) {
                    return id;
                }
                self.long.insert(name.into(), next);
                next
            }
        }
    }

    /// The ids in number order.
    pub(super) fn into_names(self) -> Vec<String> {
        let mut names = vec![String::new(); self.len()];
        for (short, id) in self.short {
            names[id as usize] = short.text();
        }
        for (name, id) in self.long {
            names[id as usize] = name.into_string();
        }
        names
    }
}
/// A slot of [`DictionaryIds`] not looked up yet.
pub(super) const UNSEEN: u32 = u32::MAX;
/// A slot of [`DictionaryIds`] whose value is empty: rows with it have no case id.
pub(super) const EMPTY: u32 = u32::MAX - 1;

/// What each value of the current dictionary of a dictionary-encoded text column stands for
/// (a case id, an activity), filled in as rows first use the value, so numbering stays in
/// order of first appearance in the rows. Parquet hands every batch of a row group the same
/// dictionary, so the mapping lives until the dictionary changes.
#[derive(Default)]
pub(super) struct DictionaryIds {
    /// The dictionary the slots belong to; held so its buffers stay alive and their addresses
    /// identify it.
    values: Option<StringArray>,
    pub(super) slots: Vec<u32>,
}

impl DictionaryIds {
    /// Makes the slots belong to `values`, keeping them if it is the dictionary already held.
    pub(super) fn use_dictionary(&mut self, values: &StringArray) {
        let same = self.values.as_ref().is_some_and(|held| {
            held.len() == values.len()
                && held.offsets().as_ptr() == values.offsets().as_ptr()
                && held.values().as_ptr() == values.values().as_ptr()
        });
        if !same {
            self.slots.clear();
            self.slots.resize(values.len(), UNSEEN);
            self.values = Some(values.clone());
        }
    }
}

/// What [`CaseNumbers::number`] says of a row other than its case number.
pub(super) const ROW_NO_CASE: u32 = u32::MAX - 2;
pub(super) const ROW_NO_TIME: u32 = u32::MAX - 3;
pub(super) const ROW_NOT_A_TIME: u32 = u32::MAX - 4;
pub(super) const ROW_OUTSIDE_PERIOD: u32 = u32::MAX - 5;

/// Case ids to numbers, fed the case column of batch after batch. It runs on the decoding
/// thread, so the scan's hottest table is off the thread that does the rest.
#[derive(Default)]
pub(super) struct CaseNumbers {
    ids: CaseIds,
    dictionary: DictionaryIds,
    last: LastCase,
}

/// A row's case id before it is numbered.
pub(super) enum CaseRef<'b> {
    Name(&'b str),
    /// A dictionary value not numbered yet.
    Unseen(usize),
    Known(u32),
}

impl CaseNumbers {
    /// The case names in number order.
    pub(super) fn into_names(self) -> Vec<String> {
        self.ids.into_names()
    }

    /// Makes the next rows' dictionary keys (if `cases` is dictionary-encoded) refer to its
    /// dictionary.
    pub(super) fn start_batch(&mut self, cases: &Text) {
        if let Text::Dictionary { values, .. } = cases {
            self.dictionary.use_dictionary(values);
        }
    }

    /// Row `i`'s case id, if it has one (not NULL, not blank).
    pub(super) fn case_of<'b>(&mut self, cases: &'b Text, i: usize) -> Option<CaseRef<'b>> {
        match cases {
            Text::Plain(column) => match column.is_valid(i).then(|| column.value(i).trim()) {
                Some(id) if !id.is_empty() => Some(CaseRef::Name(id)),
                _ => None,
            },
            Text::Dictionary { keys, values } => {
                if keys.is_null(i) {
                    return None;
                }
                let key = keys.value(i) as usize;
                match self.dictionary.slots[key] {
                    EMPTY => None,
                    UNSEEN if values.is_null(key) || values.value(key).trim().is_empty() => {
                        self.dictionary.slots[key] = EMPTY;
                        None
                    }
                    UNSEEN => Some(CaseRef::Unseen(key)),
                    id => Some(CaseRef::Known(id)),
                }
            }
        }
    }

    /// The number of a case id from [`CaseNumbers::case_of`], numbering it if it is new.
    /// (Numbers cannot reach the row codes above: four billion cases would not fit in memory.)
    pub(super) fn number(&mut self, cases: &Text, case: CaseRef<'_>) -> u32 {
        match case {
            CaseRef::Known(id) => id,
            CaseRef::Name(name) => {
                if let Some(id) = self.last.repeat(name) {
                    return id;
                }
                let id = self.ids.intern(name);
                self.last.remember(name, id);
                id
            }
            CaseRef::Unseen(key) => {
                let Text::Dictionary { values, .. } = cases else {
                    unreachable!("only dictionary columns have unseen keys")
                };
                let id = self.ids.intern(values.value(key).trim());
                self.dictionary.slots[key] = id;
                id
            }
        }
    }
}

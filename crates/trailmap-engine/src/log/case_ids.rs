//! Case ids (customer ids) to dense numbers, in order of first appearance: the scan's hottest
//! table. Three layers, cheapest first: the previous row's case (logs grouped by case), a
//! dictionary-encoded column's mapping (one lookup per distinct value of a Parquet row group),
//! and the hash table itself.

use arrow::array::{Array, Int32Array, StringArray};

use super::prepare::Text;
use crate::scan::ColumnNames;

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
/// table the scan's main cost: most lookups are of an id never seen (a new customer), and a
/// lookup in a table of millions is a cache miss, so the layout keeps it to one:
/// - the table ([`NumberTable`]) holds 8 bytes per slot, the case number and 32 bits of the
///   id's hash, so a probe reads one cache line and tells a new id from a known one without
///   looking at any id;
/// - the ids themselves sit in [`CaseNames`], in number order (ids of up to 23 bytes inline),
///   read only to confirm a match; customers active at the same time were numbered at about
///   the same time, so those keys are near each other and mostly in cache;
/// - each id is hashed once.
///
/// When the scan ends, the names move into the [`CaseLog`](super::CaseLog) as they are: no
/// string per case is made.
#[derive(Default)]
pub(super) struct CaseIds {
    table: NumberTable,
    names: CaseNames,
}

/// Open addressing with linear probing over `u64` slots: `tag << 32 | number`, 0 for an empty
/// slot. The tag is the hash's high half with its lowest bit set, so a used slot is never 0.
#[derive(Default)]
struct NumberTable {
    slots: Vec<u64>,
    used: usize,
}

impl NumberTable {
    /// A table for up to `n` numbers, `n` being a generous guess (a quarter of the rows): it
    /// grows when half full, so a guess twice the truth costs no growth and no more memory
    /// than the table needs anyway (every slot of a hash table gets touched).
    fn with_capacity(n: usize) -> NumberTable {
        NumberTable {
            slots: vec![0; n.next_power_of_two().max(1024)],
            used: 0,
        }
    }

    /// The number stored for the id with this hash that `is_id` recognises, or `next`, stored
    /// for it now (then `true`).
    fn find_or_insert(
        &mut self,
        hash: u64,
        is_id: impl Fn(u32) -> bool,
        next: u32,
        hash_of: impl Fn(u32) -> u64,
    ) -> (u32, bool) {
        if 2 * (self.used + 1) > self.slots.len() {
            self.grow(hash_of);
        }
        let tag = (hash >> 32) | 1;
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                self.slots[i] = tag << 32 | u64::from(next);
                self.used += 1;
                return (next, true);
            }
            if slot >> 32 == tag && is_id(slot as u32) {
                return (slot as u32, false);
            }
            i = (i + 1) & mask;
        }
    }

    /// Doubles the table (or makes the first one), placing every number again.
    fn grow(&mut self, hash_of: impl Fn(u32) -> u64) {
        let old = std::mem::take(&mut self.slots);
        self.slots = vec![0; (2 * old.len()).max(1024)];
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let mut i = hash_of(slot as u32) as usize & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

/// The case ids (customer ids) of a log, by case number (`Case::number`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CaseNames {
    keys: Vec<Key>,
    /// Ids longer than 23 bytes; their [`Key`] holds the index here.
    long: Vec<Box<str>>,
}

impl CaseNames {
    /// The id of case number `number`.
    pub fn get(&self, number: u32) -> &str {
        let key = &self.keys[number as usize];
        if key.len == LONG {
            &self.long[key.long_index()]
        } else {
            // The bytes were copied whole from a `str`, so they are UTF-8.
            std::str::from_utf8(&key.bytes[..key.len as usize]).unwrap_or_default()
        }
    }

    /// Adds an id; its number is returned. Ids are not checked for uniqueness here: the scan
    /// numbers each once, and logs built by hand are their builder's affair.
    pub fn push(&mut self, name: &str) -> u32 {
        let number = self.keys.len() as u32;
        let key = match Key::short(name) {
            Some(key) => key,
            None => {
                self.long.push(name.into());
                Key::long(self.long.len() - 1)
            }
        };
        self.keys.push(key);
        number
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The ids in number order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.keys.len() as u32).map(|n| self.get(n))
    }
}

impl std::fmt::Debug for CaseNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// [`Key::len`] of a key that stands for a long id.
const LONG: u8 = u8::MAX;

/// A case id of at most 23 bytes stored inline, or (`len == LONG`) the index of a long one.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    len: u8,
    bytes: [u8; 23],
}

impl Key {
    /// Whether this key stands for `name` (`long`: the long ids).
    fn is(&self, name: &str, long: &[Box<str>]) -> bool {
        if self.len == LONG {
            *long[self.long_index()] == *name
        } else {
            &self.bytes[..self.len as usize] == name.as_bytes()
        }
    }

    fn short(name: &str) -> Option<Key> {
        let len = name.len();
        if len > 23 {
            return None;
        }
        let mut bytes = [0u8; 23];
        bytes[..len].copy_from_slice(name.as_bytes());
        Some(Key {
            len: len as u8,
            bytes,
        })
    }

    fn long(index: usize) -> Key {
        let mut bytes = [0u8; 23];
        bytes[..8].copy_from_slice(&(index as u64).to_le_bytes());
        Key { len: LONG, bytes }
    }

    fn long_index(&self) -> usize {
        let mut index = [0u8; 8];
        index.copy_from_slice(&self.bytes[..8]);
        u64::from_le_bytes(index) as usize
    }
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

impl CaseIds {
    fn with_capacity(cases: usize) -> CaseIds {
        let mut ids = CaseIds {
            table: NumberTable::with_capacity(cases),
            ..CaseIds::default()
        };
        ids.names.keys.reserve_exact(cases);
        ids
    }

    pub(super) fn intern(&mut self, name: &str) -> u32 {
        let hash = hash_bytes(name.as_bytes());
        let CaseIds { table, names } = self;
        let next = names.keys.len() as u32;
        let (id, new) = table.find_or_insert(
            hash,
            |id| names.keys[id as usize].is(name, &names.long),
            next,
            |id| hash_bytes(names.get(id).as_bytes()),
        );
        if new {
            names.push(name);
        }
        id
    }

    /// The ids in number order.
    pub(super) fn into_names(self) -> CaseNames {
        self.names
    }
}

/// A slot of [`DictionaryIds`] not looked up yet.
const UNSEEN: u32 = u32::MAX;
/// A slot of [`DictionaryIds`] whose value is blank: rows with it have no value.
const BLANK: u32 = u32::MAX - 1;

/// What each value of the current dictionary of a dictionary-encoded text column stands for
/// (a case id, an activity), filled in as rows first use the value, so numbering stays in
/// order of first appearance in the rows. Parquet hands every batch of a row group the same
/// dictionary, so the mapping lives until the dictionary changes.
#[derive(Default)]
pub(super) struct DictionaryIds {
    /// The dictionary the slots belong to; held so its buffers stay alive and their addresses
    /// identify it.
    values: Option<StringArray>,
    slots: Vec<u32>,
}

/// What a row of a dictionary-encoded column stands for, as far as [`DictionaryIds`] knows.
pub(super) enum Entry {
    /// NULL, or a value `blank` said is no value.
    Missing,
    /// A value not given a number yet: its key, for [`DictionaryIds::set`].
    Unseen(usize),
    Known(u32),
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

    /// Row `i` of the column with `keys` into the current dictionary `values`; `blank` says
    /// which values count as none (checked once per value).
    pub(super) fn entry(
        &mut self,
        keys: &Int32Array,
        values: &StringArray,
        i: usize,
        blank: impl Fn(&str) -> bool,
    ) -> Entry {
        if keys.is_null(i) {
            return Entry::Missing;
        }
        let key = keys.value(i) as usize;
        match self.slots[key] {
            BLANK => Entry::Missing,
            UNSEEN if values.is_null(key) || blank(values.value(key)) => {
                self.slots[key] = BLANK;
                Entry::Missing
            }
            UNSEEN => Entry::Unseen(key),
            id => Entry::Known(id),
        }
    }

    /// Gives the value of `key` its number.
    pub(super) fn set(&mut self, key: usize, id: u32) {
        self.slots[key] = id;
    }
}

/// What [`Prepared::case_of`](super::prepare::Prepared::case_of) says of a row other than
/// its case number.
pub(super) const ROW_NO_CASE: u32 = u32::MAX - 2;
pub(super) const ROW_NO_TIME: u32 = u32::MAX - 3;
pub(super) const ROW_NOT_A_TIME: u32 = u32::MAX - 4;
pub(super) const ROW_OUTSIDE_PERIOD: u32 = u32::MAX - 5;

/// The column and the message of a row code that marks a malformed row; `None` for a case
/// number or a row outside the period.
pub(super) fn row_problem(code: u32, names: &ColumnNames) -> Option<(&str, &'static str)> {
    match code {
        ROW_NO_CASE => Some((&names.customer_id, "the case id is missing")),
        ROW_NO_TIME => Some((&names.timestamp, "the time is missing")),
        ROW_NOT_A_TIME => Some((&names.timestamp, "not a time")),
        _ => None,
    }
}

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
    /// Numbers with room for `cases` ids before the table grows.
    pub(super) fn with_capacity(cases: usize) -> CaseNumbers {
        CaseNumbers {
            ids: CaseIds::with_capacity(cases),
            ..CaseNumbers::default()
        }
    }

    /// The case names in number order.
    pub(super) fn into_names(self) -> CaseNames {
        self.ids.into_names()
    }

    /// Makes the next rows' dictionary keys (if `cases` is dictionary-encoded) refer to its
    /// dictionary.
    pub(super) fn start_batch(&mut self, cases: &Text) {
        if let Text::Dictionary { values, .. } = cases {
            self.dictionary.use_dictionary(values);
        }
    }

    /// The case number of every row of a dictionary-encoded case column without NULL keys
    /// (after [`CaseNumbers::start_batch`]), numbering new ids in row order; `None` at the
    /// first row without a case id (a NULL or blank value), for the caller to take the row by
    /// row path, which gives the numbers already made again.
    ///
    /// It reads the dictionary slots itself rather than going through
    /// [`CaseNumbers::case_of`] and [`CaseNumbers::number`] row by row: that was measured
    /// 10–15 % slower on the whole 10M-event discovery (alternating runs, 1.36–1.48 s against
    /// 1.14–1.31 s), as this loop is the scan's hottest.
    pub(super) fn number_all(
        &mut self,
        keys: &Int32Array,
        values: &StringArray,
    ) -> Option<Vec<u32>> {
        let mut out = Vec::with_capacity(keys.len());
        let slots = &mut self.dictionary.slots;
        for &key in keys.values() {
            let key = key as usize;
            let id = match slots[key] {
                UNSEEN => {
                    let name = values.is_valid(key).then(|| values.value(key).trim())?;
                    if name.is_empty() {
                        return None;
                    }
                    let id = self.ids.intern(name);
                    slots[key] = id;
                    id
                }
                BLANK => return None,
                id => id,
            };
            out.push(id);
        }
        Some(out)
    }

    /// Row `i`'s case id, if it has one (not NULL, not blank).
    pub(super) fn case_of<'b>(&mut self, cases: &'b Text, i: usize) -> Option<CaseRef<'b>> {
        match cases {
            Text::Plain(column) => match column.is_valid(i).then(|| column.value(i).trim()) {
                Some(id) if !id.is_empty() => Some(CaseRef::Name(id)),
                _ => None,
            },
            Text::Dictionary { keys, values } => {
                match self
                    .dictionary
                    .entry(keys, values, i, |v| v.trim().is_empty())
                {
                    Entry::Missing => None,
                    Entry::Unseen(key) => Some(CaseRef::Unseen(key)),
                    Entry::Known(id) => Some(CaseRef::Known(id)),
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
                self.dictionary.set(key, id);
                id
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CaseIds;

    #[test]
    fn ids_short_and_long_are_numbered_in_order_of_first_appearance() {
        let mut ids = CaseIds::default();
        let long = "a-customer-id-longer-than-23-bytes";
        let names: Vec<String> = (0..50_000).map(|i| format!("c{i}")).collect();
        let mut expected: Vec<String> = Vec::new();
        for round in 0..3 {
            for (i, name) in names.iter().enumerate() {
                // Long ids, ids of exactly 23 and 24 bytes, and the empty id among the short.
                let name = match i % 1000 {
                    7 => format!("{long}-{i}"),
                    8 => format!("{i:0>23}"),
                    9 => format!("{i:0>24}"),
                    10 if i == 10 => String::new(),
                    _ => name.clone(),
                };
                let id = ids.intern(&name);
                if round == 0 {
                    assert_eq!(id as usize, expected.len(), "{name}");
                    expected.push(name);
                } else {
                    assert_eq!(expected[id as usize], name);
                }
            }
        }
        let names = ids.into_names();
        assert!(names.iter().eq(expected.iter().map(String::as_str)));
    }
}

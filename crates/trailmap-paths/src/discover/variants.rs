//! The distinct activity sequences (variants) and how many cases follow each.

use std::hash::Hasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use trailmap_engine::log::{CaseLog, LogEvent};
use trailmap_model::paths::{Variant, VariantRest, Variants};

/// Variants interned: each sequence once in a flat arena, its table entry holding where it
/// lies, its hash and its count, so a case costs one hash and, in the usual case, three cache
/// lines (the table's control bytes, the entry, the sequence), not an allocation.
pub(super) struct VariantTable {
    table: HashTable<Slot>,
    arena: Vec<u32>,
}

#[derive(Clone, Copy)]
struct Slot {
    hash: u64,
    start: usize,
    len: usize,
    count: u64,
}

fn sequence_hash(activities: impl ExactSizeIterator<Item = u32>) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    let len = activities.len();
    for a in activities {
        hasher.write_u32(a);
    }
    hasher.write_usize(len);
    hasher.finish()
}

impl VariantTable {
    /// A table with room for the variants of about `cases` cases before it grows: a fifth to a
    /// third of the cases of a real log are a variant of their own, and growing rehashes them all.
    pub(super) fn for_cases(cases: usize) -> VariantTable {
        VariantTable {
            table: HashTable::with_capacity(cases / 4),
            arena: Vec::new(),
        }
    }

    /// Counts a case with these events.
    pub(super) fn add(&mut self, events: &[LogEvent]) {
        let hash = sequence_hash(events.iter().map(|e| e.activity));
        let same = |seq: &[u32]| seq.iter().zip(events).all(|(&a, e)| a == e.activity);
        self.count(hash, events.len(), same, 1, |arena| {
            arena.extend(events.iter().map(|e| e.activity))
        });
    }

    /// Adds `other`'s variants and counts to this table.
    pub(super) fn merge(&mut self, other: VariantTable) {
        for slot in &other.table {
            let sequence = &other.arena[slot.start..slot.start + slot.len];
            self.count(
                slot.hash,
                slot.len,
                |seq| seq == sequence,
                slot.count,
                |arena| arena.extend_from_slice(sequence),
            );
        }
    }

    /// Adds `count` to the variant of length `len` with this hash that `same` recognises,
    /// first writing it with `write` if it is new.
    fn count(
        &mut self,
        hash: u64,
        len: usize,
        same: impl Fn(&[u32]) -> bool,
        count: u64,
        write: impl FnOnce(&mut Vec<u32>),
    ) {
        let VariantTable { table, arena } = self;
        let found = table.entry(
            hash,
            |slot| {
                slot.hash == hash
                    && slot.len == len
                    && same(&arena[slot.start..slot.start + slot.len])
            },
            |slot| slot.hash,
        );
        match found {
            Entry::Occupied(mut slot) => slot.get_mut().count += count,
            Entry::Vacant(vacant) => {
                let start = arena.len();
                write(arena);
                vacant.insert(Slot {
                    hash,
                    start,
                    len,
                    count,
                });
            }
        }
    }

    /// The `top` most frequent variants and the rest. Order as pm4py's
    /// `get_variants_sorted_by_count` (`sorted(key=(count, variant), reverse=True)`): most cases
    /// first, ties by the activity names compared in turn, the greater first.
    pub(super) fn report(&self, log: &CaseLog, cases: u64, top: Option<usize>) -> Variants {
        // Comparing activity ranks in name order is comparing the names.
        let mut by_name: Vec<usize> = (0..log.activities.len()).collect();
        by_name.sort_by(|&a, &b| log.activities[a].cmp(&log.activities[b]));
        let mut rank = vec![0u32; log.activities.len()];
        for (r, &a) in by_name.iter().enumerate() {
            rank[a] = r as u32;
        }
        let slots: Vec<Slot> = self.table.iter().copied().collect();
        let sequence = |s: &Slot| &self.arena[s.start..s.start + s.len];
        let ranks = |s: &Slot| sequence(s).iter().map(|&a| rank[a as usize]);
        let order_of =
            |a: &Slot, b: &Slot| b.count.cmp(&a.count).then_with(|| ranks(b).cmp(ranks(a)));
        let distinct = slots.len();
        let all_cases: u64 = slots.iter().map(|s| s.count).sum();
        let shown = top.unwrap_or(usize::MAX).min(distinct);
        let mut order = if shown < distinct {
            // Only the top need sorting. They are among the variants with at least the count
            // of the `shown`-th most frequent, found on counts alone: most variants share the
            // smallest counts, and comparing their sequences would be the cost.
            let mut counts: Vec<u64> = slots.iter().map(|s| s.count).collect();
            let least = match shown {
                0 => u64::MAX,
                _ => *counts.select_nth_unstable_by(shown - 1, |a, b| b.cmp(a)).1,
            };
            slots.into_iter().filter(|s| s.count >= least).collect()
        } else {
            slots
        };
        order.sort_by(order_of);
        order.truncate(shown);
        let share = |n: u64| {
            if cases == 0 {
                0.0
            } else {
                n as f64 / cases as f64
            }
        };
        let top_list = order
            .iter()
            .map(|s| Variant {
                activities: sequence(s)
                    .iter()
                    .map(|&a| log.activities[a as usize].clone())
                    .collect(),
                count: s.count,
                share: share(s.count),
            })
            .collect();
        let rest_cases = all_cases - order.iter().map(|s| s.count).sum::<u64>();
        Variants {
            distinct: distinct as u64,
            top: top_list,
            rest: VariantRest {
                variants: (distinct - shown) as u64,
                cases: rest_cases,
                share: share(rest_cases),
            },
        }
    }
}

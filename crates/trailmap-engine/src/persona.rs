//! Personas in data: each customer in the customers file is assigned to the first persona, in
//! map order, whose `rule` is TRUE for their attributes; a customer no rule matches (or who is
//! not in the customers file at all) is `unassigned`.

use std::path::Path;

use rustc_hash::FxHashMap;

use crate::error::EngineError;
use crate::plan::{Plan, check_columns};
use crate::scan::{Interner, text_column};
use crate::source::{self, FileFormat, ReadOptions};

/// Customer id → persona index (into the map's personas).
pub(crate) struct Assignment {
    pub(crate) persona_of: FxHashMap<u32, u16>,
    pub(crate) rows: u64,
}

pub(crate) fn assign(
    plan: &Plan,
    path: &Path,
    format: Option<FileFormat>,
    customer_id: &str,
    customers: &mut Interner,
    read: ReadOptions,
) -> Result<Assignment, EngineError> {
    let opened = source::open(path, format, read)?;
    if !opened
        .columns
        .iter()
        .any(|c| c.eq_ignore_ascii_case(customer_id))
    {
        return Err(EngineError::MissingColumn {
            path: path.to_owned(),
            column: customer_id.to_owned(),
            role: "the customer id",
            available: opened.columns.clone(),
        });
    }
    check_columns(plan.persona_predicates(), &opened.columns, path)?;
    let mut persona_of = FxHashMap::default();
    let mut rows = 0;
    for batch in opened.batches {
        let batch = batch?;
        let record = &batch.batch;
        rows += record.num_rows() as u64;
        let Some(ids) = text_column(record, customer_id) else {
            continue;
        };
        let mut matched: Vec<Option<arrow::array::BooleanArray>> =
            Vec::with_capacity(plan.personas.len());
        for (_, rule) in &plan.personas {
            matched.push(rule.as_ref().map(|r| r.evaluate(record)).transpose()?);
        }
        for i in 0..record.num_rows() {
            if ids.is_null(i) {
                continue;
            }
            let id = customers.intern(ids.value(i).trim());
            let persona = matched
                .iter()
                .position(|m| m.as_ref().is_some_and(|m| m.value(i)));
            if let Some(p) = persona {
                persona_of.entry(id).or_insert(p as u16);
            }
        }
    }
    Ok(Assignment { persona_of, rows })
}

use arrow::array::Array as _;

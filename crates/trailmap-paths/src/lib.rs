//! Real paths: what customers actually do, next to what the map says they do.
//!
//! Every analysis here starts from a [`CaseLog`](trailmap_engine::log::CaseLog) (each customer's
//! activities in time order, read by `trailmap_engine::log::read_case_log`):
//!
//! - [`discover`]: the directly-follows graph, variants and case durations, with pm4py's
//!   semantics number for number (`trailmap discover`; definitions in docs/paths.md).
//! - [`xes_export`]: a case log as an IEEE 1849 XES file that process-mining tools open
//!   (`trailmap export-xes`).
//!
//! **Architecture invariant:** this crate computes from a case log and writes to a `Write` it is
//! given; it opens no files and knows nothing of the CLI. It does not depend on the checker or the
//! renderer.

pub mod conform;
pub mod discover;
pub mod draft;
pub mod xes_export;

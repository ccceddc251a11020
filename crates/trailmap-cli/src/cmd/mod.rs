//! One module per subcommand: its arguments (a clap `Args` struct) and its `run` function.

pub(crate) mod analyze;
pub(crate) mod case_log;
pub(crate) mod check;
pub(crate) mod conform;
mod conform_text;
pub(crate) mod demo;
pub(crate) mod diff;
pub(crate) mod discover;
mod discover_text;
pub(crate) mod draft;
pub(crate) mod export;
pub(crate) mod export_xes;
pub(crate) mod new;
pub(crate) mod pull;
pub(crate) mod push;
pub(crate) mod render;
pub(crate) mod rules;
pub(crate) mod schema;
pub(crate) mod serve;

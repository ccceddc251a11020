//! The store's operations, one file per area. Each public method checks access with
//! [`crate::policy::can`] (through `access`) before it reads or writes.

mod access;
mod accounts;
mod activity;
mod analyses;
mod comments;
mod feed;
mod maps;
mod rows;
mod search;
mod sharing;
mod tokens;
mod versions;
mod workspaces;

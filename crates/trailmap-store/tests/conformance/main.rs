//! The store's conformance suite: every test runs against SQLite, and against PostgreSQL when
//! `TRAILMAP_TEST_POSTGRES` is set (see `common.rs`).

mod accounts;
mod common;
mod crash;
mod discussion;
mod evidence;
mod injection;
mod matrix;
mod opening;
mod sharing;
mod versions;

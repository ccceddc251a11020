//! What every CLI test needs: running the real `trailmap` binary from the repository root,
//! without colour, and reading what it did.

#![allow(dead_code)] // Each test file uses a different part of this.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub(crate) fn trailmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trailmap"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the trailmap binary runs")
}

pub(crate) fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .expect("exited normally, not by a signal")
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

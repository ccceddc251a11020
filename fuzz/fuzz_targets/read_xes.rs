//! Fuzzes the XES reader: any bytes go through `trailmap_engine::source::xes::from_reader`,
//! with and without skipping bad events (the first byte decides), and every batch is read to
//! the end. It must never panic; every error must render as a message that names the file.
//! Seed it with the logs in `../shared/data/*/` (unzipped) and `read_xes.dict`.

#![no_main]

use std::io::Cursor;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use trailmap_engine::source::{ReadOptions, xes};

fuzz_target!(|data: &[u8]| {
    let skip_bad_rows = data.first().is_some_and(|b| b & 1 == 1);
    let options = ReadOptions { skip_bad_rows };
    let path = Path::new("fuzz.xes");
    let opened = match xes::from_reader(path, Cursor::new(data.to_vec()), options) {
        Ok(opened) => opened,
        Err(error) => {
            assert!(error.to_string().contains("fuzz.xes"), "{error}");
            return;
        }
    };
    for batch in opened.batches {
        match batch {
            Ok(batch) => {
                for skipped in &batch.skipped {
                    assert!(skipped.to_string().contains("fuzz.xes"), "{skipped}");
                }
            }
            Err(error) => {
                assert!(error.to_string().contains("fuzz.xes"), "{error}");
                break;
            }
        }
    }
});

//! IEEE 1849 XES event logs (`.xes`, `.xes.gz`): each trace is a customer, each event a row.
//!
//! Columns: `customer_id` is the trace's `concept:name`; `event` is the event's `concept:name`;
//! `timestamp` is its `time:timestamp`; every other event attribute keeps its XES key
//! (`lifecycle:transition`, `org:resource`, ...) and every trace attribute becomes
//! `case:KEY`, as in pm4py. Typed values stay typed: `int` and `float` are numbers, `boolean`
//! is true/false, `string`, `date` and `id` are text. Nested attributes (children of an
//! attribute), log-level attributes, globals and classifiers are not columns.
//!
//! The file is streamed with `quick-xml`; a problem (bad XML, a trace without a case id)
//! names the line it is on.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};
use serde_json::Value;

use super::{BATCH_SIZE, Batch, Opened};
use crate::EngineError;

pub(super) fn open(path: &Path) -> Result<Opened, EngineError> {
    let reader = LineCounting::new(BufReader::with_capacity(1 << 20, super::reader(path)?));
    let mut batches = XesBatches {
        path: path.to_owned(),
        xml: quick_xml::Reader::from_reader(reader),
        buf: Vec::new(),
        stack: Vec::new(),
        trace: BTreeMap::new(),
        event: None,
        n_events: 0,
        done: false,
        pending: None,
    };
    // An error in the first batch is the file's error; report it before anything else.
    let first = Ok(batches.next_batch()?);
    let columns = match &first {
        Ok(Some(batch)) => batch
            .batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect(),
        _ => Vec::new(),
    };
    batches.pending = Some(first);
    Ok(Opened {
        path: path.to_owned(),
        format: super::FileFormat::Xes,
        columns,
        batches: Box::new(batches),
    })
}

/// A `BufRead` that counts the line breaks the parser has consumed, so errors can name a line.
struct LineCounting<R> {
    inner: R,
    line: u64,
}

impl<R: BufRead> LineCounting<R> {
    fn new(inner: R) -> Self {
        LineCounting { inner, line: 1 }
    }
}

impl<R: BufRead> Read for LineCounting<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let available = self.fill_buf()?;
            let n = available.len().min(out.len());
            out[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(available) = self.inner.fill_buf() {
            let n = amount.min(available.len());
            self.line += available[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        }
        self.inner.consume(amount);
    }
}

type Row = BTreeMap<String, Value>;

struct XesBatches<R: BufRead> {
    path: PathBuf,
    xml: quick_xml::Reader<LineCounting<R>>,
    buf: Vec<u8>,
    /// Names of the open elements, outermost first.
    stack: Vec<String>,
    /// The current trace's attributes.
    trace: BTreeMap<String, Value>,
    /// The current event's attributes, while inside `<event>`.
    event: Option<Row>,
    n_events: u64,
    done: bool,
    pending: Option<Result<Option<Batch>, EngineError>>,
}

impl<R: BufRead> XesBatches<R> {
    fn line(&self) -> u64 {
        self.xml.get_ref().line
    }

    fn error(&self, message: String) -> EngineError {
        EngineError::Format {
            path: self.path.clone(),
            message: format!("line {}: {message}", self.line()),
        }
    }

    fn next_batch(&mut self) -> Result<Option<Batch>, EngineError> {
        let mut rows: Vec<Row> = Vec::with_capacity(BATCH_SIZE.min(4096));
        let first_row = self.n_events + 1;
        while rows.len() < BATCH_SIZE {
            self.buf.clear();
            let event = match self.xml.read_event_into(&mut self.buf) {
                Ok(event) => event.into_owned(),
                Err(e) => return Err(self.error(format!("invalid XML: {e}"))),
            };
            match event {
                Event::Start(start) => {
                    self.open_element(&start, false)?;
                    self.stack.push(start.local_name().as_ref().to_owned());
                }
                Event::Empty(start) => self.open_element(&start, true)?,
                Event::End(end) => {
                    let name = end.local_name().as_ref().to_owned();
                    self.stack.pop();
                    match name.as_str() {
                        "event" => {
                            if let Some(row) = self.finish_event()? {
                                rows.push(row);
                            }
                        }
                        "trace" => self.trace.clear(),
                        _ => {}
                    }
                }
                Event::Eof => {
                    if !self.stack.is_empty() {
                        return Err(self.error("the file ends inside an element".to_owned()));
                    }
                    self.done = true;
                    break;
                }
                _ => {}
            }
        }
        if rows.is_empty() {
            return Ok(None);
        }
        let batch = super::jsonl::to_batch(&rows).map_err(|source| EngineError::Arrow {
            path: self.path.clone(),
            source,
        })?;
        Ok(Some(Batch {
            first_row,
            batch,
            skipped: Vec::new(),
        }))
    }

    /// Handles `<trace>`, `<event>` and attribute elements (`<string key=".." value=".."/>`).
    fn open_element(&mut self, start: &BytesStart<'_>, empty: bool) -> Result<(), EngineError> {
        let name = start.local_name().as_ref().to_owned();
        match name.as_str() {
            "trace" => self.trace.clear(),
            "event" => {
                self.event = Some(Row::new());
                if empty {
                    self.finish_event()?;
                }
            }
            "string" | "date" | "int" | "float" | "boolean" | "id" => {
                // Only attributes directly inside an event or a trace are columns.
                let parent = self.stack.last().map(String::as_str);
                if !matches!(parent, Some("event") | Some("trace")) {
                    return Ok(());
                }
                let (mut key, mut value) = (None, None);
                for attribute in start.attributes() {
                    let attribute =
                        attribute.map_err(|e| self.error(format!("invalid XML attribute: {e}")))?;
                    let text = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| self.error(format!("invalid XML attribute value: {e}")))?
                        .into_owned();
                    match attribute.key.as_ref() {
                        "key" => key = Some(text),
                        "value" => value = Some(text),
                        _ => {}
                    }
                }
                let Some(key) = key else {
                    return Err(self.error("an attribute element has no `key`".to_owned()));
                };
                let raw = value.unwrap_or_default();
                let typed = match name.as_str() {
                    "int" => raw.trim().parse::<i64>().map(Value::from).map_err(|_| {
                        self.error(format!(
                            "`{key}` is an int, but `{raw}` is not a whole number"
                        ))
                    })?,
                    "float" => raw
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                        .map(Value::Number)
                        .ok_or_else(|| {
                            self.error(format!("`{key}` is a float, but `{raw}` is not a number"))
                        })?,
                    "boolean" => match raw.trim() {
                        "true" => Value::Bool(true),
                        "false" => Value::Bool(false),
                        _ => {
                            return Err(self.error(format!(
                                "`{key}` is a boolean, but `{raw}` is not true or false"
                            )));
                        }
                    },
                    "date" => {
                        if chrono::DateTime::parse_from_rfc3339(raw.trim()).is_err() {
                            return Err(self.error(format!(
                                "`{key}` is a date, but `{raw}` is not an xs:dateTime"
                            )));
                        }
                        Value::String(raw)
                    }
                    _ => Value::String(raw),
                };
                if parent == Some("event") {
                    if let Some(event) = self.event.as_mut() {
                        event.insert(key, typed);
                    }
                } else {
                    self.trace.insert(key, typed);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn finish_event(&mut self) -> Result<Option<Row>, EngineError> {
        let Some(mut attributes) = self.event.take() else {
            return Ok(None);
        };
        self.n_events += 1;
        let Some(case) = self.trace.get("concept:name").cloned() else {
            return Err(
                self.error("an event's trace has no `concept:name` (its case id)".to_owned())
            );
        };
        let mut row = Row::new();
        row.insert("customer_id".to_owned(), case);
        if let Some(name) = attributes.get("concept:name").cloned() {
            row.insert("event".to_owned(), name);
        }
        if let Some(time) = attributes.remove("time:timestamp") {
            row.insert("timestamp".to_owned(), time);
        }
        for (key, value) in &self.trace {
            row.insert(format!("case:{key}"), value.clone());
        }
        row.extend(attributes);
        Ok(Some(row))
    }
}

impl<R: BufRead> Iterator for XesBatches<R> {
    type Item = Result<Batch, EngineError>;

    fn next(&mut self) -> Option<Self::Item> {
        let result = match self.pending.take() {
            Some(result) => result,
            None if self.done => return None,
            None => self.next_batch(),
        };
        match result {
            Ok(Some(batch)) => Some(Ok(batch)),
            Ok(None) => None,
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

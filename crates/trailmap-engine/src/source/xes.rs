//! IEEE 1849 XES event logs (`.xes`, `.xes.gz`): each trace is a customer, each event a row.
//!
//! Columns: `customer_id` is the trace's `concept:name`; `event` is the event's `concept:name`;
//! `timestamp` is its `time:timestamp`; every other event attribute keeps its XES key
//! (`lifecycle:transition`, `org:resource`, ...) and every trace attribute becomes
//! `case:KEY`, as in pm4py. Typed values stay typed: `int` and `float` are numbers, `boolean`
//! is true/false, `string`, `date` and `id` are text. Nested attributes (children of an
//! attribute), log-level attributes, globals and classifiers are not columns.
//!
//! The file is streamed with `quick-xml`. Every problem names the file and the line it is on.
//! Broken XML (or a file that ends inside an element, or an `<extension>` without a prefix)
//! ends the read. A problem with one event ends it too, or, with `--skip-bad-rows`, skips just
//! that event and counts it:
//! - its trace has no `concept:name` (the case id) before its events;
//! - it has no `time:timestamp`;
//! - a typed value that is not of its type (`<int value="x">`, a `<date>` that is not an
//!   `xs:dateTime`); a bad trace attribute skips every event of the trace;
//!
//! Extensions: an `<extension>` must have a `name`, a `prefix` (without `:`) and a `uri`, or the
//! read ends. Attribute keys whose prefix no extension declares (`shop:basket`) are read as
//! plain keys: real logs use colons freely, and pm4py reads them too.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};
use serde_json::Value;

use super::{BATCH_SIZE, Batch, Opened, ReadOptions};
use crate::EngineError;

pub(super) fn open(path: &Path, options: ReadOptions) -> Result<Opened, EngineError> {
    let reader = BufReader::with_capacity(1 << 20, super::reader(path)?);
    from_reader(path, reader, options)
}

/// Reads XES from any buffered reader; `path` names it in errors. The first batch is read at
/// once, so the columns are known (and a broken start of the file is reported) up front.
pub fn from_reader<R: BufRead + Send + 'static>(
    path: &Path,
    reader: R,
    options: ReadOptions,
) -> Result<Opened, EngineError> {
    let mut batches = XesBatches::new(path, reader, options);
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
        rows_hint: None,
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

/// A problem with one event (or, for a trace attribute, with every event of its trace): with
/// `--skip-bad-rows` the event is skipped and counted, else it ends the read.
#[derive(Debug, Clone)]
struct Problem {
    line: u64,
    message: String,
}

struct XesBatches<R: BufRead> {
    path: PathBuf,
    xml: quick_xml::Reader<LineCounting<R>>,
    buf: Vec<u8>,
    /// Names of the open elements, outermost first.
    stack: Vec<String>,
    /// The current trace's attributes, and its first problem.
    trace: BTreeMap<String, Value>,
    trace_problem: Option<Problem>,
    /// The current event's attributes (while inside `<event>`), and its first problem.
    event: Option<Row>,
    event_problem: Option<Problem>,
    /// Events seen so far, kept or skipped: the row number of the next one is this plus one.
    n_events: u64,
    skip_bad_rows: bool,
    done: bool,
    pending: Option<Result<Option<Batch>, EngineError>>,
}

impl<R: BufRead> XesBatches<R> {
    fn new(path: &Path, reader: R, options: ReadOptions) -> Self {
        XesBatches {
            path: path.to_owned(),
            xml: quick_xml::Reader::from_reader(LineCounting::new(reader)),
            buf: Vec::new(),
            stack: Vec::new(),
            trace: BTreeMap::new(),
            trace_problem: None,
            event: None,
            event_problem: None,
            n_events: 0,
            skip_bad_rows: options.skip_bad_rows,
            done: false,
            pending: None,
        }
    }

    fn line(&self) -> u64 {
        self.xml.get_ref().line
    }

    fn error(&self, message: String) -> EngineError {
        EngineError::Format {
            path: self.path.clone(),
            message: format!("line {}: {message}", self.line()),
        }
    }

    fn problem_error(&self, problem: &Problem) -> EngineError {
        EngineError::Format {
            path: self.path.clone(),
            message: format!("line {}: {}", problem.line, problem.message),
        }
    }

    /// Notes a problem of the current event, or of the current trace when outside an event.
    fn problem(&mut self, message: String) {
        let problem = Problem {
            line: self.line(),
            message,
        };
        let slot = if self.event.is_some() {
            &mut self.event_problem
        } else {
            &mut self.trace_problem
        };
        slot.get_or_insert(problem);
    }

    fn next_batch(&mut self) -> Result<Option<Batch>, EngineError> {
        let mut rows: Vec<Row> = Vec::with_capacity(BATCH_SIZE.min(4096));
        let mut skipped = Vec::new();
        let mut first_row = None;
        while rows.len() < BATCH_SIZE {
            self.buf.clear();
            let event = match self.xml.read_event_into(&mut self.buf) {
                Ok(event) => event.into_owned(),
                Err(e) => return Err(self.error(format!("invalid XML: {e}"))),
            };
            let finished = match event {
                Event::Start(start) => {
                    let finished = self.open_element(&start, false)?;
                    self.stack.push(start.local_name().as_ref().to_owned());
                    finished
                }
                Event::Empty(start) => self.open_element(&start, true)?,
                Event::End(end) => {
                    let name = end.local_name().as_ref().to_owned();
                    self.stack.pop();
                    match name.as_str() {
                        "event" => Some(self.finish_event()),
                        "trace" => {
                            self.trace.clear();
                            self.trace_problem = None;
                            None
                        }
                        _ => None,
                    }
                }
                Event::Eof => {
                    if !self.stack.is_empty() {
                        return Err(
                            self.error(format!("the file ends inside <{}>", self.stack.join("><")))
                        );
                    }
                    self.done = true;
                    break;
                }
                _ => None,
            };
            match finished {
                None => {}
                Some(Ok(row)) => {
                    first_row.get_or_insert(self.n_events);
                    rows.push(row);
                }
                Some(Err(e)) if self.skip_bad_rows => {
                    skipped.push(e);
                    // Keep a batch's rows consecutive events of the file.
                    if !rows.is_empty() {
                        break;
                    }
                }
                Some(Err(e)) => return Err(e),
            }
        }
        if rows.is_empty() && skipped.is_empty() {
            return Ok(None);
        }
        let batch = super::jsonl::to_batch(&rows).map_err(|source| EngineError::Arrow {
            path: self.path.clone(),
            source,
        })?;
        Ok(Some(Batch {
            first_row: first_row.unwrap_or(self.n_events),
            batch,
            skipped,
        }))
    }

    /// Handles `<extension>`, `<trace>`, `<event>` and attribute elements
    /// (`<string key=".." value=".."/>`). An empty `<event/>` is finished at once.
    fn open_element(
        &mut self,
        start: &BytesStart<'_>,
        empty: bool,
    ) -> Result<Option<Result<Row, EngineError>>, EngineError> {
        let name = start.local_name().as_ref().to_owned();
        match name.as_str() {
            "extension" => {
                let attributes = self.attributes(start)?;
                for needed in ["name", "prefix", "uri"] {
                    if attributes.get(needed).is_none_or(|v| v.trim().is_empty()) {
                        return Err(self.error(format!(
                            "an <extension> has no `{needed}`; XES declares an extension with name, prefix and uri"
                        )));
                    }
                }
                if attributes["prefix"].contains(':') {
                    return Err(self.error(format!(
                        "an <extension> has the prefix `{}`; a prefix is a name without `:`",
                        attributes["prefix"]
                    )));
                }
            }
            "trace" => {
                self.trace.clear();
                self.trace_problem = None;
            }
            "event" => {
                self.event = Some(Row::new());
                self.event_problem = None;
                if empty {
                    return Ok(Some(self.finish_event()));
                }
            }
            "string" | "date" | "int" | "float" | "boolean" | "id" => {
                // Only attributes directly inside an event or a trace are columns.
                let parent = self.stack.last().map(String::as_str);
                let in_event = parent == Some("event") && self.event.is_some();
                if !in_event && parent != Some("trace") {
                    return Ok(None);
                }
                let mut attributes = self.attributes(start)?;
                let Some(key) = attributes.remove("key") else {
                    return Err(self.error(format!("a <{name}> attribute has no `key`")));
                };
                let raw = attributes.remove("value").unwrap_or_default();
                let typed = match typed_value(&name, &key, raw) {
                    Ok(value) => value,
                    Err(message) => {
                        self.problem(message);
                        return Ok(None);
                    }
                };
                match self.event.as_mut() {
                    Some(event) if in_event => {
                        event.insert(key, typed);
                    }
                    _ => {
                        self.trace.insert(key, typed);
                    }
                }
            }
            _ => {}
        }
        Ok(None)
    }

    /// The XML attributes of an element, unescaped and normalised.
    fn attributes(&self, start: &BytesStart<'_>) -> Result<BTreeMap<String, String>, EngineError> {
        let mut out = BTreeMap::new();
        for attribute in start.attributes() {
            let attribute =
                attribute.map_err(|e| self.error(format!("invalid XML attribute: {e}")))?;
            let text = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| self.error(format!("invalid XML attribute value: {e}")))?
                .into_owned();
            out.insert(attribute.key.as_ref().to_owned(), text);
        }
        Ok(out)
    }

    /// The row of the event just closed, or its problem.
    fn finish_event(&mut self) -> Result<Row, EngineError> {
        let mut attributes = self.event.take().unwrap_or_default();
        self.n_events += 1;
        let problem = self
            .event_problem
            .take()
            .or_else(|| self.trace_problem.clone());
        if let Some(problem) = problem {
            return Err(self.problem_error(&problem));
        }
        let Some(case) = self.trace.get("concept:name").cloned() else {
            return Err(self.error(
                "an event's trace has no `concept:name` (its case id) before its events".to_owned(),
            ));
        };
        let Some(time) = attributes.remove("time:timestamp") else {
            return Err(self.error("an event has no `time:timestamp`".to_owned()));
        };
        let mut row = Row::new();
        row.insert("customer_id".to_owned(), case);
        if let Some(name) = attributes.get("concept:name").cloned() {
            row.insert("event".to_owned(), name);
        }
        row.insert("timestamp".to_owned(), time);
        for (key, value) in &self.trace {
            row.insert(format!("case:{key}"), value.clone());
        }
        row.extend(attributes);
        Ok(row)
    }
}

/// An attribute's value as its XES type says: `int` and `float` are numbers, `boolean` is
/// true/false, `date` is an `xs:dateTime` (kept as text), anything else is text.
fn typed_value(kind: &str, key: &str, raw: String) -> Result<Value, String> {
    Ok(match kind {
        "int" => raw
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`{key}` is an int, but `{raw}` is not a whole number"))?,
        "float" => raw
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("`{key}` is a float, but `{raw}` is not a number"))?,
        "boolean" => match raw.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => {
                return Err(format!(
                    "`{key}` is a boolean, but `{raw}` is not true or false"
                ));
            }
        },
        "date" => {
            if !is_xs_date_time(raw.trim()) {
                return Err(format!(
                    "`{key}` is a date, but `{raw}` is not an xs:dateTime (like 2026-03-01T09:30:00.000+01:00)"
                ));
            }
            Value::String(raw)
        }
        _ => Value::String(raw),
    })
}

/// An `xs:dateTime`: date, `T`, time with optional fraction, optional zone (`Z` or `±hh:mm`).
/// Without a zone the time is read in the analysis's time zone, like any naive time.
fn is_xs_date_time(text: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(text).is_ok()
        || chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
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

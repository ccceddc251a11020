//! Cell values while a customer's events are being made, and the string table they point into.
//!
//! A value is a small `Copy` enum: text is a [`Sym`] (an index into [`Symbols`]), ids and review
//! texts are formatted only when a batch is written. This keeps generation free of allocation,
//! and comparing a cell with a matcher's literal is an integer comparison.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::vocab;

/// An interned string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Sym(pub(crate) u32);

/// The string table of one run. Every literal of the map and every word list is interned before
/// generation starts; generation only reads it.
#[derive(Debug, Default)]
pub(crate) struct Symbols {
    strings: Vec<String>,
    index: HashMap<String, Sym>,
}

impl Symbols {
    pub(crate) fn intern(&mut self, text: &str) -> Sym {
        if let Some(sym) = self.index.get(text) {
            return *sym;
        }
        let sym = Sym(u32::try_from(self.strings.len()).expect("fewer than 2^32 distinct strings"));
        self.strings.push(text.to_owned());
        self.index.insert(text.to_owned(), sym);
        sym
    }

    pub(crate) fn get(&self, text: &str) -> Option<Sym> {
        self.index.get(text).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.strings.len()
    }

    pub(crate) fn str(&self, sym: Sym) -> &str {
        &self.strings[sym.0 as usize]
    }
}

/// What kind of id an [`Val::Id`] is, which decides its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdKind {
    Order,
    Ticket,
}

/// One cell of an event or customer row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Val {
    Null,
    Str(Sym),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// An order or ticket id: the customer's number and the order's or case's number.
    Id(IdKind, u64, u32),
    /// A free text made of one or two sentences of [`vocab::SENTENCES`].
    Text(u16, Option<u16>),
}

impl Val {
    pub(crate) fn is_null(self) -> bool {
        matches!(self, Val::Null)
    }

    pub(crate) fn as_f64(self) -> Option<f64> {
        match self {
            Val::Int(i) => Some(i as f64),
            Val::Float(f) => Some(f),
            _ => None,
        }
    }

    /// Appends the value's text to `out`; `false` for null. Numbers are written as SQL would.
    pub(crate) fn write_text(self, symbols: &Symbols, out: &mut String) -> bool {
        match self {
            Val::Null => return false,
            Val::Str(sym) => out.push_str(symbols.str(sym)),
            Val::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Val::Float(f) => {
                let _ = write!(out, "{f}");
            }
            Val::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Val::Id(kind, customer, n) => {
                let prefix = match kind {
                    IdKind::Order => 'o',
                    IdKind::Ticket => 't',
                };
                let _ = write!(out, "{prefix}{customer:07}-{n}");
            }
            Val::Text(first, second) => {
                out.push_str(vocab::SENTENCES[usize::from(first)].2);
                if let Some(second) = second {
                    out.push(' ');
                    out.push_str(vocab::SENTENCES[usize::from(second)].2);
                }
            }
        }
        true
    }
}

/// The type of a generated column, and so of its Arrow array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColType {
    Utf8,
    Int32,
    Int64,
    Float64,
    Bool,
    /// Days since 1970-01-01.
    Date32,
}

impl ColType {
    pub(crate) fn is_numeric(self) -> bool {
        matches!(self, ColType::Int32 | ColType::Int64 | ColType::Float64)
    }

    pub(crate) fn is_integer(self) -> bool {
        matches!(self, ColType::Int32 | ColType::Int64)
    }
}

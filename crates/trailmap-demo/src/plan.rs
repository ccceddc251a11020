//! The map compiled for generation: the columns of both files, every expression turned into
//! [`Template`]s (what an event must look like, with its choices worked out in advance), and the
//! behaviour of each persona at each step.
//!
//! All strings are interned here, once; generation ([`crate::sim`]) only reads the plan.

use std::collections::HashMap;

use trailmap_model::{Map, Persona, Step};

use crate::expr::{self, Dnf, Lit, Pred};
use crate::value::{ColType, Sym, Symbols, Val};
use crate::vocab::{self, Domain, EventKind, TextKind};

/// Fixed positions of the always-present event columns in a row (after customer and time).
pub(crate) const EVENT: usize = 0;
pub(crate) const CHANNEL: usize = 1;
pub(crate) const INITIATOR: usize = 2;
pub(crate) const NPS: usize = 3;
pub(crate) const CSAT: usize = 4;
pub(crate) const CES: usize = 5;
pub(crate) const TEXT: usize = 6;

/// The columns every events file has, in order, after `customer_id` and `timestamp`.
const FIXED_EVENT_COLUMNS: [(&str, ColType); 8] = [
    ("event", ColType::Utf8),
    ("channel", ColType::Utf8),
    ("initiator", ColType::Utf8),
    ("nps", ColType::Int32),
    ("csat", ColType::Int32),
    ("ces", ColType::Int32),
    ("text", ColType::Utf8),
    ("order_value", ColType::Float64),
];

/// Customer attributes added to the ones persona rules need, when the rules do not name them.
pub(crate) const EXTRA_CUSTOMER_COLUMNS: [(&str, ColType); 4] = [
    ("country", ColType::Utf8),
    ("signup_date", ColType::Date32),
    ("email_opt_in", ColType::Bool),
    ("demo_persona", ColType::Utf8),
];

/// Named columns with their types.
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns {
    pub(crate) names: Vec<String>,
    pub(crate) types: Vec<ColType>,
}

impl Columns {
    pub(crate) fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    fn push(&mut self, name: &str, ty: ColType) {
        self.names.push(name.to_owned());
        self.types.push(ty);
    }
}

/// How a compiled constraint is tested against a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Test {
    Eq(Val),
    Ne(Val),
    In(Vec<Val>),
    NotIn(Vec<Val>),
    Range {
        lo: f64,
        lo_inclusive: bool,
        hi: f64,
        hi_inclusive: bool,
    },
    IsNull,
    NotNull,
    Like {
        pattern: String,
        negated: bool,
    },
}

/// How a compiled constraint is satisfied when a row is made.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Gen {
    Set(Val),
    OneOf(Vec<Val>),
    /// A whole number in `lo..=hi`: uniform, or for counts `lo` plus a geometric number of
    /// steps with this chance of stopping at each (low values most common).
    Int {
        lo: i64,
        hi: i64,
        stop: Option<f64>,
    },
    Float {
        lo: f64,
        hi: f64,
    },
    /// The column's usual value for the event (a score, an id, a text, ...).
    Fill(Filler),
    Null,
}

/// One constraint of a branch, on a column of the row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cons {
    pub(crate) col: usize,
    pub(crate) test: Test,
    pub(crate) how: Gen,
}

/// How a column gets its usual value on an event that carries it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filler {
    OrderId,
    TicketId,
    OrderValue,
    OrderCount,
    PaymentMethod,
    ContactCount,
    Nps,
    Csat,
    Ces,
    Rating,
    Text(TextRole),
    Plan,
    Mrr,
    /// One of these values, uniformly.
    Pool(Vec<Val>),
    /// A number in this range (whole when `int`; low values most common when `count`).
    Number {
        lo: f64,
        hi: f64,
        int: bool,
        count: bool,
    },
    /// A grown-up's age in years.
    Age,
    /// The column stays empty.
    Nothing,
}

/// What a text column holds on an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextRole {
    /// A review: always, its tone following the customer's satisfaction.
    Review,
    /// A survey comment: sometimes.
    Comment,
    /// A public post: mostly unhappy.
    Social,
    /// A message opening a contact: sometimes.
    Contact,
    Query,
    HelpQuery,
}

/// One way to make an event that satisfies one branch of an expression.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    /// The event names the branch allows, each with its channels and usual columns.
    pub(crate) events: Vec<EventChoice>,
    /// How the initiator is set, when the branch constrains it.
    pub(crate) initiator: Option<Gen>,
    /// The branch's constraints on other columns, satisfied in order.
    pub(crate) rest: Vec<Cons>,
    /// Every constraint of the branch, to test a row against it.
    pub(crate) all: Vec<Cons>,
}

/// An event name a template may use.
#[derive(Debug, Clone)]
pub(crate) struct EventChoice {
    pub(crate) event: Sym,
    pub(crate) kind: Option<EventKind>,
    pub(crate) by_company: bool,
    /// The event is evidence of a bad outcome (a cancellation): steps rarely pick it.
    pub(crate) bad: bool,
    /// The channels it may come on, with who starts it there; empty: no channel.
    pub(crate) channels: Vec<(u8, Sym)>,
    /// Its usual columns and how they are filled.
    pub(crate) fill: Vec<(usize, Filler)>,
}

/// A persona's behaviour, or the behaviour of customers who match no persona.
#[derive(Debug, Clone)]
pub(crate) struct PersonaPlan {
    /// `None` for the unassigned customers.
    pub(crate) id: Option<String>,
    pub(crate) share: f64,
    /// The rule's branches over customer attributes; `None` when the persona has no rule.
    pub(crate) rule: Option<Vec<Vec<Cons>>>,
    /// Weight of each channel (by channel number) when a step offers several.
    pub(crate) channel_weights: Vec<f64>,
    /// Multiplies the chance of dropping off.
    pub(crate) drop_factor: f64,
    /// Multiplies the time between steps.
    pub(crate) pace: f64,
    pub(crate) optional_rate: f64,
    pub(crate) mood: f64,
    pub(crate) basket_median: f64,
    pub(crate) noise_rate: f64,
    pub(crate) repeat_factor: f64,
    pub(crate) survey_rate: f64,
}

/// A step, ready to generate.
#[derive(Debug, Clone)]
pub(crate) struct StepPlan {
    pub(crate) stage: usize,
    /// One per branch of `match`; empty when the step has no `match`.
    pub(crate) templates: Vec<Template>,
    /// One per branch of `feedback`.
    pub(crate) feedback: Vec<Template>,
    pub(crate) optional: bool,
    pub(crate) moment_of_truth: bool,
    pub(crate) emotion: f64,
    /// Who takes the step, by behaviour persona (the last entry is "unassigned").
    pub(crate) allowed: Vec<bool>,
    /// How much the step hurts, by behaviour persona: the pain points' weighted severities.
    pub(crate) pain: Vec<f64>,
    /// Whether customers contact support here, and may do so again.
    pub(crate) contact: bool,
    /// Taking the step is a good outcome (buying again, renewing), not a matter of course: how
    /// common that outcome is ([`vocab::outcome_weight`]).
    pub(crate) good_outcome: Option<f64>,
    /// The step's `time_to_next` KPI target, in seconds.
    pub(crate) time_to_next: Option<f64>,
    /// What the customer thinks here, usable as a verbatim.
    pub(crate) quote: Option<Sym>,
}

/// A map outcome, ready to generate.
#[derive(Debug, Clone)]
pub(crate) struct OutcomePlan {
    pub(crate) templates: Vec<Template>,
    pub(crate) bad: bool,
    pub(crate) terminal: bool,
    pub(crate) weight: f64,
}

/// Everything generation needs, worked out from the map once.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) symbols: Symbols,
    pub(crate) customer_id_name: String,
    pub(crate) timestamp_name: String,
    pub(crate) events: Columns,
    /// Customer columns after `customer_id`.
    pub(crate) customers: Columns,
    /// How each customer column gets its value when no rule constrains it.
    pub(crate) customer_fill: Vec<Filler>,
    /// Channel spellings by channel number.
    pub(crate) channels: Vec<Sym>,
    /// The personas in map order, then the unassigned customers.
    pub(crate) personas: Vec<PersonaPlan>,
    pub(crate) steps: Vec<StepPlan>,
    pub(crate) outcomes: Vec<OutcomePlan>,
    /// Steps whose `match` may accept an event name (by symbol), and those that accept any.
    pub(crate) steps_by_event: Vec<Vec<u16>>,
    pub(crate) steps_any_event: Vec<u16>,
    /// A survey answer and a review outside the map's steps.
    pub(crate) survey: Template,
    pub(crate) review: Template,
    /// Values for the `survey` column of surveys outside the steps.
    pub(crate) survey_values: Vec<Val>,
    /// Background events, none of them evidence of a step.
    pub(crate) noise: Vec<Template>,
    /// Sentence numbers by text kind, for this map's domain.
    pub(crate) texts: [Vec<u16>; 6],
    pub(crate) feedback_window: f64,
    pub(crate) outcome_window: f64,
    pub(crate) repeat_window: f64,
    pub(crate) sym_phone: Sym,
    pub(crate) sym_phone_card: Sym,
    pub(crate) plan_prices: Vec<(Sym, f64)>,
    pub(crate) payment_methods: Vec<Val>,
    /// Where the columns the simulation sets itself are, if the files have them.
    pub(crate) col_survey: Option<usize>,
    pub(crate) col_order_count: Option<usize>,
    pub(crate) col_signup_date: Option<usize>,
    pub(crate) col_email_opt_in: Option<usize>,
    pub(crate) col_demo_persona: Option<usize>,
    /// Persona shares, the unassigned last.
    pub(crate) shares: Vec<f64>,
    /// Parts of expressions that generation cannot honour, for the user.
    pub(crate) notes: Vec<String>,
}

/// Severity 1..5 of a pain point as extra chance to drop off.
const SEVERITY_WEIGHT: [f64; 6] = [0.0, 0.005, 0.015, 0.035, 0.07, 0.12];

/// Every expression of the map, parsed, with what it belongs to.
struct Parsed {
    steps: Vec<(Dnf, Option<Dnf>)>,
    outcomes: Vec<(String, Dnf)>,
    rules: Vec<Option<Dnf>>,
}

impl Plan {
    pub(crate) fn new(map: &Map) -> Plan {
        let mut notes = Vec::new();
        let parsed = parse_all(map, &mut notes);
        let event_name = map
            .data
            .columns
            .event
            .clone()
            .unwrap_or_else(|| "event".into());
        let customer_id_name = map
            .data
            .columns
            .customer_id
            .clone()
            .unwrap_or_else(|| "customer_id".into());
        let timestamp_name = map
            .data
            .columns
            .timestamp
            .clone()
            .unwrap_or_else(|| "timestamp".into());

        let event_exprs: Vec<&Dnf> = parsed
            .steps
            .iter()
            .flat_map(|(m, f)| std::iter::once(m).chain(f.as_ref()))
            .chain(parsed.outcomes.iter().map(|(_, d)| d))
            .collect();
        let events = event_columns(
            &event_name,
            &event_exprs,
            &[&customer_id_name, &timestamp_name],
        );
        let rule_exprs: Vec<&Dnf> = parsed.rules.iter().flatten().collect();
        let customers = customer_columns(&rule_exprs, &customer_id_name);

        let mut b = Builder {
            symbols: Symbols::default(),
            events,
            customers,
            channels: Vec::new(),
            pools: HashMap::new(),
            bad_events: Vec::new(),
            notes,
            event_name,
            customer_id_name,
            timestamp_name,
        };
        b.collect_pools(&event_exprs, &rule_exprs);
        for channel in trailmap_model::Channel::ALL {
            b.channel(channel.as_str());
        }
        for (name, dnf) in &parsed.outcomes {
            if vocab::is_bad_outcome(name) {
                for branch in &dnf.branches {
                    for c in branch.iter().filter(|c| c.column == b.event_name) {
                        if let Pred::Eq(Lit::Str(s)) = &c.pred {
                            let sym = b.symbols.intern(s);
                            b.bad_events.push(sym);
                        } else if let Pred::In(list) = &c.pred {
                            for l in list {
                                if let Lit::Str(s) = l {
                                    let sym = b.symbols.intern(s);
                                    b.bad_events.push(sym);
                                }
                            }
                        }
                    }
                }
            }
        }

        let personas = b.personas(map, &parsed.rules);
        let n_behaviours = personas.len();
        let good: Vec<(&String, &Dnf)> = parsed
            .outcomes
            .iter()
            .filter(|(name, _)| !vocab::is_bad_outcome(name))
            .map(|(name, dnf)| (name, dnf))
            .collect();
        let steps: Vec<StepPlan> = map
            .steps()
            .zip(&parsed.steps)
            .map(|(step_ref, (m, f))| {
                let mut step = b.step(
                    map,
                    step_ref.step,
                    step_ref.stage_idx,
                    m,
                    f.as_ref(),
                    n_behaviours,
                );
                // The weight of the good outcome every branch of the step is evidence of.
                step.good_outcome = m
                    .branches
                    .iter()
                    .map(|branch| {
                        good.iter()
                            .filter(|(_, o)| o.branches.iter().any(|ob| implies(branch, ob)))
                            .map(|(name, _)| vocab::outcome_weight(name))
                            .reduce(f64::max)
                    })
                    .reduce(|a, b| Some(a?.min(b?)))
                    .flatten();
                step
            })
            .collect();
        let outcomes: Vec<OutcomePlan> = parsed
            .outcomes
            .iter()
            .map(|(name, dnf)| OutcomePlan {
                templates: b.templates(dnf, &[], name, &format!("outcome `{name}`")),
                bad: vocab::is_bad_outcome(name),
                terminal: vocab::is_terminal_outcome(name),
                weight: vocab::outcome_weight(name),
            })
            .collect();

        let survey = b.single_event_template(vocab::SURVEY_EVENT);
        let review = b.single_event_template(vocab::REVIEW_EVENT);
        let survey_values = match b.events.index("survey") {
            Some(_) => b.pool_for("survey", Some(EventKind::Survey)),
            None => Vec::new(),
        };
        let domain = vocab::domain_of(map.journey.kind);
        let noise: Vec<Template> = vocab::NOISE_EVENTS
            .iter()
            .filter(|(_, _, d)| *d == Domain::Any || domain == Domain::Any || *d == domain)
            .map(|(name, _, _)| b.single_event_template(name))
            .collect();

        let (steps_by_event, steps_any_event) = index_steps(&steps, b.symbols.len());
        let texts = text_pools(domain);
        let windows = &map.data.windows;
        let seconds = |d: Option<trailmap_model::Duration>, default: f64| {
            d.map_or(default, |d| d.seconds() as f64).max(3600.0)
        };
        let plan_prices = [("solo", 29.0), ("team", 79.0), ("multi_location", 199.0)]
            .iter()
            .map(|(name, price)| (b.symbols.intern(name), *price))
            .collect();
        let sym_phone = b.symbols.intern("phone");
        let sym_phone_card = b.symbols.intern("phone_card");
        let customer_fill = b.customer_fillers();
        let payment_methods = vocab::text_values("payment_method", None)
            .iter()
            .map(|m| Val::Str(b.symbols.intern(m)))
            .collect();
        Plan {
            col_survey: b.events.index("survey"),
            col_order_count: b.events.index("order_count"),
            col_signup_date: b.customers.index("signup_date"),
            col_email_opt_in: b.customers.index("email_opt_in"),
            col_demo_persona: b.customers.index("demo_persona"),
            shares: personas.iter().map(|p| p.share).collect(),
            customer_fill,
            customer_id_name: b.customer_id_name,
            timestamp_name: b.timestamp_name,
            events: b.events,
            customers: b.customers,
            channels: b.channels,
            personas,
            steps,
            outcomes,
            steps_by_event,
            steps_any_event,
            survey,
            review,
            survey_values,
            noise,
            texts,
            feedback_window: seconds(windows.feedback, 30.0 * 86400.0),
            outcome_window: seconds(windows.outcome, 90.0 * 86400.0),
            repeat_window: seconds(windows.repeat, 7.0 * 86400.0),
            sym_phone,
            sym_phone_card,
            plan_prices,
            payment_methods,
            notes: b.notes,
            symbols: b.symbols,
        }
    }

    /// The steps whose `match` may accept an event with this name.
    pub(crate) fn candidate_steps(&self, event: Val) -> impl Iterator<Item = usize> + '_ {
        let by_name: &[u16] = match event {
            Val::Str(sym) => self
                .steps_by_event
                .get(sym.0 as usize)
                .map_or(&[], Vec::as_slice),
            _ => &[],
        };
        by_name
            .iter()
            .chain(&self.steps_any_event)
            .map(|i| usize::from(*i))
    }
}

fn parse_all(map: &Map, notes: &mut Vec<String>) -> Parsed {
    let mut note = |what: &str, dnf: &Dnf| {
        for part in &dnf.not_understood {
            notes.push(format!(
                "{what}: `{part}` is not understood and is ignored; generated rows may not satisfy it"
            ));
        }
    };
    let steps = map
        .steps()
        .map(|s| {
            let m = s
                .step
                .matcher
                .as_deref()
                .map_or_else(Dnf::default, expr::parse);
            note(&format!("step `{}` match", s.step.id), &m);
            let f = s.step.feedback.as_deref().map(expr::parse);
            if let Some(f) = &f {
                note(&format!("step `{}` feedback", s.step.id), f);
            }
            (m, f)
        })
        .collect();
    let outcomes = map
        .outcomes
        .iter()
        .map(|(name, text)| {
            let dnf = expr::parse(text);
            note(&format!("outcome `{name}`"), &dnf);
            (name.clone(), dnf)
        })
        .collect();
    let rules = map
        .personas
        .iter()
        .map(|p| {
            let dnf = p.rule.as_deref().map(expr::parse);
            if let Some(dnf) = &dnf {
                note(&format!("persona `{}` rule", p.id), dnf);
            }
            dnf
        })
        .collect();
    Parsed {
        steps,
        outcomes,
        rules,
    }
}

/// The type a column gets from the literals it is compared with (and what the vocabulary knows).
fn infer_type(name: &str, literals: &[&Lit]) -> ColType {
    let has = |f: fn(&Lit) -> bool| literals.iter().any(|l| f(l));
    if has(|l| matches!(l, Lit::Str(_))) {
        ColType::Utf8
    } else if has(|l| matches!(l, Lit::Num(..))) {
        let all_int = literals
            .iter()
            .all(|l| matches!(l, Lit::Num(_, true)) || matches!(l, Lit::Bool(_)));
        if (all_int || vocab::is_integer_column(name)) && !vocab::is_decimal_column(name) {
            ColType::Int64
        } else {
            ColType::Float64
        }
    } else if has(|l| matches!(l, Lit::Bool(_))) {
        ColType::Bool
    } else if vocab::is_integer_column(name) {
        ColType::Int64
    } else if vocab::is_decimal_column(name) {
        ColType::Float64
    } else {
        ColType::Utf8
    }
}

/// Columns in order of first use, with the literals each is compared with.
fn used_columns<'a>(exprs: &[&'a Dnf]) -> Vec<(&'a str, Vec<&'a Lit>)> {
    let mut out: Vec<(&str, Vec<&Lit>)> = Vec::new();
    for dnf in exprs {
        for column in dnf.columns() {
            if !out.iter().any(|(n, _)| *n == column) {
                out.push((column, Vec::new()));
            }
        }
        for (column, lit) in dnf.literals() {
            if let Some((_, lits)) = out.iter_mut().find(|(n, _)| *n == column) {
                lits.push(lit);
            }
        }
    }
    out
}

fn event_columns(event_name: &str, exprs: &[&Dnf], excluded: &[&str]) -> Columns {
    let mut columns = Columns::default();
    for (name, ty) in FIXED_EVENT_COLUMNS {
        let name = if name == "event" { event_name } else { name };
        columns.push(name, ty);
    }
    for (name, lits) in used_columns(exprs) {
        if columns.index(name).is_none() && !excluded.contains(&name) {
            columns.push(name, infer_type(name, &lits));
        }
    }
    columns
}

fn customer_columns(exprs: &[&Dnf], customer_id_name: &str) -> Columns {
    let mut columns = Columns::default();
    for (name, lits) in used_columns(exprs) {
        if name != customer_id_name {
            columns.push(name, infer_type(name, &lits));
        }
    }
    for (name, ty) in EXTRA_CUSTOMER_COLUMNS {
        if columns.index(name).is_none() {
            columns.push(name, ty);
        }
    }
    columns
}

/// Sentence numbers by [`TextKind`] (in enum order), for a domain.
fn text_pools(domain: Domain) -> [Vec<u16>; 6] {
    let kinds = [
        TextKind::Positive,
        TextKind::Neutral,
        TextKind::Negative,
        TextKind::Contact,
        TextKind::Query,
        TextKind::HelpQuery,
    ];
    kinds.map(|kind| {
        let fits = |d: Domain| d == Domain::Any || domain == Domain::Any || d == domain;
        let mut pool: Vec<u16> = vocab::SENTENCES
            .iter()
            .enumerate()
            .filter(|(_, (k, d, _))| *k == kind && fits(*d))
            .map(|(i, _)| u16::try_from(i).expect("fewer than 65536 sentences"))
            .collect();
        if pool.is_empty() {
            pool = vocab::SENTENCES
                .iter()
                .enumerate()
                .filter(|(_, (k, _, _))| *k == kind)
                .map(|(i, _)| u16::try_from(i).expect("fewer than 65536 sentences"))
                .collect();
        }
        pool
    })
}

fn index_steps(steps: &[StepPlan], n_symbols: usize) -> (Vec<Vec<u16>>, Vec<u16>) {
    let mut by_event = vec![Vec::new(); n_symbols];
    let mut any = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let i = u16::try_from(i).expect("fewer than 65536 steps");
        for template in &step.templates {
            let constrained = template
                .all
                .iter()
                .any(|c| c.col == EVENT && matches!(c.test, Test::Eq(_) | Test::In(_)));
            if constrained {
                for choice in &template.events {
                    let list: &mut Vec<u16> = &mut by_event[choice.event.0 as usize];
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            } else if !any.contains(&i) {
                any.push(i);
            }
        }
    }
    (by_event, any)
}

/// A stable number in `[0, 1)` from a persona id and a salt, so each persona behaves in its own
/// way without the map saying how.
fn unit_hash(id: &str, salt: u64) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt.wrapping_mul(0x100_0000_01b3);
    for byte in id.bytes() {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 32;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

struct Builder {
    symbols: Symbols,
    events: Columns,
    customers: Columns,
    channels: Vec<Sym>,
    /// Text values seen for each event column in the map's expressions, by column name.
    pools: HashMap<String, Vec<Sym>>,
    bad_events: Vec<Sym>,
    notes: Vec<String>,
    event_name: String,
    customer_id_name: String,
    timestamp_name: String,
}

impl Builder {
    fn collect_pools(&mut self, event_exprs: &[&Dnf], rule_exprs: &[&Dnf]) {
        for dnf in event_exprs.iter().chain(rule_exprs) {
            for (column, lit) in dnf.literals() {
                if let Lit::Str(s) = lit {
                    let sym = self.symbols.intern(s);
                    let pool = self.pools.entry(column.to_owned()).or_default();
                    if !pool.contains(&sym) {
                        pool.push(sym);
                    }
                }
            }
        }
    }

    fn channel(&mut self, name: &str) -> u8 {
        let sym = self.symbols.intern(name);
        if let Some(i) = self.channels.iter().position(|c| *c == sym) {
            return u8::try_from(i).unwrap_or(u8::MAX);
        }
        self.channels.push(sym);
        u8::try_from(self.channels.len() - 1).unwrap_or(u8::MAX)
    }

    /// Values for a text column: the map's literals for it, then the vocabulary's.
    fn pool_for(&mut self, name: &str, kind: Option<EventKind>) -> Vec<Val> {
        let mut out: Vec<Val> = Vec::new();
        let vocab_values = vocab::text_values(name, kind);
        for v in vocab_values {
            out.push(Val::Str(self.symbols.intern(v)));
        }
        // Map literals are used only when the vocabulary knows nothing for this event kind.
        if out.is_empty()
            && let Some(pool) = self.pools.get(name)
        {
            out.extend(pool.iter().map(|s| Val::Str(*s)));
        }
        out
    }

    /// Every value a column is ever given: the map's literals and the vocabulary's, for tests of
    /// `<>` and `NOT IN`.
    fn all_values(&mut self, name: &str) -> Vec<Val> {
        let mut out: Vec<Val> = self
            .pools
            .get(name)
            .map(|p| p.iter().map(|s| Val::Str(*s)).collect())
            .unwrap_or_default();
        for v in vocab::text_values(name, None) {
            let val = Val::Str(self.symbols.intern(v));
            if !out.contains(&val) {
                out.push(val);
            }
        }
        out
    }

    fn lit_val(&mut self, lit: &Lit, ty: ColType) -> Val {
        match (lit, ty) {
            (Lit::Str(s), _) => Val::Str(self.symbols.intern(s)),
            (Lit::Num(n, _), ColType::Int32 | ColType::Int64 | ColType::Date32)
                if n.fract() == 0.0 =>
            {
                Val::Int(*n as i64)
            }
            (Lit::Num(n, _), ColType::Utf8) => Val::Str(self.symbols.intern(&n.to_string())),
            (Lit::Num(n, _), _) => Val::Float(*n),
            (Lit::Bool(b), ColType::Utf8) => {
                Val::Str(self.symbols.intern(if *b { "true" } else { "false" }))
            }
            (Lit::Bool(b), _) => Val::Bool(*b),
        }
    }

    /// Compiles one constraint against a set of columns; `None` when it names no column of the
    /// row (the timestamp or the customer id), which generation leaves to itself.
    fn cons(
        &mut self,
        c: &expr::Constraint,
        columns: &Columns,
        kind: Option<EventKind>,
        for_customers: bool,
    ) -> Option<Cons> {
        let col = columns.index(&c.column)?;
        let ty = columns.types[col];
        let name = c.column.clone();
        let (test, how) = match &c.pred {
            Pred::Eq(l) => {
                let v = self.lit_val(l, ty);
                (Test::Eq(v), Gen::Set(v))
            }
            Pred::In(ls) => {
                let vs: Vec<Val> = ls.iter().map(|l| self.lit_val(l, ty)).collect();
                (Test::In(vs.clone()), Gen::OneOf(vs))
            }
            Pred::Ne(l) => {
                let v = self.lit_val(l, ty);
                let how = self.excluding(&name, ty, &[v]);
                (Test::Ne(v), how)
            }
            Pred::NotIn(ls) => {
                let vs: Vec<Val> = ls.iter().map(|l| self.lit_val(l, ty)).collect();
                let how = self.excluding(&name, ty, &vs);
                (Test::NotIn(vs), how)
            }
            Pred::Range { lo, hi } => {
                let (dlo, dhi) = vocab::number_domain(&name).unwrap_or((
                    lo.map_or(0.0, |b| b.value.min(0.0)),
                    hi.map_or_else(
                        || lo.map_or(100.0, |b| b.value.abs() * 2.0 + 10.0),
                        |b| b.value,
                    ),
                ));
                let test = Test::Range {
                    lo: lo.map_or(f64::NEG_INFINITY, |b| b.value),
                    lo_inclusive: lo.is_none_or(|b| b.inclusive),
                    hi: hi.map_or(f64::INFINITY, |b| b.value),
                    hi_inclusive: hi.is_none_or(|b| b.inclusive),
                };
                let how = if ty.is_integer() {
                    let l = lo.map_or(dlo.ceil() as i64, |b| {
                        if b.inclusive {
                            b.value.ceil() as i64
                        } else {
                            b.value.floor() as i64 + 1
                        }
                    });
                    let h = hi.map_or(dhi.floor() as i64, |b| {
                        if b.inclusive {
                            b.value.floor() as i64
                        } else {
                            b.value.ceil() as i64 - 1
                        }
                    });
                    let h = if hi.is_none() { h.max(l) } else { h };
                    let l = if lo.is_none() { l.min(h) } else { l };
                    Gen::Int {
                        lo: l,
                        hi: h,
                        stop: vocab::is_count(&name).then(|| {
                            // Second orders outnumber third ones; team sizes spread wider.
                            if name.ends_with("_count") { 0.6 } else { 0.12 }
                        }),
                    }
                } else {
                    let l = lo.map_or(dlo, |b| b.value);
                    let h = hi.map_or(dhi.max(l + 1.0), |b| b.value);
                    Gen::Float { lo: l, hi: h }
                };
                (test, how)
            }
            Pred::IsNull => (Test::IsNull, Gen::Null),
            Pred::NotNull => {
                let filler = if for_customers {
                    self.customer_filler(&name, ty)
                } else {
                    self.filler(&name, ty, kind)
                };
                (Test::NotNull, Gen::Fill(filler))
            }
            Pred::Like { pattern, negated } => {
                let test = Test::Like {
                    pattern: pattern.clone(),
                    negated: *negated,
                };
                let how = if *negated {
                    let all = self.all_values(&name);
                    let ok: Vec<Val> = all
                        .into_iter()
                        .filter(|v| match v {
                            Val::Str(s) => !expr::like(self.symbols.str(*s), pattern),
                            _ => false,
                        })
                        .collect();
                    if ok.is_empty() {
                        Gen::Set(Val::Str(self.symbols.intern("other")))
                    } else {
                        Gen::OneOf(ok)
                    }
                } else {
                    Gen::Set(Val::Str(self.symbols.intern(&expr::like_example(pattern))))
                };
                (test, how)
            }
        };
        Some(Cons { col, test, how })
    }

    /// A way to give a column a value other than `excluded`.
    fn excluding(&mut self, name: &str, ty: ColType, excluded: &[Val]) -> Gen {
        if ty.is_numeric() {
            let (lo, hi) = vocab::number_domain(name).unwrap_or((0.0, 100.0));
            let ok: Vec<Val> = (lo as i64..=hi as i64)
                .take(200)
                .map(Val::Int)
                .filter(|v| !excluded.iter().any(|e| e.as_f64() == v.as_f64()))
                .collect();
            return if ok.is_empty() {
                Gen::Set(Val::Int(hi as i64 + 1))
            } else {
                Gen::OneOf(ok)
            };
        }
        let ok: Vec<Val> = self
            .all_values(name)
            .into_iter()
            .filter(|v| !excluded.contains(v))
            .collect();
        if ok.is_empty() {
            Gen::Set(Val::Str(self.symbols.intern("other")))
        } else {
            Gen::OneOf(ok)
        }
    }

    /// How an event column gets its usual value on an event of `kind`.
    fn filler(&mut self, name: &str, ty: ColType, kind: Option<EventKind>) -> Filler {
        match name {
            "order_id" => return Filler::OrderId,
            "ticket_id" => return Filler::TicketId,
            "order_value" => return Filler::OrderValue,
            "order_count" => return Filler::OrderCount,
            "payment_method" => return Filler::PaymentMethod,
            "contact_count" => return Filler::ContactCount,
            "nps" => return Filler::Nps,
            "csat" => return Filler::Csat,
            "ces" => return Filler::Ces,
            "rating" => return Filler::Rating,
            "plan" => return Filler::Plan,
            "mrr" => return Filler::Mrr,
            _ => {}
        }
        if Some(name) == self.events.names.get(TEXT).map(String::as_str) {
            return Filler::Text(match kind {
                Some(EventKind::Review) => TextRole::Review,
                Some(EventKind::Social) => TextRole::Social,
                Some(EventKind::Contact) => TextRole::Contact,
                Some(EventKind::Search) => TextRole::Query,
                Some(EventKind::HelpSearch) => TextRole::HelpQuery,
                _ => TextRole::Comment,
            });
        }
        self.generic_filler(name, ty, kind)
    }

    fn generic_filler(&mut self, name: &str, ty: ColType, kind: Option<EventKind>) -> Filler {
        match ty {
            ColType::Utf8 => {
                let pool = self.pool_for(name, kind);
                if pool.is_empty() {
                    Filler::Pool(vec![Val::Str(self.symbols.intern("other"))])
                } else {
                    Filler::Pool(pool)
                }
            }
            ColType::Bool => Filler::Pool(vec![Val::Bool(true), Val::Bool(false)]),
            _ => {
                let (lo, hi) = vocab::number_domain(name).unwrap_or((0.0, 100.0));
                Filler::Number {
                    lo,
                    hi,
                    int: ty.is_integer() || ty == ColType::Date32,
                    count: vocab::is_count(name),
                }
            }
        }
    }

    /// How a customer attribute gets its value when no rule constrains it.
    fn customer_filler(&mut self, name: &str, ty: ColType) -> Filler {
        match name {
            "age" => Filler::Age,
            _ => self.generic_filler(name, ty, None),
        }
    }

    fn customer_fillers(&mut self) -> Vec<Filler> {
        let columns = self.customers.clone();
        columns
            .names
            .iter()
            .zip(&columns.types)
            .map(|(name, ty)| {
                if EXTRA_CUSTOMER_COLUMNS.iter().any(|(n, _)| n == name) && name != "country" {
                    // Filled by the simulation itself (dates, consent, persona).
                    Filler::Nothing
                } else {
                    self.customer_filler(name, *ty)
                }
            })
            .collect()
    }

    /// The choices for one event name in a step (or outcome) context.
    fn event_choice(
        &mut self,
        event: Sym,
        channel_test: Option<&Test>,
        touchpoints: &[(String, Option<&'static str>)],
    ) -> EventChoice {
        let name = self.symbols.str(event).to_owned();
        let info = vocab::event_info(&name);
        let kind = info.map(|i| i.kind);
        let by_company =
            info.map_or_else(|| vocab::sounds_company_initiated(&name), |i| i.by_company);
        let noise = vocab::NOISE_EVENTS.iter().find(|(n, _, _)| *n == name);
        let natural: Vec<String> = match (info, noise) {
            (Some(i), _) => i.channels.iter().map(|c| (*c).to_owned()).collect(),
            (None, Some((_, channels, _))) => channels.iter().map(|c| (*c).to_owned()).collect(),
            (None, None) if touchpoints.is_empty() => {
                vec!["web".into(), "app".into(), "email".into()]
            }
            (None, None) => Vec::new(),
        };
        let allowed = |c: &str, b: &Builder| -> bool {
            match channel_test {
                None => true,
                Some(test) => {
                    let v = b.symbols.get(c).map_or(Val::Null, Val::Str);
                    test_holds(test, v, &b.symbols)
                }
            }
        };
        let tp: Vec<&str> = touchpoints.iter().map(|(c, _)| c.as_str()).collect();
        let constrained: Vec<String> = match channel_test {
            Some(Test::Eq(Val::Str(s))) => vec![self.symbols.str(*s).to_owned()],
            Some(Test::In(vs)) => vs
                .iter()
                .filter_map(|v| match v {
                    Val::Str(s) => Some(self.symbols.str(*s).to_owned()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut candidates: Vec<String> = Vec::new();
        let options: [Vec<String>; 5] = [
            tp.iter()
                .filter(|c| natural.iter().any(|n| n == *c))
                .map(|c| (*c).to_owned())
                .collect(),
            tp.iter().map(|c| (*c).to_owned()).collect(),
            natural.clone(),
            constrained,
            trailmap_model::Channel::ALL
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
        ];
        for (i, option) in options.iter().enumerate() {
            let ok: Vec<String> = option
                .iter()
                .filter(|c| allowed(c, self))
                .cloned()
                .collect();
            // Without a channel constraint, an event with no channel of its own stays without.
            if i == 4 && channel_test.is_none() {
                break;
            }
            if !ok.is_empty() {
                candidates = ok;
                break;
            }
        }
        if channel_test.is_none() && info.is_some_and(|i| i.channels.is_empty()) && tp.is_empty() {
            candidates.clear();
        }
        let mut channels = Vec::new();
        for c in &candidates {
            let number = self.channel(c);
            let initiator = touchpoints
                .iter()
                .find(|(tc, _)| tc == c)
                .and_then(|(_, i)| *i)
                .unwrap_or(if by_company { "company" } else { "customer" });
            let initiator = self.symbols.intern(initiator);
            if !channels.iter().any(|(n, _)| *n == number) {
                channels.push((number, initiator));
            }
        }
        let mut fill = Vec::new();
        if let Some(kind) = kind {
            for column in vocab::columns_of(kind, &name) {
                let column = if *column == "text" {
                    self.events.names[TEXT].clone()
                } else {
                    (*column).to_owned()
                };
                if let Some(col) = self.events.index(&column) {
                    let ty = self.events.types[col];
                    let filler = self.filler(&column, ty, Some(kind));
                    fill.push((col, filler));
                }
            }
        }
        EventChoice {
            event,
            kind,
            by_company,
            bad: self.bad_events.contains(&event),
            channels,
            fill,
        }
    }

    /// Templates for every branch of an expression over event columns.
    fn templates(
        &mut self,
        dnf: &Dnf,
        touchpoints: &[(String, Option<&'static str>)],
        fallback_event: &str,
        what: &str,
    ) -> Vec<Template> {
        let columns = self.events.clone();
        let mut out = Vec::new();
        for branch in &dnf.branches {
            let event_kind = branch
                .iter()
                .find(|c| c.column == self.event_name)
                .and_then(|c| match &c.pred {
                    Pred::Eq(Lit::Str(s)) => vocab::event_info(s).map(|i| i.kind),
                    _ => None,
                });
            let mut all = Vec::new();
            for c in branch {
                match self.cons(c, &columns, event_kind, false) {
                    Some(cons) => all.push(cons),
                    None => self.notes.push(format!(
                        "{what}: the condition on `{}` is not generated (the generator sets it itself)",
                        c.column
                    )),
                }
            }
            let event_test = all.iter().find(|c| c.col == EVENT).map(|c| c.test.clone());
            let channel_test = all
                .iter()
                .find(|c| c.col == CHANNEL)
                .map(|c| c.test.clone());
            let event_syms: Vec<Sym> = match &event_test {
                Some(Test::Eq(Val::Str(s))) => vec![*s],
                Some(Test::In(vs)) => vs
                    .iter()
                    .filter_map(|v| match v {
                        Val::Str(s) => Some(*s),
                        _ => None,
                    })
                    .collect(),
                Some(Test::Like {
                    pattern,
                    negated: false,
                }) => {
                    let mut known: Vec<Sym> = Vec::new();
                    for info in vocab_names() {
                        if expr::like(info, pattern) {
                            known.push(self.symbols.intern(info));
                        }
                    }
                    if known.is_empty() {
                        known.push(self.symbols.intern(&expr::like_example(pattern)));
                    }
                    known
                }
                _ => {
                    // No usable condition on the event name: name it after what it stands for.
                    let name = if branch
                        .iter()
                        .any(|c| matches!(c.column.as_str(), "nps" | "csat" | "ces"))
                    {
                        vocab::SURVEY_EVENT.to_owned()
                    } else {
                        fallback_event.replace('-', "_")
                    };
                    vec![self.symbols.intern(&name)]
                }
            };
            let events: Vec<EventChoice> = event_syms
                .into_iter()
                .map(|e| self.event_choice(e, channel_test.as_ref(), touchpoints))
                .collect();
            let initiator = all
                .iter()
                .find(|c| c.col == INITIATOR)
                .map(|c| c.how.clone());
            let rest = all
                .iter()
                .filter(|c| c.col != EVENT && c.col != CHANNEL && c.col != INITIATOR)
                .cloned()
                .collect();
            out.push(Template {
                events,
                initiator,
                rest,
                all,
            });
        }
        out
    }

    fn single_event_template(&mut self, name: &str) -> Template {
        let sym = self.symbols.intern(name);
        let choice = self.event_choice(sym, None, &[]);
        Template {
            events: vec![choice],
            initiator: None,
            rest: Vec::new(),
            all: vec![Cons {
                col: EVENT,
                test: Test::Eq(Val::Str(sym)),
                how: Gen::Set(Val::Str(sym)),
            }],
        }
    }

    fn personas(&mut self, map: &Map, rules: &[Option<Dnf>]) -> Vec<PersonaPlan> {
        let known: f64 = map.personas.iter().filter_map(|p| p.share).sum();
        let missing = map.personas.iter().filter(|p| p.share.is_none()).count();
        // Personas without a share split what the others leave, keeping a tenth unassigned.
        let fill_share = if missing == 0 {
            0.0
        } else {
            ((1.0 - known).max(0.0) * 0.9) / missing as f64
        };
        let scale = if known > 1.0 { 1.0 / known } else { 1.0 };
        let mut out: Vec<PersonaPlan> = map
            .personas
            .iter()
            .zip(rules)
            .map(|(p, rule)| {
                let share = p.share.map_or(fill_share, |s| s * scale);
                self.persona(Some(p), share, rule.as_ref())
            })
            .collect();
        let assigned: f64 = out.iter().map(|p| p.share).sum();
        out.push(self.persona(None, (1.0 - assigned).max(0.0), None));
        out
    }

    fn persona(
        &mut self,
        persona: Option<&Persona>,
        share: f64,
        rule: Option<&Dnf>,
    ) -> PersonaPlan {
        let n_channels = trailmap_model::Channel::ALL.len();
        let mut channel_weights = vec![1.0; n_channels.max(self.channels.len())];
        let columns = self.customers.clone();
        let rule = rule.map(|dnf| {
            dnf.branches
                .iter()
                .map(|branch| {
                    branch
                        .iter()
                        .filter_map(|c| self.cons(c, &columns, None, true))
                        .collect()
                })
                .collect()
        });
        let Some(p) = persona else {
            return PersonaPlan {
                id: None,
                share,
                rule: None,
                channel_weights,
                drop_factor: 1.0,
                pace: 1.0,
                optional_rate: 0.45,
                mood: 0.0,
                basket_median: 45.0,
                noise_rate: 0.1,
                repeat_factor: 1.0,
                survey_rate: 0.8,
            };
        };
        // Interned so that the customers file can name the persona.
        self.symbols.intern(&p.id);
        if !p.channels.is_empty() {
            channel_weights.fill(0.35);
            for (rank, channel) in p.channels.iter().enumerate() {
                let number = usize::from(self.channel(channel.as_str()));
                if number >= channel_weights.len() {
                    channel_weights.resize(number + 1, 0.35);
                }
                channel_weights[number] = [5.0, 3.0, 2.0, 1.5][rank.min(3)];
            }
        }
        let h = |salt| unit_hash(&p.id, salt);
        let openness_pace = match p.openness {
            Some(trailmap_model::Openness::Low) => 1.5,
            Some(trailmap_model::Openness::High) => 0.75,
            _ => 1.0,
        };
        PersonaPlan {
            id: Some(p.id.clone()),
            share,
            rule,
            channel_weights,
            drop_factor: 0.9 + 0.2 * h(1),
            pace: openness_pace * (0.8 + 0.4 * h(2)),
            optional_rate: 0.35 + 0.3 * h(3),
            mood: (h(4) - 0.5) * 0.8,
            basket_median: 25.0 + 60.0 * h(5),
            noise_rate: 0.07 + 0.06 * h(6),
            repeat_factor: 0.6 + 0.8 * h(7),
            survey_rate: 0.5 + 0.8 * h(8),
        }
    }

    fn step(
        &mut self,
        map: &Map,
        step: &Step,
        stage: usize,
        matcher: &Dnf,
        feedback: Option<&Dnf>,
        n_behaviours: usize,
    ) -> StepPlan {
        let touchpoints: Vec<(String, Option<&'static str>)> = step
            .touchpoints
            .iter()
            .map(|t| {
                (
                    t.channel.as_str().to_owned(),
                    t.initiator.map(|i| i.as_str()),
                )
            })
            .collect();
        let what = format!("step `{}`", step.id);
        let templates = self.templates(matcher, &touchpoints, &step.id, &what);
        let feedback = match feedback {
            Some(dnf) => self.templates(dnf, &touchpoints, vocab::SURVEY_EVENT, &what),
            None => Vec::new(),
        };
        let persona_ids: Vec<Option<&str>> = map
            .personas
            .iter()
            .map(|p| Some(p.id.as_str()))
            .chain(std::iter::once(None))
            .collect();
        debug_assert_eq!(persona_ids.len(), n_behaviours);
        let allowed = persona_ids
            .iter()
            .map(|id| match id {
                Some(id) => step.personas.is_empty() || step.personas.iter().any(|p| p == id),
                None => step.personas.is_empty(),
            })
            .collect();
        let pain = persona_ids
            .iter()
            .map(|id| {
                step.pain_points
                    .iter()
                    .filter(|pp| pp.persona.is_none() || pp.persona.as_deref() == *id)
                    .map(|pp| SEVERITY_WEIGHT[usize::from(pp.severity.min(5))])
                    .sum()
            })
            .collect();
        let contact = templates.iter().any(|t| {
            t.events
                .iter()
                .any(|e| vocab::is_contact_name(self.symbols.str(e.event)))
        });
        let time_to_next = step
            .kpis
            .iter()
            .find(|k| k.metric == trailmap_model::Metric::TimeToNext)
            .map(|k| k.target)
            .filter(|t| *t > 0.0);
        let quote = step
            .customer
            .thinks
            .as_deref()
            .map(|q| self.symbols.intern(q.trim_matches('"')));
        StepPlan {
            stage,
            templates,
            feedback,
            optional: step.optional,
            moment_of_truth: step.moment_of_truth,
            emotion: f64::from(step.customer.emotion.unwrap_or(0)),
            allowed,
            pain,
            contact,
            good_outcome: None,
            time_to_next,
            quote,
        }
    }
}

/// Whether every row satisfying `branch` satisfies `other`, as far as a syntactic check tells:
/// each of `other`'s constraints is also one of `branch`'s.
fn implies(branch: &expr::Branch, other: &expr::Branch) -> bool {
    other.iter().all(|c| branch.contains(c))
}

fn vocab_names() -> impl Iterator<Item = &'static str> {
    vocab::NOISE_EVENTS.iter().map(|(n, _, _)| *n)
}

/// Whether a value passes a test (SQL semantics: a comparison with NULL is never true).
pub(crate) fn test_holds(test: &Test, v: Val, symbols: &Symbols) -> bool {
    match test {
        Test::IsNull => v.is_null(),
        Test::NotNull => !v.is_null(),
        _ if v.is_null() => false,
        Test::Eq(l) => equal(v, *l, symbols),
        Test::Ne(l) => !equal(v, *l, symbols),
        Test::In(ls) => ls.iter().any(|l| equal(v, *l, symbols)),
        Test::NotIn(ls) => !ls.iter().any(|l| equal(v, *l, symbols)),
        Test::Range {
            lo,
            lo_inclusive,
            hi,
            hi_inclusive,
        } => match v.as_f64() {
            Some(x) => {
                (if *lo_inclusive { x >= *lo } else { x > *lo })
                    && (if *hi_inclusive { x <= *hi } else { x < *hi })
            }
            None => false,
        },
        Test::Like { pattern, negated } => {
            let mut text = String::new();
            v.write_text(symbols, &mut text);
            expr::like(&text, pattern) != *negated
        }
    }
}

fn equal(v: Val, l: Val, symbols: &Symbols) -> bool {
    match (v, l) {
        (Val::Str(a), Val::Str(b)) => a == b,
        (Val::Bool(a), Val::Bool(b)) => a == b,
        (Val::Id(..) | Val::Text(..), Val::Str(b)) => {
            let mut text = String::new();
            v.write_text(symbols, &mut text);
            text == symbols.str(b)
        }
        _ => match (v.as_f64(), l.as_f64()) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
    }
}

/// Whether a row satisfies every constraint of a branch.
pub(crate) fn branch_holds(cons: &[Cons], row: &[Val], symbols: &Symbols) -> bool {
    cons.iter()
        .all(|c| test_holds(&c.test, row[c.col], symbols))
}

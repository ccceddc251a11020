//! One customer at a time: attributes that make the engine put them in the intended persona,
//! then a walk through the map's steps that leaves events behind.
//!
//! The walk, for a customer of persona P:
//! - steps whose `personas` exclude P are skipped; optional steps are taken about half the time
//!   (support-like ones more often by customers in a bad mood);
//! - each step leaves one event that satisfies its `match` (sometimes a short sequence, e.g.
//!   `shipment_dispatched` then `tracking_viewed`), on a channel of its touchpoints weighted by
//!   P's preferred channels; support contacts are sometimes repeated within days;
//! - a running mood follows the steps' emotions and pain points; survey scores, review ratings
//!   and text tone follow the mood and the step's emotion;
//! - after each step the customer may drop off, more likely at painful, negative steps and moments
//!   of truth, and more or less likely per persona;
//! - at the end, outcomes: bad ones (churn, lapse) more likely after dropping off at a painful
//!   moment of truth, good ones (renewal, cross-sell) after a complete, happy journey;
//! - finally background noise events that match no step (about a tenth of all events).
//!
//! Everything a customer does depends only on the run's seed and the customer's number.

use crate::plan::{
    self, CES, CHANNEL, CSAT, Cons, EVENT, EventChoice, Filler, Gen, INITIATOR, NPS, Plan,
    Template, TextRole,
};
use crate::rng::Rng;
use crate::value::{IdKind, Sym, Val};
use crate::vocab::{EventKind, TextKind};

/// 2025-11-01T00:00:00Z: journeys start over the following year.
pub(crate) const START_EPOCH_S: i64 = 1_761_955_200;
const START_DAYS: usize = 365;
const DAY: f64 = 86_400.0;

/// How active customers are at each hour of the day (UTC).
const HOUR_WEIGHTS: [f64; 24] = [
    0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1.0, 1.2, 1.3, 1.3, 1.4, 1.3, 1.2, 1.2, 1.2, 1.3,
    1.5, 1.8, 2.0, 1.8, 1.2, 0.6,
];

/// The events of one customer, in the order they were made (not yet in time order).
#[derive(Debug, Default)]
pub(crate) struct Rows {
    width: usize,
    /// Seconds since the Unix epoch.
    pub(crate) ts: Vec<i64>,
    vals: Vec<Val>,
}

impl Rows {
    fn new(width: usize) -> Rows {
        Rows {
            width,
            ts: Vec::new(),
            vals: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.ts.clear();
        self.vals.clear();
    }

    fn push(&mut self, ts: f64) -> usize {
        self.ts.push(ts as i64);
        self.vals.extend(std::iter::repeat_n(Val::Null, self.width));
        self.ts.len() - 1
    }

    fn pop(&mut self) {
        self.ts.pop();
        self.vals.truncate(self.ts.len() * self.width);
    }

    pub(crate) fn len(&self) -> usize {
        self.ts.len()
    }

    pub(crate) fn row(&self, i: usize) -> &[Val] {
        &self.vals[i * self.width..(i + 1) * self.width]
    }

    fn row_mut(&mut self, i: usize) -> &mut [Val] {
        &mut self.vals[i * self.width..(i + 1) * self.width]
    }
}

/// What a customer has going on while they walk the map.
struct State {
    rng: Rng,
    number: u64,
    persona: usize,
    mood: f64,
    basket: f64,
    order_no: u32,
    ticket_no: u32,
    plan: Option<Sym>,
}

/// Why an event is made, which decides its scores, text and numbering.
#[derive(Debug, Clone, Copy, Default)]
struct Intent {
    /// Satisfaction around this event, about -3..3: drives scores, ratings and tone.
    sat: f64,
    /// 0 for a first contact, 1 for the first repeat, ...
    repeat: u32,
    /// Use this event name if the template allows it.
    event: Option<Sym>,
    /// A verbatim the customer may write.
    quote: Option<Sym>,
    /// Steps should rarely produce events that are evidence of a bad outcome.
    avoid_bad: bool,
}

/// Makes customers one after another. Holds reusable buffers, so memory stays flat.
pub(crate) struct Generator<'p> {
    plan: &'p Plan,
    seed: u64,
    /// Good outcomes whose events are evidence of a step: the walk decides them.
    step_driven: Vec<bool>,
    /// Noise templates that can never be evidence of a step.
    noise: Vec<usize>,
    /// The last step each behaviour persona can take.
    last_step: Vec<Option<usize>>,
    /// Whether a step's events are all started by the company (a quick follow-up).
    company_step: Vec<bool>,
    pub(crate) rows: Rows,
    /// Row numbers in time order, after [`Generator::customer`].
    pub(crate) order: Vec<u32>,
    /// The customer's attributes, in [`Plan::customers`] order.
    pub(crate) attrs: Vec<Val>,
    /// Extras of the last step whose time waits for the next step's: (row, fraction of the gap).
    pending: Vec<(usize, f64)>,
    weights: Vec<f64>,
}

impl<'p> Generator<'p> {
    pub(crate) fn new(plan: &'p Plan, seed: u64) -> Generator<'p> {
        let mut g = Generator {
            plan,
            seed,
            step_driven: Vec::new(),
            noise: Vec::new(),
            last_step: Vec::new(),
            company_step: Vec::new(),
            rows: Rows::new(plan.events.len()),
            order: Vec::new(),
            attrs: vec![Val::Null; plan.customers.len()],
            pending: Vec::new(),
            weights: Vec::new(),
        };
        g.last_step = (0..plan.personas.len())
            .map(|p| {
                plan.steps
                    .iter()
                    .rposition(|s| !s.templates.is_empty() && s.allowed[p])
            })
            .collect();
        g.company_step = plan
            .steps
            .iter()
            .map(|s| {
                !s.templates.is_empty()
                    && s.templates
                        .iter()
                        .all(|t| t.events.iter().all(|e| e.by_company))
            })
            .collect();
        // Try each outcome and noise event a few times, with a fixed generator, to learn whether
        // its events are evidence of a step.
        let mut st = g.state(u64::MAX, Rng::new(seed ^ 0x5eed));
        st.persona = plan.personas.len() - 1;
        let mut step_driven = Vec::new();
        for outcome in &plan.outcomes {
            let mut all_match = !outcome.templates.is_empty();
            for template in &outcome.templates {
                for _ in 0..8 {
                    g.rows.clear();
                    let row = g.make(&mut st, template, 0.0, Intent::default());
                    all_match &= g.matches_step_after(row, None);
                }
            }
            step_driven.push(all_match && !outcome.bad);
        }
        g.step_driven = step_driven;
        let mut noise = Vec::new();
        for (i, template) in plan.noise.iter().enumerate() {
            let mut clean = true;
            for _ in 0..4 {
                g.rows.clear();
                let row = g.make(&mut st, template, 0.0, Intent::default());
                clean &= !g.matches_step_after(row, None) && !g.matches_feedback(row);
            }
            if clean {
                noise.push(i);
            }
        }
        g.noise = noise;
        g.rows.clear();
        g
    }

    fn state(&self, number: u64, rng: Rng) -> State {
        State {
            rng,
            number,
            persona: 0,
            mood: 0.0,
            basket: 40.0,
            order_no: 0,
            ticket_no: 0,
            plan: None,
        }
    }

    /// Makes customer `number` (from 1): fills [`Self::attrs`], [`Self::rows`] and [`Self::order`].
    pub(crate) fn customer(&mut self, number: u64) {
        let plan = self.plan;
        let mut st = self.state(number, Rng::for_stream(self.seed, number));
        self.rows.clear();
        self.pending.clear();

        let target = st.rng.weighted(&plan.shares);
        let day = st.rng.below(START_DAYS);
        let hour = st.rng.weighted(&HOUR_WEIGHTS);
        let start = START_EPOCH_S as f64
            + day as f64 * DAY
            + hour as f64 * 3600.0
            + st.rng.uniform(0.0, 3600.0);
        st.persona = self.attributes(&mut st, target, day);
        let persona = &plan.personas[st.persona];
        st.mood = persona.mood + 0.5 * st.rng.normal();
        st.basket = st
            .rng
            .log_normal(persona.basket_median, 0.6)
            .clamp(3.0, 2000.0);

        let walk = self.walk(&mut st, start);
        self.outcomes(&mut st, &walk);
        self.noise(&mut st);
        self.sort();
    }

    /// The customer's attributes, satisfying the target persona's rule and no earlier one's.
    /// Returns the persona the engine will find (the first whose rule matches), which is the
    /// one the customer behaves as.
    fn attributes(&mut self, st: &mut State, target: usize, start_day: usize) -> usize {
        let plan = self.plan;
        let unassigned = plan.personas.len() - 1;
        let mut found = None;
        for _attempt in 0..24 {
            for (i, filler) in plan.customer_fill.iter().enumerate() {
                self.attrs[i] = self.fill_customer(st, filler);
            }
            if let Some(branches) = &plan.personas[target].rule
                && !branches.is_empty()
            {
                let branch = st.rng.pick(branches);
                for cons in branch {
                    let v = self.value_for(st, &cons.how, &Intent::default(), None);
                    self.attrs[cons.col] = v;
                }
            }
            found = self.persona_of_attrs();
            let wanted = if plan.personas[target].rule.is_some() {
                Some(target)
            } else {
                None
            };
            if found == wanted {
                break;
            }
        }
        let behaviour = match found {
            Some(p) => p,
            None if target < unassigned && plan.personas[target].rule.is_none() => target,
            // Customers who fit no persona still shop: they walk like a persona picked by share
            // (a lookalike), though the engine counts them as unassigned.
            None if unassigned > 0 => {
                let shares: Vec<f64> = plan.personas[..unassigned]
                    .iter()
                    .map(|p| p.share.max(1e-9))
                    .collect();
                st.rng.weighted(&shares)
            }
            None => unassigned,
        };
        if let Some(col) = plan.col_signup_date {
            let before = st.rng.log_normal(120.0, 1.2).min(2000.0) as i64;
            let day = (START_EPOCH_S / 86_400) + start_day as i64 - before;
            self.attrs[col] = Val::Int(day);
        }
        if let Some(col) = plan.col_email_opt_in {
            self.attrs[col] = Val::Bool(st.rng.chance(0.62));
        }
        if let Some(col) = plan.col_demo_persona {
            self.attrs[col] = match found.and_then(|p| plan.personas[p].id.as_deref()) {
                Some(id) => plan.symbols.get(id).map_or(Val::Null, Val::Str),
                None => Val::Null,
            };
        }
        behaviour
    }

    /// The first persona, in map order, whose rule the current attributes satisfy.
    fn persona_of_attrs(&self) -> Option<usize> {
        let plan = self.plan;
        plan.personas.iter().position(|p| match &p.rule {
            Some(branches) => branches
                .iter()
                .any(|b| plan::branch_holds(b, &self.attrs, &plan.symbols)),
            None => false,
        })
    }

    fn walk(&mut self, st: &mut State, start: f64) -> Walk {
        let plan = self.plan;
        let p = st.persona;
        let persona = &plan.personas[p];
        let mut walk = Walk::default();
        let eligible = plan
            .steps
            .iter()
            .filter(|s| !s.templates.is_empty() && s.allowed[p])
            .count();
        let mut t = start;
        let mut prev: Option<usize> = None;
        for (i, step) in plan.steps.iter().enumerate() {
            if step.templates.is_empty() || !step.allowed[p] {
                continue;
            }
            if step.optional {
                let mut rate = persona.optional_rate;
                if step.contact {
                    rate += 0.2 * (-st.mood).max(0.0);
                }
                if !st.rng.chance(rate.min(0.9)) {
                    continue;
                }
            }
            // Buying again, renewing or buying more is the customer's choice, likelier after a
            // good journey.
            if let Some(weight) = step.good_outcome.filter(|_| !step.optional) {
                let progress = walk.taken as f64 / eligible.max(1) as f64;
                let take =
                    ((0.4 + 0.15 * st.mood + 0.25 * progress) * weight.min(1.4)).clamp(0.1, 0.92);
                if !st.rng.chance(take) {
                    // Not renewing or not buying again is leaving; not buying an add-on is not.
                    if weight < 1.0 {
                        continue;
                    }
                    walk.dropped_at = prev;
                    break;
                }
            }
            if let Some(prev) = prev {
                let before = &plan.steps[prev];
                // A `time_to_next` target is what the team wants, not what happens: painful
                // steps miss it.
                let median = match before.time_to_next {
                    Some(target) => target * (1.2 + 5.0 * before.pain[p]),
                    None if before.stage != step.stage => 1.5 * DAY,
                    None if self.company_step[i] => 1200.0,
                    None => 4.0 * 3600.0,
                };
                let gap = st
                    .rng
                    .log_normal(median * persona.pace, 1.0)
                    .clamp(30.0, 90.0 * DAY);
                self.place_pending(t, gap);
                t += gap;
            }
            let pain = step.pain[p];
            let sat = 0.3 * step.emotion + 0.4 * st.mood - 2.0 * pain + 0.7 * st.rng.normal();
            let quote = step.quote.filter(|_| (step.emotion > 0.0) == (sat > 0.0));
            let intent = Intent {
                sat,
                quote,
                avoid_bad: true,
                ..Intent::default()
            };
            let template = st.rng.pick(&step.templates);
            let (main, choice) = self.step_event(st, i, template, t, intent);
            t = self.step_extras(st, i, template, choice, t, intent);
            if step.contact {
                self.repeats(st, i, template, main, t, intent, pain);
            }
            self.feedback(st, i, main, sat);
            st.mood = (0.7 * st.mood + 0.3 * (step.emotion - 6.0 * pain + 0.7 * st.rng.normal()))
                .clamp(-2.5, 2.5);
            walk.taken += 1;
            prev = Some(i);
            if self.last_step[p] != Some(i) {
                let mut drop = 0.025 + pain + 0.035 * (-step.emotion).max(0.0)
                    - 0.01 * step.emotion.max(0.0)
                    + 0.05 * (-st.mood).max(0.0);
                if step.moment_of_truth {
                    drop *= 1.25;
                }
                let drop = (drop * persona.drop_factor).clamp(0.005, 0.6);
                if st.rng.chance(drop) {
                    walk.dropped_at = Some(i);
                    break;
                }
            }
        }
        let tail = st.rng.log_normal(1.5 * DAY, 0.8);
        self.place_pending(t, tail);
        walk.end = t;
        walk.progress = if eligible == 0 {
            0.0
        } else {
            walk.taken as f64 / eligible as f64
        };
        walk
    }

    /// Gives the last step's surveys their times, now that the gap to what follows is known.
    fn place_pending(&mut self, t: f64, gap: f64) {
        let span = gap.min(self.plan.feedback_window * 0.9);
        for (row, fraction) in self.pending.drain(..) {
            self.rows.ts[row] = (t + fraction * span) as i64;
        }
    }

    /// The step's main event: satisfies its `match`, and is not evidence of a later step.
    fn step_event(
        &mut self,
        st: &mut State,
        step: usize,
        template: &Template,
        t: f64,
        intent: Intent,
    ) -> (usize, usize) {
        let mut made = (0, 0);
        for attempt in 0..4 {
            let row = self.make(st, template, t, intent);
            let choice = self.choice_of(template, row);
            made = (row, choice);
            if !self.matches_step_after(row, Some(step)) || attempt == 3 {
                break;
            }
            self.rows.pop();
        }
        made
    }

    /// A few more events of the same step: the rest of a sequence the `match` lists (dispatched,
    /// then tracking viewed), or more of the same browsing. Returns the step's last event time.
    fn step_extras(
        &mut self,
        st: &mut State,
        step: usize,
        template: &Template,
        choice: usize,
        mut t: f64,
        intent: Intent,
    ) -> f64 {
        let plan = self.plan;
        if plan.steps[step].contact {
            return t;
        }
        let chosen = &template.events[choice];
        if matches!(chosen.kind, Some(EventKind::Browse | EventKind::Search)) {
            let more = st.rng.geometric(0.45, 3);
            for _ in 0..more {
                t += st.rng.log_normal(240.0, 0.8);
                let intent = Intent {
                    event: Some(chosen.event),
                    ..intent
                };
                self.extra_of_step(st, step, template, t, intent);
            }
        }
        for next in template.events.iter().skip(choice + 1) {
            if next.bad || !st.rng.chance(0.55) {
                continue;
            }
            let median = if next.by_company && !chosen.by_company {
                6.0 * 3600.0
            } else {
                600.0
            };
            t += st.rng.log_normal(median, 0.8);
            let intent = Intent {
                event: Some(next.event),
                ..intent
            };
            self.extra_of_step(st, step, template, t, intent);
        }
        t
    }

    /// One more event for a step; dropped if it would be evidence of a later step.
    fn extra_of_step(
        &mut self,
        st: &mut State,
        step: usize,
        template: &Template,
        t: f64,
        intent: Intent,
    ) -> Option<usize> {
        let row = self.make(st, template, t, intent);
        if self.matches_step_after(row, Some(step)) {
            self.rows.pop();
            return None;
        }
        Some(row)
    }

    /// Repeat contacts: the same kind of contact again within days, when the answer did not help.
    #[allow(clippy::too_many_arguments)]
    fn repeats(
        &mut self,
        st: &mut State,
        step: usize,
        template: &Template,
        main: usize,
        t: f64,
        intent: Intent,
        pain: f64,
    ) {
        let plan = self.plan;
        let persona = &plan.personas[st.persona];
        let p = ((0.1 + 1.5 * pain + 0.08 * (-st.mood).max(0.0)) * persona.repeat_factor)
            .clamp(0.0, 0.6);
        let event = match self.rows.row(main)[EVENT] {
            Val::Str(sym) => Some(sym),
            _ => None,
        };
        let window = plan.repeat_window;
        let mut at = t;
        for repeat in 1..=2 {
            let chance = if repeat == 1 { p } else { p / 2.0 };
            if !st.rng.chance(chance) {
                break;
            }
            at += st
                .rng
                .log_normal((window * 0.2).min(1.2 * DAY), 0.7)
                .min(window * 0.45);
            let intent = Intent {
                repeat,
                event,
                sat: intent.sat - 0.5 * f64::from(repeat),
                ..intent
            };
            let row = self.make(st, template, at, intent);
            if self.matches_step_after(row, Some(step)) {
                self.rows.pop();
            }
        }
    }

    /// Survey answers after a step: the step's own `feedback` survey, or a transactional one.
    fn feedback(&mut self, st: &mut State, step: usize, main: usize, sat: f64) {
        let plan = self.plan;
        let s = &plan.steps[step];
        let rate = plan.personas[st.persona].survey_rate;
        let intent = Intent {
            sat,
            quote: s.quote.filter(|_| (s.emotion > 0.0) == (sat > 0.0)),
            ..Intent::default()
        };
        if !s.feedback.is_empty() {
            let answered = s
                .feedback
                .iter()
                .any(|t| plan::branch_holds(&t.all, self.rows.row(main), &plan.symbols));
            if answered || !st.rng.chance(0.35 * rate) {
                return;
            }
            let template = st.rng.pick(&s.feedback);
            let row = self.make(st, template, 0.0, intent);
            if self.matches_step_after(row, Some(step)) {
                self.rows.pop();
            } else {
                let fraction = st.rng.uniform(0.05, 0.9);
                self.pending.push((row, fraction));
            }
            return;
        }
        let p = if s.moment_of_truth || s.contact {
            0.12
        } else {
            0.03
        };
        if !st.rng.chance(p * rate) {
            return;
        }
        if let Some(row) = self.loose_event(st, &plan.survey, intent, true) {
            let fraction = st.rng.uniform(0.05, 0.9);
            self.pending.push((row, fraction));
        }
    }

    /// An event outside the steps (a survey or review): kept only if it is evidence of no step
    /// and belongs to no step's `feedback`. Surveys try each `survey` value until one fits.
    fn loose_event(
        &mut self,
        st: &mut State,
        template: &Template,
        intent: Intent,
        survey: bool,
    ) -> Option<usize> {
        let plan = self.plan;
        let survey_col = plan.col_survey.filter(|_| survey);
        let values = if survey_col.is_some() {
            plan.survey_values.len()
        } else {
            1
        };
        let offset = st.rng.below(values.max(1));
        for k in 0..values {
            let row = self.make(st, template, 0.0, intent);
            if let Some(col) = survey_col {
                self.rows.row_mut(row)[col] = plan.survey_values[(offset + k) % values];
            }
            if !self.matches_step_after(row, None) && !self.matches_feedback(row) {
                return Some(row);
            }
            self.rows.pop();
        }
        None
    }

    fn outcomes(&mut self, st: &mut State, walk: &Walk) {
        let plan = self.plan;
        let mut had_bad = false;
        let mut ended = false;
        let pain_at_drop = walk
            .dropped_at
            .map_or(0.0, |s| plan.steps[s].pain[st.persona]);
        let mut bad_p = 0.04 + 0.08 * (-st.mood).max(0.0);
        if let Some(s) = walk.dropped_at {
            let step = &plan.steps[s];
            bad_p += 0.15
                + 0.6 * pain_at_drop
                + if step.moment_of_truth { 0.12 } else { 0.0 }
                + 0.05 * (-step.emotion).max(0.0);
        } else {
            bad_p -= 0.02;
        }
        let window = plan.outcome_window;
        for bad in [true, false] {
            for (i, outcome) in plan.outcomes.iter().enumerate() {
                if outcome.bad != bad || outcome.templates.is_empty() {
                    continue;
                }
                let already = (0..self.rows.len()).any(|r| {
                    outcome
                        .templates
                        .iter()
                        .any(|t| plan::branch_holds(&t.all, self.rows.row(r), &plan.symbols))
                });
                if already {
                    had_bad |= bad;
                    ended |= outcome.terminal;
                    continue;
                }
                let p = if bad {
                    bad_p * outcome.weight
                } else {
                    if self.step_driven[i] || ended {
                        continue;
                    }
                    let base = 0.05 + 0.3 * walk.progress * walk.progress + 0.06 * st.mood.max(0.0);
                    base * outcome.weight * if had_bad { 0.3 } else { 1.0 }
                };
                if !st.rng.chance(p.clamp(0.0, 0.95)) {
                    continue;
                }
                let delay = st
                    .rng
                    .log_normal((window / 6.0).min(20.0 * DAY), 0.7)
                    .min(window * 0.9);
                let template = st.rng.pick(&outcome.templates);
                let intent = Intent {
                    sat: st.mood - if bad { 1.0 } else { 0.0 },
                    ..Intent::default()
                };
                self.make(st, template, walk.end + delay, intent);
                had_bad |= bad;
                ended |= outcome.terminal;
            }
        }
        // Some customers review the whole experience, in the tone it left them in.
        let review_p = 0.04 + 0.06 * (st.mood.abs() - 1.0).max(0.0);
        if st.rng.chance(review_p) {
            let intent = Intent {
                sat: st.mood * 1.2,
                ..Intent::default()
            };
            if let Some(row) = self.loose_event(st, &plan.review, intent, false) {
                let delay = st.rng.log_normal(3.0 * DAY, 0.8);
                self.rows.ts[row] = (walk.end + delay) as i64;
            }
        }
    }

    /// Background events that are evidence of no step, spread over the customer's time with us.
    fn noise(&mut self, st: &mut State) {
        let plan = self.plan;
        if self.noise.is_empty() || self.rows.len() == 0 {
            return;
        }
        let rate = plan.personas[st.persona].noise_rate;
        let expected = self.rows.len() as f64 * rate / (1.0 - rate);
        let mut count = expected.floor() as usize;
        if st.rng.chance(expected.fract()) {
            count += 1;
        }
        let first = self.rows.ts.iter().copied().min().unwrap_or(0) as f64;
        let last = self.rows.ts.iter().copied().max().unwrap_or(0) as f64;
        for _ in 0..count {
            let template = &plan.noise[*st.rng.pick(&self.noise)];
            let t = st.rng.uniform(first - 2.0 * DAY, last + DAY);
            self.make(st, template, t, Intent::default());
        }
    }

    /// Puts the rows in time order; no two events of a customer share a second.
    fn sort(&mut self) {
        let ts = &mut self.rows.ts;
        self.order.clear();
        self.order
            .extend(0..u32::try_from(ts.len()).expect("fewer than 2^32 events per customer"));
        self.order.sort_by_key(|i| (ts[*i as usize], *i));
        for k in 1..self.order.len() {
            let (a, b) = (self.order[k - 1] as usize, self.order[k] as usize);
            if ts[b] <= ts[a] {
                ts[b] = ts[a] + 1;
            }
        }
    }

    /// Whether this row is evidence of a step after `step` in map order (or of any step, for
    /// `None`): such an event would fake progress through the map.
    fn matches_step_after(&self, row: usize, step: Option<usize>) -> bool {
        let plan = self.plan;
        let vals = self.rows.row(row);
        plan.candidate_steps(vals[EVENT]).any(|s| {
            step.is_none_or(|step| s > step)
                && plan.steps[s]
                    .templates
                    .iter()
                    .any(|t| plan::branch_holds(&t.all, vals, &plan.symbols))
        })
    }

    fn matches_feedback(&self, row: usize) -> bool {
        let plan = self.plan;
        let vals = self.rows.row(row);
        plan.steps.iter().any(|s| {
            s.feedback
                .iter()
                .any(|t| plan::branch_holds(&t.all, vals, &plan.symbols))
        })
    }

    fn choice_of(&self, template: &Template, row: usize) -> usize {
        let event = self.rows.row(row)[EVENT];
        template
            .events
            .iter()
            .position(|e| Val::Str(e.event) == event)
            .unwrap_or(0)
    }

    /// Makes one event from a template at time `t`: satisfies the template's branch and fills the
    /// columns the event usually carries.
    fn make(&mut self, st: &mut State, template: &Template, t: f64, intent: Intent) -> usize {
        let plan = self.plan;
        let persona = &plan.personas[st.persona];
        let choice_idx = match intent
            .event
            .and_then(|e| template.events.iter().position(|c| c.event == e))
        {
            Some(i) => i,
            None if template.events.len() == 1 => 0,
            None => {
                self.weights.clear();
                for choice in &template.events {
                    let mut w = choice
                        .channels
                        .iter()
                        .map(|(c, _)| weight_of(&persona.channel_weights, *c))
                        .fold(0.0, f64::max);
                    if choice.channels.is_empty() {
                        w = 1.0;
                    }
                    if choice.bad && intent.avoid_bad {
                        w *= 0.05;
                    }
                    self.weights.push(w);
                }
                st.rng.weighted(&self.weights)
            }
        };
        let choice: &EventChoice = &template.events[choice_idx];
        if choice.kind == Some(EventKind::Contact) && intent.repeat == 0 {
            st.ticket_no += 1;
        }
        let row = self.rows.push(t);
        self.rows.row_mut(row)[EVENT] = Val::Str(choice.event);
        if !choice.channels.is_empty() {
            let k = if choice.channels.len() == 1 {
                0
            } else {
                self.weights.clear();
                self.weights.extend(
                    choice
                        .channels
                        .iter()
                        .map(|(c, _)| weight_of(&persona.channel_weights, *c)),
                );
                st.rng.weighted(&self.weights)
            };
            let (channel, initiator) = choice.channels[k];
            let vals = self.rows.row_mut(row);
            vals[CHANNEL] = Val::Str(plan.channels[usize::from(channel)]);
            vals[INITIATOR] = Val::Str(initiator);
        }
        if let Some(how) = &template.initiator {
            let v = self.value_for(st, how, &intent, Some(row));
            self.rows.row_mut(row)[INITIATOR] = v;
        }
        for cons in &template.rest {
            let v = self.value_for(st, &cons.how, &intent, Some(row));
            self.rows.row_mut(row)[cons.col] = v;
        }
        if choice.kind == Some(EventKind::Money)
            && let Some(col) = plan.col_order_count
            && let Val::Int(n) = self.rows.row(row)[col]
            && n > i64::from(st.order_no)
        {
            st.order_no = u32::try_from(n).unwrap_or(u32::MAX);
            st.basket *= st.rng.uniform(0.5, 1.4);
        }
        if choice.kind == Some(EventKind::Money) && st.order_no == 0 {
            st.order_no = 1;
        }
        // Which scores a survey asks: NPS mostly, CSAT often, CES sometimes; at least one.
        let scores = if choice.kind == Some(EventKind::Survey) {
            let mut s = [st.rng.chance(0.75), st.rng.chance(0.6), st.rng.chance(0.45)];
            if !s.iter().any(|x| *x) {
                s[0] = true;
            }
            s
        } else {
            [false; 3]
        };
        for (col, filler) in &choice.fill {
            if !self.rows.row(row)[*col].is_null() || forced_null(&template.rest, *col) {
                continue;
            }
            let wanted = match *col {
                NPS => scores[0],
                CSAT => scores[1],
                CES => scores[2],
                _ => true,
            };
            if !wanted {
                continue;
            }
            let v = self.fill(st, filler, &intent, row);
            self.rows.row_mut(row)[*col] = v;
        }
        row
    }

    /// A value for a constraint's column.
    fn value_for(&mut self, st: &mut State, how: &Gen, intent: &Intent, row: Option<usize>) -> Val {
        match how {
            Gen::Set(v) => *v,
            Gen::OneOf(vs) => *st.rng.pick(vs),
            Gen::Int { lo, hi, stop } => match stop {
                Some(p) if hi > lo => {
                    let cap = u32::try_from(hi - lo).unwrap_or(u32::MAX);
                    Val::Int(lo + i64::from(st.rng.geometric(*p, cap)))
                }
                _ => Val::Int(st.rng.range_i64(*lo, *hi)),
            },
            Gen::Float { lo, hi } => Val::Float(round2(st.rng.uniform(*lo, *hi))),
            Gen::Fill(filler) => match row {
                Some(row) => self.fill(st, filler, intent, row),
                None => self.fill_customer(st, filler),
            },
            Gen::Null => Val::Null,
        }
    }

    /// The usual value of an event column.
    fn fill(&mut self, st: &mut State, filler: &Filler, intent: &Intent, row: usize) -> Val {
        let plan = self.plan;
        let sat = intent.sat;
        match filler {
            Filler::OrderId => Val::Id(IdKind::Order, st.number, st.order_no.max(1)),
            Filler::TicketId => Val::Id(IdKind::Ticket, st.number, st.ticket_no.max(1)),
            Filler::OrderValue => Val::Float(round2(st.basket)),
            Filler::OrderCount => Val::Int(i64::from(st.order_no.max(1))),
            Filler::PaymentMethod => {
                if self.rows.row(row)[CHANNEL] == Val::Str(plan.sym_phone) {
                    Val::Str(plan.sym_phone_card)
                } else {
                    *st.rng.pick(&plan.payment_methods)
                }
            }
            Filler::ContactCount => Val::Int(1 + i64::from(intent.repeat)),
            Filler::Nps => score(st, 7.8 + 1.5 * sat, 0.9, 0, 10),
            Filler::Csat => score(st, 4.0 + 0.7 * sat, 0.5, 1, 5),
            Filler::Ces => score(st, 3.0 - 1.0 * sat, 0.7, 1, 7),
            Filler::Rating => score(st, 4.0 + 0.9 * sat, 0.5, 1, 5),
            Filler::Text(role) => self.text(st, *role, intent),
            Filler::Plan => {
                let sym = *st.plan.get_or_insert_with(|| {
                    let i = st.rng.weighted(&[0.5, 0.35, 0.15]);
                    plan.plan_prices[i.min(plan.plan_prices.len() - 1)].0
                });
                Val::Str(sym)
            }
            Filler::Mrr => {
                let price = st
                    .plan
                    .and_then(|p| plan.plan_prices.iter().find(|(s, _)| *s == p))
                    .map_or(29.0, |(_, price)| *price);
                Val::Float(price)
            }
            Filler::Pool(vs) => *st.rng.pick(vs),
            Filler::Number { .. } | Filler::Age | Filler::Nothing => self.fill_customer(st, filler),
        }
    }

    /// The usual value of a customer attribute (or of a number column).
    fn fill_customer(&mut self, st: &mut State, filler: &Filler) -> Val {
        match filler {
            Filler::Age => {
                Val::Int((44.0 + 15.0 * st.rng.normal()).clamp(18.0, 90.0).round() as i64)
            }
            Filler::Number { lo, hi, int, count } => {
                let x = if *count {
                    (lo + st.rng.log_normal(((hi - lo) / 40.0).max(1.0), 1.1) - 1.0).clamp(*lo, *hi)
                } else {
                    st.rng.uniform(*lo, *hi)
                };
                if *int {
                    Val::Int(x.round() as i64)
                } else {
                    Val::Float(round2(x))
                }
            }
            Filler::Pool(vs) => *st.rng.pick(vs),
            _ => Val::Null,
        }
    }

    fn text(&mut self, st: &mut State, role: TextRole, intent: &Intent) -> Val {
        let plan = self.plan;
        let (kind, always) = match role {
            TextRole::Review => (tone(st, intent.sat), true),
            TextRole::Comment => (tone(st, intent.sat), st.rng.chance(0.45)),
            TextRole::Social => (tone(st, intent.sat - 1.0), true),
            TextRole::Contact => (TextKind::Contact, st.rng.chance(0.4)),
            TextRole::Query => (TextKind::Query, true),
            TextRole::HelpQuery => (TextKind::HelpQuery, true),
        };
        if !always {
            return Val::Null;
        }
        if matches!(role, TextRole::Review | TextRole::Comment)
            && let Some(quote) = intent.quote
            && st.rng.chance(0.12)
        {
            return Val::Str(quote);
        }
        let pool = &plan.texts[kind as usize];
        if pool.is_empty() {
            return Val::Null;
        }
        let first = *st.rng.pick(pool);
        let two = matches!(
            kind,
            TextKind::Positive | TextKind::Negative | TextKind::Neutral
        ) && st.rng.chance(0.35);
        let second = if two {
            let s = *st.rng.pick(pool);
            (s != first).then_some(s)
        } else {
            None
        };
        Val::Text(first, second)
    }
}

fn forced_null(rest: &[Cons], col: usize) -> bool {
    rest.iter().any(|c| c.col == col && c.how == Gen::Null)
}

fn weight_of(weights: &[f64], channel: u8) -> f64 {
    weights.get(usize::from(channel)).copied().unwrap_or(0.35)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn score(st: &mut State, mean: f64, noise: f64, lo: i64, hi: i64) -> Val {
    let x = mean + noise * st.rng.normal();
    Val::Int((x.round() as i64).clamp(lo, hi))
}

/// The tone of a text written at this satisfaction.
fn tone(st: &mut State, sat: f64) -> TextKind {
    let x = sat + 0.5 * st.rng.normal();
    if x > 0.6 {
        TextKind::Positive
    } else if x < -0.6 {
        TextKind::Negative
    } else {
        TextKind::Neutral
    }
}

/// How a customer's walk went.
#[derive(Debug, Default)]
struct Walk {
    end: f64,
    taken: usize,
    dropped_at: Option<usize>,
    /// Steps taken over steps the persona could take.
    progress: f64,
}

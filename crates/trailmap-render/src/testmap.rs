//! Maps built in Rust for the unit tests: a realistic one, a hostile one and a huge one.

use trailmap_model::*;

fn text(s: &str) -> Option<String> {
    Some(s.to_owned())
}

pub(crate) fn step(id: &str, name: &str) -> Step {
    Step {
        id: id.into(),
        name: name.into(),
        description: None,
        matcher: None,
        feedback: None,
        optional: false,
        personas: vec![],
        department: None,
        touchpoints: vec![],
        customer: CustomerLane::default(),
        business: BusinessLane::default(),
        employee: EmployeeLane::default(),
        pain_points: vec![],
        opportunities: vec![],
        moment_of_truth: false,
        kpis: vec![],
        evidence: None,
        replaces: vec![],
    }
}

pub(crate) fn persona(id: &str, name: &str) -> Persona {
    Persona {
        id: id.into(),
        name: name.into(),
        share: None,
        rule: None,
        description: None,
        generation: None,
        demographics: None,
        goals: vec![],
        behaviours: vec![],
        expectations: vec![],
        openness: None,
        quotes: vec![],
        channels: vec![],
    }
}

pub(crate) fn touchpoint(channel: Channel, name: &str, initiator: Initiator) -> Touchpoint {
    Touchpoint {
        channel,
        initiator: Some(initiator),
        name: text(name),
        department: None,
    }
}

pub(crate) fn pain(text: &str, severity: u8, persona: Option<&str>) -> PainPoint {
    PainPoint {
        text: text.into(),
        severity,
        persona: persona.map(str::to_owned),
        evidence: None,
    }
}

pub(crate) fn opportunity(
    text: &str,
    status: OpportunityStatus,
    owner: Option<&str>,
) -> Opportunity {
    Opportunity {
        text: text.into(),
        owner: owner.map(str::to_owned),
        status,
    }
}

pub(crate) fn map(stages: Vec<Stage>) -> Map {
    Map {
        trailmap: 1,
        journey: Journey {
            id: "online-purchase".into(),
            name: "Online purchase".into(),
            kind: JourneyKind::Purchase,
            state: JourneyState::Current,
            based_on: None,
            owner: None,
            description: None,
            objectives: vec![],
            stakeholders: vec![],
        },
        personas: vec![],
        departments: vec![],
        stages,
        outcomes: Default::default(),
        data: Default::default(),
        lint: Default::default(),
    }
}

pub(crate) fn stage(id: &str, name: &str, steps: Vec<Step>) -> Stage {
    Stage {
        id: id.into(),
        name: name.into(),
        description: None,
        steps,
    }
}

/// A realistic current-state purchase journey with every lane filled somewhere.
pub(crate) fn purchase() -> Map {
    let mut mia = persona("mia", "Mia, the mobile millennial");
    mia.share = Some(0.42);
    mia.generation = text("Millennial");
    mia.demographics = text("29, Berlin, product designer, rents a flat");
    mia.description =
        text("Buys on her phone in spare minutes; trusts friends and reviews more than ads.");
    mia.goals = vec![
        "Get it delivered before the weekend".into(),
        "Pay in one tap".into(),
    ];
    mia.behaviours = vec![
        "Compares prices on two sites".into(),
        "Complains in chat, never by phone".into(),
    ];
    mia.expectations = vec!["Real-time delivery tracking".into()];
    mia.openness = Some(Openness::High);
    mia.quotes = vec!["If I have to type my card number again, I'm gone.".into()];
    mia.channels = vec![Channel::App, Channel::Social, Channel::Chat];
    let mut bob = persona("bob", "Bob, the careful boomer");
    bob.share = Some(0.23);
    bob.generation = text("Baby boomer");
    bob.demographics = text("63, Leeds, retired teacher");
    bob.goals = vec!["Be sure he is buying the right thing".into()];
    bob.behaviours = vec![
        "Reads the printed catalogue".into(),
        "Calls before ordering".into(),
    ];
    bob.openness = Some(Openness::Low);
    bob.quotes = vec!["I like to speak to a person.".into()];
    bob.channels = vec![Channel::Print, Channel::Phone, Channel::Email];

    let mut sees_ad = step("sees-ad", "Sees an ad");
    sees_ad.description = text("A friend shares a post, or the catalogue arrives.");
    sees_ad.customer.does = text("Scrolls social media and notices a friend's post");
    sees_ad.customer.goal = text("Find something nice for the new flat");
    sees_ad.customer.thinks = text("That lamp looks great, where is it from?");
    sees_ad.customer.feels = text("Curious");
    sees_ad.customer.emotion = Some(1);
    sees_ad.touchpoints = vec![
        touchpoint(Channel::Social, "Sponsored post", Initiator::Company),
        touchpoint(Channel::Print, "Spring catalogue", Initiator::Company),
    ];
    sees_ad.department = text("marketing");
    sees_ad.business.frontstage = text("Runs the spring campaign");
    sees_ad.business.backstage = text("Audience targeting in the ad platform");
    sees_ad.kpis = vec![Kpi {
        metric: Metric::Reach,
        target: 50_000.0,
        direction: None,
        outcome: None,
        note: text("Campaign goal"),
    }];

    let mut compare = step("compares", "Compares offers");
    compare.customer.does = text("Reads reviews and compares delivery times");
    compare.customer.thinks = text("Is it really better than the cheaper one?");
    compare.customer.feels = text("Unsure");
    compare.customer.emotion = Some(0);
    compare.touchpoints = vec![
        touchpoint(Channel::Review, "Trustpilot reviews", Initiator::Customer),
        touchpoint(Channel::Web, "Product page", Initiator::Customer),
    ];
    compare.pain_points = vec![pain("Delivery date is hidden until checkout", 3, None)];
    compare.opportunities = vec![opportunity(
        "Show the delivery date on the product page",
        OpportunityStatus::Planned,
        Some("Web team"),
    )];

    let mut calls = step("calls", "Calls to ask");
    calls.personas = vec!["bob".into()];
    calls.optional = true;
    calls.customer.does = text("Calls the hotline about sizes");
    calls.customer.feels = text("Impatient on hold");
    calls.customer.emotion = Some(-1);
    calls.touchpoints = vec![touchpoint(Channel::Phone, "Hotline", Initiator::Customer)];
    calls.department = text("support");
    calls.employee.does = text("Looks the product up in two systems");
    calls.employee.feels = text("Frustrated by slow tools");
    calls.employee.tools = text("ERP, old CRM");
    calls.pain_points = vec![pain("Waits 12 minutes on hold", 4, Some("bob"))];

    let mut checkout = step("checkout", "Checks out");
    checkout.moment_of_truth = true;
    checkout.customer.does = text("Enters address and card details");
    checkout.customer.goal = text("Pay quickly and safely");
    checkout.customer.thinks = text("Why do I need an account for this?");
    checkout.customer.feels = text("Annoyed");
    checkout.customer.emotion = Some(-2);
    checkout.touchpoints = vec![
        touchpoint(Channel::Web, "Checkout", Initiator::Customer),
        touchpoint(Channel::App, "In-app checkout", Initiator::Customer),
    ];
    checkout.department = text("ecommerce");
    checkout.business.frontstage = text("Checkout form with account creation");
    checkout.business.backstage = text("Fraud check, payment provider, stock reservation");
    checkout.pain_points = vec![
        pain("Forced account creation", 5, Some("mia")),
        pain("Card form resets on error", 4, None),
    ];
    checkout.opportunities = vec![
        opportunity(
            "Guest checkout",
            OpportunityStatus::Doing,
            Some("Checkout squad"),
        ),
        opportunity("Wallet payments", OpportunityStatus::Idea, None),
    ];
    checkout.kpis = vec![Kpi {
        metric: Metric::DropOff,
        target: 0.2,
        direction: None,
        outcome: None,
        note: None,
    }];
    checkout.evidence = Some(Evidence {
        source: EvidenceSource::Observed,
        verified: text("2026-03-01"),
        note: text("Funnel dashboard"),
    });

    let mut confirm = step("confirmation", "Gets confirmation");
    confirm.customer.does = text("Reads the confirmation email");
    confirm.customer.feels = text("Relieved");
    confirm.customer.emotion = Some(1);
    let mut email = touchpoint(Channel::Email, "Order confirmation", Initiator::Company);
    email.department = text("support");
    confirm.touchpoints = vec![
        email,
        touchpoint(Channel::Sms, "Shipping SMS", Initiator::Company),
    ];
    confirm.department = text("ecommerce");
    confirm.opportunities = vec![opportunity(
        "Add a tracking link",
        OpportunityStatus::Done,
        Some("CRM team"),
    )];

    let mut delivery = step("delivery", "Receives the parcel");
    delivery.moment_of_truth = true;
    delivery.customer.does = text("Unpacks the lamp");
    delivery.customer.feels = text("Delighted");
    delivery.customer.emotion = Some(2);
    delivery.touchpoints = vec![touchpoint(Channel::InPerson, "Courier", Initiator::Company)];
    delivery.kpis = vec![Kpi {
        metric: Metric::Csat,
        target: 85.0,
        direction: None,
        outcome: None,
        note: None,
    }];

    let mut review = step("review", "Writes a review");
    review.customer.does = text("Posts a photo and a review");
    review.customer.emotion = Some(2);
    review.touchpoints = vec![
        touchpoint(Channel::Review, "Review request", Initiator::Company),
        touchpoint(Channel::Store, "Pop-up store visit", Initiator::Customer),
        touchpoint(Channel::Other, "Word of mouth", Initiator::Customer),
    ];
    review.kpis = vec![Kpi {
        metric: Metric::Outcome,
        target: 0.15,
        direction: Some(Direction::AtLeast),
        outcome: text("cross_sell"),
        note: None,
    }];

    let mut map = map(vec![
        Stage {
            description: text("Finding out the product exists"),
            ..stage("awareness", "Awareness", vec![sees_ad])
        },
        stage("consideration", "Consideration", vec![compare, calls]),
        stage("purchase", "Purchase", vec![checkout, confirm]),
        stage("after", "After purchase", vec![delivery, review]),
    ]);
    map.journey.owner = text("Head of CX");
    map.journey.description = text("From the first ad to the first review, for online orders.");
    map.journey.objectives = vec![
        "Cut checkout drop-off by a third".into(),
        "Raise review volume".into(),
    ];
    map.journey.stakeholders = vec![
        "Marketing".into(),
        "E-commerce".into(),
        "Support".into(),
        "Logistics".into(),
    ];
    map.personas = vec![mia, bob];
    map.departments = vec![
        Department {
            id: "marketing".into(),
            name: "Marketing".into(),
            lead: text("Ana"),
        },
        Department {
            id: "support".into(),
            name: "Customer support".into(),
            lead: None,
        },
        Department {
            id: "ecommerce".into(),
            name: "E-commerce".into(),
            lead: text("Raj"),
        },
    ];
    map
}

/// Texts that try to break out of their context, and texts that are merely hard to lay out.
pub(crate) const HOSTILE: [&str; 8] = [
    "<script>alert('x')</script>",
    "\"><img src=x onerror=alert(1)>",
    "Tom's \"quoted\" & <b>bold</b> text",
    "שלום, זה טקסט מימין לשמאל עם English inside",
    "Emoji: 👩‍👩‍👧‍👦 🎉 ✨ 🇩🇪",
    "javascript:alert(1)",
    "</style><style>body{display:none}</style>",
    "]]><!-- -->\u{1}\u{7}",
];

/// The purchase map with every text replaced by hostile ones and one 2,000-character string.
pub(crate) fn hostile() -> Map {
    let mut map = purchase();
    let long: String = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(35);
    let unbroken: String = "x".repeat(2_000);
    map.journey.name = HOSTILE[0].into();
    map.journey.description = Some(long.clone());
    map.journey.owner = Some(HOSTILE[1].into());
    map.journey.stakeholders = HOSTILE.iter().map(|s| s.to_string()).collect();
    map.personas[0].name = HOSTILE[2].into();
    map.personas[0].quotes = vec![HOSTILE[3].into(), unbroken.clone()];
    map.personas[1].description = Some(HOSTILE[4].into());
    map.departments[0].name = HOSTILE[6].into();
    for (idx, step) in map.stages.iter_mut().flat_map(|s| &mut s.steps).enumerate() {
        step.name = HOSTILE[idx % HOSTILE.len()].into();
        step.customer.does = Some(HOSTILE[(idx + 1) % HOSTILE.len()].into());
        step.customer.thinks = Some(if idx == 0 {
            long.clone()
        } else {
            HOSTILE[(idx + 2) % HOSTILE.len()].into()
        });
        step.customer.goal = Some(if idx == 1 {
            unbroken.clone()
        } else {
            HOSTILE[(idx + 3) % HOSTILE.len()].into()
        });
        for touchpoint in &mut step.touchpoints {
            touchpoint.name = Some(HOSTILE[(idx + 4) % HOSTILE.len()].into());
        }
        for pain in &mut step.pain_points {
            pain.text = HOSTILE[(idx + 5) % HOSTILE.len()].into();
        }
    }
    map.stages[0].name = HOSTILE[7].into();
    map
}

/// 15 personas and 80 steps in 8 stages.
pub(crate) fn huge() -> Map {
    let base = purchase();
    let template: Vec<Step> = base.stages.iter().flat_map(|s| s.steps.clone()).collect();
    let mut personas = Vec::new();
    for idx in 0..15 {
        let mut p = base.personas[idx % 2].clone();
        p.id = format!("p{idx}");
        p.name = format!("Persona {idx}");
        p.share = Some(1.0 / 15.0);
        personas.push(p);
    }
    let stages = (0..8)
        .map(|stage_idx| {
            let steps = (0..10)
                .map(|idx| {
                    let mut s = template[(stage_idx * 10 + idx) % template.len()].clone();
                    s.id = format!("s{stage_idx}-{idx}");
                    s.name = format!("Step {} of stage {}", idx + 1, stage_idx + 1);
                    s.personas = if idx % 3 == 0 {
                        vec![format!("p{}", idx % 15)]
                    } else {
                        vec![]
                    };
                    for pain in &mut s.pain_points {
                        pain.persona = pain
                            .persona
                            .as_ref()
                            .map(|_| format!("p{}", stage_idx % 15));
                    }
                    s
                })
                .collect();
            stage(
                &format!("stage-{stage_idx}"),
                &format!("Stage {}", stage_idx + 1),
                steps,
            )
        })
        .collect();
    let mut map = map(stages);
    map.journey = base.journey;
    map.departments = base.departments;
    map.personas = personas;
    map
}

/// Figures for `reach` customers with nothing else measured.
pub(crate) fn figures(reach: u64) -> analysis::Figures {
    use analysis::*;
    let empty = || Score { score: None, n: 0 };
    Figures {
        reach,
        continued: 0,
        continue_rate: None,
        drop_off_rate: None,
        time_to_next: TimeToNext {
            n: 0,
            median_s: None,
            p90_s: None,
        },
        feedback: Feedback {
            nps: empty(),
            csat: empty(),
            ces: empty(),
        },
        sentiment: Sentiment {
            mean: None,
            share_negative: None,
            n: 0,
            most_negative: vec![],
        },
        outcomes: Default::default(),
        channels: Default::default(),
        initiators: Default::default(),
        repeat: Repeat {
            share: None,
            mean_events: None,
        },
    }
}

/// Made-up but consistent figures for every step of `map`: reach falls step by step, every
/// third step has survey answers, the last step reached nobody, and every KPI is checked
/// (met on even steps). Each persona gets a share of every figure.
pub(crate) fn analysis(map: &Map) -> analysis::Analysis {
    use analysis::*;
    let steps: Vec<StepRef<'_>> = map.steps().collect();
    let n = steps.len();
    let outcome_names: Vec<String> = map
        .outcomes
        .keys()
        .cloned()
        .chain(["churn".to_owned()])
        .collect();
    let step_figures = |idx: usize, scale: f64| -> Figures {
        let reach = if idx + 1 == n {
            0
        } else {
            ((10_000.0 - idx as f64 * 700.0) * scale) as u64
        };
        let mut f = figures(reach);
        if reach > 0 && idx + 2 < n {
            let drop = 0.05 + (idx % 4) as f64 * 0.08;
            f.continue_rate = Some(1.0 - drop);
            f.drop_off_rate = Some(drop);
            f.continued = (reach as f64 * (1.0 - drop)) as u64;
            f.time_to_next = TimeToNext {
                n: f.continued,
                median_s: Some(3_600.0 * (idx + 1) as f64),
                p90_s: Some(86_400.0 * (idx + 1) as f64 / 2.0),
            };
        }
        if reach > 0 && idx.is_multiple_of(3) {
            f.feedback.csat = Score {
                score: Some(55.0 + idx as f64 * 3.0),
                n: (120.0 * scale) as u64,
            };
            f.feedback.nps = Score {
                score: Some(-10.0 + idx as f64 * 5.0),
                n: (300.0 * scale) as u64,
            };
            f.sentiment = Sentiment {
                mean: Some(0.1 - idx as f64 * 0.04),
                share_negative: Some(0.2),
                n: (80.0 * scale) as u64,
                most_negative: vec![Verbatim {
                    text: "The parcel never came and nobody answered my emails.".into(),
                    compound: -0.61,
                }],
            };
        }
        if reach > 0 {
            for (k, name) in outcome_names.iter().enumerate() {
                let lift = 0.6 + ((idx + k) % 5) as f64 * 0.25;
                f.outcomes.insert(
                    name.clone(),
                    OutcomeAfter {
                        n: (reach as f64 * 0.2 * lift) as u64,
                        rate_after: Some(0.2 * lift),
                        lift: Some(lift),
                        p_value: Some(if (idx + k).is_multiple_of(2) {
                            0.0004
                        } else {
                            0.3
                        }),
                    },
                );
            }
        }
        f
    };
    let n_personas = map.personas.len().max(1) as f64;
    let results = steps
        .iter()
        .enumerate()
        .map(|(idx, s)| StepResult {
            id: s.step.id.clone(),
            stage: s.stage.id.clone(),
            figures: step_figures(idx, 1.0),
            personas: map
                .personas
                .iter()
                .map(|p| (p.id.clone(), step_figures(idx, 1.0 / n_personas)))
                .collect(),
        })
        .collect();
    let mut kpis = Vec::new();
    for (idx, s) in steps.iter().enumerate() {
        for kpi in &s.step.kpis {
            let met = idx % 2 == 0;
            kpis.push(KpiCheck {
                step: s.step.id.clone(),
                metric: kpi.metric.as_str().to_owned(),
                outcome: kpi.outcome.clone(),
                target: kpi.target,
                direction: kpi.direction().as_str().to_owned(),
                actual: (idx + 1 != n).then_some(kpi.target * if met { 1.1 } else { 0.5 }),
                met: (idx + 1 != n).then_some(met),
            });
        }
    }
    Analysis {
        version: 1,
        journey: JourneyRef {
            id: map.journey.id.clone(),
            name: map.journey.name.clone(),
            state: map.journey.state.as_str().to_owned(),
        },
        inputs: Inputs {
            events: vec![InputFile {
                path: "data/events.csv".into(),
                format: "csv".into(),
                rows: 250_000,
            }],
            customers: Some(InputFile {
                path: "data/customers.csv".into(),
                format: "csv".into(),
                rows: 12_000,
            }),
            event_rows: 250_000,
            analysed_events: 240_000,
            customers_analysed: 11_500,
            time_span: Some(TimeSpan {
                from: "2026-03-01T00:00:00Z".into(),
                to: "2026-08-31T23:59:59Z".into(),
            }),
            bad_rows: 0,
            bad_row_examples: vec![],
            settings: Settings {
                time_zone: "Europe/London".into(),
                feedback_window_s: 14 * 86_400,
                outcome_window_s: 180 * 86_400,
                repeat_window_s: 7 * 86_400,
                persona: None,
                since: None,
                until: None,
                significance_test: "one-sample z-test of a proportion".into(),
            },
        },
        steps: results,
        stages: vec![],
        outcomes: outcome_names
            .iter()
            .map(|name| {
                (
                    name.clone(),
                    OutcomeBaseline {
                        customers: 2_300,
                        baseline: Some(0.2),
                        personas: map
                            .personas
                            .iter()
                            .map(|p| (p.id.clone(), Some(0.2)))
                            .collect(),
                    },
                )
            })
            .collect(),
        personas: map
            .personas
            .iter()
            .map(|p| (p.id.clone(), (11_000.0 / n_personas) as u64))
            .chain([("unassigned".to_owned(), 500)])
            .collect(),
        unmapped: Unmapped {
            events: 24_000,
            share: Some(0.1),
            top: vec![
                EventCount {
                    event: "wishlist_added".into(),
                    count: 9_000,
                    share: 0.375,
                },
                EventCount {
                    event: "store_visited".into(),
                    count: 6_000,
                    share: 0.25,
                },
            ],
        },
        zero_reach: steps
            .last()
            .map(|s| s.step.id.clone())
            .into_iter()
            .collect(),
        kpi_breaches: kpis
            .iter()
            .filter(|k| k.met == Some(false))
            .cloned()
            .collect(),
        kpis,
        moments_of_truth: vec![],
        periods: vec![],
    }
}

/// An analysis whose every text from the data (file names, event names, verbatims, outcome
/// and persona names) is hostile.
pub(crate) fn hostile_analysis(map: &Map) -> analysis::Analysis {
    let mut analysis = analysis(map);
    analysis.inputs.events[0].path = HOSTILE[0].into();
    analysis.inputs.settings.time_zone = HOSTILE[1].into();
    analysis.inputs.time_span = Some(analysis::TimeSpan {
        from: HOSTILE[2].into(),
        to: "x".repeat(2_000),
    });
    for (idx, event) in analysis.unmapped.top.iter_mut().enumerate() {
        event.event = HOSTILE[(idx + 3) % HOSTILE.len()].into();
    }
    analysis.personas.insert(HOSTILE[4].into(), 3);
    for step in &mut analysis.steps {
        let outcomes = std::mem::take(&mut step.figures.outcomes);
        for (k, (_, outcome)) in outcomes.into_iter().enumerate() {
            step.figures
                .outcomes
                .insert(HOSTILE[(k + 5) % HOSTILE.len()].into(), outcome);
        }
        for verbatim in &mut step.figures.sentiment.most_negative {
            verbatim.text = format!("{} {}", HOSTILE[6], "y".repeat(2_000));
        }
    }
    analysis
}

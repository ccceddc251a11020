#!/usr/bin/env python3
"""Writes a large, valid Trailmap journey map (format v1) for benchmarks.

The map is shaped like the maps in examples/: a handful of personas and departments, then
stages of steps whose every lane is filled (touchpoints, customer, business, employee, pain
points, opportunities, KPIs, evidence), block style with flow-style touchpoints and evidence,
quoted SQL `match` expressions and a few non-ASCII characters (£, é, —). It grows by whole
stages until it reaches the requested size, so `trailmap check` reports nothing on it
(with `--today` in 2026; the evidence is dated 2026).

Usage: gen_big_map.py SIZE [OUT]   e.g. gen_big_map.py 10MiB big.yaml
SIZE is bytes, or a number with kB/MB (10^3, 10^6) or KiB/MiB (2^10, 2^20). OUT defaults to
stdout. The output is deterministic: the same SIZE gives the same bytes.
"""

import random
import re
import sys

UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "kib": 2**10, "mib": 2**20}

PERSONAS = [
    ("mia", "Mia, the mobile millennial", "age BETWEEN 25 AND 40 AND signup_channel = 'app'", "millennial"),
    ("frank", "Frank, the catalogue reader", "age >= 62 AND acquisition_source = 'catalogue'", "baby boomer"),
    ("priya", "Priya, the careful comparer", "age BETWEEN 41 AND 58 AND signup_channel = 'web'", "gen-x"),
    ("leo", "Léo, the bargain hunter", "coupon_orders >= 3 AND age < 35", "gen-z"),
    ("grace", "Grace, the gift buyer", "gift_orders > 0 AND orders_per_year <= 4", "millennial"),
    ("omar", "Omar, the small-business buyer", "account_type = 'business'", "gen-x"),
    ("hana", "Hana, the loyal regular", "orders_per_year >= 10", "millennial"),
    ("sam", "Sam, the first-timer", "order_count = 0 AND visits >= 2", "gen-z"),
]

DEPARTMENTS = [
    ("marketing", "Marketing", "Tom Reyes"),
    ("ecommerce", "E-commerce", "Aisha Bello"),
    ("customer-service", "Customer service", "Gareth Lloyd"),
    ("fulfilment", "Fulfilment and delivery", "Marta Nowak"),
    ("finance", "Finance and payments", "David Chen"),
    ("social-media", "Social media", "Leah Park"),
    ("it", "IT and platforms", "Ravi Patel"),
    ("stores", "Stores", "Chloé Martin"),
]

CHANNELS = ["web", "app", "email", "phone", "chat", "social", "sms", "print", "store", "review", "in-person"]
EVENTS = [
    "ad_clicked", "search_performed", "product_viewed", "reviews_viewed", "cart_added", "checkout_started",
    "payment_submitted", "order_placed", "order_confirmation_sent", "shipment_dispatched", "tracking_viewed",
    "parcel_delivered", "ticket_opened", "ticket_replied", "chat_started", "call_started", "return_requested",
    "refund_issued", "survey_answered", "review_written", "email_opened", "coupon_redeemed",
]
VERBS = [
    "Opens", "Checks", "Compares", "Reads", "Asks about", "Waits for", "Looks up", "Confirms", "Changes",
    "Tracks", "Returns", "Rates", "Shares", "Saves", "Pays for", "Searches for", "Calls about", "Writes about",
]
OBJECTS = [
    "the delivery date", "the basket", "the order status", "a refund", "the returns label", "the product page",
    "the size guide", "the invoice", "a discount code", "the loyalty points", "the click-and-collect slot",
    "the warranty", "the parcel locker", "the gift message", "the store's opening hours", "the £4.95 delivery charge",
]
FEELINGS = [
    "Confident", "Unsure", "Annoyed", "Relieved", "Pleased", "Impatient", "Confused", "Reassured",
    "Frustrated", "Delighted", "Anxious", "Indifferent",
]
THOUGHTS = [
    "Why does this take so long?", "That was easier than I expected.", "Where do I find this?",
    "I hope it arrives before the weekend.", "Do I really need an account for this?",
    "Finally, a straight answer.", "Is this the same one as in the post?", "I'll just call them instead.",
]
TOOLS = ["Helpdesk", "Order system", "Shop platform admin", "Phone system", "PIM", "Carrier portal", "CRM"]
SOURCES = ["observed", "research", "assumption"]
STATUSES = ["idea", "planned", "doing", "done"]
OWNERS = [d[2] for d in DEPARTMENTS]


def parse_size(text):
    match = re.fullmatch(r"\s*([0-9.]+)\s*([A-Za-z]*)\s*", text)
    if not match or match.group(2).lower() not in UNITS:
        raise SystemExit(f"gen_big_map.py: cannot read size {text!r}; write e.g. 10MiB or 5000000")
    return int(float(match.group(1)) * UNITS[match.group(2).lower()])


def q(text):
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


SUBJECTS = [
    "The customer", "The agent", "The app", "The warehouse team", "The carrier", "Marketing", "The website",
    "Customer service", "The store team", "Finance", "The shop platform", "The social team", "She", "He",
]
PREDICATES = [
    "checks the order status", "hands the ticket to the next team", "sends a confirmation email",
    "waits for a reply", "copies the address into the order system", "shows the delivery date",
    "asks for the order number again", "moves the parcel to a locker", "reads the reviews first",
    "keeps the basket for thirty days", "books a collection slot", "answers within two hours",
    "updates the tracking page", "issues a refund to the card", "flags the payment for review",
    "prints the returns label", "compares three shops side by side", "calls back the next morning",
]
ADVERBIALS = [
    "", "", " on weekdays", " by hand", " in the evening", " every morning", " without an account",
    " before the weekend", " at peak times", " for first orders", " after the second contact",
    " in under a minute", " from the carrier's data", " with a £4.95 charge", " — most of the time",
]


def sentence(rng, words=12):
    """A plain-scalar-safe sentence (no `: `, no leading indicator, no ` #`), longer for more words."""
    parts = [f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}{rng.choice(ADVERBIALS)}"]
    while len(parts) * 8 < words:
        subject = rng.choice(SUBJECTS)
        parts.append(f"{subject[0].lower()}{subject[1:]} {rng.choice(PREDICATES)}{rng.choice(ADVERBIALS)}")
    return "; ".join(parts) + "."


def header(out, rng):
    out.write(
        "# yaml-language-server: $schema=https://trailmap.dev/schema/trailmap-v1.schema.json\n"
        "#\n"
        "# A large generated map for benchmarks (bench/gen_big_map.py). Shaped like examples/.\n"
        "trailmap: 1\n\n"
        "journey:\n"
        "  id: big-generated-journey\n"
        "  name: Generated purchase and service journey (benchmark)\n"
        "  kind: purchase\n"
        "  state: current\n"
        "  owner: Hannah Okafor, Head of Customer Experience\n"
        "  description: >-\n"
        "    Every stage of a retailer's purchase, delivery and service journey, across app, web,\n"
        "    phone, chat, stores and post — generated to measure how fast a large map checks.\n"
        "  objectives:\n"
        "    - Find where first-time buyers drop out between the basket and the order.\n"
        "    - Cut where-is-my-order contacts, which are a third of all service volume.\n"
        "  stakeholders: [Marketing, E-commerce, Customer service, Fulfilment, Finance]\n\n"
        "personas:\n"
    )
    for pid, name, rule, generation in PERSONAS:
        channels = ", ".join(rng.sample(CHANNELS, 3))
        out.write(
            f"  - id: {pid}\n"
            f"    name: {name}\n"
            f"    share: 0.12\n"
            f"    rule: {q(rule)}\n"
            f"    description: {sentence(rng)}\n"
            f"    generation: {generation}\n"
            f"    demographics: {rng.randint(19, 75)}, {rng.choice(['Manchester', 'York', 'Bristol', 'Leeds', 'Cardiff'])}\n"
            f"    goals:\n      - {sentence(rng, 8)}\n      - {sentence(rng, 8)}\n"
            f"    behaviours:\n      - {sentence(rng, 10)}\n      - {sentence(rng, 10)}\n"
            f"    expectations:\n      - {sentence(rng, 8)}\n"
            f"    openness: {rng.choice(['low', 'medium', 'high'])}\n"
            f"    quotes:\n      - {q(rng.choice(THOUGHTS))}\n"
            f"    channels: [{channels}]\n"
        )
    out.write("\ndepartments:\n")
    for did, name, lead in DEPARTMENTS:
        out.write(f"  - id: {did}\n    name: {name}\n    lead: {lead}\n")
    out.write("\nstages:\n")


def date(rng):
    return f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"


def step(out, rng, step_id, n):
    event = rng.choice(EVENTS)
    channel = rng.choice(CHANNELS)
    personas = ", ".join(p[0] for p in rng.sample(PERSONAS, rng.randint(1, 3)))
    department = rng.choice(DEPARTMENTS)[0]
    verb, obj = rng.choice(VERBS), rng.choice(OBJECTS)
    moment = n % 7 == 3
    matcher = f"event = '{event}' AND channel = '{channel}' AND step_seq >= {n % 50}"
    feedback = f"survey = 'post_{event}' AND score IS NOT NULL"
    out.write(
        f"      - id: {step_id}\n"
        f"        name: {verb} {obj}\n"
        f"        description: {sentence(rng, 16)}\n"
        f"        match: {q(matcher)}\n"
        f"        feedback: {q(feedback)}\n"
        f"        personas: [{personas}]\n"
        f"        department: {department}\n"
    )
    if moment:
        out.write("        moment_of_truth: true\n")
    out.write("        touchpoints:\n")
    for _ in range(rng.randint(1, 3)):
        tp_channel = rng.choice(CHANNELS)
        initiator = rng.choice(["customer", "company"])
        tp_department = rng.choice(DEPARTMENTS)[0]
        out.write(
            f"          - {{channel: {tp_channel}, initiator: {initiator}, "
            f"name: {verb} {obj} by {tp_channel}, department: {tp_department}}}\n"
        )
    out.write(
        "        customer:\n"
        f"          does: {verb} {obj} {rng.choice(['on the phone', 'in the app', 'on the website', 'in the store', 'by email'])}.\n"
        f"          goal: {sentence(rng, 8)}\n"
        f"          thinks: {q(rng.choice(THOUGHTS))}\n"
        f"          feels: {rng.choice(FEELINGS)}\n"
        f"          emotion: {rng.randint(-2, 2)}\n"
        "        business:\n"
        f"          frontstage: {sentence(rng, 14)}\n"
        f"          backstage: {sentence(rng, 18)}\n"
        "        employee:\n"
        f"          does: {sentence(rng, 10)}\n"
        f"          feels: {sentence(rng, 8)}\n"
        f"          tools: {', '.join(rng.sample(TOOLS, 3))}\n"
        "        pain_points:\n"
    )
    for _ in range(rng.randint(1, 2)):
        persona = rng.choice(PERSONAS)[0]
        out.write(
            f"          - text: {sentence(rng, 14)}\n"
            f"            severity: {rng.randint(1, 5)}\n"
            f"            persona: {persona}\n"
            f"            evidence: {{source: {rng.choice(SOURCES)}, verified: {date(rng)}, note: {q(sentence(rng, 8))}}}\n"
        )
    out.write("        opportunities:\n")
    for _ in range(rng.randint(1, 2)):
        out.write(
            f"          - {{text: {q(sentence(rng, 12))}, owner: {rng.choice(OWNERS)}, status: {rng.choice(STATUSES)}}}\n"
        )
    out.write(
        "        kpis:\n"
        f"          - {{metric: conversion, target: {rng.randint(10, 95) / 100}, note: {q(sentence(rng, 6))}}}\n"
        f"          - {{metric: time_to_next, target: {rng.randint(30, 86400)}}}\n"
        f"          - {{metric: csat, target: {rng.randint(50, 95)}}}\n"
        f"          - {{metric: outcome, outcome: {rng.choice(['repeat_purchase', 'churn'])}, "
        f"direction: {rng.choice(['at_least', 'at_most'])}, target: {rng.randint(1, 60) / 100}}}\n"
        f"        evidence: {{source: {rng.choice(SOURCES)}, verified: {date(rng)}, note: {q(sentence(rng, 8))}}}\n"
    )


def footer(out):
    out.write(
        "\noutcomes:\n"
        "  repeat_purchase: \"event = 'order_placed' AND order_count >= 2\"\n"
        "  churn: \"event = 'customer_lapsed'\"\n"
        "\n"
        "data:\n"
        "  time_zone: Europe/London\n"
        "  windows:\n"
        "    feedback: 14d\n"
        "    outcome: 180d\n"
        "    repeat: 7d\n"
        "\n"
        "lint:\n"
        "  stale_after: 365d\n"
    )


class Counter:
    """Counts the UTF-8 bytes written through it."""

    def __init__(self, out):
        self.out = out
        self.n_bytes = 0

    def write(self, text):
        self.n_bytes += len(text.encode("utf-8"))
        self.out.write(text)


def main(argv):
    if len(argv) not in (2, 3):
        raise SystemExit(__doc__)
    target = parse_size(argv[1])
    sink = open(argv[2], "w", encoding="utf-8", newline="\n") if len(argv) == 3 else sys.stdout
    rng = random.Random(20261125)
    out = Counter(sink)
    header(out, rng)
    n_steps = 0
    stage_idx = 0
    steps_per_stage = 25
    # Whole stages until the next would pass the target (a stage is about 40 kB); the footer is small.
    while True:
        stage_idx += 1
        out.write(
            f"  - id: stage-{stage_idx}\n"
            f"    name: Stage {stage_idx}\n"
            f"    description: {sentence(rng, 14)}\n"
            "    steps:\n"
        )
        for _ in range(steps_per_stage):
            n_steps += 1
            step(out, rng, f"step-{n_steps}", n_steps)
        if out.n_bytes >= target - out.n_bytes / stage_idx / 2:
            break
    footer(out)
    if sink is not sys.stdout:
        sink.close()
    print(
        f"gen_big_map.py: {out.n_bytes} bytes, {stage_idx} stages, {n_steps} steps, "
        f"{len(PERSONAS)} personas, {len(DEPARTMENTS)} departments",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main(sys.argv)

#!/usr/bin/env python3
"""Writes a wide, valid Trailmap journey map (format v1) for the render benchmark.

The map has PERSONAS personas and STAGES x STEPS_PER_STAGE steps (15 and 8 x 10 = 80 by
default), and every step fills every lane the way the maps in examples/ do: a `match`, a few
personas, a department, two or three touchpoints, all customer, business and employee texts,
an emotion score, pain points (some for one persona), opportunities, KPI targets and evidence.
So `trailmap render` draws a full map: 15 persona cards and 80 columns of 13 lanes.

Usage: gen_wide_map.py [OUT] [--personas N] [--stages N] [--steps-per-stage N]
OUT defaults to stdout. The output is deterministic: the same arguments give the same bytes.
Standard library only.
"""

import argparse
import random
import sys

FIRST_NAMES = [
    "Mia", "Frank", "Priya", "Leo", "Grace", "Omar", "Hana", "Sam", "Ines", "Kofi", "Wen", "Lars",
    "Ada", "Tomás", "Yuki", "Nadia", "Bea", "Ravi", "Zoe", "Emil",
]
KINDS = [
    "the mobile millennial", "the catalogue reader", "the careful comparer", "the bargain hunter",
    "the gift buyer", "the small-business buyer", "the loyal regular", "the first-timer",
    "the weekend renovator", "the student on a budget", "the busy parent", "the design lover",
    "the returns-wary buyer", "the late-night shopper", "the store visitor", "the eco-minded buyer",
]
GENERATIONS = ["gen-z", "millennial", "gen-x", "baby boomer"]
CITIES = ["Manchester", "York", "Bristol", "Leeds", "Cardiff", "Glasgow", "Norwich", "Belfast"]
CHANNELS = ["web", "app", "email", "phone", "chat", "social", "sms", "print", "store", "review", "in-person"]
DEPARTMENTS = [
    ("marketing", "Marketing", "Tom Reyes"),
    ("ecommerce", "E-commerce", "Aisha Bello"),
    ("customer-service", "Customer service", "Gareth Lloyd"),
    ("fulfilment", "Fulfilment and delivery", "Marta Nowak"),
    ("finance", "Finance and payments", "David Chen"),
    ("stores", "Stores", "Chloé Martin"),
]
STAGE_NAMES = [
    "Discover", "Research", "Decide", "Buy", "Pay", "Wait for delivery", "Receive and use", "Get help",
    "Return", "Come back", "Recommend", "Renew",
]
EVENTS = [
    "ad_clicked", "search_performed", "product_viewed", "reviews_viewed", "cart_added", "checkout_started",
    "payment_submitted", "order_placed", "order_confirmation_sent", "shipment_dispatched", "tracking_viewed",
    "order_delivered", "ticket_opened", "chat_started", "call_started", "return_requested", "refund_issued",
    "survey_answered", "review_posted", "email_opened",
]
VERBS = [
    "Opens", "Checks", "Compares", "Reads", "Asks about", "Waits for", "Looks up", "Confirms", "Changes",
    "Tracks", "Returns", "Rates", "Shares", "Saves", "Pays for", "Searches for",
]
OBJECTS = [
    "the delivery date", "the basket", "the order status", "a refund", "the returns label", "the product page",
    "the size guide", "the invoice", "a discount code", "the loyalty points", "the click-and-collect slot",
    "the warranty", "the parcel locker", "the gift message", "the store's opening hours", "the delivery charge",
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
SENTENCES = [
    "Shows the delivery date and cost on the product page and in the basket",
    "Keeps the basket for thirty days for signed-in customers only",
    "Agents look up the parcel in the carrier portal and copy the status into the reply",
    "The warehouse packs glassware in paper and the carrier collects at four",
    "Sends a confirmation email at once, or a letter to customers without email",
    "Reviews are moderated by hand and negative ones wait longest for approval",
    "The social team picks audiences and creative weekly from last week's click-through rates",
    "Finance issues refunds in a weekly batch once the item is back in the warehouse",
    "Chat is open on weekdays from nine to five; the phone line until eight",
    "The shop platform needs an account to store the order",
]
PAINS = [
    "The delivery charge appears only on the last page of checkout.",
    "Filters reset when going back from a product page.",
    "Nobody answers the chat in the evening, when most customers shop.",
    "The tracking page shows no delivery day or time window.",
    "Returns need a printed label.",
    "The refund takes up to ten days after the item is sent back.",
    "A question asked by message is not visible when the same customer then calls.",
    "The confirmation letter arrives after the parcel.",
]
OPPORTUNITIES = [
    "Show delivery cost and date on product pages.",
    "Guest checkout with wallets.",
    "A chatbot that answers product questions out of hours.",
    "Text a one-hour delivery window the evening before.",
    "QR-code returns at lockers and post offices.",
    "One customer timeline across chat, social, phone and email.",
]
OWNERS = [d[2] for d in DEPARTMENTS]


def q(text):
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def header(out, rng, n_personas):
    out.write(
        "# yaml-language-server: $schema=https://trailmap.dev/schema/trailmap-v1.schema.json\n"
        "#\n"
        "# A wide generated map for the render benchmark (bench/gen_wide_map.py).\n"
        "trailmap: 1\n\n"
        "journey:\n"
        "  id: wide-generated-journey\n"
        "  name: Generated purchase and service journey (render benchmark)\n"
        "  kind: purchase\n"
        "  state: current\n"
        "  owner: Hannah Okafor, Head of Customer Experience\n"
        "  description: >-\n"
        "    Every stage of a retailer's purchase, delivery and service journey for all of its\n"
        "    customer segments, generated to measure how fast a wide map renders.\n"
        "  objectives:\n"
        "    - Find where first-time buyers drop out between the basket and the order.\n"
        "    - Cut where-is-my-order contacts.\n"
        "  stakeholders: [Marketing, E-commerce, Customer service, Fulfilment, Finance]\n\n"
        "personas:\n"
    )
    for idx in range(n_personas):
        first = FIRST_NAMES[idx % len(FIRST_NAMES)]
        kind = KINDS[idx % len(KINDS)]
        low = 18 + (idx * 4) % 60
        out.write(
            f"  - id: p{idx + 1:02d}\n"
            f"    name: {first}, {kind}\n"
            f"    share: {int(10000 / n_personas) / 10000}\n"
            f"    rule: {q(f'age BETWEEN {low} AND {low + 3} AND signup_channel = {chr(39)}{rng.choice(CHANNELS)}{chr(39)}')}\n"
            f"    description: {rng.choice(SENTENCES)}.\n"
            f"    generation: {GENERATIONS[idx % len(GENERATIONS)]}\n"
            f"    demographics: {low + 1}, {rng.choice(CITIES)}\n"
            f"    goals:\n      - {rng.choice(OPPORTUNITIES)}\n      - Get things delivered fast.\n"
            f"    behaviours:\n      - {rng.choice(SENTENCES)}.\n"
            f"    expectations:\n      - {rng.choice(OPPORTUNITIES)}\n"
            f"    openness: {rng.choice(['low', 'medium', 'high'])}\n"
            f"    quotes:\n      - {q(rng.choice(THOUGHTS))}\n"
            f"    channels: [{', '.join(rng.sample(CHANNELS, 3))}]\n"
        )
    out.write("\ndepartments:\n")
    for did, name, lead in DEPARTMENTS:
        out.write(f"  - id: {did}\n    name: {name}\n    lead: {lead}\n")
    out.write("\nstages:\n")


def step(out, rng, step_id, n, n_personas):
    verb, obj = rng.choice(VERBS), rng.choice(OBJECTS)
    personas = sorted(rng.sample(range(n_personas), rng.randint(2, 4)))
    department = rng.choice(DEPARTMENTS)[0]
    event, channel = rng.choice(EVENTS), rng.choice(CHANNELS)
    out.write(
        f"      - id: {step_id}\n"
        f"        name: {verb} {obj}\n"
        f"        description: {rng.choice(SENTENCES)}.\n"
        f"        match: {q(f'event = {chr(39)}{event}{chr(39)} AND channel = {chr(39)}{channel}{chr(39)}')}\n"
        f"        personas: [{', '.join(f'p{p + 1:02d}' for p in personas)}]\n"
        f"        department: {department}\n"
    )
    if n % 9 == 4:
        out.write("        moment_of_truth: true\n")
    out.write("        touchpoints:\n")
    for tp_channel in rng.sample(CHANNELS, rng.randint(2, 3)):
        out.write(
            f"          - {{channel: {tp_channel}, initiator: {rng.choice(['customer', 'company'])}, "
            f"name: {verb} {obj} by {tp_channel}}}\n"
        )
    out.write(
        "        customer:\n"
        f"          does: {verb} {obj} {rng.choice(['on the phone', 'in the app', 'on the website', 'in the store'])}.\n"
        f"          goal: {rng.choice(OPPORTUNITIES)}\n"
        f"          thinks: {q(rng.choice(THOUGHTS))}\n"
        f"          feels: {rng.choice(FEELINGS)}\n"
        f"          emotion: {rng.randint(-2, 2)}\n"
        "        business:\n"
        f"          frontstage: {rng.choice(SENTENCES)}.\n"
        f"          backstage: {rng.choice(SENTENCES)}.\n"
        "        employee:\n"
        f"          does: {rng.choice(SENTENCES)}.\n"
        f"          feels: {rng.choice(FEELINGS)}, most days.\n"
        f"          tools: Helpdesk, order system\n"
        "        pain_points:\n"
        f"          - text: {rng.choice(PAINS)}\n"
        f"            severity: {rng.randint(1, 5)}\n"
        f"          - text: {rng.choice(PAINS)}\n"
        f"            severity: {rng.randint(1, 5)}\n"
        f"            persona: p{personas[0] + 1:02d}\n"
        f"            evidence: {{source: research, verified: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}}}\n"
        "        opportunities:\n"
        f"          - {{text: {q(rng.choice(OPPORTUNITIES))}, owner: {rng.choice(OWNERS)}, "
        f"status: {rng.choice(['idea', 'planned', 'doing', 'done'])}}}\n"
        "        kpis:\n"
        f"          - {{metric: drop_off, target: {rng.randint(5, 40) / 100}}}\n"
        f"          - {{metric: csat, target: {rng.randint(70, 95)}}}\n"
        f"        evidence: {{source: {rng.choice(['observed', 'research', 'assumption'])}, "
        f"verified: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}}}\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", help="output file (default: stdout)")
    parser.add_argument("--personas", type=int, default=15)
    parser.add_argument("--stages", type=int, default=8)
    parser.add_argument("--steps-per-stage", type=int, default=10)
    args = parser.parse_args()
    rng = random.Random(20261125)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    header(out, rng, args.personas)
    n = 0
    for stage_idx in range(args.stages):
        name = STAGE_NAMES[stage_idx % len(STAGE_NAMES)]
        if stage_idx >= len(STAGE_NAMES):
            name += f" {stage_idx // len(STAGE_NAMES) + 1}"
        out.write(
            f"  - id: stage-{stage_idx + 1}\n"
            f"    name: {name}\n"
            f"    description: {rng.choice(SENTENCES)}.\n"
            "    steps:\n"
        )
        for _ in range(args.steps_per_stage):
            n += 1
            step(out, rng, f"step-{n:03d}", n, args.personas)
    out.write(
        "\noutcomes:\n"
        "  repeat_purchase: \"event = 'order_placed' AND order_count >= 2\"\n"
        "  lapsed: \"event = 'customer_lapsed'\"\n"
    )
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()

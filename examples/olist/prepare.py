#!/usr/bin/env python3
"""Turn the Olist Brazilian e-commerce tables into a Trailmap event log and customers file.

Usage (from the repository root):

    python3 examples/olist/prepare.py [--data DIR] [--out DIR]

--data  the folder with the Olist CSV files (default: ../shared/data/olist-brazilian-ecommerce-sample,
        relative to the repository root)
--out   where to write events.csv.gz and customers.csv (default: this script's folder)

Python 3 standard library only. The output is deterministic: rows are sorted, and the gzip
header carries no file name or time, so running it twice gives the same bytes.

The data is the Olist "Brazilian E-Commerce Public Dataset" (CC BY-NC-SA 4.0); the outputs are an
adaptation under the same licence: see LICENSE.md.

What it writes
--------------
events.csv.gz, one row per event, sorted by customer_id, timestamp, then the lifecycle order of
the events below (then order_id and review_id):

  customer_id   Olist's customer_unique_id (the person; Olist's customer_id is one per order)
  timestamp     Olist's naive local time (Brazil, America/Sao_Paulo), YYYY-MM-DD HH:MM:SS
  event         see below
  channel       web, email or in-person
  initiator     customer or company
  order_id      the Olist order
  order_count   the customer's order number in this data, 1 for their first order
  order_value   the sum of the order's payments (BRL)
  payment_type  the order's main payment type: the one with the largest payment value
                (credit_card, boleto, voucher, debit_card, not_defined)
  order_status  Olist's final status of the order (delivered, shipped, canceled, ...)
  csat          the review score 1..5, on review_answered
  text          the review comment, title and message joined by " — ", on review_answered
  late          on order_delivered: true when delivered on a later calendar day than the
                estimated delivery date, else false; the same on review_answered (so a step's
                `feedback:` can tell reviews of late orders apart), empty when not delivered

  order_purchased    order_purchase_timestamp                  web, customer
  repeat_purchase    the same time, for a customer's 2nd and later orders   web, customer
  payment_approved   order_approved_at                         email, company
  handed_to_carrier  order_delivered_carrier_date              email, company
  order_delivered    order_delivered_customer_date (+ late)    in-person, company
  order_canceled     status canceled: Olist records no cancellation time, so it is dated one
                     second after the order's last recorded time (carrier, approval or purchase)
  order_unavailable  status unavailable (the seller had no stock): dated like order_canceled
  review_requested   review_creation_date (the day the survey was sent, 00:00:00)  email, company
  review_answered    review_answer_timestamp, with csat, text and late             email, customer

customers.csv, one row per person, sorted by customer_id:

  customer_id         customer_unique_id
  state, city         from the person's first order
  region              the IBGE macro-region of the state: N, NE, CO, SE, S
  first_payment_type  the main payment type of the person's first order
  orders              the person's number of orders in this data
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "olist-brazilian-ecommerce-sample"

EVENT_COLUMNS = [
    "customer_id", "timestamp", "event", "channel", "initiator", "order_id", "order_count",
    "order_value", "payment_type", "order_status", "csat", "text", "late",
]
CUSTOMER_COLUMNS = ["customer_id", "state", "city", "region", "first_payment_type", "orders"]

# Lifecycle order, for events of one customer at the same time.
RANK = {
    "order_purchased": 0,
    "repeat_purchase": 1,
    "payment_approved": 2,
    "handed_to_carrier": 3,
    "order_delivered": 4,
    "order_canceled": 5,
    "order_unavailable": 5,
    "review_requested": 6,
    "review_answered": 7,
}

REGION = {}
for region, states in {
    "N": "AC AM AP PA RO RR TO",
    "NE": "AL BA CE MA PB PE PI RN SE",
    "CO": "DF GO MS MT",
    "SE": "ES MG RJ SP",
    "S": "PR RS SC",
}.items():
    for state in states.split():
        REGION[state] = region

TIME = "%Y-%m-%d %H:%M:%S"
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def read(data: Path, name: str) -> list[dict[str, str]]:
    path = data / name
    if not path.exists():
        sys.exit(f"prepare.py: {path} not found; pass --data DIR, the folder with the Olist CSV files")
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def parse(text: str) -> datetime | None:
    return datetime.strptime(text, TIME) if text else None


def in_dst_gap(naive: str) -> bool:
    """Whether a local time was skipped when Brazil's clocks went forward (no such instant)."""
    local = parse(naive).replace(tzinfo=SAO_PAULO)
    return local.astimezone(timezone.utc).astimezone(SAO_PAULO).replace(tzinfo=None) != local.replace(tzinfo=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the Olist CSV files")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder")
    args = parser.parse_args()

    orders = read(args.data, "olist_orders_dataset.csv")
    customers = {c["customer_id"]: c for c in read(args.data, "olist_customers_dataset.csv")}
    payments: dict[str, list[dict[str, str]]] = defaultdict(list)
    for p in read(args.data, "olist_order_payments_dataset.csv"):
        payments[p["order_id"]].append(p)
    reviews: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read(args.data, "olist_order_reviews_dataset.csv"):
        reviews[r["order_id"]].append(r)

    # The person behind each order, and each person's orders in time order.
    person_orders: dict[str, list[dict[str, str]]] = defaultdict(list)
    for o in orders:
        person_orders[customers[o["customer_id"]]["customer_unique_id"]].append(o)
    for os_ in person_orders.values():
        os_.sort(key=lambda o: (o["order_purchase_timestamp"], o["order_id"]))

    def value_and_type(order_id: str) -> tuple[str, str]:
        ps = payments.get(order_id, [])
        if not ps:
            return "", ""
        total = sum((Decimal(p["payment_value"]) for p in ps), Decimal(0))
        main_type = min(ps, key=lambda p: (-Decimal(p["payment_value"]), int(p["payment_sequential"])))["payment_type"]
        return f"{total:.2f}", main_type

    events: list[tuple] = []
    people: list[dict[str, str]] = []
    for person, os_ in person_orders.items():
        first = customers[os_[0]["customer_id"]]
        people.append({
            "customer_id": person,
            "state": first["customer_state"],
            "city": first["customer_city"],
            "region": REGION.get(first["customer_state"], ""),
            "first_payment_type": value_and_type(os_[0]["order_id"])[1],
            "orders": str(len(os_)),
        })
        for count, o in enumerate(os_, start=1):
            order_id = o["order_id"]
            value, ptype = value_and_type(order_id)
            base = {
                "customer_id": person, "order_id": order_id, "order_count": str(count),
                "order_value": value, "payment_type": ptype, "order_status": o["order_status"],
            }

            def add(event: str, when: str, channel: str, initiator: str, sort_extra: str = "", **extra: str) -> None:
                row = dict(base, timestamp=when, event=event, channel=channel, initiator=initiator, **extra)
                events.append(((person, when, RANK[event], order_id, sort_extra), row))

            purchased = o["order_purchase_timestamp"]
            add("order_purchased", purchased, "web", "customer")
            if count >= 2:
                add("repeat_purchase", purchased, "web", "customer")
            if o["order_approved_at"]:
                add("payment_approved", o["order_approved_at"], "email", "company")
            if o["order_delivered_carrier_date"]:
                add("handed_to_carrier", o["order_delivered_carrier_date"], "email", "company")
            late = ""
            if o["order_delivered_customer_date"]:
                delivered = parse(o["order_delivered_customer_date"])
                estimated = parse(o["order_estimated_delivery_date"])
                late = "true" if delivered.date() > estimated.date() else "false"
                add("order_delivered", o["order_delivered_customer_date"], "in-person", "company", late=late)
            if o["order_status"] in ("canceled", "unavailable"):
                known = [parse(o[k]) for k in (
                    "order_purchase_timestamp", "order_approved_at",
                    "order_delivered_carrier_date", "order_delivered_customer_date",
                ) if o[k]]
                when = (max(known) + timedelta(seconds=1)).strftime(TIME)
                add("order_" + o["order_status"], when, "email", "company")
            for r in reviews.get(order_id, []):
                add("review_requested", r["review_creation_date"], "email", "company", r["review_id"])
                title = r["review_comment_title"].strip()
                message = r["review_comment_message"].replace("\r\n", "\n").replace("\r", "\n").strip()
                text = " — ".join(t for t in (title, message) if t)
                add("review_answered", r["review_answer_timestamp"], "email", "customer", r["review_id"],
                    csat=r["review_score"], text=text, late=late)

    events.sort(key=lambda e: e[0])
    gaps = sorted({row["timestamp"] for _, row in events if in_dst_gap(row["timestamp"])})
    if gaps:
        # Only the full dataset has these (the 3,000-order sample has none).
        print(f"prepare.py: warning: {len(gaps)} times do not exist in America/Sao_Paulo (the hour skipped "
              f"when daylight saving time began), e.g. {gaps[0]}; trailmap analyze reports them as bad rows, "
              "so run it with --skip-bad-rows", file=sys.stderr)
    people.sort(key=lambda p: p["customer_id"])

    args.out.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=EVENT_COLUMNS, lineterminator="\n", restval="")
    writer.writeheader()
    for _, row in events:
        writer.writerow(row)
    with (args.out / "events.csv.gz").open("wb") as raw:
        # No file name and mtime 0 in the gzip header: the same input gives the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(buffer.getvalue().encode("utf-8"))
    with (args.out / "customers.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=CUSTOMER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(people)

    by_event: dict[str, int] = defaultdict(int)
    for _, row in events:
        by_event[row["event"]] += 1
    print(f"{len(events)} events of {len(people)} customers from {len(orders)} orders -> {args.out}")
    for name in sorted(by_event, key=RANK.get):
        print(f"  {name:18} {by_event[name]:6}")


if __name__ == "__main__":
    main()

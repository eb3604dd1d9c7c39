"""The real file's results (customer_segments, association_rules), fingerprinted: a
failure names the customers whose segment changed and the rules that appeared,
disappeared or changed their counts. The comparison itself is tested on a small
hand-made warehouse (unit tier); the real file's build is the one build test.

tests/python/real_file_fingerprints.json holds, for the real file with the default
vars: the md5 of every customer's segment and of every rule's support and confidence
(to the 12th decimal), the segment sizes, the rule count, the customer ids of each
segment, and every rule as item numbers (into rule_items) with its customers and its
antecedent's customers (`"0.7>3 188/243"`: items 0 and 7 => item 3, 188 of 243).

A change of results on purpose records new fingerprints in the same commit: build the
real file (README, "Your own file") and run
    .venv/bin/python tests/python/test_real_file_fingerprints.py path/to/real.duckdb
which rewrites the JSON from that warehouse.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import query, scalar

FINGERPRINTS = Path(__file__).parent / "real_file_fingerprints.json"
SHOWN = 20  # changed customers or rules named in a failure, per kind

SEGMENT_FINGERPRINT = (
    "select md5(string_agg(customer_id::varchar || ':' || segment, ',' "
    "order by customer_id)) from customer_segments"
)
RULES_FINGERPRINT = (
    "select md5(string_agg(rule || ':' || round(support, 12)::varchar || ':' "
    "|| round(confidence, 12)::varchar, ',' order by rule)) from association_rules"
)


def rule_text(antecedents, consequents) -> str:
    """A rule as the association_rules.rule column spells it."""
    return " & ".join(antecedents) + " => " + " & ".join(consequents)


def fingerprints(db_path: Path) -> dict:
    """Everything real_file_fingerprints.json records, read from a built warehouse."""
    segments: dict[str, list[int]] = {}
    for customer_id, segment in query(
        db_path, "select customer_id, segment from customer_segments order by 1"
    ):
        segments.setdefault(segment, []).append(customer_id)
    rules = query(
        db_path,
        "select antecedents, consequents, customers, "
        "round(customers / confidence)::bigint from association_rules",
    )
    items = sorted({item for ante, cons, *_ in rules for item in [*ante, *cons]})
    number = {item: str(position) for position, item in enumerate(items)}
    encoded = sorted(
        ".".join(number[item] for item in ante)
        + ">"
        + ".".join(number[item] for item in cons)
        + f" {customers}/{antecedent_customers}"
        for ante, cons, customers, antecedent_customers in rules
    )
    return {
        "association_rules": scalar(db_path, RULES_FINGERPRINT),
        "customer_segments": scalar(db_path, SEGMENT_FINGERPRINT),
        "rules": len(rules),
        "segment_counts": {name: len(ids) for name, ids in sorted(segments.items())},
        "segment_customers": dict(sorted(segments.items())),
        "rule_items": items,
        "rule_counts": encoded,
    }


def decoded_rules(record: dict) -> dict[str, str]:
    """rule text -> "customers/antecedent customers", from a fingerprint record."""
    items = record["rule_items"]
    rules = {}
    for entry in record["rule_counts"]:
        sides, counts = entry.split(" ")
        ante, cons = (
            [items[int(number)] for number in side.split(".")]
            for side in sides.split(">")
        )
        rules[rule_text(ante, cons)] = counts
    return rules


def listed(things: list[str]) -> str:
    """The count, and the first SHOWN of them."""
    shown = ", ".join(things[:SHOWN])
    more = f" (first {SHOWN} shown)" if len(things) > SHOWN else ""
    return f"{len(things)}{more}: {shown}"


def changes(recorded: dict, current: dict) -> list[str]:
    """What differs between two fingerprint records, in words: which customers changed
    segment (or came and went) and which rules appeared, disappeared or changed."""
    found = []
    before = {
        customer: segment
        for segment, ids in recorded["segment_customers"].items()
        for customer in ids
    }
    after = {
        customer: segment
        for segment, ids in current["segment_customers"].items()
        for customer in ids
    }
    moved = [
        f"{customer} {before[customer]} -> {after[customer]}"
        for customer in sorted(before.keys() & after.keys())
        if before[customer] != after[customer]
    ]
    if moved:
        found.append(f"customers that changed segment: {listed(moved)}")
    for words, ids in (
        ("customers no longer segmented", sorted(before.keys() - after.keys())),
        ("customers newly segmented", sorted(after.keys() - before.keys())),
    ):
        if ids:
            found.append(f"{words}: {listed([str(customer) for customer in ids])}")
    if recorded["segment_counts"] != current["segment_counts"]:
        found.append(
            f"segment sizes: {recorded['segment_counts']} -> {current['segment_counts']}"
        )
    old_rules, new_rules = decoded_rules(recorded), decoded_rules(current)
    for words, rules in (
        ("rules that disappeared", sorted(old_rules.keys() - new_rules.keys())),
        ("rules that appeared", sorted(new_rules.keys() - old_rules.keys())),
    ):
        if rules:
            found.append(f"{words}: {listed(rules)}")
    recounted = [
        f"{rule} ({old_rules[rule]} -> {new_rules[rule]} customers)"
        for rule in sorted(old_rules.keys() & new_rules.keys())
        if old_rules[rule] != new_rules[rule]
    ]
    if recounted:
        found.append(f"rules whose customers changed: {listed(recounted)}")
    if recorded["rules"] != current["rules"]:
        found.append(f"rule count: {recorded['rules']} -> {current['rules']}")
    for key, words in (
        ("customer_segments", "every customer's segment"),
        ("association_rules", "every rule's support and confidence to 12 decimals"),
    ):
        if recorded[key] != current[key] and not found:
            found.append(
                f"the md5 of {words} changed ({recorded[key]} -> {current[key]}) "
                "with the same customers, segments, rules and counts: the values "
                "moved in their last decimals"
            )
    return found


def dumped(record: dict) -> str:
    """The record as JSON a diff reads: a segment's ids on one line, a rule a line."""
    lines = []
    for key, value in record.items():
        if key == "segment_customers":
            inner = ",\n".join(
                f"    {json.dumps(name)}: {json.dumps(ids)}"
                for name, ids in value.items()
            )
            text = "{\n" + inner + "\n  }"
        elif key == "rule_counts":
            text = "[\n" + ",\n".join(f"    {json.dumps(rule)}" for rule in value)
            text += "\n  ]"
        else:
            text = json.dumps(value)
        lines.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


@pytest.mark.build
def test_real_file_results_do_not_change(real_db):
    """Speed work must not change results: the real file's segments (every customer)
    and rules (every rule, its counts, support and confidence) match the recorded
    fingerprints; a failure lists what changed (the module docstring says how to
    record new ones when a change is on purpose)."""
    recorded = json.loads(FINGERPRINTS.read_text())
    current = fingerprints(real_db)
    found = changes(recorded, current)
    assert not found, "real-file results changed:\n" + "\n".join(found)
    assert current == recorded


# The fingerprint on a warehouse small enough to write by hand: 30 customers, 3 rules.
RULE_COLUMNS = "rule, antecedents, consequents, support, confidence, customers"


def small_warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table customer_segments as select range + 1 as customer_id, "
            "['Stars', 'High potential', 'Leaky bucket', 'Need attention']"
            "[range % 4 + 1] as segment from range(30)"
        )
        con.execute(
            "create table association_rules as select rule, antecedents, "
            "consequents, support::double as support, confidence::double as "
            "confidence, customers::bigint as customers from (values "
            "('a=1 => b=2', ['a=1'], ['b=2'], 0.3, 0.9, 9), "
            "('a=1 & c=3 => b=2', ['a=1', 'c=3'], ['b=2'], 0.2, 0.75, 6), "
            "('b=2 => c=3', ['b=2'], ['c=3'], 0.1, 0.5, 3)"
            f") as rules({RULE_COLUMNS})"
        )
    return path


def test_a_changed_fingerprint_names_the_customers_and_rules(tmp_path):
    """Tampered tables: the message names each changed customer with its old and new
    segment, and each rule that disappeared, appeared or changed its counts."""
    db_path = small_warehouse(tmp_path / "small.duckdb")
    recorded = fingerprints(db_path)
    assert changes(recorded, fingerprints(db_path)) == []
    assert recorded["segment_customers"]["Stars"] == [1, 5, 9, 13, 17, 21, 25, 29]
    assert recorded["rule_items"] == ["a=1", "b=2", "c=3"]
    assert recorded["rule_counts"] == ["0.2>1 6/8", "0>1 9/10", "1>2 3/6"]
    assert decoded_rules(recorded)["a=1 & c=3 => b=2"] == "6/8"
    with duckdb.connect(str(db_path)) as con:
        con.execute(
            "update customer_segments set segment = 'Leaky bucket' "
            "where customer_id in (1, 5)"
        )
        con.execute("delete from customer_segments where customer_id = 30")
        con.execute("delete from association_rules where rule = 'b=2 => c=3'")
        con.execute(
            f"insert into association_rules ({RULE_COLUMNS}) values "
            "('c=3 => d=4', ['c=3'], ['d=4'], 0.1, 1.0, 3)"
        )
        con.execute(
            "update association_rules set customers = 8, confidence = 0.8 "
            "where rule = 'a=1 => b=2'"
        )
    found = changes(recorded, fingerprints(db_path))
    assert found == [
        "customers that changed segment: 2: 1 Stars -> Leaky bucket, "
        "5 Stars -> Leaky bucket",
        "customers no longer segmented: 1: 30",
        "segment sizes: {'High potential': 8, 'Leaky bucket': 7, 'Need attention': 7, "
        "'Stars': 8} -> {'High potential': 7, 'Leaky bucket': 9, 'Need attention': 7, "
        "'Stars': 6}",
        "rules that disappeared: 1: b=2 => c=3",
        "rules that appeared: 1: c=3 => d=4",
        "rules whose customers changed: 1: a=1 => b=2 (9/10 -> 8/10 customers)",
    ]


def test_a_changed_fingerprint_counts_all_and_names_the_first_twenty(tmp_path):
    db_path = small_warehouse(tmp_path / "small.duckdb")
    recorded = fingerprints(db_path)
    with duckdb.connect(str(db_path)) as con:
        con.execute(
            "update customer_segments set segment = 'Stars' where segment != 'Stars'"
        )
    moved = changes(recorded, fingerprints(db_path))[0]
    assert moved.startswith("customers that changed segment: 22 (first 20 shown): ")
    names = moved.split(": ", 2)[2].split(", ")
    assert len(names) == 20
    assert names[:2] == ["2 High potential -> Stars", "3 Leaky bucket -> Stars"]
    assert names[-1] == "27 Leaky bucket -> Stars"


def test_digits_alone_changing_is_said_so(tmp_path):
    """Same customers, rules and counts, a support moved in its 12th decimal: the md5
    catches it and the message says that only the last decimals moved."""
    db_path = small_warehouse(tmp_path / "small.duckdb")
    recorded = fingerprints(db_path)
    with duckdb.connect(str(db_path)) as con:
        con.execute(
            "update association_rules set support = support + 1e-11 "
            "where rule = 'a=1 => b=2'"
        )
    found = changes(recorded, fingerprints(db_path))
    assert len(found) == 1
    assert found[0].startswith(
        "the md5 of every rule's support and confidence to 12 decimals changed ("
    )


@pytest.mark.parametrize("key", ["segment_customers", "rule_counts"])
def test_the_recorded_file_agrees_with_itself(key):
    """The per-customer and per-rule records add up to the recorded sizes and count."""
    recorded = json.loads(FINGERPRINTS.read_text())
    if key == "segment_customers":
        sizes = {name: len(ids) for name, ids in recorded[key].items()}
        assert sizes == recorded["segment_counts"]
        everyone = [customer for ids in recorded[key].values() for customer in ids]
        assert len(everyone) == len(set(everyone)) == 2212
    else:
        assert len(decoded_rules(recorded)) == recorded["rules"] == 6862


if __name__ == "__main__":
    # Record the fingerprints of a warehouse built on the real file (module docstring).
    record = fingerprints(Path(sys.argv[1]))
    FINGERPRINTS.write_text(dumped(record))
    print(f"recorded {FINGERPRINTS}: {record['rules']} rules, {record['segment_counts']}")

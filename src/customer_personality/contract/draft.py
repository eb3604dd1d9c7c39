"""A draft input contract from a customer export's header and a sample of its rows.

Each column is matched to a field where its name tells (the aliases of
contract.fields: Year_Birth, signup_date, ...), to a list where its name has the shape
of one (MntWines and spend_wine: a product; NumWebPurchases and web_purchases: a
channel; AcceptedCmp3: a campaign), or else by its values: numbers become generic
numeric features, text with few distinct values categorical features, other text is
ignored. What the draft cannot be sure of carries a `# check:` comment for the user.
A simple export's draft builds as written.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from customer_personality.contract.fields import FIELDS

SAMPLE_ROWS = 1000
# Text with at most this many distinct values in the sample is a category.
MAX_CATEGORIES = 20
# On the normalized name (MntWines), or on the lowercase name with its separators
# (spend_wine, amount wine, wine_spend).
_PRODUCT = re.compile(r"^mnt(.+?)(?:products?|prods?)?$")
_PRODUCT_WORDS = re.compile(
    r"^(?:spend|amount|amt|sales)[ _](\w+)$|^(\w+?)[ _](?:spend|amount|sales)$"
)
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T].*)?$")
_CHANNEL = re.compile(r"^(?:num)?(.+?)purchases$")
_CAMPAIGN = re.compile(r"^(?:accepted|acceptedcmp|cmp|campaign)_?(\d+)$")


@dataclass
class Draft:
    """A drafted contract: its mapping, the comments its YAML carries per entry
    (`# check: ...`), and the columns ignored with why."""

    name: str
    fields: dict[str, dict] = field(default_factory=dict)
    lists: dict[str, list[dict]] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)

    def contract(self) -> dict:
        """The contract as a mapping (what dbt's var input_contract takes)."""
        out: dict = {"name": self.name, "fields": dict(self.fields)}
        for name, entries in self.lists.items():
            if entries:
                out[name] = [dict(entry) for entry in entries]
        if self.ignore:
            out["ignore"] = list(self.ignore)
        return out


def normalized(name: str) -> str:
    """A column name as the aliases spell it: lowercase letters and digits only,
    a parenthesized unit left out ("Annual Income (k$)" -> annualincome)."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"\(.*?\)", "", name.lower()))


def identifier(name: str) -> str:
    """A column name as a contract entry name: snake_case, a parenthesized unit left
    out ("Spending Score (1-100)" -> spending_score)."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"\(.*?\)", "", name).lower())
    text = "_".join(words) or "feature"
    return text if text[0].isalpha() else f"f_{text}"


def read_sample(path: Path, rows: int = SAMPLE_ROWS) -> tuple[list[str], list[list[str]]]:
    """The header and up to `rows` data rows of a CSV (tab, ';' or ',': the most
    frequent in the header, as the build reads it) or Parquet file, as text."""
    if path.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        table = pq.read_table(path).slice(0, rows)
        header = list(table.column_names)
        columns = [table[name].to_pylist() for name in header]
        data = [
            ["" if value is None else str(value) for value in row]
            for row in zip(*columns)
        ]
        return header, data
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
        delimiter = max(["\t", ";", ","], key=lambda sep: (first.count(sep), sep == "\t"))
        handle.seek(0)
        reader = csv.reader(
            (line.lstrip("\ufeff") for line in handle), delimiter=delimiter
        )
        header = [name.strip() for name in next(reader, [])]
        data = [row for _, row in zip(range(rows), reader)]
    return header, data


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _looks_like_id(column: str, profile: dict, rows: int) -> bool:
    """A column named like an ID (a word id, or ending in id) whose sample values are
    unique whole numbers."""
    words = re.findall(r"[a-z0-9]+", column.lower())
    named = "id" in words or (words and words[-1].endswith("id"))
    return bool(named) and profile["integer"] and profile["distinct"] == rows > 0


def _profile(values: list[str]) -> dict:
    """What the sample says of a column's values."""
    present = [value.strip() for value in values if value.strip()]
    numbers = [float(value) for value in present if _is_number(value)]
    return {
        "present": present,
        "numeric": bool(present) and len(numbers) == len(present),
        "integer": bool(numbers) and all(number.is_integer() for number in numbers),
        "flag": bool(present) and set(present) <= {"0", "1"},
        "distinct": len(set(present)),
        "max": max(numbers) if numbers else None,
    }


def _date_format(values: list[str]) -> tuple[str, str | None]:
    """day_first, month_first or iso from a sample of date texts, and a note when
    the sample cannot tell day-first from month-first."""
    parts = [re.split(r"[-/.]", value.strip())[:3] for value in values if value.strip()]
    if parts and all(len(part[0]) == 4 for part in parts):
        return "iso", None
    firsts = [int(part[0]) for part in parts if part and part[0].isdigit()]
    seconds = [int(part[1]) for part in parts if len(part) > 1 and part[1].isdigit()]
    if firsts and max(firsts) > 12:
        return "day_first", None
    if seconds and max(seconds) > 12:
        return "month_first", None
    return "day_first", "no day above 12 in the sample: day-first or month-first?"


def _field_entry(
    draft: Draft, field_name: str, column: str, profile: dict, values: list[str]
) -> None:
    spec: dict = {"column": column}
    if field_name == "enrolled_on":
        spec["format"], note = _date_format(values)
        if note:
            draft.notes[field_name] = note
    if field_name == "income" and (
        "k" in re.findall(r"\((.*?)\)", column.lower().replace("$", ""))
        or "thousand" in column.lower()
    ):
        spec["multiplier"] = 1000
        draft.notes[field_name] = "the column says thousands: multiplied by 1000"
    if field_name == "customer_id" and not profile["integer"]:
        draft.notes[field_name] = (
            "the IDs must be whole numbers; some in the sample are not"
        )
    draft.fields[field_name] = spec if len(spec) > 1 else column


def _list_entry(
    draft: Draft, list_name: str, name: str, column: str, kind: str | None
) -> None:
    entries = draft.lists.setdefault(list_name, [])
    taken = {entry["name"] for entry in entries}
    base, suffix = name, 2
    while name in taken:
        name, suffix = f"{base}_{suffix}", suffix + 1
    entry = {"name": name, "column": column}
    if kind:
        entry["type"] = kind
    entries.append(entry)


def _match_list(column: str, normal: str, profile: dict) -> tuple[str, str] | None:
    """The list and entry name a column's name gives it, if any."""
    if profile["numeric"]:
        words = _PRODUCT_WORDS.match(column.strip().lower())
        if words:
            return "products", identifier(words.group(1) or words.group(2))
        campaign = _CAMPAIGN.match(normal)
        if campaign and profile["flag"]:
            return "campaigns", f"campaign_{campaign.group(1)}"
        channel = _CHANNEL.match(normal)
        if channel and profile["integer"]:
            return "channels", channel.group(1)
        product = _PRODUCT.match(normal)
        if product and product.group(1):
            return "products", product.group(1)
    return None


def draft_contract(path: Path, rows: int = SAMPLE_ROWS) -> Draft:
    """Draft the contract of an export (see the module's docstring)."""
    header, data = read_sample(path, rows)
    draft = Draft(name=identifier(path.stem))
    aliases = {alias: name for name, spec in FIELDS.items() for alias in spec.aliases}
    for position, column in enumerate(header):
        values = [row[position] if position < len(row) else "" for row in data]
        profile = _profile(values)
        normal = normalized(column)
        field_name = aliases.get(normal)
        if field_name == "age" and "birth_year" in draft.fields:
            field_name = None
        if field_name and field_name not in draft.fields:
            _field_entry(draft, field_name, column, profile, values)
            continue
        matched = _match_list(column, normal, profile)
        if matched:
            list_name, name = matched
            kind = "count" if list_name == "products" and profile["integer"] else None
            _list_entry(draft, list_name, name, column, kind)
            continue
        if (
            _looks_like_id(column, profile, len(values))
            and "customer_id" not in draft.fields
        ):
            _field_entry(draft, "customer_id", column, profile, values)
            draft.notes["customer_id"] = "the ID by its name and unique whole numbers"
        elif (
            "enrolled_on" not in draft.fields
            and profile["present"]
            and all(_DATE.match(value) for value in profile["present"])
        ):
            _field_entry(draft, "enrolled_on", column, profile, values)
            draft.notes.setdefault(
                "enrolled_on", "the one date column: the enrolment date?"
            )
        elif profile["numeric"]:
            _list_entry(draft, "features", identifier(column), column, "number")
            draft.notes[f"features.{identifier(column)}"] = "a generic numeric feature"
        elif 0 < profile["distinct"] <= max(MAX_CATEGORIES, 1):
            _list_entry(draft, "features", identifier(column), column, "text")
            draft.notes[f"features.{identifier(column)}"] = "a generic category"
        else:
            draft.ignore.append(column)
            draft.notes[f"ignore.{column}"] = (
                "free text or empty in the sample: not used"
                if profile["present"]
                else "empty in the sample"
            )
    if "customer_id" not in draft.fields:
        draft.notes["customer_id"] = "no ID column recognised: map customer_id by hand"
    # Campaigns in the order they ran: by their number (AcceptedCmp1, 2, ...).
    draft.lists.get("campaigns", []).sort(
        key=lambda entry: int(re.sub(r"\D", "", entry["name"]) or 0)
    )
    return draft


def _yaml_scalar(value: object) -> str:
    import json

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if re.fullmatch(
        r"[A-Za-z_][A-Za-z0-9_ ]*[A-Za-z0-9_]|[A-Za-z_]", text
    ) and text.lower() not in ("yes", "no", "true", "false", "null", "on", "off"):
        return text
    return json.dumps(text)


def _inline(spec: object) -> str:
    if isinstance(spec, dict):
        return (
            "{"
            + ", ".join(f"{key}: {_yaml_scalar(value)}" for key, value in spec.items())
            + "}"
        )
    return _yaml_scalar(spec)


def draft_yaml(draft: Draft, source: Path) -> str:
    """The draft as a commented YAML contract."""
    lines = [
        f"# Input contract drafted from {source}",
        "# by `python -m customer_personality contract`.",
        "# Check the lines marked `check:`, then build with",
        f"#   make run RAW={source} CONTRACT=<this file>",
        f"name: {_yaml_scalar(draft.name)}",
        "fields:",
    ]
    if not draft.fields:
        lines[-1] = "fields: {}"
    for name, spec in draft.fields.items():
        note = draft.notes.get(name)
        lines.append(
            f"  {name}: {_inline(spec)}" + (f"  # check: {note}" if note else "")
        )
    if "customer_id" not in draft.fields:
        lines.append(f"  # check: {draft.notes['customer_id']}")
    for list_name in ("products", "channels", "campaigns", "features"):
        entries = draft.lists.get(list_name)
        if not entries:
            continue
        lines.append(f"{list_name}:")
        for entry in entries:
            note = draft.notes.get(f"{list_name}.{entry['name']}")
            lines.append(f"  - {_inline(entry)}" + (f"  # check: {note}" if note else ""))
    if draft.ignore:
        lines.append("ignore:")
        for column in draft.ignore:
            note = draft.notes.get(f"ignore.{column}")
            lines.append(
                f"  - {_yaml_scalar(column)}" + (f"  # check: {note}" if note else "")
            )
    return "\n".join(lines) + "\n"


def write_draft(source: Path, out: Path, rows: int = SAMPLE_ROWS) -> Draft:
    """Draft the contract of `source` and write it to `out` as commented YAML."""
    draft = draft_contract(source, rows)
    out.write_text(draft_yaml(draft, source), encoding="utf-8")
    return draft

"""The report page: run each part of sections.REPORT_SECTIONS over one read-only
connection and render templates/report.html.j2 (autoescaped) with static/report.css
and static/report.js inlined, plotly.js embedded once.

A mart that is missing (or a build that failed half-way) gives a note in the page
instead of an error; a section resting on a mart the input contract did not let the
build make (build_info's skipped section) is left out, the header saying which and
why, under the line naming the input contract; the same warehouse gives the same
bytes (no clock, no uuid).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path

import duckdb
import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from customer_personality.report import queries
from customer_personality.report.sections import GROUPS, REPORT_SECTIONS, Part, Section
from customer_personality.report.tables import Table
from customer_personality.report.text import is_number, isna, label
from customer_personality.report.warehouse import MissingData, Warehouse, build_var
from customer_personality.warehouse import connect

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
DEFAULT_SEED = 42  # when the warehouse records no random_seed


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("customer_personality.report", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
    )


def _static(name: str) -> Markup:
    text = (
        files("customer_personality.report").joinpath("static", name).read_text("utf-8")
    )
    return Markup(text)


def figure_html(fig: go.Figure, chart_id: str, height: int) -> Markup:
    """A figure in the report's style as a div (no plotly.js) with id chart-<id>."""
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 30, "t": 70, "b": 60},
        title={"x": 0.01, "xanchor": "left", "font": {"size": 17}},
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"},
        legend={"itemsizing": "constant"},
    )
    div = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{chart_id}",
        config=PLOTLY_CONFIG,
        default_width="100%",
        default_height=f"{height}px",
    )
    return Markup(div)


def table_block(table_id: str, table: Table) -> dict:
    """A Table as the template draws it: headers, and per cell its class and text."""
    frame = table.frame
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            text = table.formats.get(column, str)(value) if not isna(value) else ""
            css = "num" if is_number(value) else ""
            if isinstance(value, str) and len(value) > 60:
                css = "long"
            cells.append((css, text))
        rows.append(cells)
    return {
        "kind": "table",
        "id": table_id,
        "head": [label(column) for column in frame.columns],
        "rows": rows,
        "reading": table.reading,
        "heading": table.heading,
        "reading_first": table.reading_first,
    }


def _draw(part: Part, part_id: str, args: tuple) -> list[dict]:
    drawn = part.draw(*args)
    if part.kind == "chart":
        fig, reading = drawn
        html = figure_html(fig, part_id, part.height)
        return [{"kind": "chart", "html": html, "reading": reading}]
    if part.kind == "table":
        return [table_block(part_id, drawn)] if drawn is not None else []
    return [{"kind": "reading", "text": text} for text in drawn]


def part_blocks(part: Part, wh: Warehouse) -> list[dict]:
    """The blocks of one part, or a note when its data is not there."""
    try:
        data = part.query(wh)
        if not part.each:
            return _draw(part, part.id, data)
        return [
            block
            for name, args in data.items()
            for block in _draw(part, part.id_of(name), args)
        ]
    except MissingData as missing:
        return [{"kind": "note", "text": str(missing)}]
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        text = f"This part could not be read from the warehouse: {first_line}"
        return [{"kind": "note", "text": text}]


def section_blocks(section: Section, wh: Warehouse) -> list[dict]:
    """The blocks of a section: one note per missing table, however many parts
    need it."""
    blocks, notes = [], set()
    for part in section.parts:
        for block in part_blocks(part, wh):
            if block["kind"] == "note":
                if block["text"] in notes:
                    continue
                notes.add(block["text"])
            blocks.append(block)
    return blocks


def left_out_lines(left_out: list[tuple[str, dict[str, str]]]) -> list[dict]:
    """The sections left out, grouped by why (left_out: each section's title with the
    marts it needs that were not built and why): per group the titles, the marts and
    the reason, in page order."""
    groups: dict[tuple[str, ...], dict] = {}
    for title, missing in left_out:
        reasons = tuple(dict.fromkeys(missing.values()))
        group = groups.setdefault(reasons, {"sections": [], "marts": []})
        group["sections"].append(title)
        group["marts"] += [mart for mart in missing if mart not in group["marts"]]
    return [
        {
            "sections": ", ".join(group["sections"]),
            "marts": ", ".join(group["marts"]),
            "reason": " — and ".join(reasons),
        }
        for reasons, group in groups.items()
    ]


def render_page(
    db_path: Path,
    facts: list[tuple[str, str]],
    sections: list[tuple[Section, list]],
    source: str | None = None,
    contract: str | None = None,
    not_built: list[dict] | None = None,
) -> str:
    built = datetime.fromtimestamp(db_path.stat().st_mtime, tz=UTC)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            css=_static("report.css"),
            script=_static("report.js"),
            plotlyjs=Markup(get_plotlyjs()),
            db_name=db_path.name,
            built=f"{built:%Y-%m-%d %H:%M}",
            source=source,
            contract=contract,
            not_built=not_built or [],
            facts=facts,
            groups=[
                {
                    "title": group,
                    "sections": [
                        {
                            "anchor": section.anchor,
                            "title": section.title,
                            "blocks": blocks,
                        }
                        for section, blocks in sections
                        if section.group == group
                    ],
                }
                for group in GROUPS
                if any(section.group == group for section, _ in sections)
            ],
        )
    )


def _seed(wh: Warehouse, random_state: int | None) -> int:
    """random_state, else the build's random_seed (build_vars), else 42."""
    if random_state is not None:
        return int(random_state)
    try:
        return int(build_var(wh, "random_seed"))
    except (MissingData, TypeError, ValueError):
        return DEFAULT_SEED


def write_report(
    db_path: Path,
    out_path: Path,
    max_points: int = 5000,
    random_state: int | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the HTML report of the warehouse at db_path to out_path and return it.

    Scatter plots draw at most max_points customers (or rules), chosen by a hash of
    their key seeded with random_state (by default the build's var random_seed), so
    two reports of one build are identical. progress, when given, receives one line
    per section with its elapsed seconds.
    """
    db_path, out_path = Path(db_path), Path(out_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: run `make run` first")
    if max_points < 1:
        raise ValueError(f"max_points must be positive, got {max_points}")
    with connect(db_path) as con:
        wh = Warehouse.over(con, max_points=max_points, seed=0)
        wh.seed = _seed(wh, random_state)
        facts = queries.header_facts(wh)
        source = queries.build_facts(wh).get("source.path")
        contract = queries.contract_line(wh)
        sections, left_out = [], []
        for section in REPORT_SECTIONS:
            started = time.perf_counter()
            missing = section.not_built(wh)
            if not section.stands_in(wh):
                done = f"left out (the build made {section.instead_of})"
            elif missing:
                left_out.append((section.title, missing))
                done = "left out (not built from this input)"
            else:
                sections.append((section, section_blocks(section, wh)))
                done = f"{time.perf_counter() - started:.2f} s"
            if progress is not None:
                progress(f"{section.title}: {done}")
    not_built = left_out_lines(left_out)
    page = render_page(db_path, facts, sections, source, contract, not_built)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    partial.write_text(page, encoding="utf-8")
    partial.replace(out_path)
    return out_path

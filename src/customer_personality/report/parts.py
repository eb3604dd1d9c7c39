"""The pieces of the report's registry (sections.REPORT_SECTIONS): a Part (one chart,
table or list of readings with the query that reads its data and the pure function
that draws it), a Section (a heading, its parts, its group and the marts it rests
on) and the groups the page shows them in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from customer_personality.report.text import slug
from customer_personality.report.warehouse import Warehouse

HEIGHT = 520

# The report's parts, in page order: the chosen clustering (only for a build without
# named segments); what to do first, for the marketer; the evidence the segments and
# actions rest on; then the data science behind them.
GROUPS = ("The chosen clustering", "What to do", "The evidence", "The data science")
CHOSEN, TO_DO, EVIDENCE, SCIENCE = GROUPS


@dataclass(frozen=True)
class Part:
    """One chart, table or list of readings of a section.

    query reads the warehouse and returns the arguments of draw, which returns
    (figure, reading) for a chart, a tables.Table for a table (None: nothing to
    show, the page leaves it out) and a list of sentences for readings. An id
    holding `{algorithm}` or `{clustering}` stands for one chart per algorithm of
    `customer_clusters` or clustering of `feature_importance`: its query returns
    {name: arguments}. In the page a chart's div id is `chart-<id>`, a table's id
    `table-<id>`.
    """

    id: str
    kind: str  # chart | table | readings
    query: Callable[[Warehouse], object]
    draw: Callable[..., object]
    height: int = HEIGHT

    @property
    def each(self) -> bool:
        return "{" in self.id

    def id_of(self, name: str) -> str:
        """The id of this part's chart of one algorithm or clustering."""
        return self.id.format(algorithm=slug(name), clustering=slug(name))


@dataclass(frozen=True)
class Section:
    """A part of the report: its anchor, its heading, its parts in page order, the
    group (one of GROUPS) it belongs to, the marts it rests on (needs: the section is
    left out when the build did not make one of them, build_info's skipped section
    saying why) and, for a section that stands in for another, the mart whose absence
    it replaces (instead_of: shown only when the build did not make that mart)."""

    anchor: str
    title: str
    parts: tuple[Part, ...] = ()
    group: str = EVIDENCE
    needs: tuple[str, ...] = ()
    instead_of: str | None = None

    @property
    def charts(self) -> tuple[str, ...]:
        return tuple(part.id for part in self.parts if part.kind == "chart")

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(part.id for part in self.parts if part.kind == "table")

    def not_built(self, wh: Warehouse) -> dict[str, str]:
        """The marts this section needs that the build did not make, with why."""
        return {mart: wh.skipped[mart] for mart in self.needs if mart in wh.skipped}

    def stands_in(self, wh: Warehouse) -> bool:
        """Whether the mart this section stands in for was not built (always true
        for a section that stands in for nothing)."""
        return self.instead_of is None or self.instead_of in wh.skipped


def args(*reads: Callable[[Warehouse], object]) -> Callable[[Warehouse], tuple]:
    """A query giving the results of reads, in order, as the arguments of a draw."""

    def read(wh: Warehouse) -> tuple:
        return tuple(one(wh) for one in reads)

    return read

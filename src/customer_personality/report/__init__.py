"""The HTML report: one self-contained page of charts read from the warehouse marts.

Kept apart as the house style asks: queries/ reads the marts and seeds into
DataFrames, charts.py, profile_charts.py, cluster_charts.py (the chosen clustering,
for a build without named segments), action_charts.py, money.py (the campaign's
expected profit, return and uplift) and tables.py draw them with pure functions
(frames in, figure or table and its one-line reading out), sections.py is the one
list of sections (parts.py: what a section and its parts are) mapping each chart id
to its query and its drawing and naming the marts each rests on, and page.py renders
templates/report.html.j2 with static/report.css and static/report.js, leaving out
the sections whose marts the input contract did not let the build make.
"""

from customer_personality.report.page import write_report
from customer_personality.report.sections import REPORT_SECTIONS, Part, Section, chart_ids
from customer_personality.report.tables import stability_reading
from customer_personality.report.text import ALGORITHM_LABELS

__all__ = [
    "ALGORITHM_LABELS",
    "REPORT_SECTIONS",
    "Part",
    "Section",
    "chart_ids",
    "stability_reading",
    "write_report",
]

"""The HTML report of the sample build rendered: loaded in headless Debian chromium
(`apt-get install -y chromium`, or `make test-setup`; skipped when /usr/bin/chromium
is absent), its DOM dumped after the scripts ran and a screenshot taken: every chart
must have been drawn and no JavaScript error recorded by the page's own
`window.onerror` hook (`#js-errors[data-count]`), and the money section (what the
campaign earns) is in the DOM with the marts' figures and drawn in the screenshot,
its region saved beside the test (its path printed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT, query
from customer_personality.report import write_report
from customer_personality.report.text import num
from helpers.report import expected_charts, section_html

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
# The page's colours (static/report.css): the rule under a section's heading
# (--accent) and a table's header row.
ACCENT = (42, 157, 143)
TABLE_HEAD = (240, 243, 246)


@pytest.fixture(scope="module")
def report(sample_db, tmp_path_factory) -> Path:
    """The report of the sample build."""
    return write_report(sample_db, tmp_path_factory.mktemp("report") / "report.html")


def run_chromium(page: Path, screenshot: Path, profile: Path, height: int) -> str:
    """Load page in headless chromium; its DOM after the scripts ran, and a screenshot."""
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--enable-unsafe-swiftshader",  # software WebGL for the 3-D charts
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=10000",
        f"--window-size=1400,{height}",
        f"--screenshot={screenshot}",
        "--dump-dom",
        page.resolve().as_uri(),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("headless chromium did not finish loading the report in 120 s")
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def rendered(report, tmp_path_factory) -> tuple[str, Path]:
    """The report loaded in headless chromium: its DOM after the scripts ran (the
    scripts left out) and a screenshot of the whole page."""
    if not CHROMIUM.exists():
        pytest.skip(
            "/usr/bin/chromium is not installed: the browser test needs Debian's "
            "chromium (apt-get install -y chromium)"
        )
    html = report.read_text(encoding="utf-8")
    # the page is as tall as its charts plus headings, readings and tables
    heights = [int(h) for h in re.findall(r'<div style="height:(\d+)px; width', html)]
    height = min(sum(heights) + 120 * len(heights) + 2500, 30000)
    folder = tmp_path_factory.mktemp("chromium")
    screenshot = folder / "report_screenshot.png"
    dom = run_chromium(report, screenshot, folder / "profile", height)
    return re.sub(r"<script\b.*?</script>", "", dom, flags=re.S), screenshot


def bands(mask: np.ndarray, width: int) -> list[tuple[int, int]]:
    """The runs of rows (first, last) of an image mask at least width pixels wide."""
    rows = np.flatnonzero(mask.sum(axis=1) >= width)
    if not rows.size:
        return []
    breaks = np.flatnonzero(np.diff(rows) > 1)
    starts = np.r_[rows[0], rows[breaks + 1]]
    ends = np.r_[rows[breaks], rows[-1]]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def coloured(pixels: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    return np.abs(pixels - np.array(colour)).sum(axis=2) <= 6


def test_report_renders_in_headless_chromium(rendered, sample_db):
    body, screenshot = rendered
    errors = re.search(r'<div id="js-errors" data-count="(\d+)"[^>]*>([^<]*)', body)
    assert errors, "the error recorder is missing from the rendered page"
    assert errors.group(1) == "0", f"JavaScript errors: {errors.group(2)}"

    expected = expected_charts(sample_db)
    assert body.count('class="plot-container plotly"') == len(expected)
    pieces = re.split(r'(?=<div id="chart-)', body)[1:]
    drawn = {
        re.match(r'<div id="([^"]+)"', piece).group(1): 'class="main-svg"' in piece
        for piece in pieces
    }
    assert drawn == dict.fromkeys(expected, True)
    scenes = len(re.findall(r'<div id="scene\d*"[^>]*><svg[^>]*></svg><canvas', body))
    assert scenes == sum("3d" in chart for chart in expected), "3-D charts need WebGL"
    assert "WebGL is not supported" not in body
    # What the marketer sees first, drawn: the strategies, the actions chart, then
    # what the campaign earns.
    assert re.findall(r'<section id="([^"]+)"', body)[:4] == [
        "strategies",
        "actions",
        "money",
        "migrations",
    ]

    assert screenshot.stat().st_size > 100_000
    build = ROOT / "build"
    if build.is_dir():
        try:
            shutil.copyfile(screenshot, build / "report_screenshot.png")
        except OSError:
            pass


def test_money_section_renders_in_headless_chromium(rendered, sample_db, tmp_path):
    """What the campaign earns, after the scripts ran: the figures of
    customer_actions, the tables of campaign_economics and what campaign_readout
    holds; in the screenshot, the region between its heading's rule and the next
    section's holds its text and one header row per table (saved, path printed)."""
    body, screenshot = rendered
    money = section_html(body, "money")
    assert money.startswith("<h2>What the campaign earns</h2>")
    ((contacts, controls, profit, cost),) = query(
        sample_db,
        "select count(*) filter (where contact), count(*) filter (where is_control), "
        "sum(expected_profit) filter (where contact), "
        "sum(cost_per_contact) filter (where contact) from customer_actions",
    )
    assert contacts > 0 and controls > 0 and profit is not None
    assert f"Contacting {contacts:,} people (about " in money
    assert f"expected to earn {num(profit)} net of {num(cost)} in contact costs; " in (
        money
    )
    assert f"{controls:,} more are held out as a control group" in money
    tables = re.findall(r'<table id="table-([^"]+)">', money)
    readout = query(sample_db, "select count(*) from campaign_readout")[0][0]
    assert tables == ["segment-roi", "holdout-policies"] + (
        ["uplift-segments"] if readout else []
    )
    assert ("campaign_readout holds no rows yet." in money) == (not readout)
    for segment, roi in query(
        sample_db,
        "select group_name, roi from campaign_economics where analysis = 'last_campaign'",
    ):
        assert f"<tr><td>{segment}</td>" in money
        assert f'<td class="num">{roi:+.0%}</td></tr>' in money
    assert '<p class="note">' not in money

    anchors = re.findall(r'<section id="([^"]+)"', body)
    pixels = np.asarray(Image.open(screenshot).convert("RGB")).astype(int)
    # a section's heading has a rule as wide as the page's main column
    rules = bands(coloured(pixels, ACCENT), 1000)
    index = anchors.index("money")
    assert len(rules) > index + 1, "the screenshot does not reach past the section"
    top, bottom = rules[index][0] - 45, rules[index + 1][0] - 45
    region = pixels[top:bottom]
    saved = tmp_path / "money_section.png"
    Image.fromarray(region.astype(np.uint8)).save(saved)
    print(f"money section screenshot: {saved}")
    assert len(bands(coloured(region, TABLE_HEAD), 600)) == len(tables)
    ink = (region.sum(axis=2) < 250).sum()
    assert ink > 5_000, "the section's text is not drawn"

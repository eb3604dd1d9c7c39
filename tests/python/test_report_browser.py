"""The HTML report of the sample build rendered: loaded in headless Debian chromium
(`apt-get install -y chromium`, or `make test-setup`; skipped when /usr/bin/chromium
is absent), its DOM dumped after the scripts ran and a screenshot taken: every chart
must have been drawn and no JavaScript error recorded by the page's own
`window.onerror` hook (`#js-errors[data-count]`)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from customer_personality.report import write_report
from helpers.report import expected_charts

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")


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


def test_report_renders_in_headless_chromium(report, sample_db, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip(
            "/usr/bin/chromium is not installed: the browser test needs Debian's "
            "chromium (apt-get install -y chromium)"
        )
    page = report
    html = page.read_text(encoding="utf-8")
    # the page is as tall as its charts plus headings, readings and tables
    heights = [int(h) for h in re.findall(r'<div style="height:(\d+)px; width', html)]
    height = min(sum(heights) + 120 * len(heights) + 2500, 30000)
    screenshot = tmp_path / "report_screenshot.png"
    dom = run_chromium(page, screenshot, tmp_path / "profile", height)
    body = re.sub(r"<script\b.*?</script>", "", dom, flags=re.S)

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
    # What the marketer sees first, drawn: the strategies, then the actions chart.
    assert re.findall(r'<section id="([^"]+)"', body)[:4] == [
        "strategies",
        "actions",
        "migrations",
        "response",
    ]

    assert screenshot.stat().st_size > 100_000
    build = ROOT / "build"
    if build.is_dir():
        try:
            shutil.copyfile(screenshot, build / "report_screenshot.png")
        except OSError:
            pass

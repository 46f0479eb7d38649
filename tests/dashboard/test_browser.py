"""The dashboard in a real browser: headless Chromium runs the page's script over the sample gold,
and the rendered SVG bars, trend points, coverage, findings and evidence are checked; a screenshot
is saved under the test's output directory.

Needs Debian's chromium and a CJK font (`apt-get install -y chromium fonts-noto-cjk`); skips
with that message when chromium is absent.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlencode, urlparse
from urllib.request import url2pathname

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from nianbao.dashboard_command import make_server
from pipelines.dashboard.build import build_dashboard

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed: apt-get install -y chromium fonts-noto-cjk")

# No network, no profile, no background services: the page must work from the file alone.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=5000", "--enable-logging=stderr")


def _chromium(tmp_path: Path, url: str, *extra: str) -> str:
    profile = tmp_path / "chromium-profile"
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    # The page's console goes to stderr: any script error there fails the test.
    errors = [line for line in done.stderr.splitlines() if "CONSOLE" in line and "Uncaught" in line]
    assert not errors, errors
    return done.stdout


@pytest.fixture(scope="module")
def page_url(published_db, tmp_path_factory) -> str:
    return build_dashboard(published_db, tmp_path_factory.mktemp("dashboard")).as_uri()


def _dom(tmp_path: Path, page_url: str, **view: str) -> HTMLParser:
    return HTMLParser(_chromium(tmp_path, f"{page_url}#{urlencode(view)}", "--dump-dom"))


def _bars(dom: HTMLParser, selector: str, *keys: str) -> dict:
    return {tuple(node.attributes[f"data-{k}"] for k in keys): float(node.attributes["data-value"])
            for node in dom.css(selector)}


def test_province_bars_trend_and_coverage(tmp_path, page_url):
    dom = _dom(tmp_path, page_url, metric="applications_new", year="latest", scope="whole",
               province="河北省")
    # Each province's latest year; 湖北省 from its own report, the others summed from their regions.
    assert _bars(dom, "#province-chart rect.bar", "province", "year", "source") == {
        ("湖北省", "2019", "province_report"): 9378, ("安徽省", "2017", "aggregate"): 994,
        ("贵州省", "2018", "aggregate"): 11, ("河北省", "2020", "aggregate"): 5}
    labels = [node.text() for node in dom.css("#province-chart text.bar-label")]
    assert labels == ["湖北省（2019）", "安徽省（2017）", "贵州省（2018）", "河北省（2020）"]
    points = {node.attributes["data-year"]: float(node.attributes["data-value"])
              for node in dom.css("#trend-chart circle.point")}
    assert points == {"2018": 183, "2020": 5}
    coverage = {(n.attributes["data-province"], n.attributes["data-year"]):
                (n.attributes["data-covered"], n.attributes["data-total"])
                for n in dom.css("#coverage-chart rect.cover-fill")}
    assert coverage == {("河北省", "2018"): ("1", "11"), ("河北省", "2020"): ("1", "11"),
                        ("安徽省", "2017"): ("1", "16"), ("湖北省", "2019"): ("17", "17"),
                        ("贵州省", "2018"): ("1", "9")}
    assert dom.css_first('#overview-list dd[data-stat="省份"]').text() == "4"


def test_one_year_and_scope(tmp_path, page_url):
    dom = _dom(tmp_path, page_url, metric="processed_total", year="2019", scope="own", province="湖北省")
    assert _bars(dom, "#province-chart rect.bar", "province") == {("湖北省",): 1675}
    assert dom.css_first("#compare-caption").text() == "办结申请数 · 2019年 · 本级机关"
    dom = _dom(tmp_path, page_url, metric="granted", year="2018", scope="whole", province="贵州省")
    assert _bars(dom, "#province-chart rect.bar", "province") == {("河北省",): 72, ("贵州省",): 8}


def test_findings_and_evidence_drill_down(tmp_path, page_url):
    dom = _dom(tmp_path, page_url, drill="420000:2019")
    findings = [row.text(separator="|") for row in dom.css("#dq-table tbody tr.finding")]
    assert len(findings) == 2 and "旧运行" not in dom.body.text()
    assert "栾城区|2020" in findings[0] and "湖北省|2019" in findings[1]
    assert "9378+139=9517 ≠ 9355+159=9514" in findings[1]
    meta = dom.css_first("#drill-meta").text(separator="|")
    assert meta.startswith("地区|湖北省（420000）") and "质量标记|applications_balance" in meta
    assert "applications_balance" in dom.css_first("#drill-findings").text()
    facts = _facts(dom)
    assert ("applications_new", 9378, "全省本年度新收到政府信息公开申请9378份") in facts
    assert ("applications_new", 1730, "省本级新收到1730份") in facts
    assert ("reconsideration_corrected", 63, "结果纠正63件(省本级7件)") in facts
    first = dom.css_first("#drill-facts tr.fact td")
    assert first.text(separator="|") == "新收申请数 |applications_new"
    headings = [node.text() for node in dom.css("#drill-facts h3")]
    assert headings == ["本级机关（own）", "全辖区（whole）"]


def _facts(dom: HTMLParser) -> list[tuple]:
    return [(row.attributes["data-metric"], float(row.attributes["data-value"]),
             row.css_first("td.evidence").text()) for row in dom.css("#drill-facts tr.fact")]


def test_a_copied_folder_served_over_http_loads_the_evidence(tmp_path, page_url):
    """As from the bucket or a copy: relative script files, the evidence loaded when opened."""
    copy = shutil.copytree(Path(url2pathname(urlparse(page_url).path)).parent, tmp_path / "copy")
    server = make_server(copy, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html#drill=340800:2017"
        dom = HTMLParser(_chromium(tmp_path, url, "--dump-dom"))
    finally:
        server.shutdown()
        server.server_close()
    assert ("granted", 472, "同意公开472件") in _facts(dom)
    assert dom.css_first("#drill-status").attributes.get("hidden") is not None


def test_computed_rates_are_marked_as_computed(tmp_path, page_url):
    dom = _dom(tmp_path, page_url, drill="130600:2018")
    rate = dom.css_first('#drill-facts tr.derived[data-metric="disclosure_rate"]')
    assert rate.css_first("td.num").text() == "42.1%"  # (72 + 5) / 183
    assert rate.css_first("td.evidence").text() == "由上列年报数字计算"


def test_screenshot_shows_the_page(tmp_path, page_url):
    shot = tmp_path / "dashboard.png"
    _chromium(tmp_path, page_url, f"--screenshot={shot}", "--window-size=1400,2000",
              "--hide-scrollbars")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    print(f"dashboard screenshot: {shot}")

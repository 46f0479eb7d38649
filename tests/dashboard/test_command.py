"""`nianbao dashboard`: prints the page's path, serves it on 127.0.0.1 only, or says nothing is published."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request

import pytest
import typer
from typer.testing import CliRunner

from environment.settings import PROJECT_ROOT, load_settings
from nianbao.dashboard_command import make_server, register

from .pages import overview

# The command as the lead wires it: register() on a Typer app that has other commands too.
RUN_CLI = """
import sys, typer
from nianbao.dashboard_command import register
app = typer.Typer()
app.callback()(lambda: None)
register(app)
app(sys.argv[1:])
"""


def _app() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    return app


@pytest.fixture()
def lake(monkeypatch, tmp_path, published_db):
    monkeypatch.setenv("NIANBAO_LAKE_DIR", str(tmp_path / "lake"))
    settings = load_settings()
    settings.published_dir.mkdir(parents=True)
    shutil.copy(published_db, settings.published_db_path)
    return settings


def test_prints_the_path_building_the_page_when_missing(lake):
    result = CliRunner().invoke(_app(), ["dashboard"])
    assert result.exit_code == 0, result.output
    page = lake.published_dir / "dashboard" / "index.html"
    assert result.stdout.strip() == str(page)
    assert "河北省" in {row["province"] for row in overview(page.parent)["provinces"]}


def test_rebuilds_a_page_older_than_the_published_file(lake):
    page = lake.published_dir / "dashboard" / "index.html"
    page.parent.mkdir()
    page.write_text("stale", encoding="utf-8")
    os.utime(page, (0, 0))
    assert CliRunner().invoke(_app(), ["dashboard"]).exit_code == 0
    assert page.read_text(encoding="utf-8") != "stale"


def test_nothing_published_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("NIANBAO_LAKE_DIR", str(tmp_path))
    result = CliRunner().invoke(_app(), ["dashboard"])
    assert result.exit_code == 1 and "nothing is published" in result.output


def test_server_listens_on_loopback_only(tmp_path):
    (tmp_path / "index.html").write_text("<p>年报</p>", encoding="utf-8")
    server = make_server(tmp_path, 0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_serve_command_serves_the_page(lake):
    env = {**os.environ, "NIANBAO_LAKE_DIR": str(lake.lake_dir)}
    process = subprocess.Popen([sys.executable, "-c", RUN_CLI, "dashboard", "--serve", "--port", "0"],
                               cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("Serving the dashboard at http://127.0.0.1:"), line
        url = line.split(" at ")[1].split()[0]
        with urllib.request.urlopen(url, timeout=10) as reply:
            body = reply.read().decode("utf-8")
        assert reply.status == 200 and "政府信息公开年报数据看板" in body
    finally:
        process.terminate()
        process.wait(timeout=10)

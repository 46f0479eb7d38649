"""`nianbao dashboard`: prints the page's path, serves it on 127.0.0.1 only, or says nothing is published."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request

import pytest
import typer
from typer.testing import CliRunner

from environment.settings import PROJECT_ROOT
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
def lake(published_lake):
    return published_lake


def test_prints_the_path_building_the_page_when_missing(lake):
    result = CliRunner().invoke(_app(), ["dashboard"])
    assert result.exit_code == 0, result.output
    page = lake.published_dir / "dashboard" / "index.html"
    assert result.stdout.strip() == str(page)
    assert "河北省" in {row["province"] for row in overview(page.parent)["provinces"]}


def test_an_existing_page_is_printed_as_it_is(lake):
    page = lake.published_dir / "dashboard" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("built by the last publish", encoding="utf-8")
    result = CliRunner().invoke(_app(), ["dashboard"])
    assert result.stdout.strip() == str(page)
    assert page.read_text(encoding="utf-8") == "built by the last publish"


def test_nothing_published_says_so(lake_env):
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
    env = dict(os.environ)  # the lake's directory, bucket and S3 port, as the fixture set them
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

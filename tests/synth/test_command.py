"""`nianbao synth` as the lead wires it: register() adds the command to a Typer app."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from nianbao.synth_command import register


def test_synth_command_writes_reports_and_labels(tmp_path):
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a second command keeps typer from collapsing to one
    result = CliRunner().invoke(app, ["synth", "--n", "5", "--out", str(tmp_path), "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "wrote 5 reports" in result.output
    assert len(list((tmp_path / "reports").iterdir())) == 5
    assert (tmp_path / "labels.csv").read_text(encoding="utf-8").startswith("file,region,province")

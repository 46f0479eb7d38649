"""Rebuilds write only what changed: unchanged years and evidence keep their files, a new report adds
one evidence file, and a report gold no longer holds leaves no file behind."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from pipelines.dashboard.build import build_dashboard
from pipelines.dashboard.site import forget_manifest

from .pages import files, manifest, overview

NEW_REPORT = ("正定县", "130123", "河北省", "130000", "county", 2020, "whole", "r-zhengding-2020",
              "正定县人民政府")


@pytest.fixture()
def gold(published_db, tmp_path):
    """A writable copy of the sample published file."""
    path = tmp_path / "nianbao.duckdb"
    shutil.copy(published_db, path)
    path.chmod(0o644)
    return path


def _add_report(path) -> None:
    region, code, province, _, _, year, scope, report_id, _ = NEW_REPORT
    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO gold.region_year_metrics (region, region_code, province, province_code,"
                    " level, year, scope, report_id, issuer, applications_new)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 12)", list(NEW_REPORT))
        con.execute("INSERT INTO gold.metric_long VALUES (?, ?, ?, ?, ?, 'applications_new', 12, ?, ?)",
                    [region, code, province, year, scope, report_id, "全县共受理申请12件"])


def _drop_report(path, report_id: str) -> None:
    with duckdb.connect(str(path)) as con:
        for table in ("region_year_metrics", "metric_long"):
            con.execute(f"DELETE FROM gold.{table} WHERE report_id = ?", [report_id])


def _stamps(folder) -> dict[str, int]:
    return {name: (folder / name).stat().st_mtime_ns for name in files(folder)}


def test_one_new_report_writes_its_year_and_one_evidence_file(gold, tmp_path):
    folder = build_dashboard(gold, tmp_path / "dash").parent
    before, stamps = set(manifest(folder)["files"]), _stamps(folder)
    _add_report(gold)
    build_dashboard(gold, folder)
    after = set(manifest(folder)["files"])
    added = sorted(after - before)
    assert [name.split(".")[0] for name in added] == [
        "data/evidence-index", "data/year-2020", "evidence/chunk"]
    assert sorted(name.split(".")[0] for name in before - after) == ["data/evidence-index", "data/year-2020"]
    unchanged = before & after - {"index.html"}
    assert all(_stamps(folder)[name] == stamps[name] for name in unchanged), "an unchanged file was rewritten"
    assert files(folder) == {*after, "manifest.json"}
    data = overview(folder)
    assert data["evidence"]["r-zhengding-2020"] == [
        {"scope": "whole", "metric": "applications_new", "value": 12, "evidence": "全县共受理申请12件",
         "confidence": None}]
    [chunk] = [name for name in added if name.startswith("evidence/")]
    assert manifest(folder)["chunks"][chunk] == ["r-zhengding-2020"]


def test_a_rebuild_without_changes_writes_no_data_file(gold, tmp_path):
    folder = build_dashboard(gold, tmp_path / "dash").parent
    stamps = _stamps(folder)
    build_dashboard(gold, folder)
    rewritten = {name for name, stamp in _stamps(folder).items() if stamps.get(name) != stamp}
    assert rewritten == {"index.html", "manifest.json"}


def test_a_dropped_report_leaves_no_evidence_behind(gold, tmp_path):
    folder = build_dashboard(gold, tmp_path / "dash").parent
    _drop_report(gold, "r-baoding-2018")
    build_dashboard(gold, folder)
    text = "".join((folder / name).read_text(encoding="utf-8") for name in files(folder))
    assert "r-baoding-2018" not in text and "全市主动公开政府信息101551条" not in text
    data = overview(folder)
    assert sorted(data["evidence"]) == sorted(data["index"]["reports"]) == [
        "r-anqing-2017", "r-hubei-2019", "r-liuzhi-2018", "r-luancheng-2020"]


def test_a_lost_evidence_file_is_written_again(gold, tmp_path):
    folder = build_dashboard(gold, tmp_path / "dash").parent
    [chunk] = manifest(folder)["chunks"]
    (folder / chunk).unlink()
    build_dashboard(gold, folder)
    assert (folder / chunk).is_file() and len(overview(folder)["evidence"]) == 5


def test_after_forgetting_the_manifest_changed_evidence_of_a_known_report_is_rewritten(gold, tmp_path):
    folder = build_dashboard(gold, tmp_path / "dash").parent
    old = {row["evidence"] for row in overview(folder)["evidence"]["r-baoding-2018"]}
    with duckdb.connect(str(gold)) as con:
        con.execute("UPDATE gold.metric_long SET evidence = '重新解析后的原文' "
                    "WHERE report_id = 'r-baoding-2018'")
    build_dashboard(gold, folder)
    assert "重新解析后的原文" not in str(overview(folder)["evidence"]), "evidence is written once per id"
    forget_manifest(folder)
    build_dashboard(gold, folder)
    figures = overview(folder)["evidence"]["r-baoding-2018"]
    assert figures and {row["evidence"] for row in figures} == {"重新解析后的原文"}
    text = "".join((folder / name).read_text(encoding="utf-8") for name in files(folder))
    assert not any(evidence in text for evidence in old), "the stale chunk was left behind"

"""Gold on the real warehouse: derived run order, province rows, and all-or-nothing rebuilds."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from lakehouse.helpers import land, query, report_record
from pipelines import gold, gold_models, writer
from pipelines.dictionary import DOCS_PATH, model_docs, render
from pipelines.divisions import load_divisions
from pipelines.lake_tables import create_contract_tables


def _write_model(root, table: str, sql: str) -> None:
    schema, name = table.split(".")
    (root / schema).mkdir(parents=True, exist_ok=True)
    (root / schema / f"{name}.sql").write_text(sql, encoding="utf-8")


def test_run_order_follows_what_each_model_reads(tmp_path):
    # Names sort opposite to the dependencies, so only the parsed SQL can give this order.
    _write_model(tmp_path, "gold.a_top", "with x as (select * from gold.b_middle) select * from x")
    _write_model(tmp_path, "gold.b_middle", "select * from silver.c_base join seed.units using (k)")
    _write_model(tmp_path, "silver.c_base", "with b as (select * from silver.reports) select * from b")
    models = gold_models.discover_models(tmp_path)
    order = [model.table for model in gold_models.run_order(models)]
    assert order == ["silver.c_base", "gold.b_middle", "gold.a_top"]
    assert models[0].inputs == {"gold.b_middle"}


def test_model_headers_state_the_inputs_the_sql_reads():
    docs = {doc.table: doc for doc in model_docs()}
    for model in gold_models.discover_models():
        assert set(docs[model.table].inputs) == model.inputs, model.path.name
        assert docs[model.table].grain, model.path.name


def _province_rows(settings):
    return query(
        settings,
        "SELECT province_code, year, scope, source, n_reports, granted "
        "FROM gold.province_year_metrics ORDER BY scope",
    )


def test_gold_from_loaded_reports(lake_settings):
    items = [
        (land(lake_settings, "inbox/baoding.txt", "保定"), report_record(granted=5)),
        (land(lake_settings, "inbox/qingyuan.txt", "清苑"), report_record(
            region="清苑区", region_code="130608", level="district", issuer="清苑区人民政府", granted=3)),
        (land(lake_settings, "inbox/qianan.txt", "迁安"), report_record(
            region="迁安市", region_code="130283", level="county", issuer="迁安市人民政府", granted=2)),
    ]
    writer.load_reports(lake_settings, items)
    built = gold.build_gold(lake_settings)
    assert built.index("gold.region_year_metrics") < built.index("gold.province_year_metrics")
    assert _province_rows(lake_settings) == [("130000", 2020, "whole", "aggregate", 2, 7.0)]

    province = land(lake_settings, "inbox/hebei.txt", "河北省")
    writer.load_reports(lake_settings, [(province, report_record(
        region="河北省", region_code="130000", level="province", issuer="河北省人民政府", granted=40))])
    gold.build_gold(lake_settings)
    assert _province_rows(lake_settings) == [("130000", 2020, "whole", "province_report", 1, 40.0)]


def test_failing_model_leaves_previous_gold(lake_settings, tmp_path):
    first = land(lake_settings, "inbox/a.txt", "a")
    writer.load_reports(lake_settings, [(first, report_record())])
    gold.build_gold(lake_settings)
    second = land(lake_settings, "inbox/b.txt", "b")
    writer.load_reports(lake_settings, [(second, report_record(region="唐山市", region_code="130200"))])

    broken = tmp_path / "models"
    shutil.copytree(gold_models.MODELS_DIR, broken)
    _write_model(broken, "gold.zz_broken", "select no_such_column from gold.region_year_metrics")
    with pytest.raises(gold_models.ModelFailed, match="zz_broken"):
        gold.build_gold(lake_settings, broken)
    assert query(lake_settings, "SELECT report_id FROM gold.region_year_metrics") == [(first.sha256,)]
    assert query(lake_settings, "SELECT table_name FROM duckdb_tables() WHERE table_name = 'zz_broken'") == []


def _documented(doc_columns: dict[str, str], actual: list[str]) -> set[str]:
    """Documented column names, a `first … last` entry standing for that run of actual columns."""
    names = set()
    for name in doc_columns:
        first, _, last = name.partition(" … ")
        names |= set(actual[actual.index(first): actual.index(last) + 1]) if last else {name}
    return names


def test_every_gold_column_is_documented_and_the_dictionary_is_current():
    con = duckdb.connect()
    create_contract_tables(con)
    load_divisions(con)
    gold_models.run_models(con, gold_models.discover_models())
    for doc in model_docs():
        actual = [row[0] for row in con.execute(f"DESCRIBE {doc.table}").fetchall()]
        assert _documented(doc.columns, actual) == set(actual), doc.table
    assert DOCS_PATH.read_text(encoding="utf-8") == render(model_docs()), "run python -m pipelines.dictionary"

"""Time one audit of 10,000 synthetic reports (~40 metrics each) validated in one batch.

    .venv/bin/python bench/bench_audit.py [N_REPORTS]

Builds a throwaway lake (embedded S3, a catalog in a temp directory): consistent tables 三 and 四
with a balance mismatch injected into 1% of reports, then times `run_audit` phase by phase.
"""

from __future__ import annotations

import os
import resource
import sys
import time

import numpy as np
import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

CHANNEL_SHARES = [0.2, 0.6, 0.1, 0.05, 0.05]
YEARS_PER_REGION = 5
OTHER = ("proactive_total", "fees_yuan", "licensing_decisions", "penalty_decisions",
         "coercion_decisions", "applicant_natural_person", "complaints", "procurement_count",
         "procurement_amount_wan_yuan")


def synthetic_metrics(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Long metric rows for n reports whose tables balance, except 1% given a wrong total."""
    outcomes = rng.integers(0, 200, size=(n, 6))
    processed = outcomes.sum(axis=1)
    carried_forward = rng.integers(0, 20, n)
    # Each run of YEARS_PER_REGION reports is one region: last year's carried_forward comes in.
    carried_in = np.where(np.arange(n) % YEARS_PER_REGION == 0, rng.integers(0, 20, n),
                          np.roll(carried_forward, 1))
    new = processed + carried_forward - carried_in
    channels = np.stack([rng.multinomial(int(v), CHANNEL_SHARES) for v in np.maximum(new, 0)])
    columns = {
        "applications_new": new, "applications_carried_in": carried_in,
        "processed_total": processed, "carried_forward": carried_forward,
        **{name: outcomes[:, i] for i, name in enumerate(
            ("granted", "partly_granted", "refused", "unable_to_provide", "not_processed",
             "other_processed"))},
        **{f"channel_{c}": channels[:, i] for i, c in enumerate(
            ("in_person", "online", "letter", "fax", "email"))},
        **{name: rng.integers(0, 5000, n) for name in OTHER},
    }
    for block in ("reconsideration", "litigation_direct", "litigation_after_reconsideration"):
        parts = rng.integers(0, 10, size=(n, 4))
        for i, part in enumerate(("upheld", "corrected", "other", "pending")):
            columns[f"{block}_{part}"] = parts[:, i]
        columns[f"{block}_total"] = parts.sum(axis=1)
    columns["litigation_total"] = (columns["litigation_direct_total"]
                                   + columns["litigation_after_reconsideration_total"])
    wide = pd.DataFrame(columns, dtype="float64")
    broken = rng.random(n) < 0.01
    wide.loc[broken, "processed_total"] += 1
    wide.insert(0, "report_id", [f"r{i:05d}" for i in range(n)])
    long = wide.melt(id_vars="report_id", var_name="metric", value_name="value")
    long.insert(1, "scope", "whole")
    return long


def build(settings, n: int) -> int:
    """Write silver.reports and silver.report_metrics for n reports into the lake; return the
    metric rows.

    Reports come as runs of five consecutive years of one region, so the cross-year check pairs
    them; carry-over is made consistent, except where a mismatch was injected.
    """
    from expectations.suites import known_area_codes

    rng = np.random.default_rng(7)
    metrics = synthetic_metrics(n, rng)
    codes = sorted(c for c in known_area_codes() if not c.endswith("00"))
    body = np.arange(n) // YEARS_PER_REGION
    years = 2019 + np.arange(n) % YEARS_PER_REGION
    reports = pd.DataFrame({
        "report_id": [f"r{i:05d}" for i in range(n)], "region": [f"区{b}" for b in body],
        "region_code": [codes[b % len(codes)] for b in body], "level": "district",
        "report_year": years, "publication_date": [f"{y + 1}-01-20" for y in years],
        "is_current": True,
    })
    reports["province_code"] = reports["region_code"].str.slice(0, 2) + "0000"
    reports["identity_key"] = reports["report_id"]
    from pipelines.lake import connect

    with connect(settings) as con:
        con.execute("INSERT INTO silver.reports BY NAME FROM reports")
        con.execute("INSERT INTO silver.report_metrics BY NAME SELECT *, '件' AS unit, '' AS evidence"
                    " FROM metrics")
    return len(metrics)


def main(n: int) -> None:
    """Build, then time the GX import and the audit itself."""
    import bench_backfill as bb

    with bb.s3_server() as server, bb.fresh_lake(server) as settings:
        rows = build(settings, n)
        started = time.perf_counter()
        import great_expectations  # noqa: F401  (timed apart: paid once per process)

        imported = time.perf_counter()
        from expectations.audit import run_audit

        outcome = run_audit(settings)
        done = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} reports, {rows} metric rows: GX import {imported - started:.1f} s, "
          f"audit {done - imported:.1f} s, peak RSS {peak_mb:.0f} MB; {outcome.n_checks} checks, "
          f"{len(outcome.warnings)} warnings, {len(outcome.blocking_failures)} blocking")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)

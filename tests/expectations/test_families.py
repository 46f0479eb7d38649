"""Alike checks run as one GX expectation on a long frame; findings map back to each check."""

from __future__ import annotations

import pandas as pd

from expectations import gx_runner
from expectations.audit import run_audit
from expectations.families import split
from expectations.gx_runner import validate
from expectations.spec import BLOCKING, WARNING, Check, Suite


def _between(name: str, column: str, low: float = 0) -> Check:
    return Check(name, BLOCKING, "ExpectColumnValuesToBeBetween",
                 {"column": column, "min_value": low}, f"{column} ≥ {low}", "negative",
                 observed=("report_id", column))


FRAME = pd.DataFrame({
    "report_id": ["a", "b", "c"],
    "ints": pd.Series([1, -2, 3], dtype="int64"),
    "floats": [0.5, 1.0, -1.0],
    "text": ["x", "y", "z"],
})


def test_alike_checks_form_one_family_and_the_rest_run_directly():
    suite = Suite("t", (
        _between("ints_non_negative", "ints"), _between("floats_non_negative", "floats"),
        _between("floats_above_one", "floats", low=1),  # other arguments: not the same family
        Check("text_unique", BLOCKING, "ExpectColumnValuesToBeUnique", {"column": "text"}, "", ""),
    ))
    direct, families = split(suite, FRAME)
    assert [check.name for check in direct] == ["floats_above_one", "text_unique"]
    (family,) = families
    assert [check.name for check in family.checks] == ["ints_non_negative", "floats_non_negative"]
    long = family.melt(FRAME)
    assert list(long["row"]) == [0, 1, 2, 0, 1, 2]
    assert list(long["column"]) == [1, -2, 3, 0.5, 1.0, -1.0]
    assert family.kwargs == {"min_value": 0, "column": "column"}


def test_family_findings_map_back_to_their_check_and_row():
    suite = Suite("t", (_between("ints_non_negative", "ints"), _between("floats_non_negative", "floats"),
                        _between("text_compared_to_zero", "report_id")))
    findings = [(r.expectation, r.status, r.report_id, r.observed)
                for r in validate(suite, FRAME, {"report_id": "report_id"})]
    assert findings[:2] == [("ints_non_negative", "failed", "b", "report_id=b, ints=-2"),
                            ("floats_non_negative", "failed", "c", "report_id=c, floats=-1")]
    crash = findings[2]  # strings compared to 0: GX cannot run it, and says so on that check only
    assert crash[:3] == ("text_compared_to_zero", "failed", None) and len(findings) == 3


def test_an_audit_runs_few_gx_expectations(make_settings, monkeypatch):
    calls = []

    def counting(asset, df, specs):
        calls.append(len(specs))
        return run(asset, df, specs)

    run = gx_runner._run
    monkeypatch.setattr(gx_runner, "_run", counting)
    outcome = run_audit(make_settings())
    assert len(calls) <= 5 and sum(calls) <= 20  # was 5 validations of 48 expectations
    assert outcome.n_checks == 60  # every check has its own results (10 of them parser.<code>)


# Every failure on the sample warehouse: (expectation, report_id, scope, observed, expected).
SAMPLE_FINDINGS = {
    ("balance.flow", "hubei-2019", "own", "applications_new 1730 + applications_carried_in 10 = 1740",
     "processed_total 1675 + carried_forward 38 = 1713"),
    ("balance.flow", "hubei-2019", "whole",
     "applications_new 9378 + applications_carried_in 139 = 9517",
     "processed_total 9355 + carried_forward 159 = 9514"),
    ("balance.flow", "luancheng-2020", "whole", "applications_new 5 + applications_carried_in 0 = 5",
     "processed_total 0 + carried_forward 0 = 0"),
    ("balance.litigation_parts", "hongze-2023", "whole", "litigation_upheld 5 + litigation_corrected 0"
     " + litigation_other 0 + litigation_pending 0 = 5", "litigation_total 0"),
    ("balance.outcomes", "hubei-2019", "whole", "granted 4689 + partly_granted 611 + refused 502"
     " + unable_to_provide 2407 + not_processed 689 + other_processed 446 = 9344",
     "processed_total 9355"),
    ("balance.outcomes", "luancheng-2020", "whole", "granted 4 + partly_granted 0 + refused 0"
     " + unable_to_provide 1 + not_processed 0 + other_processed 0 = 5", "processed_total 0"),
    ("balance.reconsideration_parts", "hongze-2023", "whole", "reconsideration_upheld 10"
     " + reconsideration_corrected 1 + reconsideration_other 0 + reconsideration_pending 0 = 11",
     "reconsideration_total 0"),
    ("balance.reconsideration_parts", "hubei-2019", "own", "reconsideration_upheld 27"
     " + reconsideration_corrected 7 + reconsideration_other 3 + reconsideration_pending 4 = 41",
     "reconsideration_total 40"),
    ("balance.reconsideration_parts", "hubei-2019", "whole", "reconsideration_upheld 232"
     " + reconsideration_corrected 63 + reconsideration_other 90 + reconsideration_pending 59 = 444",
     "reconsideration_total 443"),
    ("reports.published_after_year_end", "hubei-2019", None,
     "publication_date=2019-07-07, report_year=2019", "publication_date after 12-31 of report_year"),
}


def test_sample_findings_are_exactly_these(sample_audit):
    _, outcome = sample_audit
    assert not outcome.blocking_failures
    assert {r.severity for r in outcome.warnings} == {WARNING}
    assert {(r.expectation, r.report_id, r.scope, r.observed, r.expected)
            for r in outcome.warnings} == SAMPLE_FINDINGS
    assert len(outcome.warnings) == len(SAMPLE_FINDINGS)

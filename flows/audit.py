"""Flow `audit`: run the Great Expectations suites on silver and gold, record every result."""

from __future__ import annotations

from prefect import flow, get_run_logger

from environment.settings import load_settings


@flow(name="audit", description="Validate silver and gold; blocking failures stop the next publish.")
def audit(report_ids: list[str] | None = None, pending: bool = False):
    """Validate the given reports (all current ones when None) and the gold tables; `pending`:
    only the reports no run has checked yet and the gold rows changed since the last publish."""
    from expectations.audit import run_audit  # Great Expectations is slow to import

    outcome = run_audit(load_settings(), report_ids, pending=pending)
    logger = get_run_logger()
    logger.info(
        "%d checks: %d blocking failures, %d warnings; report: %s",
        outcome.n_checks, len(outcome.blocking_failures), len(outcome.warnings), outcome.html_path,
    )
    for failure in outcome.blocking_failures:
        logger.error("blocking: %s", failure)
    return outcome

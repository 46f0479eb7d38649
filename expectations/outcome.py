"""What an audit concluded and what a blocked publish says: light, so flows import them freely
(the suites themselves import Great Expectations, which takes seconds)."""

from __future__ import annotations

from pathlib import Path

from expectations.spec import DqResult


class AuditOutcome:
    """What one audit run found; `publishable` is False when any blocking check failed.

    A plain class rather than a dataclass, so that Prefect does not descend into it: a flow's
    return value is walked item by item looking for futures, and the warnings grow with the lake
    (every failure of the checks run over the whole lake)."""

    __slots__ = ("run_id", "n_checks", "blocking_failures", "warnings", "html_path")

    def __init__(self, run_id: str, n_checks: int, blocking_failures: list[DqResult],
                 warnings: list[DqResult], html_path: Path | None):
        self.run_id = run_id
        self.n_checks = n_checks
        self.blocking_failures = blocking_failures
        self.warnings = warnings
        self.html_path = html_path

    @property
    def publishable(self) -> bool:
        """True when no blocking check failed: the batch may be published."""
        return not self.blocking_failures


class PublishBlocked(RuntimeError):
    """Blocking data-quality failures kept gold as it was; `outcome` lists them."""

    def __init__(self, outcome: AuditOutcome):
        super().__init__(f"{len(outcome.blocking_failures)} blocking data-quality failures; gold kept as "
                         f"last published. See {outcome.html_path}")
        self.outcome = outcome

"""The analysts' dashboard: a self-contained HTML page over the published gold, built at each publish."""

from pipelines.dashboard.build import build_dashboard

__all__ = ["build_dashboard"]

"""The analysts' dashboard: an offline page over the published gold and the data files it loads, built
at each publish (only what changed is written and uploaded)."""

from pipelines.dashboard.build import build_dashboard

__all__ = ["build_dashboard"]

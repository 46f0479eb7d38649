"""Prefect flows: thin orchestration over the pipelines (no parsing or SQL here)."""

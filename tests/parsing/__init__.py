"""Tests of the report-extraction library (pipelines.parsing)."""

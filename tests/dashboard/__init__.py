"""Tests of the analysts' dashboard."""

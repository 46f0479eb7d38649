"""Errors the parser raises: every failure is a ParseError with a sentence for the user."""

from __future__ import annotations


class ParseError(Exception):
    """A file could not be turned into a report; `reason` says why in plain words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NotAReport(ParseError):
    """The file is readable but is not a government information-disclosure annual report."""


class UnreadableFile(ParseError):
    """The file is empty, corrupt, encrypted, has no text layer, or cannot be decoded."""

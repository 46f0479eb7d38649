"""Crash points for the fault tests: make this process SIGKILL itself at an exact moment.

A child process arms one point, then runs a nianbao step; the kill is a real SIGKILL (no cleanup,
no `finally`, no atexit), placed deterministically instead of racing a timer against the work.
"""

from __future__ import annotations

import importlib
import os
import signal
from collections.abc import Iterable


def _owner(path: str):
    """`module` or `module:Class` as an object whose attribute gets replaced."""
    module, _, name = path.partition(":")
    found = importlib.import_module(module)
    return getattr(found, name) if name else found


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def kill_at_call(path: str, attribute: str, on_call: int = 1) -> None:
    """SIGKILL this process when `path.attribute` is called for the `on_call`-th time."""
    owner = _owner(path)
    original = getattr(owner, attribute)
    calls = 0

    def wrapper(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == on_call:
            _die()
        return original(*args, **kwargs)

    setattr(owner, attribute, wrapper)


def kill_while_iterating(path: str, attribute: str, after_items: int) -> None:
    """SIGKILL this process once `after_items` items of what `path.attribute` returns were used."""
    owner = _owner(path)
    original = getattr(owner, attribute)

    def items(result: Iterable) -> Iterable:
        for index, item in enumerate(result):
            if index == after_items:
                _die()
            yield item

    setattr(owner, attribute, lambda *args, **kwargs: items(original(*args, **kwargs)))

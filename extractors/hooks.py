"""Hooks into a library function newscrawl reads through (trafilatura's readability call,
htmldate's dateparser call): the function is wrapped once per process, and the wrapper does
its own work only while one of our calls has switched it on, passing through otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_MARK = "newscrawl_hook"


def wrap_once(owner: Any, name: str, wrap: Callable[[Callable], Callable]) -> None:
    """Replace `owner.name` with `wrap(owner.name)`, unless a hook already did (idempotent)."""
    original = getattr(owner, name)
    if not getattr(original, _MARK, False):
        wrapped = wrap(original)
        setattr(wrapped, _MARK, True)
        setattr(owner, name, wrapped)

"""Paywall state: "none", "metered", "truncated" or "hard".

Evidence comes from schema.org (`isAccessibleForFree: false`, `hasPart`), from the chrome
catalogue's paywall patterns that fired on the page (prompts, meters, paywall markup), and
from how much body text is left.
"""

from __future__ import annotations

HARD_MAX_WORDS = 40
METERS = frozenset({"paywall.meter", "paywall.meter-tokens"})


def _is_false(value: object) -> bool:
    return value is False or str(value).strip().lower() == "false"


def locked_by_schema(found: list[dict]) -> bool:
    """True when a JSON-LD object (or one of its `hasPart`s) is not accessible for free."""
    for obj in found:
        parts = obj.get("hasPart")
        parts = parts if isinstance(parts, list) else [parts]
        candidates = [obj, *(p for p in parts if isinstance(p, dict))]
        if any(_is_false(c.get("isAccessibleForFree")) for c in candidates):
            return True
    return False


def paywall_state(ld: list[dict], removed: list[str], words: int,
                  outside: list[str] = ()) -> str:
    """Decide the paywall state of an article page. `outside`: the paywall patterns found
    on a site rule's page beyond the rule's body, or in what it drops: evidence of a meter,
    or of a gate before a body too short to be the story ("hard"), but never of a truncated
    one (a site-wide offer beside a full story: "Already a subscriber? Log in")."""
    meters = [pattern for pattern in outside if pattern in METERS]  # a page's, anywhere
    state = _state(ld, [*removed, *meters], words)
    if state == "none" and outside:
        return "hard" if _state(ld, list(outside), words) == "hard" else state
    return state


def _state(ld: list[dict], removed: list[str], words: int) -> str:
    prompt = bool({"paywall.cue", "paywall.tokens"} & set(removed))
    locked = locked_by_schema(ld) or prompt
    metered = bool(METERS & set(removed))
    if metered and not locked_by_schema(ld):
        return "metered"
    if locked and words < HARD_MAX_WORDS:
        return "hard"
    if locked:
        return "truncated"
    return "none"

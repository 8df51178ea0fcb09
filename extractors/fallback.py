"""A second reading of the body: readability's, taken when a small model says it is better.

trafilatura reads a page with its own rules, then runs readability (its vendored
readability-lxml) and keeps readability's body only when its own is much shorter or has no
paragraphs (`trafilatura.external.compare_extraction`). Those length rules miss most of
the pages where readability read the story and trafilatura a teaser, a breadcrumb or half
the story: on the WCXB dev split a perfect choice between the two readings scores body F1
0.949, where trafilatura's choice scores 0.932. The choice here is learned instead:
gradient-boosted trees over how the two readings compare (their lengths, how much of each
the other holds, their blocks), in `fallback.json`, fitted by `extractors/fallback_train.py`
on the even-numbered pages and checked on the odd ones.

readability already runs inside every trafilatura extraction (about 3 ms a page, a tenth
of ours), so `readability_summaries` records its result instead of running it twice.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from functools import cache, wraps
from pathlib import Path

import trafilatura.external
from lxml.html import HtmlElement
from trafilatura.settings import Extractor

from .text import body_blocks
from .trees import load, score

MODEL = Path(__file__).with_name("fallback.json")
# A block of fewer words is a caption, a label or a teaser's title, not prose.
SHORT_BLOCK = 8

_recording = threading.local()


def _recorded(try_readability):
    """trafilatura's `try_readability`, recording a copy of each body it returns while
    `readability_summaries` is open (trafilatura may clean the body it keeps in place)."""
    @wraps(try_readability)
    def recording(tree: HtmlElement) -> HtmlElement:
        summary = try_readability(tree)
        for found in getattr(_recording, "open", ()):
            found.append(deepcopy(summary))
        return summary
    recording.records_summaries = True
    return recording


def install() -> None:
    """Record readability's bodies from now on (once per process; idempotent)."""
    if not getattr(trafilatura.external.try_readability, "records_summaries", False):
        trafilatura.external.try_readability = _recorded(trafilatura.external.try_readability)


@contextmanager
def readability_summaries() -> Iterator[list[HtmlElement]]:
    """The bodies readability returns inside the block, in call order: the first is its
    reading of the whole page (a later one, if any, is trafilatura's recall retry)."""
    install()
    found: list[HtmlElement] = []
    _recording.open = [*getattr(_recording, "open", ()), found]  # blocks may nest
    try:
        yield found
    finally:
        _recording.open = [block for block in _recording.open if block is not found]


def readability_blocks(summary: HtmlElement, url: str) -> list[str]:
    """readability's body as text blocks, converted to trafilatura's body markup the way
    trafilatura converts it when it keeps it."""
    options = Extractor(output_format="xml", comments=False, tables=True, url=url)
    body, _ = trafilatura.external.sanitize_tree(summary, options)
    return body_blocks(body)


def _words(blocks: list[str]) -> int:
    return sum(len(block.split()) for block in blocks)


def _held(blocks: list[str], other: list[str]) -> float:
    """Share of the words of `blocks` in blocks found whole in `other`'s text."""
    text = "\n".join(other)
    words = _words(blocks)
    return sum(len(b.split()) for b in blocks if b in text) / words if words else 0.0


def _shape(blocks: list[str], name: str) -> dict[str, float]:
    count = max(len(blocks), 1)
    return {f"{name}_words": math.log1p(_words(blocks)) / 8,
            f"{name}_blocks": math.log1p(len(blocks)) / 5,
            f"{name}_block_words": min(_words(blocks) / count, 100) / 100,
            f"{name}_short": sum(len(b.split()) < SHORT_BLOCK for b in blocks) / count}


def features(own: list[str], other: list[str]) -> dict[str, float]:
    """How trafilatura's reading (`own`) and readability's (`other`) compare, by name."""
    return {**_shape(own, "own"), **_shape(other, "other"),
            "ratio": math.log((_words(other) + 1) / (_words(own) + 1)),
            "own_held": _held(own, other), "other_held": _held(other, own),
            "same": float(own == other)}


@cache
def model() -> dict:
    return load(MODEL)


def prefer_other(own: list[str], other: list[str]) -> bool:
    """Is readability's reading the better body?"""
    if not other or own == other:
        return False
    fitted = model()
    return score(features(own, other), fitted) >= fitted["threshold"]

"""A second reading of the body: readability's, taken when a small model says it is better.

trafilatura reads a page with its own rules, then runs readability (its vendored
readability-lxml) and keeps readability's body only when its own is much shorter or has no
paragraphs (`trafilatura.external.compare_extraction`). Those length rules miss most of
the pages where readability read the story and trafilatura a teaser, a breadcrumb or half
the story: on the WCXB dev split a perfect choice between the two readings scores body F1
0.949, where trafilatura's choice scores 0.932. The choice here is learned instead:
gradient-boosted trees over how the two readings compare (their lengths, how much of each
the other holds, where the rest of each lies and what its blocks look like), in
`fallback.json`, fitted by `extractors/fallback_train.py` on the even-numbered pages and
checked on the odd ones.

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
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.htmlprocessing import delete_by_link_density, prune_unwanted_nodes
from trafilatura.settings import Extractor
from trafilatura.xpaths import DISCARD_IMAGE_ELEMENTS, OVERALL_DISCARD_XPATH, TEASER_DISCARD_XPATH

from .hooks import wrap_once
from .text import body_blocks, lines
from .trees import load, score

MODEL = Path(__file__).with_name("fallback.json")
# A block of fewer words is a caption, a label or a teaser's title, not prose.
SHORT_BLOCK = 8
# What no reader sees: hidden by attribute (not a section the reader can open:
# hidden="until-found"), by style or by the class "hidden".
_HIDDEN = etree.XPath(
    ".//*[(@hidden and not(@hidden='until-found')) or @aria-hidden='true'"
    " or contains(translate(@style, ' ', ''), 'display:none')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' hidden ')]")

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
    return recording


def install() -> None:
    """Record readability's bodies from now on (once per process; idempotent)."""
    wrap_once(trafilatura.external, "try_readability", _recorded)


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


def readability_blocks(summary: HtmlElement) -> list[str]:
    """readability's body as text blocks, pruned as trafilatura prunes its own reading
    (readability reads the page without that pruning): first the sections named for chrome
    by class and id (author boxes, tags, breadcrumbs, captions, teasers), then, once
    converted to trafilatura's body markup, the blocks made mostly of links (share bars,
    lists of other stories)."""
    # the first of OVERALL_DISCARD_XPATH: sections named for chrome; its second (hidden
    # elements and comment furniture, by regular expressions) costs as much again, and
    # `_HIDDEN` finds the hidden elements at a fraction of that
    # (with trafilatura's guard: nothing goes if that would take most of the text)
    pruned = prune_unwanted_nodes(summary, [OVERALL_DISCARD_XPATH[0], _HIDDEN],
                                  with_backup=True)
    pruned = prune_unwanted_nodes(pruned, DISCARD_IMAGE_ELEMENTS + TEASER_DISCARD_XPATH)
    body, _ = trafilatura.external.sanitize_tree(pruned, _options())
    for tag in ("div", "list", "p"):  # one pass of trafilatura's `prune_unwanted_sections`
        delete_by_link_density(body, tag, backtracking=tag == "div")
    return body_blocks(body)


def lines_apart(other: list[str], own: list[str]) -> list[str]:
    """readability's blocks with the lines of those trafilatura's reading does not hold
    whole as blocks of their own. readability makes a `<div>` of lines one paragraph, which
    trafilatura reads line by line, so that a box of chrome lines (a sign-up line, a
    donation appeal, its buttons) is tested line by line in both readings; a paragraph with
    line breaks that both readings hold stays whole (one line of a letter or a poem must
    not cut the story short)."""
    whole = set(own)
    return [line for block in other for line in
            ([block] if block in whole else lines(block))]


@cache
def _options() -> Extractor:
    """trafilatura's options for the conversion: links kept (as `<ref>`), for the link
    density test; no images (the page's URL, which only makes links and images absolute,
    is not needed)."""
    return Extractor(output_format="xml", comments=False, tables=True, links=True)


def _held(blocks: list[str], other: list[str]) -> list[bool]:
    """Which of `blocks` are found whole in `other`'s text."""
    same, text = set(other), "\n".join(other)
    return [b in same or b in text for b in blocks]


def _shape(counts: list[int], name: str) -> dict[str, float]:
    """The size of a reading whose blocks hold `counts` words."""
    blocks = max(len(counts), 1)
    return {f"{name}_words": math.log1p(sum(counts)) / 8,
            f"{name}_blocks": math.log1p(len(counts)) / 5,
            f"{name}_block_words": min(sum(counts) / blocks, 100) / 100,
            f"{name}_short": sum(n < SHORT_BLOCK for n in counts) / blocks}


def _rest(counts: list[int], held: list[bool], name: str) -> dict[str, float]:
    """What a reading holds beyond the other (blocks `held` are in both): the share of its
    words held, and of its words before, between and after the blocks held (a teaser above
    the story, a box inside it, a list of other stories below it), and the shape of the
    blocks not held (a list of titles is short blocks, a second story long ones)."""
    total = sum(counts) or 1
    # none held: its words are all rest, none of them before, between or after
    at = [i for i, h in enumerate(held) if h] or [len(counts)]
    first, last = at[0], at[-1]
    rest = [n for n, h in zip(counts, held, strict=True) if not h]
    inner = sum(n for i, (n, h) in enumerate(zip(counts, held, strict=True))
                if not h and first <= i <= last)
    return {f"{name}_held": sum(n for n, h in zip(counts, held, strict=True) if h) / total,
            f"{name}_head": sum(counts[:first]) / total if first < len(counts) else 0.0,
            f"{name}_tail": sum(counts[last + 1:]) / total,
            f"{name}_inner": inner / total,
            f"{name}_rest_short": sum(n for n in rest if n < SHORT_BLOCK) / (sum(rest) or 1),
            f"{name}_rest_block_words": min(sum(rest) / max(len(rest), 1), 100) / 100}


def features(own: list[str], other: list[str]) -> dict[str, float]:
    """How trafilatura's reading (`own`) and readability's (`other`) compare, by name."""
    own_counts = [len(b.split()) for b in own]
    other_counts = [len(b.split()) for b in other]
    return {**_shape(own_counts, "own"), **_shape(other_counts, "other"),
            "ratio": math.log((sum(other_counts) + 1) / (sum(own_counts) + 1)),
            **_rest(own_counts, _held(own, other), "own"),
            **_rest(other_counts, _held(other, own), "other")}


@cache
def model() -> dict:
    return load(MODEL)


def prefer_other(own: list[str], other: list[str]) -> bool:
    """Is readability's reading the better body?"""
    if not other or own == other:
        return False
    fitted = model()
    return score(features(own, other), fitted) >= fitted["threshold"]

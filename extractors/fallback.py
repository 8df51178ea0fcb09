"""Second and third readings of the body, each taken when a small model says it is better.

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

The third reading is the page's own blocks (`extractors.structure`), for the pages where
both readers dropped part of the story. `prefer_structure` compares it with the reading
chosen so far by the word 3-grams they share (their blocks are cut differently), and looks
at what it holds beyond that reading: how much, where, in what blocks (short ones, ending
without a full stop, with links). A third model (`structure.json`, fitted by the same
script after the fallback model) predicts the body F1 the third reading would gain; it is
taken where that is at least the model's threshold. Few pages gain from it (30 of 357 in
the training half by more than 0.02), a few of them much: a model choosing yes or no did
no better in cross-validation on the training half than never taking it, where this one
gains (0.9500 -> 0.9516); held out, 0.9420 -> 0.9491 on the pages whose readings differ.
"""

from __future__ import annotations

import math
import re
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
from .prune import fast
from .text import Item, body_blocks, count_words, found_in, lines, norm_space, words_in
from .trees import load, score

MODEL = Path(__file__).with_name("fallback.json")
STRUCTURE_MODEL = Path(__file__).with_name("structure.json")
# A block of fewer words is a caption, a label or a teaser's title, not prose.
SHORT_BLOCK = 8
# A block that ends a sentence: a full stop, a question or exclamation mark, a colon or a
# semicolon, perhaps followed by a closing quote or bracket.
_ENDS = re.compile(r"[.!?:;]['\"\u201d\u2019)]?$")
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
    pruned = prune_unwanted_nodes(summary, [fast(OVERALL_DISCARD_XPATH[0]), _HIDDEN],
                                  with_backup=True)
    pruned = prune_unwanted_nodes(
        pruned, [fast(xpath) for xpath in DISCARD_IMAGE_ELEMENTS + TEASER_DISCARD_XPATH])
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
    same = set(other)
    rest = iter(found_in([b for b in blocks if b not in same], "\n".join(other)))
    return [b in same or next(rest) for b in blocks]


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
    own_counts = list(map(count_words, own))
    other_counts = list(map(count_words, other))
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


# trafilatura's prose blocks just above readability's first: at most so many, of at least
# so many words each.
LEDE_BLOCKS = 2
LEDE_WORDS = 12


def with_lede(other: list[str], own: list[str]) -> list[str]:
    """readability's reading with the lede it left out: the blocks of trafilatura's reading
    (`own`) just above the one readability's opens with, while they are prose paragraphs
    (LEDE_WORDS words or more, ending a sentence, not list items) that readability's reading
    does not hold already (and each once). A standfirst or a first paragraph in a container
    of its own is not in the node readability picks as the story's; a heading, a kicker or a
    byline above it is not prose, and a list's items go whole or not at all. Where
    readability's first block is in trafilatura's reading more than once, where the lede
    would be is not known: nothing is added. The blocks are matched by their first lines (one
    reading may hold as lines of one block what the other holds as paragraphs). On the WCXB
    dev articles this changes 6 pages, 4 of them by a paragraph of the story."""
    first = _first_line(other[0]) if other else ""
    at = [i for i, block in enumerate(own) if _first_line(block) == first]
    if len(at) != 1:
        return other
    held = [norm_space(block) for block in other]
    text, seen = " ".join(held), set(held)  # the text in order: a block may span two
    lede: list[str] = []
    for block in reversed(own[max(at[0] - LEDE_BLOCKS, 0):at[0]]):
        flat = norm_space(block)
        if (isinstance(block, Item) or count_words(flat) < LEDE_WORDS
                or not _ENDS.search(flat) or flat in text or flat in seen):
            break
        seen.add(flat)
        lede.insert(0, block)
    return [*lede, *other]


def _first_line(block: str) -> str:
    return norm_space(block.split("\n", 1)[0])


# -- the third reading -------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _grams(text: str) -> set[tuple[str, ...]]:
    """The word 3-grams of a text, lower-cased (its words, if fewer than three)."""
    words = _WORD.findall(text.lower())
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return set(zip(words, words[1:], words[2:], strict=False))


def _held_shares(blocks: list[str], text: str, same: set[str]) -> list[float]:
    """For each block, the share of its 3-grams `text` holds: 1 for a block found in it
    verbatim, one of the blocks `same` (that it joins) or a part of one, without making
    any (most are)."""
    held: set | None = None
    shares = []
    verbatim = iter(found_in([block for block in blocks if block not in same], text))
    for block in blocks:
        if block in same or next(verbatim):
            shares.append(1.0)
            continue
        if held is None:
            held = _grams(text)
        grams = _grams(block)
        shares.append(len(grams & held) / max(len(grams), 1))
    return shares


def structure_features(chosen: list[str], other: list[str],
                       linked: list[float]) -> dict[str, float]:
    """How the page's own blocks (`other`, with each block's share of link text) compare
    with the reading chosen so far, by name: their sizes, how much of each the other
    holds (by word 3-grams, since the two cut blocks differently), and what `other` holds
    beyond `chosen` (its blocks with less than half their 3-grams in it): its share of the
    words, where it lies (before, inside, after the shared blocks), and its shape."""
    # one space between words, as the page's own blocks have it (trafilatura's keep their
    # line breaks); a block found verbatim in the other reading is held whole, and the
    # 3-grams of a text are made only for the blocks that are not (most are)
    split = [block.split() for block in chosen]
    flat = [" ".join(words) for words in split]
    text, other_text = " ".join(flat), " ".join(other)
    counts = list(map(count_words, other))
    chosen_counts = list(map(count_words, flat))
    chosen_words = sum(chosen_counts)
    inside = _held_shares(other, text, set(flat))
    chosen_inside = _held_shares(flat, other_text, set(other))
    extra = [i for i, share in enumerate(inside) if share < 0.5]
    shared = [i for i, share in enumerate(inside) if share >= 0.5]
    first, last = (shared[0], shared[-1]) if shared else (len(other), -1)
    total, extra_words = sum(counts) or 1, sum(counts[i] for i in extra)
    rest = max(extra_words, 1)
    return {
        "ratio": math.log((sum(counts) + 1) / (chosen_words + 1)),
        "chosen_held": sum(n * share for n, share in zip(chosen_counts, chosen_inside,
                                                          strict=True)) / max(chosen_words, 1),
        "other_held": sum(n * share for n, share in zip(counts, inside, strict=True)) / total,
        "chosen_words": math.log1p(chosen_words) / 8,
        "other_words": math.log1p(sum(counts)) / 8,
        "chosen_block_words": min(chosen_words / max(len(chosen), 1), 100) / 100,
        "extra": extra_words / total,
        "extra_head": sum(counts[i] for i in extra if i < first) / total,
        "extra_tail": sum(counts[i] for i in extra if i > last) / total,
        "extra_inner": sum(counts[i] for i in extra if first < i < last) / total,
        "extra_linked": sum(linked[i] * counts[i] for i in extra) / rest,
        "extra_short": sum(counts[i] for i in extra if counts[i] < SHORT_BLOCK) / rest,
        "extra_block_words": min(extra_words / max(len(extra), 1), 100) / 100,
        "extra_ends": sum(counts[i] for i in extra if _ENDS.search(other[i])) / rest,
    }


@cache
def structure_model() -> dict:
    return load(STRUCTURE_MODEL)


def structure_weighed(chosen: list[str], other: list[str]) -> bool:
    """Whether the page's own reading is weighed against the one kept at all: only where it
    holds more words, since it is there for the stories both readers cut short. On the WCXB
    dev pages, each of the 52 it was taken on had at least 9% more words; 38% of the pages
    compared have fewer or as many, and their comparison (1.5 ms) never took it."""
    return bool(other) and chosen != other and words_in(other) > words_in(chosen)


def prefer_structure(chosen: list[str], other: list[str], linked: list[float]) -> bool:
    """Is the page's own reading of its blocks the better body (by enough predicted gain)?"""
    if not structure_weighed(chosen, other):
        return False
    fitted = structure_model()
    return score(structure_features(chosen, other, linked), fitted) >= fitted["threshold"]

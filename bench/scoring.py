"""Scoring functions for extraction quality, as defined in the WCXB corpus README.

Every function here is pure: texts and ground-truth values in, numbers out. The runner
(`bench/extraction.py`) decides which pages are fed to which function.

Definitions (see `bench/README.md` for the full text):

* tokens are ``\\w+`` matches (Unicode, case kept);
* a text is a bag of word 4-grams; a text of 1 to 3 tokens is one shingle, no tokens no shingle;
* per page: tp = overlap of the two bags (with counts), precision = tp / predicted,
  recall = tp / gold;
* body precision is averaged over the pages with non-empty output, recall over all pages
  (an empty output has recall 0); body F1 = 2PR / (P + R) of those two averages;
* word F1: lower-cased ``\\w+`` bags, F1 per page (1.0 when both sides are empty), averaged
  over all pages;
* snippets: case-sensitive substring test after collapsing white space, pooled over snippets.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TOKEN_RE = re.compile(r"\w+")
SPACE_RE = re.compile(r"\s+")
AUTHOR_SPLIT_RE = re.compile(r"\s*(?:[,;&/|]|\band\b|\bund\b|\bet\b)\s*", re.IGNORECASE)
SHINGLE_SIZE = 4


def tokens(text: str | None) -> list[str]:
    """The ``\\w+`` tokens of a text, case kept."""
    return TOKEN_RE.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Bag of word n-grams; a text shorter than ``size`` tokens (but not empty) is one shingle."""
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < size:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + size]) for i in range(len(toks) - size + 1))


@dataclass(frozen=True)
class Overlap:
    """Shingle overlap of one page: true positives and the sizes of both bags."""

    tp: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float | None:
        """tp / predicted, or None when the output is empty (it takes no part in the average)."""
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float:
        """tp / gold; 0 for an empty output (and for an empty gold text)."""
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Per-page F1 (for error analysis; the corpus figure is F1 of the averages)."""
        return f1(self.precision or 0.0, self.recall)


def overlap(predicted: str | None, gold: str | None) -> Overlap:
    """Shingle overlap of an extracted text with the gold text."""
    pred_bag, gold_bag = shingles(predicted), shingles(gold)
    tp = sum((pred_bag & gold_bag).values())
    return Overlap(tp, sum(pred_bag.values()), sum(gold_bag.values()))


def f1(precision: float, recall: float) -> float:
    """Harmonic mean; 0 when both are 0."""
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean; 0 for no values."""
    return sum(values) / len(values) if values else 0.0


def body_scores(overlaps: Iterable[Overlap]) -> dict[str, float]:
    """Body precision (over non-empty outputs), recall (over all pages) and their F1."""
    overlaps = list(overlaps)
    precisions = [o.precision for o in overlaps if o.precision is not None]
    p, r = mean(precisions), mean([o.recall for o in overlaps])
    return {"body_p": p, "body_r": r, "body_f1": f1(p, r)}


def word_f1_page(predicted: str | None, gold: str | None) -> float:
    """F1 of the lower-cased ``\\w+`` bags of one page.

    Both sides empty is agreement (1.0); one side empty is 0.
    """
    pred_bag = Counter(t.lower() for t in tokens(predicted))
    gold_bag = Counter(t.lower() for t in tokens(gold))
    if not pred_bag and not gold_bag:
        return 1.0
    tp = sum((pred_bag & gold_bag).values())
    if not tp:
        return 0.0
    return f1(tp / sum(pred_bag.values()), tp / sum(gold_bag.values()))


def collapse_space(text: str | None) -> str:
    """Runs of white space become one space; ends stripped."""
    return SPACE_RE.sub(" ", text or "").strip()


def snippets_found(text: str | None, snippets: Iterable[str]) -> tuple[int, int]:
    """(found, total): snippets present in the text, case-sensitive, white space collapsed."""
    haystack = collapse_space(text)
    needles = [collapse_space(s) for s in snippets if collapse_space(s)]
    return sum(1 for n in needles if n in haystack), len(needles)


def pooled_share(counts: Iterable[tuple[int, int]]) -> float | None:
    """Sum of found over sum of totals (pooled over snippets, not averaged per page)."""
    counts = list(counts)
    total = sum(t for _, t in counts)
    return sum(f for f, _ in counts) / total if total else None


def share(flags: Iterable[bool]) -> float | None:
    """Share of true values; None when there are none to count."""
    flags = list(flags)
    return sum(flags) / len(flags) if flags else None


def normalize(text: str | None) -> str:
    """NFKC, case-folded, white space collapsed: the form metadata strings are compared in."""
    return collapse_space(unicodedata.normalize("NFKC", text or "")).casefold()


def title_match(predicted: str | None, gold: str, lenient: bool = False) -> bool:
    """Normalized equality; lenient: the gold title is contained in the predicted one."""
    pred, want = normalize(predicted), normalize(gold)
    if not pred:
        return False
    return want in pred if lenient else pred == want


def author_names(value: str | Iterable[str] | None) -> set[str]:
    """Normalized names: strings are split on , ; & / | and the words and, und, et."""
    parts = [value] if isinstance(value, str) else list(value or [])
    names = (n for part in parts for n in AUTHOR_SPLIT_RE.split(normalize(part)))
    return {n for n in names if n}


def authors_match(predicted: Iterable[str] | None, gold: str, lenient: bool = False) -> bool:
    """Same set of names; lenient: at least one name in common."""
    pred, want = author_names(predicted), author_names(gold)
    if not pred:
        return False
    return bool(pred & want) if lenient else pred == want


def date_match(predicted: str | None, gold: str) -> bool:
    """Same calendar date (or same month when the gold value is only YYYY-MM)."""
    want = gold.strip()
    return bool(predicted) and predicted.strip()[: len(want)] == want


def language_match(predicted: str | None, gold: str) -> bool:
    """Same ISO 639-1 primary subtag (``en-GB`` matches ``en``)."""
    return normalize(predicted).split("-")[0] == normalize(gold).split("-")[0]

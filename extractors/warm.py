"""`warm_up`: load now what extraction otherwise loads lazily on its first pages.

trafilatura's justext stop-word lists (held as `StopWords`: 1.2 MB, where trafilatura's
tuple of the words and justext's frozenset of them took about 20 MB), the compiled chrome
catalogue, the article path's rules (authors, the extensive date search), dateparser's data
for the languages `extractors.dates` gives it, and the month names of every dateparser
locale, which htmldate's date search checks a string against before it hands it over. A
process that forks extraction workers calls this once, so that every worker starts warm and
shares that memory; a benchmark calls it so that it times extraction, not first-use loading.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from hashlib import blake2b

import justext.core
import trafilatura.external
from htmldate.extractors import month_words

from .core import extract
from .dates import parser

# A short page without a date in its markup, at a dated URL: trafilatura finds too little in
# it and runs its fallbacks (readability, justext), and the extractor takes it for an
# article and runs its article metadata rules (authors, the extensive date search).
WARM_PAGE = b"""<html lang="en"><head><title>Warm-up</title></head><body><main>
<p>Published on 2 January 2024 by Staff.</p><p>A short paragraph of plain text.</p>
</main></body></html>"""
WARM_URL = "https://warm-up.invalid/2024/01/02/warm-up"  # dated: an article, metadata too
# A date in words in each language of `extractors.dates.LANGUAGES`.
DATES = ("Published on 12 March 2024", "Опубликовано 12 марта 2024 года",
         "Veröffentlicht am 12. März 2024", "Publié le 12 mars 2024",
         "Publicado el 12 de marzo de 2024", "Publicado em 12 de março de 2024")


def warm_up() -> None:
    """Load the extractor's lazily built data now. Safe to call again."""
    justext.core.define_stoplist = define_stoplist  # before justext builds its copy
    if not isinstance(trafilatura.external.JT_STOPLIST, StopWords):  # the words, then freed
        trafilatura.external.JT_STOPLIST = StopWords(trafilatura.external.jt_stoplist_init())
    month_words()
    for text in DATES:  # each language's data is built the first time a string needs it
        parser().get_date_data(text)
    if not extract(WARM_PAGE, WARM_URL).is_article:
        raise RuntimeError("the warm-up page is not an article: the article path stays cold")


class StopWords:
    """A set of words that answers `word in stop_words` and holds no strings: a sorted
    array of each lower-cased word's 64-bit BLAKE2b digest.

    trafilatura hands justext every language's stop words when it does not know a page's
    language, 154,000 of them: kept as strings (trafilatura's tuple, justext's frozenset)
    they took about 20 MB in the process that warms up and so in every extraction worker;
    as digests, 1.2 MB. justext asks about each word of the paragraphs it classifies (about
    60 a page on the WCXB dev articles), at about 0.6 microseconds a word, against 0.06 for
    a frozenset. Two different words share a digest with a chance of about one in 10^14
    per word asked; a stable hash, so the answers are the same in every process and run.
    """

    __slots__ = ("_digests",)

    def __init__(self, words: Iterable[str]):
        self._digests = array("q", sorted({_digest(word.lower()) for word in words}))

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        digest = _digest(word)
        at = bisect_left(self._digests, digest)
        return at < len(self._digests) and self._digests[at] == digest

    def __len__(self) -> int:
        return len(self._digests)


def _digest(word: str) -> int:
    return int.from_bytes(blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8)
                          .digest(), "little", signed=True)


@lru_cache(maxsize=128)  # as justext's: one per stop-word list
def define_stoplist(stoplist: Iterable[str]) -> frozenset[str] | StopWords:
    """justext's `define_stoplist` (its words lower-cased, as a frozenset), `StopWords` as
    they are, and without a copy of the words that are lower-case already: justext's makes
    a new string of each (for a language's own list, trafilatura's when it knows a page's
    language)."""
    if isinstance(stoplist, StopWords):
        return stoplist
    return frozenset(map(_lowered, stoplist))


def _lowered(word: str) -> str:
    lowered = word.lower()
    return word if lowered == word else lowered

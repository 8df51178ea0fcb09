"""`warm_up`: load now what extraction otherwise loads lazily on its first pages.

trafilatura's justext stop-word lists (about 20 MB; 33 with the copy of each word justext's
own `define_stoplist` would make), the compiled chrome catalogue, the article path's rules
(authors, the extensive date search), dateparser's data for the languages
`extractors.dates` gives it, and the month names of every dateparser locale, which
htmldate's date search checks a string against before it hands it over. A process that
forks extraction workers calls this once, so that every worker starts warm and shares that
memory; a benchmark calls it so that it times extraction, not first-use loading.
"""

from __future__ import annotations

from functools import lru_cache

import justext.core
from htmldate.extractors import month_words
from trafilatura.external import jt_stoplist_init

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
    define_stoplist(jt_stoplist_init())  # the list, and the cached frozenset of it
    month_words()
    for text in DATES:  # each language's data is built the first time a string needs it
        parser().get_date_data(text)
    if not extract(WARM_PAGE, WARM_URL).is_article:
        raise RuntimeError("the warm-up page is not an article: the article path stays cold")


@lru_cache(maxsize=128)  # as justext's: one per stop-word list
def define_stoplist(stoplist: tuple[str, ...]) -> frozenset[str]:
    """justext's `define_stoplist` (its words lower-cased, as a frozenset) without a copy of
    the words that are lower-case already. justext's makes a new string of each, and the
    list trafilatura gives it is every language's stop words, 154,000 of them: its copy
    was about 13 MB more in the process that warms up, and so in each extraction worker."""
    return frozenset(map(_lowered, stoplist))


def _lowered(word: str) -> str:
    lowered = word.lower()
    return word if lowered == word else lowered

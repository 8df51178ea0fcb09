"""`warm_up`: load now what extraction otherwise loads lazily on its first pages.

trafilatura's justext stop-word lists (about 27 MB), the compiled chrome catalogue, the
article path's rules (authors, the extensive date search) and dateparser's English locale
(`extractors.dates`). A process that forks extraction workers calls this once, so that every
worker starts warm and shares that memory; a benchmark calls it so that it times
extraction, not first-use loading.
"""

from __future__ import annotations

from justext.core import define_stoplist
from trafilatura.external import jt_stoplist_init

from .core import extract
from .dates import english_parser

# A short page without a date in its markup, at a dated URL: trafilatura finds too little in
# it and runs its fallbacks (readability, justext), and the extractor takes it for an
# article and runs its article metadata rules (authors, the extensive date search).
WARM_PAGE = b"""<html lang="en"><head><title>Warm-up</title></head><body><main>
<p>Published on 2 January 2024 by Staff.</p><p>A short paragraph of plain text.</p>
</main></body></html>"""
WARM_URL = "https://warm-up.invalid/2024/01/02/warm-up"  # dated: an article, metadata too


def warm_up() -> None:
    """Load the extractor's lazily built data now. Safe to call again."""
    define_stoplist(jt_stoplist_init())  # the list, and justext's cached frozenset of it
    english_parser().get_date_data("March 3rd, 2025 at 5pm")  # its locale loads on first use
    if not extract(WARM_PAGE, WARM_URL).is_article:
        raise RuntimeError("the warm-up page is not an article: the article path stays cold")

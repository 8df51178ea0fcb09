"""What the extraction forkserver imports once, before it forks any worker.

Importing this module loads the extractor (`crawler.jobs`) and warms the data it otherwise
loads on a worker's first pages (trafilatura's justext stop-word lists, about 27 MB, and
trafilatura's and htmldate's first-use caches), then freezes the garbage collector's view of
it. Every worker forked from the server shares those pages copy-on-write instead of building
its own copy, which is what keeps the pool's memory flat as workers are added or replaced.
"""

from __future__ import annotations

import gc
import logging

from justext.core import define_stoplist
from trafilatura.external import jt_stoplist_init

from crawler.jobs import extract_page

# A short page: trafilatura finds too little in it and runs its fallbacks (readability,
# justext), and htmldate its date search, so their first-use loading happens here.
WARM_PAGE = b"""<html lang="en"><head><title>Warm-up</title>
<meta name="date" content="2024-01-02"></head><body><main>
<p>Published on 2 January 2024 by Staff.</p><p>A short paragraph of plain text.</p>
</main></body></html>"""


def warm_up() -> None:
    """Load the extractor's lazily built data now, in the process that will fork workers.

    A failure here only means cold workers (they load the same data on their first pages):
    it is logged, never raised, since an exception would take the forkserver down with it.
    """
    try:
        define_stoplist(jt_stoplist_init())  # the list, and justext's cached frozenset of it
        extract_page(WARM_PAGE, "https://warm-up.invalid/2024/01/02/warm-up", "", (), "")
    except Exception:  # any failure: log it, and let the workers start cold
        logging.getLogger(__name__).exception("extractor warm-up failed; workers start cold")
    gc.collect()
    gc.freeze()  # what is loaded now is never collected: keep gc from touching its pages


warm_up()

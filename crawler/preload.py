"""What the extraction forkserver imports once, before it forks any worker.

Importing this module loads the extractor (`crawler.jobs`) and warms the data it otherwise
loads on a worker's first pages (`extractors.warm`: justext's stop words, as 1.2 MB of
digests, and the locale data of the date parser), then freezes the garbage collector's view of
it. Every worker forked from the server shares those pages copy-on-write instead of building
its own copy, which is what keeps the pool's memory flat as workers are added or replaced.
"""

from __future__ import annotations

import gc
import logging

from crawler.jobs import extract_page, tune_malloc  # noqa: F401  (extract_page: the job)
from extractors.warm import warm_up as warm_extractor


def warm_up() -> None:
    """Load the extractor's lazily built data now, in the process that will fork workers.

    A failure here only means cold workers (they load the same data on their first pages):
    it is logged, never raised, since an exception would take the forkserver down with it.
    """
    tune_malloc()  # before the warm-up allocates; the workers forked from here inherit it
    try:
        warm_extractor()
    except Exception:  # any failure: log it, and let the workers start cold
        logging.getLogger(__name__).exception("extractor warm-up failed; workers start cold")
    gc.collect()
    gc.freeze()  # what is loaded now is never collected: keep gc from touching its pages


warm_up()

"""Scrapy's scheduler priority queues, finding the next priority in a heap.

Scrapy's ``ScrapyPriorityQueue`` keeps a FIFO queue per priority and, whenever one of them
empties, finds the next priority by a scan of all the others: a pass over every distinct
priority queued, for nearly every request when each has its own. Each of ours has: a
sitemap or feed entry's priority is its date to the second (crawler/listings.py), and the
scheduler holds up to ``NEWSCRAWL_QUEUE_LIMIT`` (2,000) requests. With that many, the scan
made a request cost 335 µs to queue and take instead of 8 µs, in the reactor's thread; and
its length, which the scheduler's users ask for (``FrontierMiddleware`` after every page,
the engine), is a sum over all of them.

Here a heap of the priorities whose queues may hold requests finds the next one in
O(log n), and a count is the length. What is queued, and in which order, stays Scrapy's.
(Disk queues work too, but a queue per priority holds two file descriptors there: the
`newscrawl` command refuses ``-s JOBDIR``, whose queue the frontier table is.)
``DownloaderAwarePriorityQueue`` (Scrapy's default, ``SCHEDULER_PRIORITY_QUEUE``) keeps one
such queue per download slot.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from scrapy import Request
from scrapy.pqueues import DownloaderAwarePriorityQueue as ScrapyDownloaderAware
from scrapy.pqueues import ScrapyPriorityQueue


class PriorityQueue(ScrapyPriorityQueue):
    """``ScrapyPriorityQueue`` with a heap of its priorities (``SCHEDULER_PRIORITY_QUEUE =
    "crawler.pqueues.PriorityQueue"`` for a crawl that would use Scrapy's)."""

    def init_prios(self, startprios: Iterable[int]) -> None:
        startprios = list(startprios)  # (an iterable Scrapy reads twice)
        super().init_prios(startprios)
        self._heap = sorted(startprios)
        self._count = super().__len__()  # what a JOBDIR's queues held

    def push(self, request: Request) -> None:
        priority = self.priority(request)
        if not (self.queues.get(priority) or self._start_queues.get(priority)):
            # in the heap before Scrapy's queue has it: a push that fails leaves an entry
            # that the next look drops, never a queue the heap does not know
            heapq.heappush(self._heap, priority)
        super().push(request)
        self._count += 1

    def pop(self) -> Request | None:
        request = super().pop()
        if request is not None:
            self._count -= 1
        return request

    def __len__(self) -> int:
        return self._count

    def _update_curprio(self) -> None:
        heap = self._heap
        while heap and not (self.queues.get(heap[0]) or self._start_queues.get(heap[0])):
            heapq.heappop(heap)  # an emptied queue's (or a second entry of one priority)
        self.curprio = heap[0] if heap else None


class DownloaderAwarePriorityQueue(ScrapyDownloaderAware):
    """Scrapy's default priority queue, one `PriorityQueue` per download slot."""

    def pqfactory(self, slot: str, startprios: Iterable[int] = ()) -> PriorityQueue:
        key = super().pqfactory(slot).key  # Scrapy's spelling of the slot as a path
        return PriorityQueue(self.crawler, self.downstream_queue_cls, key, startprios,
                             start_queue_cls=self._start_queue_cls)

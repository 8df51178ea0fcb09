"""crawler.pqueues: Scrapy's priority queues with a heap; the same order as Scrapy's own."""

from __future__ import annotations

import random

import pytest
from scrapy import Request
from scrapy.pqueues import ScrapyPriorityQueue
from scrapy.squeues import FifoMemoryQueue, PickleFifoDiskQueue
from scrapy.utils.test import get_crawler

from crawler.pqueues import DownloaderAwarePriorityQueue, PriorityQueue


def queue(cls, key: str = "", startprios=(), downstream=FifoMemoryQueue):
    return cls.from_crawler(get_crawler(), downstream, key, startprios,
                            start_queue_cls=FifoMemoryQueue)


def drained(q) -> list[str]:
    urls = []
    while (request := q.pop()) is not None:
        urls.append(request.url)
    return urls


@pytest.mark.parametrize("seed", range(5))
def test_requests_come_out_in_scrapys_order_and_the_length_is_always_right(seed):
    """Pushes and pops interleaved at random, start requests among them, priorities few
    (ties: first in, first out) or many (a date to the second each)."""
    rng = random.Random(seed)
    spread = rng.choice([3, 10**9])
    ours, scrapys = queue(PriorityQueue), queue(ScrapyPriorityQueue)
    taken: tuple[list, list] = ([], [])
    for n in range(3000):
        if rng.random() < 0.55:
            meta = {"is_start_request": True} if rng.random() < 0.2 else {}
            priority = rng.randrange(spread)
            for q in (ours, scrapys):
                q.push(Request(f"https://n.example/{n}", priority=priority, meta=meta))
        else:
            for q, out in zip((ours, scrapys), taken, strict=True):
                request = q.pop()
                out.append(request and request.url)
        assert len(ours) == len(scrapys)
    assert taken[0] == taken[1]
    assert drained(ours) == drained(scrapys) and len(ours) == 0


class Refusing(FifoMemoryQueue):
    """A downstream queue whose push fails for one URL (as a disk queue's does for a
    request it cannot serialize)."""

    def push(self, obj):
        if obj.url.endswith("/bad"):
            raise ValueError("cannot serialize")
        super().push(obj)


def test_a_push_that_fails_loses_no_later_request_of_its_priority():
    q = queue(PriorityQueue, downstream=Refusing)
    q.push(Request("https://n.example/new", priority=9))
    with pytest.raises(ValueError):
        q.push(Request("https://n.example/bad", priority=5))
    q.push(Request("https://n.example/after", priority=5))
    q.push(Request("https://n.example/old", priority=1))
    assert len(q) == 3
    assert drained(q) == ["https://n.example/new", "https://n.example/after",
                          "https://n.example/old"]


def test_a_jobdirs_queues_are_taken_up_again(tmp_path):
    q = queue(PriorityQueue, str(tmp_path), downstream=PickleFifoDiskQueue)
    for n, priority in enumerate([1, 7, 3, 7]):
        q.push(Request(f"https://n.example/{n}", priority=priority))
    startprios = q.close()
    again = queue(PriorityQueue, str(tmp_path), startprios, downstream=PickleFifoDiskQueue)
    assert len(again) == 4
    again.push(Request("https://n.example/4", priority=5))
    assert drained(again) == [f"https://n.example/{n}" for n in (1, 3, 4, 2, 0)]


def test_the_default_queue_keeps_a_heap_queue_per_download_slot():
    crawler = get_crawler(settings_dict={
        "SCHEDULER_PRIORITY_QUEUE": "crawler.pqueues.DownloaderAwarePriorityQueue"})
    crawler._apply_settings()
    crawler.engine = crawler._create_engine()
    q = DownloaderAwarePriorityQueue.from_crawler(crawler, FifoMemoryQueue, "")
    q.push(Request("https://a.example/old", priority=1))
    q.push(Request("https://a.example/new", priority=2))
    assert all(isinstance(pq, PriorityQueue) for pq in q.pqueues.values())
    assert len(q) == 2 and drained(q) == ["https://a.example/new", "https://a.example/old"]

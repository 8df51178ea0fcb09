"""Page budgets (crawler/budget.py): pages wait for their site's listings, then the newest go.

End to end (a first run with a budget stores the newest articles, not the start page's
section links): tests/test_scheduled.py.
"""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler import storage
from crawler.budget import LISTING_WAIT, REVISIT, PageBudget
from crawler.listings import LISTING_PRIORITY
from crawler.scheduling import STORAGE_PIPELINE, FrontierMiddleware
from crawler.spiders.news import NewsSpider
from crawler.visits import SITE, SOURCE
from tests.test_frontier import Engine, commit

SITE_NAME = "n.example"


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def budget(own: int | None = None, run: int | None = None, **kwargs) -> PageBudget:
    stats = MemoryStatsCollector(get_crawler())
    return PageBudget(lambda site: (own, run), stats, **kwargs)


def page(path: str, priority: int = 0, site: str = SITE_NAME) -> Request:
    return Request(f"https://{site}/{path}", priority=priority,
                   meta={SOURCE: "link", SITE: site})


def listing(path: str, site: str = SITE_NAME) -> Request:
    return Request(f"https://{site}/{path}", priority=LISTING_PRIORITY,
                   meta={SOURCE: "feed", SITE: site})


def urls(requests: list[Request]) -> list[str]:
    return [r.url.rsplit("/", 1)[1] for r in requests]


def test_pages_wait_for_the_listings_then_the_newest_go():
    spent = budget(own=3)
    spent.asked_for(listing("home"))
    assert not any(spent.take(page(p)) for p in ("world", "about", "sport"))  # links, no date
    spent.asked_for(listing("feed.xml"))
    assert spent.answered(SITE_NAME, "https://n.example/home") == []  # the feed is out
    assert not spent.take(page("old-story", priority=100))
    assert not spent.take(page("new-story", priority=300))
    released = spent.answered(SITE_NAME, "https://n.example/feed.xml")
    # the best three of five: the two dated stories, then the first link found
    assert urls(released) == ["new-story", "old-story", "world"]
    assert spent.stats.get_value("newscrawl/frontier/deferred") == 2
    assert spent.room(SITE_NAME) == 0
    assert not spent.take(page("later"))  # the phase is over, the budget spent


@pytest.mark.parametrize("waiting", [True, False])
def test_a_page_found_again_with_a_date_moves_up(waiting):
    spent = budget(own=2)
    spent.asked_for(listing("home"))
    assert not spent.take(page("story"))
    assert not spent.take(page("about"))
    if not waiting:  # "about" falls out: same priority as "story", found later
        assert not spent.take(page("hub", priority=10))
    assert not spent.take(page("about", priority=500))  # the feed dates it
    released = urls(spent.answered(SITE_NAME, "https://n.example/home"))
    assert released == (["about", "story"] if waiting else ["about", "hub"])


def test_a_duplicate_link_waits_once():
    spent = budget(own=5)
    spent.asked_for(listing("home"))
    for _ in range(3):
        assert not spent.take(page("story"))
    assert urls(spent.answered(SITE_NAME, "https://n.example/home")) == ["story"]
    assert spent.stats.get_value("newscrawl/frontier/held") == 1


def test_without_a_budget_nothing_waits():
    spent = budget()
    spent.asked_for(listing("home"))
    assert spent.take(page("story"))
    assert spent.answered(SITE_NAME, "https://n.example/home") == []


def test_the_run_budget_is_shared_and_a_start_page_spends_it():
    spent = budget(run=3)
    spent.spend("a.example")  # a start URL that was a page
    assert spent.take(page("one", site="b.example"))
    assert spent.take(page("two", site="a.example"))
    assert not spent.take(page("three", site="b.example"))
    assert spent.stats.get_value("newscrawl/frontier/deferred") == 1


def test_listings_of_other_sites_do_not_hold_a_site():
    spent = budget(own=2)
    spent.asked_for(listing("feed.xml", site="slow.example"))
    assert spent.take(page("story"))


def test_a_slow_listing_holds_pages_for_the_wait_at_most():
    clock = Clock()
    spent = budget(own=2, wait=60.0, clock=clock)
    spent.asked_for(listing("sitemap.xml"))
    assert not spent.take(page("story"))
    clock.now = 59.0
    assert spent.overdue() == []
    clock.now = 60.0
    assert urls(spent.overdue()) == ["story"]
    assert spent.take(page("next"))  # the phase is over: pages go out as they come
    assert spent.answered(SITE_NAME, "https://n.example/sitemap.xml") == []  # late, no matter


@pytest.mark.parametrize("how", ["idle", "answered"])
def test_the_phase_ends_once_per_run(how):
    spent = budget(own=5)
    spent.asked_for(listing("home"))
    assert not spent.take(page("story"))
    if how == "idle":  # nothing in flight: no listing is coming
        assert urls(spent.release_all()) == ["story"]
    else:
        assert urls(spent.answered(SITE_NAME, "https://n.example/home")) == ["story"]
    spent.asked_for(listing("section"))  # a listing found later does not hold pages again
    assert spent.take(page("next"))
    assert spent.release_all() == []


def test_a_revisited_section_front_comes_after_pages_never_fetched():
    spent = budget(own=1)
    spent.asked_for(listing("home"))
    hub = page("world")
    hub.meta[REVISIT] = True  # fetched before, looked at again for new links
    assert not spent.take(hub)
    assert not spent.take(page("new-story"))  # no date either, found later
    assert urls(spent.answered(SITE_NAME, "https://n.example/home")) == ["new-story"]


def test_the_section_front_longest_unvisited_is_read_again_first():
    from crawler.visits import mark_revisit

    spent = budget(own=1)
    spent.asked_for(listing("home"))
    for path, visited in [("world", "2026-11-30T10:00:00Z"), ("culture", "2026-11-29T10:00:00Z"),
                          ("sport", "2026-11-30T09:00:00Z")]:
        hub = page(path)
        mark_revisit(hub, {"visited_at": visited})
        assert not spent.take(hub)
    assert urls(spent.answered(SITE_NAME, "https://n.example/home")) == ["culture"]


def test_a_url_waiting_under_another_site_waits_once():
    """A row queued under a site's old name (before a config split it off) and a link
    to it under the new name."""
    spent = budget(own=3)
    spent.asked_for(listing("home", site="old.example"))
    spent.asked_for(listing("home"))
    queued = Request("https://n.example/story", meta={SOURCE: "link", SITE: "old.example"})
    assert not spent.take(queued)
    assert not spent.take(page("story", priority=500))
    assert spent.answered(SITE_NAME, "https://n.example/home") == []
    assert [r.priority for r in spent.answered("old.example", "https://old.example/home")] == [
        500]


# -- the middleware's side: when is a listing answered? ------------------------------


@pytest.fixture
def frontier(tmp_path):
    crawler = get_crawler(NewsSpider, {"NEWSCRAWL_DB": str(tmp_path / "news.db"),
                                       "ITEM_PIPELINES": {STORAGE_PIPELINE: 1}})
    crawler.spider = NewsSpider.from_crawler(crawler, start_urls="https://n.example/",
                                             max_pages=2)
    middleware = FrontierMiddleware.from_crawler(crawler)
    middleware.sent = []
    middleware._send = middleware.sent.extend  # what goes to the engine outside a callback
    [seed] = [r for r in asyncio.run(_started(middleware)) if isinstance(r, Request)]
    yield middleware, seed
    middleware.spider_closed()


async def _started(middleware):
    return [r async for r in middleware.process_start(middleware.crawler.spider.start())]


def answer(request: Request) -> HtmlResponse:
    return HtmlResponse(request.url, body=b"<html></html>", request=request)


def scheduled(output) -> list[str]:
    return urls([r for r in output if isinstance(r, Request)])


def wait_out(middleware, *pages: Request) -> None:
    """`pages` wait for their site's listings, which have not answered when the wait ends."""
    clock = Clock()
    middleware.budget.clock = clock
    middleware.budget.opened[SITE_NAME] = 0.0
    list(middleware.process_spider_output(None, list(pages)))
    clock.now = LISTING_WAIT


def test_a_duplicate_request_for_a_listing_in_flight_does_not_end_the_wait(frontier):
    middleware, seed = frontier
    feed = listing("feed.xml")
    out = list(middleware.process_spider_output(answer(seed), [feed, page("story")]))
    assert scheduled(out) == ["feed.xml"]  # the story waits for the feed
    again = listing("feed.xml")  # the homepage's <a href="/feed.xml">: dropped by Scrapy
    list(middleware.process_spider_output(None, [again]))
    middleware.request_dropped(again)
    assert middleware.sent == []
    hop = feed.replace(url="https://n.example/rss", meta={**feed.meta,
                       "redirect_urls": [feed.url]})  # a redirect hop to a URL seen before
    middleware.request_dropped(hop)
    assert urls(middleware.sent) == ["story"]


def test_a_listing_not_sent_is_answered(frontier):
    """A listing not sent (its host given up, its robots.txt unread: `Unsent`) records
    nothing, and the site's pages waited for it until the listing wait ran out."""
    from twisted.python.failure import Failure

    from crawler.middlewares import RobotsUnavailable

    middleware, seed = frontier
    feed = listing("feed.xml")
    out = list(middleware.process_spider_output(answer(seed), [feed, page("story")]))
    assert scheduled(out) == ["feed.xml"]  # the story waits for the feed
    failure = Failure(RobotsUnavailable("not sent: robots.txt could not be read"))
    failure.request = feed
    assert middleware.crawler.spider.on_error(failure) == []
    assert urls(middleware.sent) == ["story"]


def test_a_listing_whose_callback_fails_is_answered(frontier):
    middleware, seed = frontier
    list(middleware.process_spider_output(None, [page("story")]))

    def broken():
        yield page("other")
        raise ValueError("a bug in a callback")
    with pytest.raises(ValueError):
        list(middleware.process_spider_output(answer(seed), broken()))
    assert urls(middleware.sent) == ["story"]


def test_an_errback_visit_answers_its_listing(frontier):
    middleware, seed = frontier
    list(middleware.process_spider_output(None, [page("story")]))
    middleware.item_done({"visit": {"url": seed.url, "site": SITE_NAME}})
    assert urls(middleware.sent) == ["story"]


def test_pages_whose_wait_is_over_go_before_the_next_answers_own(frontier):
    middleware, _ = frontier  # the seed stays unanswered
    wait_out(middleware, page("newest", priority=300_000))
    hub = page("world")  # a page answered meanwhile: its links are older
    middleware.requested.add(hub.url)
    out = list(middleware.process_spider_output(answer(hub), [page("old", priority=100)]))
    assert scheduled(out) == ["newest", "old"]  # a budget of 2
    out = list(middleware.process_spider_output(None, [page("older", priority=50)]))
    assert scheduled(out) == []


def test_a_page_released_by_the_wait_and_linked_by_the_same_answer_spends_once(frontier):
    middleware, _ = frontier
    wait_out(middleware, page("newest", priority=300_000))
    feed = listing("feed.xml")  # a late listing that names the released page again
    middleware.requested.add(feed.url)
    out = list(middleware.process_spider_output(
        answer(feed), [page("newest", priority=300_000), page("old", priority=100)]))
    assert sorted(scheduled(out)) == ["newest", "newest", "old"]  # the repeat: dropped, free
    assert middleware.budget.spent == {SITE_NAME: 2}


def test_pages_whose_wait_is_over_go_even_when_the_next_callback_fails(frontier):
    middleware, _ = frontier
    wait_out(middleware, page("newest", priority=300_000))

    def broken():
        yield page("other", priority=1)
        raise ValueError("a bug in a callback")
    with pytest.raises(ValueError):
        list(middleware.process_spider_output(answer(page("world")), broken()))
    middleware._send(middleware.budget.overdue())  # the poll
    assert urls(middleware.sent) == ["newest"]
    assert middleware.budget.spent == {SITE_NAME: 1}


def test_a_start_page_answered_after_the_wait_spends_its_page_first(frontier):
    middleware, seed = frontier  # a budget of 2
    wait_out(middleware, page("a", priority=3), page("b", priority=2))
    item = {"visit": {"url": seed.url, "site": SITE_NAME}, "body": b"<html></html>"}
    out = list(middleware.process_spider_output(answer(seed), [item]))
    assert scheduled(out) == ["a"]
    assert middleware.budget.spent == {SITE_NAME: 2}


def test_at_idle_a_page_the_budget_releases_is_not_taken_again_from_the_frontier(frontier,
                                                                                   tmp_path):
    middleware, _ = frontier  # the seed stays unanswered: pages wait for it
    middleware.crawler.engine = Engine()
    out = list(middleware.process_spider_output(None, [page("story", priority=7)]))
    db = storage.open_db(tmp_path / "news.db")
    commit(db, [r for r in out if not isinstance(r, Request)], storage.start_run(db, {}))
    db.close()
    middleware.backlog = True  # the frontier may hold more for the run
    with pytest.raises(DontCloseSpider):
        middleware.spider_idle()
    assert urls(middleware.sent) == ["story"]
    assert middleware.budget.spent == {SITE_NAME: 1}

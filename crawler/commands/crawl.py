"""`scrapy crawl`, exiting 1 where the crawl could not start.

A pipeline that cannot open (the database locked or damaged, no extraction workers) closes
the spider as it starts (`crawler.pipelines.cannot_start`): its one ERROR line says why,
and Scrapy, which saw a spider closed by a component, exits 0. A scheduled `scrapy crawl`
would read that as a run done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.commands import crawl

from crawler.status import START_ERROR

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider


class Command(crawl.Command):
    crawler: Crawler | None = None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        if self.crawler is not None and self.crawler.stats.get_value(START_ERROR):
            self.exitcode = 1

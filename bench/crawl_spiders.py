"""The crawl benchmark's two reference crawlers, each run in its own process.

    python -m bench.crawl_spiders download URL OUT.json   # (a) plain Scrapy, download only
    python -m bench.crawl_spiders naive URL OUT.json      # (b) trafilatura in the callback

Both are Scrapy `SitemapSpider`s reading the sitemap index at URL, with robots.txt obeyed and
the same local-bench settings as the newscrawl run (`BENCH_SETTINGS`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.spiders import SitemapSpider

# A local bench: no politeness delays, enough concurrency that the crawler, not the
# server, sets the pace. newscrawl gets the same through `newscrawl crawl --set`.
BENCH_SETTINGS = {
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "USER_AGENT": "newscrawl-bench/0.1",
}


class DownloadSpider(SitemapSpider):
    """(a) Fetch every page of the sitemap and do nothing with it: the ceiling."""

    name = "bench-download"

    def parse(self, response):
        self.crawler.stats.inc_value("bench/pages")
        return ()


class NaiveSpider(SitemapSpider):
    """(b) What a first attempt looks like: trafilatura.extract in the callback."""

    name = "bench-naive"

    def parse(self, response):
        import trafilatura

        self.crawler.stats.inc_value("bench/pages")
        text = trafilatura.extract(response.body, url=response.url)
        if text:
            self.crawler.stats.inc_value("bench/articles")
        return ()


def main(mode: str, sitemap_url: str, out: str) -> None:
    spider = {"download": DownloadSpider, "naive": NaiveSpider}[mode]
    process = CrawlerProcess(BENCH_SETTINGS)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, sitemap_urls=[sitemap_url])
    process.start()
    stats = crawler.stats.get_stats()
    result = {"pages": stats.get("bench/pages", 0), "articles": stats.get("bench/articles", 0),
              "robots": stats.get("robotstxt/response_count", 0)}
    Path(out).write_text(json.dumps(result), "utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:4])

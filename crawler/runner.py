"""Run one crawl in this process and report what it did: the library behind `newscrawl crawl`.

Everything that can be checked before a request is sent is checked first (start URLs, rule
folders, the database file), so bad input fails fast with one line and an untouched DB.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import storage
from crawler.discovery import parse_start_urls
from crawler.spiders.news import NewsSpider
from extractors.rules import RuleError, load_dir


class CrawlError(Exception):
    """A crawl that cannot start or that fetched nothing; the message is one line."""


@dataclass
class CrawlOptions:
    start_urls: list[str]
    db: Path
    max_pages: int | None = None
    max_depth: int | None = None
    rules: tuple[Path, ...] = ()
    workers: int | None = None
    log_level: str = "INFO"
    settings: dict = field(default_factory=dict)


@dataclass
class CrawlResult:
    run_id: int | None
    stats: dict
    seconds: float
    titles: list[str]

    def count(self, key: str) -> int:
        return int(self.stats.get(key, 0) or 0)

    @property
    def pages(self) -> int:
        return self.count("newscrawl/pages")

    @property
    def articles(self) -> int:
        return self.count("newscrawl/extract/articles")

    @property
    def skipped(self) -> int:
        return sum(self.count(k) for k in ("newscrawl/extract/non_articles",
                                           "newscrawl/extract/failed",
                                           "newscrawl/skipped/non_html"))

    @property
    def errors(self) -> int:
        return sum(int(v or 0) for k, v in self.stats.items()
                   if k.startswith("newscrawl/errors/"))


def check(options: CrawlOptions) -> None:
    """Validate everything before the first request; raise CrawlError with one line."""
    try:
        parse_start_urls(options.start_urls)
        for folder in options.rules:
            load_dir(Path(folder))
        storage.open_db(options.db).close()
    except (ValueError, RuleError, storage.StorageError) as error:
        raise CrawlError(str(error)) from None


def settings_for(options: CrawlOptions) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("NEWSCRAWL_DB", str(options.db), priority="cmdline")
    settings.set("NEWSCRAWL_RULES", [str(r) for r in options.rules], priority="cmdline")
    settings.set("LOG_LEVEL", options.log_level, priority="cmdline")
    if options.workers:
        settings.set("NEWSCRAWL_EXTRACT_WORKERS", options.workers, priority="cmdline")
    settings.set("NEWSCRAWL_RUN_OPTIONS", _run_options(options), priority="cmdline")
    for key, value in options.settings.items():
        settings.set(key, value, priority="cmdline")
    return settings


def _run_options(options: CrawlOptions) -> dict:
    return {"start_urls": options.start_urls, "max_pages": options.max_pages,
            "max_depth": options.max_depth, "rules": [str(r) for r in options.rules]}


def run_crawl(options: CrawlOptions) -> CrawlResult:
    """Check the options, crawl, and return the stats; CrawlError when nothing was fetched."""
    check(options)
    process = CrawlerProcess(settings_for(options))
    crawler = process.create_crawler(NewsSpider)
    started = time.monotonic()
    process.crawl(crawler, start_urls=options.start_urls, max_pages=options.max_pages,
                  max_depth=options.max_depth)
    process.start()
    stats = json.loads(json.dumps(crawler.stats.get_stats(), default=str))
    result = CrawlResult(stats.get("newscrawl/run_id"), stats, time.monotonic() - started,
                         latest_titles(options.db, stats.get("newscrawl/run_id")))
    if result.pages == 0 and result.errors:
        raise CrawlError(f"nothing could be fetched from {', '.join(options.start_urls)} "
                         f"({error_summary(stats)})")
    return result


def error_summary(stats: dict) -> str:
    kinds = {k.removeprefix("newscrawl/errors/"): v for k, v in stats.items()
             if k.startswith("newscrawl/errors/")}
    return ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items())) or "no response"


def latest_titles(db_path: Path, run_id: int | None, limit: int = 5) -> list[str]:
    if run_id is None:
        return []
    db = storage.open_db(db_path)
    try:
        rows = db.query("SELECT title FROM articles WHERE run_id = ? ORDER BY published DESC,"
                        " title LIMIT ?", [run_id, limit])
        return [row["title"] or "(untitled)" for row in rows]
    finally:
        db.close()


def summary(result: CrawlResult) -> str:
    """The closing lines a person reads after a crawl."""
    lines = [
        f"run {result.run_id}: {result.pages} pages fetched in {result.seconds:.1f}s, "
        f"{result.articles} articles stored, {result.skipped} pages skipped "
        f"({result.count('newscrawl/extract/non_articles')} not articles, "
        f"{result.count('newscrawl/skipped/non_html')} not HTML, "
        f"{result.count('newscrawl/extract/failed')} extraction failures), "
        f"{result.errors} fetch errors",
    ]
    lines += [f"  - {title}" for title in result.titles]
    return "\n".join(lines)

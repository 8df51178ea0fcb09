"""Shared fixtures: the demo site server, a small spider test site, and a crawl runner.

Twisted's reactor cannot be restarted inside one process, so every crawl runs in a fresh
Python subprocess (this file run as a script): ``CrawlerProcess`` with the project settings,
``ITEM_PIPELINES={}``, items collected through the ``item_scraped`` signal and written, with
the final stats, to a JSON file the test reads back. Crawls are cached per session by their
arguments, so several tests can look at one crawl.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_SITE = ROOT / "fixtures" / "demo-site"
sys.path.insert(0, str(ROOT))

from crawler.demo import DemoServer, serve_site  # noqa: E402

# Crawls in tests: no AutoThrottle delays, no network beyond 127.0.0.1.
TEST_SETTINGS = {
    "ITEM_PIPELINES": {},
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_TIMEOUT": 10,
    "RETRY_TIMES": 1,
    "LOG_LEVEL": "DEBUG",
    "TELNETCONSOLE_ENABLED": False,
    "NEWSCRAWL_ALLOW_PRIVATE": True,  # the test sites are on 127.0.0.1
}


@dataclass
class CrawlResult:
    """What one crawl produced: PageItems (body as bytes), final stats, the log file."""

    items: list[dict[str, Any]]
    stats: dict[str, Any]
    log: Path = field(repr=False)

    def urls(self) -> set[str]:
        return {item["url"] for item in self.items}

    def by_url(self, url: str) -> dict[str, Any]:
        return next(item for item in self.items if item["url"] == url)


def run_crawl(workdir: Path, spider_args: dict[str, Any], settings: dict | None = None):
    """Run ``NewsSpider`` in a subprocess and return its ``CrawlResult``."""
    workdir.mkdir(parents=True, exist_ok=True)
    job = {
        "spider_args": spider_args,
        "settings": {**TEST_SETTINGS, "LOG_FILE": str(workdir / "crawl.log"), **(settings or {})},
        "output": str(workdir / "result.json"),
    }
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, __file__, json.dumps(job)]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=120)
    result = json.loads((workdir / "result.json").read_text("utf-8"))
    for item in result["items"]:
        item["body"] = base64.b64decode(item["body"])
    return CrawlResult(result["items"], result["stats"], workdir / "crawl.log")


def _crawl_in_this_process(job: dict[str, Any]) -> None:
    """Subprocess side of ``run_crawl``: crawl once, dump items and stats as JSON."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(job["settings"], priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("news")
    items: list[dict[str, Any]] = []

    def collect(item, **_):
        if "body" not in item:  # a visit record (crawler/visits.py), not a page
            return
        items.append({**item, "body": base64.b64encode(item["body"]).decode("ascii")})

    crawler.signals.connect(collect, signal=signals.item_scraped)
    process.crawl(crawler, **job["spider_args"])
    process.start()
    result = {"items": items, "stats": crawler.stats.get_stats()}
    Path(job["output"]).write_text(json.dumps(result, default=str), "utf-8")


class Crawls:
    """Session cache of crawls keyed by their arguments."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.results: dict[str, CrawlResult] = {}

    def __call__(self, settings: dict | None = None, **spider_args: Any) -> CrawlResult:
        key = json.dumps([spider_args, settings], sort_keys=True)
        if key not in self.results:
            workdir = self.workdir / f"crawl-{len(self.results)}"
            self.results[key] = run_crawl(workdir, spider_args, settings)
        return self.results[key]


@pytest.fixture(autouse=True)
def signal_handlers():
    """A command run in this process (click's CliRunner) may take SIGINT / SIGTERM for its
    own (`newscrawl crawl` ignores them once its run is recorded): each test gives them
    back, so that Ctrl-C still stops the session."""
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    yield
    for signum, handler in handlers.items():
        if handler is not None:
            signal.signal(signum, handler)


@pytest.fixture(scope="session")
def crawl(tmp_path_factory) -> Crawls:
    """``crawl(start_urls=[...], max_pages=3)`` -> CrawlResult, each distinct crawl run once."""
    return Crawls(tmp_path_factory.mktemp("crawls"))


@pytest.fixture(scope="session")
def demo_site():
    """The demo site (fixtures/demo-site) served on a free port of 127.0.0.1."""
    if not (DEMO_SITE / "expected.json").is_file():
        pytest.skip("fixtures/demo-site is not there yet")
    with serve_site(DEMO_SITE) as server:
        yield server


@pytest.fixture(scope="session")
def demo_expected() -> dict[str, Any]:
    if not (DEMO_SITE / "expected.json").is_file():
        pytest.skip("fixtures/demo-site is not there yet")
    return json.loads((DEMO_SITE / "expected.json").read_text("utf-8"))


# A small site made for the spider's own edge cases (the demo site is the realistic one).
CP1251_PAGE = (
    '<html><head><meta charset="windows-1251"><title>Новости</title></head>'
    "<body><p>Привет, мир</p></body></html>"
).encode("cp1251")
SPIDER_SITE = {
    "index.html": """<!DOCTYPE html><html><head><title>Home</title>
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" href="__BASE_URL__/atom.xml">
</head><body>
<a href="/news/a1.html">A1</a> <a href="news/a2.html">A2</a>
<a href="/section/world">World</a> <a href="/news/cp1251.html">cp1251</a>
<a href="/private/secret.html">Secret</a> <a href="http://example.org/offsite.html">Off</a>
<a href="/api/data.json">Data</a> <a href="/files/report.pdf">Report</a>
<a href="/news/missing.html">Gone</a>
</body></html>""",
    "section/world/index.html": '<html><body><a href="/news/a3.html">A3</a></body></html>',
    "news/a1.html": '<html><body><p>A1</p><a href="/">Home</a></body></html>',
    "news/a2.html": "<html><body><p>A2</p></body></html>",
    "news/a3.html": "<html><body><p>A3</p></body></html>",
    "news/sitemap-only.html": "<html><body><p>Only in the sitemap</p></body></html>",
    "news/feed-only.html": "<html><body><p>Only in the RSS feed</p></body></html>",
    "news/atom-only.html": "<html><body><p>Only in the Atom feed</p></body></html>",
    "news/cp1251.html": CP1251_PAGE,
    "private/secret.html": "<html><body>secret</body></html>",
    "private/from-sitemap.html": "<html><body>secret too</body></html>",
    "api/data.json": '{"not": "html"}',
    "files/report.pdf": "%PDF-1.4 not really",
    "robots.txt": "User-agent: *\nDisallow: /private/\n\nSitemap: __BASE_URL__/sitemap_index.xml\n",
    "sitemap_index.xml": """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>__BASE_URL__/sitemaps/news.xml.gz</loc></sitemap>
</sitemapindex>""",
    "feed.xml": """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>News</title><link>__BASE_URL__/</link>
<item><title>A2</title><link>__BASE_URL__/news/a2.html</link></item>
<item><title>Feed only</title><link>__BASE_URL__/news/feed-only.html</link></item>
</channel></rss>""",
    "atom.xml": """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>
<link rel="self" href="__BASE_URL__/atom.xml"/>
<entry><title>Atom only</title><link href="__BASE_URL__/news/atom-only.html"/></entry>
</feed>""",
}
# Written once the port is known: a gzipped file is served as is, with no placeholder.
SITEMAP_GZ = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/news/a1.html</loc></url>
<url><loc>{base}/news/sitemap-only.html</loc></url>
<url><loc>{base}/private/from-sitemap.html</loc></url>
</urlset>"""


@pytest.fixture(scope="session")
def spider_site(tmp_path_factory) -> DemoServer:
    """SPIDER_SITE served on a free port of 127.0.0.1."""
    root = tmp_path_factory.mktemp("spider-site")
    for name, content in SPIDER_SITE.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with serve_site(root) as server:
        sitemap = SITEMAP_GZ.format(base=server.base_url).encode("utf-8")
        (root / "sitemaps").mkdir()
        (root / "sitemaps" / "news.xml.gz").write_bytes(gzip.compress(sitemap))
        yield server


if __name__ == "__main__":
    _crawl_in_this_process(json.loads(sys.argv[1]))

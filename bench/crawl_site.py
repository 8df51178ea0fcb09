"""The crawl benchmark's news site: N article pages with unique URLs, sitemaps and robots.txt.

Pages cycle through realistic article pages: the WCXB dev corpus pages whose ground truth
says `page_type.primary == "article"` when the corpus is there, else the demo site's
articles. Each page gets its own URL (`/news/<k>/<i>.html`); the files are hard links to
one copy per source page, so a 50,000-page site costs the disk no more than its sources.
"""

from __future__ import annotations

import gzip
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/shared/corpus/wcxb-dev")
DEMO_ARTICLES = ROOT / "fixtures" / "demo-site" / "articles"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass
class Site:
    """A built site: its folder, base URL, start URL and which source each page uses."""

    root: Path
    base_url: str
    pages: list[str]  # URL paths, in page order
    source_of: list[int]  # index into the sources, per page
    sources: list[str]  # source names (corpus file ids or fixture names)
    origin: str  # "wcxb-dev" or "demo fixtures"

    @property
    def sitemap_url(self) -> str:
        return f"{self.base_url}/sitemap_index.xml"


def article_sources(corpus: Path = CORPUS) -> tuple[list[tuple[str, bytes]], str]:
    """(name, html bytes) of every article page of the corpus, else of the demo articles."""
    pages = []
    for path in sorted((corpus / "html").glob("*.html.gz")):
        file_id = path.name.split(".")[0]
        truth = corpus / "ground-truth" / f"{file_id}.json"
        if truth.is_file():
            page_type = json.loads(truth.read_text("utf-8"))["_internal"]["page_type"]
            if page_type.get("primary") != "article":
                continue
        pages.append((file_id, gzip.decompress(path.read_bytes())))
    if pages:
        return pages, "wcxb-dev"
    demo = [(p.stem, p.read_bytes()) for p in sorted(DEMO_ARTICLES.glob("*.html"))]
    return demo, "demo fixtures"


def page_path(index: int) -> str:
    return f"/news/{index // 1000:03d}/{index:06d}.html"


def build_site(workdir: Path, base_url: str, n: int, sitemap_size: int = 10_000) -> Site:
    """Write N pages (hard links), a sitemap index, child sitemaps and robots.txt."""
    sources, origin = article_sources()
    if not sources:
        raise SystemExit("no article pages found (corpus and demo fixtures both missing)")
    src_dir, root = workdir / "sources", workdir / "site"
    src_dir.mkdir(parents=True)
    for i, (_, body) in enumerate(sources):
        (src_dir / f"{i}.html").write_bytes(body)
    pages, source_of = [], []
    for i in range(n):
        path = page_path(i)
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(src_dir / f"{i % len(sources)}.html", target)
        pages.append(path)
        source_of.append(i % len(sources))
    _write_sitemaps(root, base_url, pages, sitemap_size)
    (root / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /private/\n\nSitemap: {base_url}/sitemap_index.xml\n")
    _open_up(workdir)
    return Site(root, base_url, pages, source_of, [name for name, _ in sources], origin)


def _write_sitemaps(root: Path, base_url: str, pages: list[str], size: int) -> None:
    """Child sitemaps of at most `size` (≤ 50,000) URLs each and the index that lists them.
    Each URL has a `lastmod`, as news sitemaps give: a story every 7 minutes, the first
    page newest (so every request of newscrawl's has a priority of its own, a date)."""
    size = min(size, 50_000)
    newest = datetime(2026, 11, 1, tzinfo=UTC)

    def lastmod(i: int) -> str:
        return (newest - timedelta(minutes=7 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")

    (root / "sitemaps").mkdir(parents=True, exist_ok=True)
    children = []
    for k in range(0, len(pages), size):
        name = f"sitemaps/news-{k // size:04d}.xml"
        urls = "".join(f"<url><loc>{base_url}{p}</loc><lastmod>{lastmod(k + i)}</lastmod></url>\n"
                       for i, p in enumerate(pages[k:k + size]))
        (root / name).write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n'
                                 f'<urlset xmlns="{SITEMAP_NS}">\n{urls}</urlset>\n')
        children.append(f"<sitemap><loc>{base_url}/{name}</loc></sitemap>\n")
    (root / "sitemap_index.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
        f'{"".join(children)}</sitemapindex>\n')


def _open_up(workdir: Path) -> None:
    """Make the temp folder readable by nginx's unprivileged workers."""
    for folder, _, files in os.walk(workdir):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


def _classify(job: tuple[str, str]) -> tuple[bool, bool, float, str | None]:
    """(is_article, failed, CPU seconds, canonical URL) of one source page, as the crawler sees it.
    """
    import time

    from crawler.jobs import extract_page

    path, url = job
    started = time.process_time()
    try:
        article = extract_page(Path(path).read_bytes(), url, "text/html", (), "")
    except Exception:  # counted as failed, never stops the bench
        return False, True, time.process_time() - started, None
    return (bool(article["is_article"]), False, time.process_time() - started,
            article.get("canonical_url"))


def expected_articles(workdir: Path, site: Site, workers: int) -> dict:
    """Run the crawler's own extraction job over every source page once, offline.

    Returns the keys (`articles.url`: the page URL, or its canonical URL when that is on
    the same site, as storage.article_row decides) that must end up in `articles`, and the
    single-core extraction rate
    (pages / summed CPU seconds): what a one-process crawler could do at best.
    """
    first_page = {}
    for i, source in enumerate(site.source_of):
        first_page.setdefault(source, i)
    jobs = [(str(workdir / "sources" / f"{s}.html"), site.base_url + site.pages[i])
            for s, i in sorted(first_page.items())]
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(_classify, jobs, chunksize=4))
    by_source = dict(zip(sorted(first_page), results, strict=True))
    cpu = sum(r[2] for r in results)
    keys = {_article_key(site.base_url + p, by_source[s][3])
            for p, s in zip(site.pages, site.source_of, strict=True) if by_source[s][0]}
    return {"article_keys": keys, "sources": len(results),
            "source_articles": sum(r[0] for r in results),
            "failed": sum(r[1] for r in results),
            "extract_pages_per_cpu_s": len(results) / cpu if cpu else 0.0}


def _article_key(url: str, canonical_url: str | None) -> str:
    """The `articles.url` storage gives an article found at `url`."""
    from crawler import storage

    page = {"url": url, "site": "127.0.0.1", "fetched_at": ""}
    return storage.article_row({"canonical_url": canonical_url, "text": ""}, page, 0)["url"]

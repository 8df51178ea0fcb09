"""Run d's extraction job: the naive spider's trafilatura call (run b), in newscrawl's workers.

    newscrawl crawl URL -s NEWSCRAWL_EXTRACT_FUNCTION=bench.crawl_jobs.trafilatura_job

Everything else is newscrawl's own: the worker pool, the digests, the batched writes into
SQLite. Set beside b and c, it parts what newscrawl's design gains (d/b: the same
extraction, spread over every core, with storage) from what its extractor costs over plain
trafilatura (c/d). A page is an article when trafilatura finds text in it, as b counts
them. Workers import this module by name when they unpickle the job, so it imports
nothing of Scrapy's.
"""

from __future__ import annotations

from crawler.jobs import with_digests


def trafilatura_job(body: bytes, url: str, content_type: str, rules: tuple[str, ...],
                    fetched_at: str) -> dict:
    """`trafilatura.extract(body, url=url)`, as run b calls it, as the job's Article."""
    import trafilatura

    from extractors import Article

    text = trafilatura.extract(body, url=url) or ""
    return with_digests(Article(url=url, is_article=bool(text), text=text).to_dict(), body)

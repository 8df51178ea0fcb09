"""newscrawl's extraction room: HTML in, an `Article` out.

    >>> from extractors import extract
    >>> article = extract(html_bytes, "https://news.example.com/2024/05/01/story")

No Scrapy, no storage, no network: pure functions, deterministic for the same input.
"""

from .article import EXTRACTOR_VERSION, Article

__all__ = ["EXTRACTOR_VERSION", "Article", "extract"]


def __getattr__(name: str):
    """`extract` on first use: importing `extractors.rules` or `extractors.article` (as the
    crawl's Scrapy process does) does not load trafilatura, justext and htmldate (about 4 MB
    less at import)."""
    if name == "extract":
        from .core import extract

        return extract
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""newscrawl's extraction room: HTML in, an `Article` out.

    >>> from extractors import extract
    >>> article = extract(html_bytes, "https://news.example.com/2024/05/01/story")

No Scrapy, no storage, no network: pure functions, deterministic for the same input.
"""

from .article import EXTRACTOR_VERSION, Article
from .core import extract

__all__ = ["EXTRACTOR_VERSION", "Article", "extract"]

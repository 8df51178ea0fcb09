"""The extractors under test, each wrapped to give an `Output` for one page.

Only the extraction call itself is timed. For plain trafilatura that is
`trafilatura.extract(html, url=url)`; its metadata comes from a separate, untimed
`trafilatura.extract_metadata` call. For ours it is the whole `extractors.extract` call.
`warm_up` runs first, untimed: the figures are a warm worker's, as in a crawl, where the
workers fork from a warmed server (crawler/preload.py), not first-use loading.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from time import perf_counter

import trafilatura

OURS = "ours"
TRAFILATURA = "trafilatura"
TRAFILATURA_NOCOMMENTS = "trafilatura-nocomments"
TRAFILATURA_TOOLS = (TRAFILATURA, TRAFILATURA_NOCOMMENTS)
SHORT_PAGE = "<html><body><main><p>A short paragraph of plain text.</p></main></body></html>"


@dataclass
class Output:
    """What one tool returned for one page, normalized across tools."""

    text: str = ""
    is_article: bool = False
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    seconds: float = 0.0
    error: str | None = None

    @property
    def has_body(self) -> bool:
        """Did the tool return an article body (the non-article false-positive test)?"""
        return self.is_article and bool(self.text.strip())


def run_trafilatura(html: bytes, url: str, include_comments: bool = True) -> Output:
    """Plain trafilatura body; any non-empty output counts as an article."""
    start = perf_counter()
    text = trafilatura.extract(html, url=url or None, include_comments=include_comments) or ""
    seconds = perf_counter() - start
    return Output(text=text, is_article=bool(text.strip()), seconds=seconds)


_METADATA: dict[tuple[str, bytes], dict] = {}  # by URL and digest of the page's bytes


def trafilatura_metadata(html: bytes, url: str) -> dict:
    """Title, authors, date and language from `trafilatura.extract_metadata` (untimed), read
    once a page: the timed pass of each trafilatura column asks for it. A copy each time."""
    key = (url, hashlib.blake2b(html, digest_size=16).digest())
    if key not in _METADATA:
        _METADATA[key] = _read_metadata(html, url)
    found = _METADATA[key]
    return {**found, "authors": list(found["authors"])} if found else {}


def _read_metadata(html: bytes, url: str) -> dict:
    try:
        meta = trafilatura.extract_metadata(html, default_url=url or None)
    except Exception:  # metadata failing must not lose the body already extracted
        return {}
    if meta is None:
        return {}
    return {
        "title": meta.title,
        "authors": [a for a in (meta.author or "").split("; ") if a],
        "published": meta.date,
        "language": getattr(meta, "language", None),
    }


def warm_up(tools: tuple[str, ...], standin: bool = False) -> None:
    """Load what each tool loads on its first pages: ours through `extractors.warm` (what
    the crawler's extraction workers start with), trafilatura by extracting one page that
    runs its fallbacks (justext's stop words, readability); then freeze it all for the
    garbage collector, for both tools, as the crawler does before it forks its workers."""
    if OURS in tools and not standin:
        importlib.import_module("extractors.warm").warm_up()
    if (OURS in tools and standin) or any(t in TRAFILATURA_TOOLS for t in tools):
        trafilatura.extract(SHORT_PAGE)  # too short: its fallbacks run too
    # as crawler/preload.py leaves the extraction workers: what is loaded once is never
    # collected again (unfrozen, each full collection walks all of it, and the tool that
    # allocates most triggers the most: ours lost about 7% of its speed to that)
    gc.collect()
    gc.freeze()


def ours_extract(standin: bool) -> Callable:
    """`extractors.extract`, or the trafilatura stand-in in `bench.standin`."""
    module = importlib.import_module("bench.standin" if standin else "extractors")
    return module.extract


def ours_available() -> str | None:
    """None if `extractors.extract` can be imported, else the reason it cannot."""
    try:
        ours_extract(standin=False)
    except (ImportError, AttributeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def run_ours(html: bytes, url: str, standin: bool = False, content_type: str | None = None):
    """Our extractor; `content_type` is passed only when known (fixtures carry it)."""
    extract = ours_extract(standin)
    kwargs = {"content_type": content_type} if content_type else {}
    start = perf_counter()
    article = extract(html, url, **kwargs)
    seconds = perf_counter() - start
    return Output(
        text=article.text or "",
        is_article=bool(article.is_article),
        title=article.title,
        authors=list(article.authors or []),
        published=article.published,
        language=article.language,
        seconds=seconds,
    )


def run_tool(name: str, html: bytes, url: str, standin: bool = False, content_type=None):
    """Run one named tool; an exception becomes an empty `Output` carrying the error."""
    try:
        if name == OURS:
            return run_ours(html, url, standin, content_type)
        return run_trafilatura(html, url, include_comments=name == TRAFILATURA)
    except Exception as exc:  # a crash on one page must not end the benchmark
        return Output(error=f"{type(exc).__name__}: {exc}")


def run_tools(tools: tuple[str, ...], html: bytes, url: str, standin=False, content_type=None):
    """Every tool on the same bytes; trafilatura's metadata is extracted once for both columns."""
    outputs = {t: run_tool(t, html, url, standin, content_type) for t in tools}
    trafilatura_columns = [t for t in tools if t in TRAFILATURA_TOOLS]
    if trafilatura_columns:
        meta = trafilatura_metadata(html, url)
        for tool in trafilatura_columns:
            outputs[tool] = replace(outputs[tool], **meta)
    return outputs

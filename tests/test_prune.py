"""extractors.prune: trafilatura's pruning XPaths in Python select exactly what the XPaths
select, only inside our extraction."""

import inspect
import random
import re
import threading
from pathlib import Path

import pytest
import trafilatura.main_extractor
from lxml.html import HtmlElement, document_fromstring, fromstring
from trafilatura.xpaths import OVERALL_DISCARD_XPATH

from extractors import extract, prune
from extractors.prune import TRANSLATIONS, Translation

ROOT = Path(__file__).resolve().parent.parent
# Class and id words that make the XPaths' tests true or nearly so, in both cases, and some
# that none of them names.
WORDS = ("cookie", "Cookie", "share", "Share", "shared", "social", "nav", "Nav", "navbar",
         "menu", "related", "elated", "footer", "Footer", "ad", "ad-slot", "head-ad-top",
         "bad", "widget", "meta", "byline", "premium", "teaser", "Teaser", "TEASER",
         "caption", "Caption", "hidden", "hide", "hide-print", "reply-to", "reply-",
         "comments-title", "comment", "Comment", "commentary", "comol", "comments-list",
         "disqus_thread", "dsq-comments", "post-comments", "akismet", "reader-comments",
         "message", "infinite-scroll", "infinitescroll", "mvp-post-add-box",
         "mvp-post-add-wrap", "elementor-share-buttons", "story", "body", "content",
         "article-text", "lead", "")
ROLES = ("navigation", "Navigation", "NAVIGATION", "main", "banner")
STYLES = ("display:none", "display: none", "display:block", "visibility:hidden", "color: red")
TAGS = ("div", "section", "span", "p", "aside", "item", "list", "ol", "ul", "details",
        "article", "li", "h1", "a")


def _attributes(rng: random.Random) -> str:
    """Some of the attributes the XPaths read, in random order, with random values."""
    pool = [
        ("id", lambda: "-".join(rng.sample(WORDS, rng.randint(1, 2)))),
        ("class", lambda: " ".join(rng.sample(WORDS, rng.randint(1, 3)))),
        ("style", lambda: rng.choice(STYLES)),
        ("role", lambda: rng.choice(ROLES)),
        ("aria-hidden", lambda: rng.choice(("true", "false"))),
        ("data-component", lambda: rng.choice(("MostPopularStories", "Story"))),
        ("data-lp-replacement-content", lambda: ""),
    ]
    chosen = rng.sample(pool, rng.randint(0, 4))
    return "".join(f' {name}="{value()}"' for name, value in chosen)


def _random_tree(rng: random.Random, depth: int = 0) -> str:
    """A random element with random attributes and children, text, comments."""
    tag = rng.choice(TAGS)
    children = "".join(_random_tree(rng, depth + 1)
                       for _ in range(rng.randint(0, 4 if depth < 4 else 0)))
    extra = "<!-- a comment -->" if rng.random() < 0.1 else ""
    return f"<{tag}{_attributes(rng)}>text {extra}{children}</{tag}> tail"


def _same(tree: HtmlElement) -> None:
    for translation in TRANSLATIONS:
        expected = translation.source()(tree)
        assert translation(tree) == expected, (translation.xpaths, translation.index)


def test_every_translation_is_of_the_installed_xpath():
    """An upgrade of trafilatura that changes one of these XPaths makes its translation
    stand aside (the XPath runs, slower); re-translate it and update its digest."""
    stale = [(t.xpaths, t.index) for t in TRANSLATIONS if t.source() is None]
    assert not stale
    assert len(prune.FAST) == len(TRANSLATIONS)


def test_every_literal_of_the_xpaths_is_in_the_translations():
    """A token left out of a copied regex (`nfoline`, `bmdh`) would pass random trees that
    never hold it: each re:test pattern is one of the module's searchers, character for
    character (or, a plain word, a string of its source), and each other quoted string of
    the XPaths is in its source."""
    searched = {f.pattern for f in vars(prune).values() if hasattr(f, "pattern")}
    source = inspect.getsource(prune)
    for translation in TRANSLATIONS:
        path = translation.source().path
        patterns = re.findall(r"re:test\([^,]+, '([^']*)'\)", path)
        for pattern in patterns:  # one without special characters may be tested with `in`
            assert pattern in searched or (re.escape(pattern) == pattern
                                           and f'"{pattern}"' in source), (translation, pattern)
        rest = re.sub(r"re:test\([^,]+, '[^']*'\)|translate\([^)]*\)", "", path)
        for literal in re.findall(r"'([^']*)'", rest):
            assert f'"{literal}"' in source, (translation, literal)


@pytest.mark.parametrize("seed", range(40))
def test_translations_select_what_the_xpaths_select_on_random_trees(seed):
    rng = random.Random(seed)
    body = "".join(_random_tree(rng) for _ in range(20))
    _same(document_fromstring(f"<html><body>{body}</body></html>"))


@pytest.mark.parametrize("markup", [
    # the first of @id|@class in the markup is what re:test and starts-with read
    '<div id="main" class="cookie-banner">x</div>',
    '<div class="cookie-banner" id="main">x</div>',
    '<span class="x" id="reply-1">x</span>',
    '<span id="x" class="reply-1">x</span>',
    '<p style="color:red" id="hidden-box">x</p>',
    '<p id="box" style="hidden">x</p>',
    # a list is comments only by the narrower id pattern, or by class
    '<ul id="dsq-comments"><li>x</li></ul>',
    '<ol id="comments-list"><li>x</li></ol>',
    '<ul class="post-comments"><li>x</li></ul>',
    '<div id="commentary">x</div>',
    # an appended story is kept while it holds the page's h1, unless named for it
    '<div class="infinite-scroll"><h1>Title</h1></div>',
    '<div class="infinite-scroll"><p>x</p></div>',
    '<aside id="mvp-post-add-box"><h1>Title</h1></aside>',
    '<div class="Teaser">x</div><div id="CAPTION">x</div><div id="caption">x</div>',
    '<div role="NAVIGATION">x</div><div aria-hidden="true">x</div>',
    '<div data-lp-replacement-content>x</div><div class="">x</div>',
    # long class values
    f'<div class="{"story " * 50}sidebar">x</div><div class="{"story " * 50}">x</div>',
])
def test_translations_select_what_the_xpaths_select_on_edge_cases(markup):
    _same(fromstring(f"<html><body><main>{markup}</main></body></html>"))


def test_translations_select_what_the_xpaths_select_on_the_fixture_pages():
    pages = sorted(ROOT.glob("fixtures/**/*.html"))
    assert pages
    for page in pages:
        _same(document_fromstring(page.read_bytes()))


@pytest.fixture
def calls(monkeypatch):
    """The translations called, by the name of their XPaths' list."""
    called = []
    original = Translation.__call__

    def spy(self, tree):
        called.append(self.xpaths)
        return original(self, tree)
    monkeypatch.setattr(Translation, "__call__", spy)
    return called


PAGE = ("<html><body><article><p>" + "A sentence of the story. " * 40 + "</p>"
        '<div class="share-bar">Share</div></article></body></html>')


def _prune_as_trafilatura_does() -> None:
    trafilatura.main_extractor.prune_unwanted_nodes(
        fromstring(PAGE), OVERALL_DISCARD_XPATH, with_backup=True)


def test_the_translations_run_inside_our_extraction_only(calls):
    extract(PAGE.encode(), "https://news.example.com/2024/05/01/story")
    assert "OVERALL_DISCARD_XPATH" in calls and "RAW_TREE_PRUNE_XPATH" in calls
    calls.clear()
    trafilatura.extract(PAGE, include_comments=False)  # plain trafilatura: its XPaths
    assert calls == []
    with prune.pruning():  # the switch
        _prune_as_trafilatura_does()
    assert calls == ["OVERALL_DISCARD_XPATH", "OVERALL_DISCARD_XPATH"]


def test_the_switch_is_off_after_an_error_and_stays_on_in_an_outer_block(calls):
    with pytest.raises(ValueError), prune.pruning():
        raise ValueError
    _prune_as_trafilatura_does()
    assert calls == []
    with prune.pruning():
        with prune.pruning():
            pass
        _prune_as_trafilatura_does()  # the inner block's end leaves the outer's switch on
    assert len(calls) == 2


def test_the_switch_is_one_threads_own(calls):
    inside, done = threading.Event(), threading.Event()

    def hold():
        with prune.pruning():
            inside.set()
            done.wait(5)
    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert inside.wait(5)
        _prune_as_trafilatura_does()
    finally:
        done.set()
        thread.join()
    assert calls == []


def test_the_searchers_remember_one_page_only():
    """A worker reads pages of many sites: what it remembered of the last page's names is
    dropped as the next page's pruning starts."""
    page = PAGE.replace("<p>", '<p class="lead" id="story-1">')
    extract(page.encode(), "https://news.example.com/2024/05/01/story")
    assert sum(r.cache_info().currsize for r in prune._REMEMBERED) > 0
    with prune.pruning():
        assert sum(r.cache_info().currsize for r in prune._REMEMBERED) == 0

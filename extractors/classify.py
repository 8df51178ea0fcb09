"""Is this page an article? Small gradient-boosted trees over schema, URL and DOM evidence.

Listings, section fronts, tag and author pages, product, service, forum and documentation
pages are not articles: they get `is_article = False` and no text. The evidence is
computed by `features` (each value roughly in 0..1); the trees live in `classifier.json`
(plain JSON, walked here without scikit-learn), fitted by `extractors/classifier_train.py`
on the even-numbered pages of the WCXB dev split (the odd ones are held out).
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from lxml import etree

from . import trees
from .jsonld import ARTICLE_TYPES, LISTING_TYPES, types
from .metadata import Metadata
from .text import count_words, norm_space, words_in

# Most text blocks hold the text of a link to another page, and no schema says "article":
# a list of teasers (fitted on the even pages: no article lost there, 8 listings caught).
TEASER_SHARE = 0.6
# ... unless the model is this sure the page is an article (a dated post whose paragraphs
# quote the titles of the books or stories it discusses).
TEASER_OVERRULED = 0.9
# A site's home page or a section's front (/news, /blog) is no story, unless the model is
# this sure it is (a blog whose home page is its one post).
FRONT_OVERRULED = 0.7
# The last path segments that name a section's front, not a story filed under it.
FRONT_SEGMENTS = frozenset({"news", "blog", "blogs", "articles", "stories", "posts", "latest",
                            "insights", "resources", "press", "updates", "magazine", "journal",
                            "opinion", "features", "reviews", "guides"})
# The names of a site's own pages about itself (/about/, /en/privacy-policy, /impressum):
# no story, unless the model is FRONT_OVERRULED sure (an essay at a blog's /about). A news
# site links them from every page's footer; a policy reads as prose. Not the words a
# section or a story's slug may end with too ("jobs", "privacy", "corrections").
SERVICE_SEGMENTS = frozenset({
    "about", "about-us", "aboutus", "who-we-are", "contact", "contact-us", "contactus",
    "privacy-policy", "privacy-notice", "cookie-policy", "terms-of-use", "terms-of-service",
    "terms-and-conditions", "imprint", "impressum", "disclaimer", "masthead"})
# Query parameters that do not pick a page (campaign tracking): "/?p=123" is a WordPress
# post, "/?utm_source=x" the home page.
_TRACKING = re.compile(r"utm_\w+|srsltid|gclid|fbclid|mc_cid|mc_eid|ref")
_INDEX_FILE = re.compile(r"(?:index|default|home)\.(?:html?|php|aspx?|jsp)")
# The `linked` feature is measured on bodies of at least this many blocks.
LINKED_MIN_BLOCKS = 3
# A short body is an article only with one of these: a schema calling it one, or a URL
# filed under a date (fronts and listings are neither). A date found on the page is no such
# evidence: on the corpus, 28 short pages with one and none of these are all non-articles.
ITEM_EVIDENCE = ("ld_article", "og_article", "url_date")
# Features named in `Article.reasons` when present.
REASONS = ("ld_article", "ld_listing", "url_listing", "url_filed", "url_date", "short")
MODEL = Path(__file__).with_name("classifier.json")
MIN_WORDS = 80
# A block of this many words is a paragraph of prose (listings hold teasers and captions).
PROSE_WORDS = 40
# A listing word followed by this many more words in the path files a page under a section.
LISTING_TAIL_WORDS = 3
_NON_ARTICLE_PATH = re.compile(
    r"/(tags?|topics?|category|categories|section|sections|authors?|people|search|archive|"
    r"newsletters?|subscribe|login|signin|register|account|about|contact|page/\d+|"
    r"products?|shop|store|cart|collections?|docs?|documentation|api|reference|forums?|"
    r"threads?|questions|services?|pricing)(/|$)", re.IGNORECASE)
_DATE_PATH = re.compile(r"/(19|20)\d\d[/-](0?[1-9]|1[0-2])([/-]|$)")
# A path that ends at a month or a day: a date archive (/2025/03/, /news/2025/03/15/) unless
# a story's slug comes before it (/why-tutoring-fails/2025/11: the story's own date). Not a
# year alone: /article/2019 is as often an id.
_DATE_TAIL = re.compile(r"/(?:19|20)\d\d[/-](?:0?[1-9]|1[0-2])"
                        r"(?:[/-](?:0?[1-9]|[12]\d|3[01]))?/?$")
# A path that ends at a month's name, with or without its year (/news/march/, /2025/march,
# /archive/march-2025): a month's archive, in the languages of the chrome catalogue.
_MONTH_NAMES = ("january|february|march|april|may|june|july|august|september|october|november"
                "|december|janvier|f[eé]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre"
                "|octobre|novembre|d[eé]cembre|januar|februar|m[aä]rz|juni|juli|oktober"
                "|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre"
                "|setiembre|octubre|noviembre|diciembre|janeiro|fevereiro|mar[cç]o|maio|junho"
                "|julho|setembro|outubro|novembro|dezembro")
_MONTH_TAIL = re.compile(rf"/(?:(?:19|20)\d\d[/-])?(?:{_MONTH_NAMES})(?:[/-](?:19|20)\d\d)?/?$",
                         re.IGNORECASE)
_PRICE = re.compile(r"[$€£¥₹]\s?\d|\d\s?(€|руб|EUR|USD)\b")
# `h3/descendant::a`, not `h3//a`: libxml2 merges each heading's `//` node set (every node
# below it) into the result, in time quadratic in the headings: 1.2 s on a live blog of
# 20,000 headings without links, 0.01 s now. The merge of the links found stays quadratic
# in their number (0.35 s for 20,000 linked headings, 2.8 s before); the linear
# `//a[@href][ancestor::h2 ...]` costs twice as much on an ordinary page (0.5 ms).
_TEASER_LINKS = etree.XPath("//h2/descendant::a[@href] | //h3/descendant::a[@href]"
                            " | //article/descendant::h4/descendant::a[@href]")
# What a page declares itself in schema.org markup (JSON-LD or microdata `itemtype`) or its
# `og:type`, beyond "article": a thread of posts or a question with answers (forum software
# marks each post up so), or a thing for sale. No news story or blog post is either.
FORUM_TYPES = frozenset({"DiscussionForumPosting", "QAPage", "SocialMediaPosting"})
PRODUCT_TYPES = frozenset({"Product", "ProductGroup", "IndividualProduct", "SomeProducts",
                           "ProductModel", "Offer", "AggregateOffer"})
_ITEMTYPES = etree.XPath("//@itemtype")
_OG_PRODUCT = re.compile(r"product|:item\b")
# Links to members' profiles (`/u/name`, `/members/name.12/`, `member.php?u=12`): a thread
# of posts names one per poster; a story links its authors' pages (`/author/...`) instead.
_PROFILE = re.compile(r"/(?:u|users?|members?|profiles?)/[^/?#]|member\.php\?|viewprofile"
                      r"|memberlist\.php\?", re.IGNORECASE)
# A manual's host name (`docs.`, `wiki.`, `developer.`), path (`/docs/`, `/reference/`) or
# software (`<meta name="generator">`: Sphinx, MkDocs, rustdoc, MediaWiki...); not at a
# blog's or a newsroom's path or host (developer.example.com/blog/..., a Docusaurus blog).
_DOCS_HOSTS = frozenset({"docs", "doc", "developer", "developers", "wiki", "manual",
                         "manuals", "kb"})
_STORY_SEGMENT = re.compile(r"blogs?|news|press|stories|articles?|posts?", re.IGNORECASE)
_STORY_HOST = re.compile(r"blog|news")
_DOCS_PATH = re.compile(r"/(?:docs?|documentation|manual|reference|api|userguide|wiki|man\d?|"
                        r"std)/", re.IGNORECASE)
_DOCS_GENERATOR = re.compile(r"sphinx|docutils|mkdocs|docusaurus|gitbook|mdbook|rustdoc|"
                             r"bookdown|antora|vitepress|doxygen|jsdoc|mediawiki|dokuwiki|"
                             r"confluence", re.IGNORECASE)
_CONTROLS = etree.XPath("count(//input[not(@type='hidden')] | //select | //button)")
_PAGE_CHARS = etree.XPath("string-length(normalize-space(//body))")
# A link or button asking the reader to buy, book or get in touch: a sales page's (not
# "Contact us" or "Learn more", which a newsroom's footer and cookie banner hold too).
_CALL_TO_ACT = re.compile(
    r"get started|get a (?:free )?quote|request a (?:demo|quote|consultation)"
    r"|free (?:trial|consultation|estimate|quote)|book (?:now|a demo|a call|an appointment)"
    r"|schedule (?:a|your)|call (?:now|today)|buy now|shop now|get in touch"
    r"|talk to (?:an|our|sales)|start (?:your|a) free|try (?:it )?(?:for )?free|apply now"
    r"|add to cart|order now|enrol?l now", re.IGNORECASE)
# A call to act is a link's label (with the white space around it), not a sentence.
CALL_CHARS = 40


def _schema(ld: list[dict], meta: Metadata) -> dict[str, float]:
    kinds = set().union(*(types(o) for o in ld)) if ld else set()
    return {"ld_article": float(bool(kinds & ARTICLE_TYPES)),
            "ld_listing": float(bool(kinds & LISTING_TYPES) and not kinds & ARTICLE_TYPES),
            "og_article": float(meta.og_type == "article"),
            "author": float(bool(meta.authors)), "dated": float(bool(meta.published))}


def _url(url: str) -> dict[str, float]:
    path = urlsplit(url).path
    segments = [s for s in path.split("/") if s]
    slug = segments[-1] if segments else ""
    listing = list(_NON_ARTICLE_PATH.finditer(path))
    # words after the last listing segment: /tag/climate (a tag page) and /topics/x/how-to-
    # grow-basil-indoors (filed under a topic) are separate evidence; the model weighs each
    after = len(re.findall(r"[a-zA-Z]+", path[listing[-1].end():])) if listing else 0
    archive = _date_archive(path)
    return {"url_root": float(not segments),
            "url_listing": float((bool(listing) and after < LISTING_TAIL_WORDS) or archive),
            "url_filed": float(bool(listing) and after >= LISTING_TAIL_WORDS),
            "url_date": float(bool(_DATE_PATH.search(path)) and not archive),
            "url_slug": min(len(re.findall(r"[a-zA-Z]+", slug)), 10) / 10,
            "url_depth": min(len(segments), 6) / 6}


def _date_archive(path: str) -> bool:
    """Whether the path ends at a date with no story's slug before it: the page lists the
    stories of a month or a day (/2025/03/, /news/2025/03/, /news/march/, /2025/march), a
    listing, where a date followed by a slug or an id (/2025/03/15/ferry-sails) files one
    story, and a month's name in a slug (/the-long-march/, /2025/03/04/mars) is no archive.
    Read unescaped: /d%C3%A9p%C3%AAches/2025/03/ is /dépêches/2025/03/, one word before."""
    path = unquote(path)
    tail = _DATE_TAIL.search(path)
    if tail is None:  # a month's name, where no date came before it
        tail = _MONTH_TAIL.search(path)
        if tail is None or _DATE_PATH.search(path[:tail.start() + 1]):
            return False
    before = path[:tail.start()].rstrip("/").rpartition("/")[2]
    return len(_LETTERS.findall(before)) < LISTING_TAIL_WORDS


_LETTERS = re.compile(r"[^\W\d_]+")


def _links(root: etree._Element) -> list[tuple[str, str]]:
    """(href, text) of every link of the page, its text read once for all the features."""
    return [(a.get("href") or "#", a.text_content()) for a in root.iter("a")]


def _linked_share(links: list[tuple[str, str]], blocks: list[str]) -> float:
    """Share of text blocks that contain the text of a link of 4+ words to another page:
    teasers of a listing (in-page links, a table of contents, do not count)."""
    anchors = {norm_space(text) for href, text in links if not href.startswith("#")}
    page = "\n".join(blocks)  # an anchor (white space collapsed) never spans two blocks
    anchors = [a for a in anchors if count_words(a) >= 4 and a in page]
    if not blocks or not anchors:
        return 0.0
    return sum(any(a in block for a in anchors) for block in blocks) / len(blocks)


def _page(root: etree._Element, blocks: list[str], links: list[tuple[str, str]],
          page_chars: float) -> dict[str, float]:
    words = words_in(blocks)
    chars = sum(len(b) for b in blocks)
    link_chars = sum(len(text) for _, text in links)
    text = norm_space(" ".join(blocks))
    return {"words": math.log1p(words) / 8, "short": float(words < MIN_WORDS),
            "linked": _linked_share(links, blocks) if len(blocks) >= LINKED_MIN_BLOCKS else 0.0,
            "teasers": math.log1p(len(_TEASER_LINKS(root))) / 4,
            "link_density": min(link_chars / page_chars, 1.0),
            "body_share": min(chars / page_chars, 1.0),
            "controls": math.log1p(_CONTROLS(root)) / 4,
            "prices": math.log1p(len(_PRICE.findall(text))) / 3,
            "block_words": min(words / max(len(blocks), 1), 60) / 60,
            "short_blocks": sum(count_words(b) < 8 for b in blocks) / max(len(blocks), 1),
            "prose_blocks": min(sum(count_words(b) >= PROSE_WORDS for b in blocks), 10) / 10,
            "calls": math.log1p(_calls_to_act(links)) / 4}


def _calls_to_act(links: list[tuple[str, str]]) -> int:
    """How many calls to buy, book or get in touch the labels of the page's links make (a
    button's, as most sales pages draw one, is a link's; those the chrome pass took are
    not counted)."""
    labels = "\n".join([text for _, text in links if len(text) < CALL_CHARS])
    return len(_CALL_TO_ACT.findall(labels))


def _declared(root: etree._Element, url: str, ld: list[dict], meta: Metadata,
              links: list[tuple[str, str]], page_chars: float) -> dict[str, float]:
    """What kind of page its markup, host name, path and software say it is, and how much
    of its text is code."""
    kinds = set().union(*(types(o) for o in ld)) if ld else set()
    kinds |= {str(t).strip().rstrip("/").rsplit("/", 1)[-1] for t in _ITEMTYPES(root)}
    parts = urlsplit(url)
    labels = set((parts.hostname or "").split(".")[:-1])
    code = sum(len(norm_space(e.text_content())) for e in root.iter("pre"))
    return {"forum_schema": float(bool(kinds & FORUM_TYPES)),
            "product_schema": float(bool(kinds & PRODUCT_TYPES
                                         or _OG_PRODUCT.search(meta.og_type or ""))),
            "profiles": math.log1p(len({h for h, _ in links if _PROFILE.search(h)})) / 4,
            "site_docs": float(_manual(root, parts, labels)),
            "code_share": min(code / page_chars, 1.0)}


def _manual(root: etree._Element, parts: SplitResult, labels: set[str]) -> bool:
    """Whether the host, the path or the software say the page is a manual's
    (`_DOCS_HOSTS`, `_DOCS_PATH`, `_DOCS_GENERATOR`), and no part of its path or host is
    a blog's or a newsroom's (`_STORY_SEGMENT`, `_STORY_HOST`: devblogs., googleblog.)."""
    if (any(_STORY_SEGMENT.fullmatch(part) for part in parts.path.split("/"))
            or any(_STORY_HOST.search(label) for label in labels)):
        return False
    return (bool(labels & _DOCS_HOSTS) or bool(_DOCS_PATH.search(parts.path))
            or any(_DOCS_GENERATOR.search(meta.get("content") or "") for meta in root.iter("meta")
                   if (meta.get("name") or "").lower() == "generator"))


def features(root: etree._Element, url: str, ld: list[dict], meta: Metadata,
             blocks: list[str]) -> dict[str, float]:
    """The evidence the model weighs, by name."""
    links = _links(root)
    page_chars = max(_PAGE_CHARS(root), 1.0)
    return {**_schema(ld, meta), **_url(url), **_page(root, blocks, links, page_chars),
            **_declared(root, url, ld, meta, links, page_chars)}


@cache
def model() -> dict:
    return trees.load(MODEL)


def score(found: dict[str, float], fitted: dict | None = None) -> float:
    """Probability that the page is an article, from the trees of `fitted` (default: the
    shipped model)."""
    return trees.score(found, fitted or model())


def front_page(url: str) -> bool:
    """Whether the URL is a site's home page or a section's front: no path, or one that
    ends in a section's name (`FRONT_SEGMENTS`) with no digit before it (`/en/news`, not
    `/story/1234/reviews`), an index file or a page number aside (`/news/index.html`,
    `/news/page/2`); with no query parameter but tracking ones."""
    parts = urlsplit(url)
    if not parts.netloc:
        return False
    segments = [s.lower() for s in parts.path.split("/") if s]
    if segments and _INDEX_FILE.fullmatch(segments[-1]):
        segments.pop()
    if len(segments) >= 2 and segments[-2] == "page" and segments[-1].isdigit():
        del segments[-2:]
    if segments and (segments[-1] not in FRONT_SEGMENTS
                     or any(c.isdigit() for c in "".join(segments))):
        return False
    return _untracked(parts.query)


def service_page(url: str) -> bool:
    """Whether the URL is one of the site's pages about itself: a path of one or two
    segments (an index file aside) with no digit, the last (its extension dropped) one of
    `SERVICE_SEGMENTS` (`/about/`, `/en/privacy-policy.html`; not `/2024/05/01/about`); with
    no query parameter but tracking ones."""
    parts = urlsplit(url)
    segments = [s.lower() for s in parts.path.split("/") if s]
    if segments and _INDEX_FILE.fullmatch(segments[-1]):
        segments.pop()
    return (0 < len(segments) <= 2 and not any(c.isdigit() for c in "".join(segments))
            and segments[-1].rsplit(".", 1)[0] in SERVICE_SEGMENTS and _untracked(parts.query))


def _untracked(query: str) -> bool:
    """Whether a query has no parameter but tracking ones (`_TRACKING`)."""
    return all(_TRACKING.fullmatch(key.lower())
               for key, _ in parse_qsl(query, keep_blank_values=True))


def _teasers_only(root: etree._Element, blocks: list[str], found: dict[str, float]) -> bool:
    """Most blocks hold a link to another page's text, and no schema says "article"."""
    if found["ld_article"] or found["og_article"] or len(blocks) < 2:
        return False
    linked = (found["linked"] if len(blocks) >= LINKED_MIN_BLOCKS
              else _linked_share(_links(root), blocks))
    return linked >= TEASER_SHARE


def classify(root: etree._Element, url: str, ld: list[dict], meta: Metadata,
             blocks: list[str]) -> tuple[bool, list[str]]:
    """(is_article, reasons) for a page whose extracted body is `blocks`."""
    found = features(root, url, ld, meta, blocks)
    probability = score(found)
    reasons = [f"p:{probability:.2f}"] + [k for k in REASONS if found[k]]
    if not blocks:
        return False, [*reasons, "empty"]
    if found["short"] and not any(found[k] for k in ITEM_EVIDENCE):
        return False, [*reasons, "short-unmarked"]  # nothing says the few lines are a story
    if probability < TEASER_OVERRULED and _teasers_only(root, blocks, found):
        return False, [*reasons, "linked-blocks"]
    if probability < FRONT_OVERRULED and front_page(url):
        return False, [*reasons, "front-page"]
    if probability < FRONT_OVERRULED and service_page(url):
        return False, [*reasons, "service-page"]
    return probability >= model()["threshold"], reasons

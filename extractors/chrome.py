"""The generic chrome catalogue (`catalogue.toml`), compiled once and applied with lxml.

`strip_dom` runs before trafilatura on the page's tree; `strip_blocks` runs after it on the
blocks of each reading of the body (trafilatura's and readability's). Both return the ids
of the patterns that removed something.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from copy import deepcopy
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import islice, pairwise
from pathlib import Path

from lxml import etree

from .rules import RuleError, compile_selector
from .text import count_words, norm_space

CATALOGUE = Path(__file__).with_name("catalogue.toml")
KINDS = ("tokens", "roles", "xpath", "buttons", "cue")

# An element holding this share of the page's text is the body, whatever its class says.
MAX_SHARE = 0.5
# Tokens that mark the article body container: a box never widens into one of them.
BODY_TOKENS = {"article", "content", "body", "story", "entry", "post", "text", "main"}
# Attributes whose words name what an element is.
NAMING_ATTRIBUTES = ("class", "id", "data-testid", "data-component", "data-module")


@dataclass(frozen=True)
class Pattern:
    """One compiled catalogue entry."""

    id: str
    kind: str
    tokens: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()  # a roles pattern: the ARIA roles it matches...
    tags: frozenset[str] = frozenset()  # ...and the elements it matches by name
    xpath: etree.XPath | None = None
    when: re.Pattern | None = None  # an xpath pattern runs only where a short block matches
    regex: re.Pattern | None = None
    max_words: int = 0
    minimum: int = 0
    box_chars: int = 0
    box_slack: int = 40
    boundary: bool = False
    cues: tuple[str, ...] = ()
    spare_prose: bool = False  # an element holding prose is not this chrome (a wrapper)
    keep_runs: int = 0  # this many consecutive blocks matching one cue are data (0: never)
    last: bool = False  # a cue block is chrome only where the text ends with it (and chrome)
    dom: bool | str = True  # a cue applied before trafilatura too (False: to its blocks only;
    #                         "boxed": only where it has a box, see the catalogue's notes)
    links: bool = False  # a cue block must be mostly link text (before trafilatura only)
    sentence: bool = False  # a cue in a sentence makes a short block chrome (a call to act)
    cue_regexes: tuple[re.Pattern, ...] = ()


def _words(value: str) -> list[str]:
    """The words of a class/id: split at white space, hyphens and underscores (`str.split`
    splits at the characters `re`'s `\\s` matches, without a regex pass or empty words)."""
    return value.lower().replace("-", " ").replace("_", " ").split()


class CatalogueError(RuleError):
    """A catalogue entry that cannot be read: the message names the file, the pattern and
    the key. A `RuleError`: bad input wherever the rules are read (exit code 2)."""


# Each kind's keys, and the type of each (str, int, bool, a list of str, `REGEX`, `XPATH`,
# a list of `REGEX`); those in `REQUIRED` must be given. `id` and `kind` are every kind's.
REGEX, XPATH, STRINGS, REGEXES = "regex", "xpath", "list of strings", "list of regexes"
BOOL_OR_BOXED = "true, false or \"boxed\""
KIND_KEYS: dict[str, dict[str, object]] = {
    "tokens": {"tokens": STRINGS, "spare_prose": bool},
    "roles": {"roles": STRINGS, "tags": STRINGS},
    "xpath": {"xpath": XPATH, "when": REGEX, "box": bool, "box_chars": int, "box_slack": int},
    "buttons": {"labels": REGEX, "min": int, "box": bool, "box_chars": int, "box_slack": int},
    "cue": {"cues": REGEXES, "max_words": int, "boundary": bool, "keep_runs": int,
            "dom": BOOL_OR_BOXED, "links": bool, "sentence": bool, "last": bool},
}
REQUIRED = {"tokens": ("tokens",), "roles": (), "xpath": ("xpath",),
            "buttons": ("labels", "min"), "cue": ("cues", "max_words")}


def _checked(entry: object, index: int) -> dict:
    """`entry` (the catalogue's `index`th pattern) as `_compile` reads it; CatalogueError
    for an unknown or missing key, or a value of the wrong type, a bad regex or XPath (a
    misspelt key was ignored, a string for a list read letter by letter, a bad regex was a
    traceback from the first page)."""
    if not isinstance(entry, dict):
        raise CatalogueError(f"{CATALOGUE}: pattern[{index}]: expected a table")
    pid, kind = entry.get("id"), entry.get("kind")
    where = f"{CATALOGUE}: pattern[{index}]" + (f" {pid!r}" if isinstance(pid, str) else "")
    if not isinstance(pid, str) or not pid:
        raise CatalogueError(f"{where}: id: expected a non-empty string")
    if kind not in KINDS:
        raise CatalogueError(f"{where}: kind: expected one of {', '.join(KINDS)}, not {kind!r}")
    keys = KIND_KEYS[kind]
    for key in entry.keys() - keys.keys() - {"id", "kind"}:
        close = difflib.get_close_matches(key, keys, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise CatalogueError(f"{where}: {key}: not a key of a {kind} pattern{hint}")
    for key in REQUIRED[kind]:
        if key not in entry:
            raise CatalogueError(f"{where}: {key}: missing (a {kind} pattern needs it)")
    if kind == "roles" and not ("roles" in entry or "tags" in entry):
        raise CatalogueError(f"{where}: roles: missing (a roles pattern needs roles or tags)")
    for key in entry.keys() & keys.keys():
        problem = _value_problem(entry[key], keys[key])
        if problem:
            raise CatalogueError(f"{where}: {key}{problem}")
    return entry


def _value_problem(value: object, kind: object) -> str | None:
    """What is wrong with a catalogue value of `kind` (": ..." or "[i]: ..."), or None."""
    if kind in (STRINGS, REGEXES):
        if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            return ": expected a non-empty list of strings"
        return next((f"[{i}]{problem}" for i, problem in enumerate(
            _regex_problem(v) if kind == REGEXES else None for v in value) if problem), None)
    if kind in (REGEX, XPATH) and not isinstance(value, str):
        return f": expected {kind} string"
    if kind == REGEX:
        return _regex_problem(value)
    if kind == XPATH:  # as a site rule's are checked: names, a probe, elements selected
        if not value.lstrip().startswith(("/", "(")):
            return ": expected an XPath (starting with / or ()"
        try:
            compile_selector(value, elements=True)
        except ValueError as error:
            return f": {error}"
        return None
    if kind == BOOL_OR_BOXED:
        return None if isinstance(value, bool) or value == "boxed" else f": expected {kind}"
    if kind is int:
        good = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if good else ": expected a whole number of 0 or more"
    return None if isinstance(value, kind) else f": expected {kind.__name__}"


def _regex_problem(text: str) -> str | None:
    try:
        re.compile(text)
    except re.error as error:
        return f": invalid regex: {error}"
    return None


def _compile(entry: dict) -> Pattern:
    """A catalogue entry, as `_checked` passed it."""
    kind, pid = entry["kind"], entry["id"]
    if kind == "tokens":
        return Pattern(pid, kind, tokens=frozenset(" ".join(_words(t)) for t in entry["tokens"]),
                       spare_prose=entry.get("spare_prose", False))
    if kind == "roles":
        # `//*[@role]` and plain name steps, the role compared in Python: a long predicate
        # of `@role='x' or self::y` is several times slower in libxml2 on every element
        steps = [f"//{t}" for t in entry.get("tags", [])]
        steps += ["//*[@role]"] if entry.get("roles") else []
        return Pattern(pid, kind, roles=frozenset(entry.get("roles", ())),
                       tags=frozenset(entry.get("tags", ())),
                       xpath=etree.XPath(" | ".join(steps)))
    box = {"box_chars": entry.get("box_chars", 0), "box_slack": entry.get("box_slack", 40)}
    if kind == "xpath":
        when = re.compile(entry["when"]) if "when" in entry else None
        return Pattern(pid, kind, xpath=etree.XPath(entry["xpath"]), when=when,
                       **(box if entry.get("box") else {}))
    if kind == "buttons":
        return Pattern(pid, kind, regex=re.compile(entry["labels"]), minimum=entry["min"],
                       **box)
    regex = _any_of(entry["cues"])
    return Pattern(pid, kind, regex=regex, max_words=entry["max_words"], cues=tuple(entry["cues"]),
                   boundary=entry.get("boundary", False), box_chars=1500,
                   keep_runs=entry.get("keep_runs", 0), last=entry.get("last", False),
                   dom=entry.get("dom", True),
                   links=entry.get("links", False), sentence=entry.get("sentence", False),
                   cue_regexes=tuple(re.compile(c) for c in entry["cues"]))


def _any_of(cues: list[str]) -> re.Pattern:
    """One regex matching where any of `cues` matches (what the cue tests ask: whether, not
    which group). Capturing groups become non-capturing, so that the engine can reject most
    alternatives on their first character instead of entering each group."""
    return re.compile("|".join(f"(?:{_uncaptured(c)})" for c in cues))


_OPENING = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|\((?!\?)")


def _uncaptured(cue: str) -> str:
    """`cue` with its capturing groups made non-capturing (escapes and classes untouched);
    a cue that refers back to a group keeps them."""
    if re.search(r"\\[1-9]|\(\?P=|\(\?\(", cue):  # back-references, conditional groups
        return cue
    return _OPENING.sub(lambda m: "(?:" if m.group() == "(" else m.group(), cue)


@cache
def catalogue() -> tuple[Pattern, ...]:
    """The compiled catalogue, loaded once per process; CatalogueError (one line, naming the
    file, the pattern and the key) for an entry that cannot be read."""
    try:
        with CATALOGUE.open("rb") as handle:
            entries = tomllib.load(handle).get("pattern")
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CatalogueError(f"{CATALOGUE}: {error}") from None
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{CATALOGUE}: pattern: expected [[pattern]] tables")
    return tuple(_compile(_checked(entry, i)) for i, entry in enumerate(entries))


# ---------------------------------------------------------------------------------------
# Before trafilatura: remove chrome elements from the page tree.

CUE_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "strong", "b", "a",
            "button", "label", "li", "section")
# A closing-chrome cue cuts the rest of the text only when this share of it came before;
# an appeal's opening with its donation box after it, when this share did (`strip_blocks`).
BOUNDARY_SEEN = 0.6
APPEAL_SEEN = 0.5
# A cue is looked for only in elements with at most this much text (cues match short blocks).
CUE_MAX_CHARS = 600
_INVISIBLE = ("script", "style", "template")
# What no code block holds: a `<pre>` or `<code>` with one of these is read like any box.
_PROSE_BLOCKS = ("p", "div", "li", "table", "section", "article", "h2", "h3")


class PageIndex:
    """What the DOM patterns ask of a page, computed in one pass: text sizes and names."""

    def __init__(self, root: etree._Element):
        self.root = root
        self.size: dict[etree._Element, int] = {}
        self.names: dict[etree._Element, set[str]] = {}
        self._text: dict[etree._Element, str] = {}
        self._raw: dict[etree._Element, str] = {}  # unnormalized text of small elements
        self.removed: set[etree._Element] = set()
        self.changed: set[etree._Element] = set()  # ancestors of removed elements
        # elements whose tail goes with them when they are removed (an arrow after a label,
        # the rest of a sentence a call to act opens)
        self.tailless: set[etree._Element] = set()
        # the lower-cased text of the closing cues left in the tree alone (`dom = "boxed"`)
        # that no donation box follows: after trafilatura they go without cutting anything
        self.left_alone: set[str] = set()
        # ... and of those a donation box follows in their container: an appeal's opening,
        # with the texts of the elements of the box it opens (the appeal's own blocks)
        self.openings: dict[str, frozenset[str]] = {}
        # the donation boxes removed (APPEAL_BOXES): each one's place and its ancestors
        self.appeal_boxes: list[tuple[int, frozenset[etree._Element]]] = []
        etree.strip_elements(root, *_INVISIBLE, with_tail=False)
        self._index(root)

    def _index(self, root: etree._Element) -> None:
        """Sizes bottom-up; names only where they meet a catalogue gram (the rest never
        match); the raw text of the elements small enough to hold a cue, from their
        children's (what `itertext` joins, without walking each subtree again)."""
        size, names, raw = self.size, self.names, self._raw
        get, raw_get = size.get, raw.get
        known, vocabulary = _name_vocabulary()
        blanks = ("",) * len(NAMING_ATTRIBUTES)
        seen: dict[str, set[str] | frozenset[str]] = {}
        for element in reversed(_visible_elements(root)):
            text = element.text or ""
            total = len(text.strip())
            parts = [text]
            for child in element:
                tail = child.tail or ""
                total += get(child, 0) + len(tail.strip())
                parts += (raw_get(child, ""), tail)  # a comment: its tail only, as itertext
            size[element] = total
            if total <= CUE_MAX_CHARS:
                raw[element] = " ".join(parts)
            attrib = element.attrib
            if not attrib:
                continue
            joined = " ".join(map(attrib.get, NAMING_ATTRIBUTES, blanks))
            grams = seen.get(joined)
            if grams is None:  # a page repeats its class strings: split each one once
                words = _words(joined)
                grams = seen[joined] = (_known_grams(words, known, vocabulary)
                                        if words and not vocabulary.isdisjoint(words)
                                        else set())
            if grams:
                names[element] = grams

    def tokens(self, element: etree._Element) -> set[str]:
        return self.names.get(element, set())

    @cached_property
    def position(self) -> dict[etree._Element, int]:
        """Each named element's place in `names` (candidates are taken in that order)."""
        return {element: i for i, element in enumerate(self.names)}

    @cached_property
    def named(self) -> dict[str, set[etree._Element]]:
        """Elements by the catalogue gram their names hold (what a tokens pattern asks)."""
        found: dict[str, set[etree._Element]] = {}
        for element, grams in self.names.items():
            for gram in grams:
                found.setdefault(gram, set()).add(element)
        return found

    def text(self, element: etree._Element) -> str:
        """Lower-cased, white-space-collapsed text (cached; read from the index while the
        element has lost no descendant)."""
        text = self._text.get(element)
        if text is None:
            raw = self._raw.get(element) if element not in self.changed else None
            found = raw if raw is not None else " ".join(element.itertext())
            text = self._text[element] = norm_space(found).lower()
        return text

    @cached_property
    def cue_blocks(self) -> list[tuple[etree._Element, str, int]]:
        """The short blocks that match any cue of the catalogue (one regex pass)."""
        most = max_cue_words()
        hits: dict[str, bool] = {}  # nested wrappers often share one text: test it once
        for _, text, words in self.short_blocks:
            if words <= most and text not in hits:
                hits[text] = _any_cue_matches(text, words)
        return [b for b in self.short_blocks if b[2] <= most and hits[b[1]]]

    @cached_property
    def short_blocks(self) -> list[tuple[etree._Element, str, int]]:
        """(element, text, words) of the elements small enough to hold a cue, in page order
        (as the tree is now: an element that lost a descendant is read again); none in
        code (`<pre>`, `<code>`: a line "image: nginx" of a manifest is no credit), unless
        the code holds paragraphs (a story in a `<pre>`, or the rest of the page after an
        unclosed one)."""
        blocks = []
        size, cached, raw = self.size, self._text, self._raw
        changed = self.changed
        code = {e for block in self.root.iter("pre", "code")
                if next(block.iter(*_PROSE_BLOCKS), None) is None for e in block.iter()}
        for element in self.root.iter(*CUE_TAGS):
            if 0 < size.get(element, 0) <= CUE_MAX_CHARS and element not in code:
                text = cached.get(element)  # `self.text`, inlined: it runs for most elements
                if text is None:
                    found = (raw[element] if element not in changed
                             else " ".join(element.itertext()))
                    text = cached[element] = norm_space(found).lower()
                blocks.append((element, text, text.count(" ") + 1))
        return blocks

    def remove(self, element: etree._Element) -> None:
        """Remove `element` from the page (its tail stays, but for one in `tailless`),
        noting what that changes."""
        for ancestor in element.iterancestors():
            self.changed.add(ancestor)
            self._text.pop(ancestor, None)  # its text is no longer what was read
        if element in self.tailless:
            element.tail = None
        remove(element)
        self.removed.add(element)

    @cached_property
    def order(self) -> dict[etree._Element, int]:
        """Each element's place in document order (read before the first donation box goes:
        the elements removed earlier are no cue's and no box's)."""
        return {element: i for i, element in enumerate(self.root.iter())}

    def attached(self, element: etree._Element) -> bool:
        """False once the element or an ancestor has been removed."""
        return element not in self.removed and not any(
            a in self.removed for a in element.iterancestors())


def _visible_elements(root: etree._Element) -> list[etree._Element]:
    """The page's elements in document order, without the <head>'s (no chrome a reader
    sees is there, and what it holds is not the page's text: the root's size, which bounds
    what a pattern may remove, is the visible page's)."""
    elements = list(root.iter(etree.Element))
    if len(elements) > 1 and elements[1].tag == "head" and elements[1].getparent() is root:
        return [root, *elements[2 + sum(1 for _ in elements[1].iterdescendants(etree.Element)):]]
    return elements


def _grams(words: list[str]) -> set[str]:
    """Single words and runs of two and three: "related stories" matches `related-stories`."""
    grams = set(words)
    grams.update(" ".join(words[i:i + 2]) for i in range(len(words) - 1))
    grams.update(" ".join(words[i:i + 3]) for i in range(len(words) - 2))
    return grams


def _known_grams(words: list[str], known: frozenset[str],
                 vocabulary: frozenset[str]) -> set[str] | frozenset[str]:
    """`_grams(words) & known`, without building runs when no two neighbours are known words
    (every word of a known run is in `vocabulary`)."""
    if any(a in vocabulary and b in vocabulary for a, b in pairwise(words)):
        return _grams(words) & known
    return known.intersection(words)


def _is_body(element: etree._Element, tokens: set[str]) -> bool:
    """The article body (or the page), which no chrome box may widen into."""
    if element.tag in ("html", "body", "main", "article"):
        return True
    return bool(tokens & BODY_TOKENS) and not tokens & CHROME_WORDS


def _widen(index: PageIndex, element: etree._Element, pattern: Pattern) -> etree._Element:
    """The box that holds a chrome element: its small wrappers and chrome-named ancestors.

    An ancestor is taken when it adds at most `box_slack` characters of its own text (a
    wrapper, or a title and a blurb around a form) or when its class/id names chrome
    (`newsletter`, `donate`, `promo`...); never the body, never one with more than
    `box_chars` characters. A cue inside an unnamed body container therefore removes the
    cue's own block, not the body.
    """
    box, size = element, index.size.get(element, 0)
    for parent in element.iterancestors():
        parent_size, tokens = index.size.get(parent, 0), index.tokens(parent)
        if _is_body(parent, tokens) or parent_size > pattern.box_chars:
            break
        if parent_size <= size + pattern.box_slack or tokens & CHROME_WORDS:
            box, size = parent, parent_size
    return box


# class/id words that name a chrome box, and how much text a mere wrapper may add.
CHROME_WORDS = {"newsletter", "newsletters", "signup", "subscribe", "subscription", "donate",
                "donation", "donations", "support", "contribute", "contribution", "paywall",
                "related", "promo", "ad", "ads", "advert", "advertisement", "share", "social",
                "cookie", "cookies", "consent", "banner", "cta", "widget", "appeal",
                "membership", "popup", "modal", "overlay", "recommended", "readmore", "optin"}


def _button_blocks(index: PageIndex, pattern: Pattern) -> list[etree._Element]:
    """Parents of at least `minimum` buttons or links whose labels match the pattern (a
    list's, where each stands in an item of its own: `<ul><li><button>Once</button>`)."""
    counts: dict[etree._Element, int] = {}
    for button in index.root.iter("button", "a", "label", "input"):
        if index.size.get(button, 0) > 40:
            continue
        label = norm_space(button.get("value") or index.text(button)).lower()
        parent = button.getparent()
        if parent is not None and parent.tag == "li" and len(parent) == 1:
            parent = parent.getparent()
        if label and parent is not None and pattern.regex.match(label):
            counts[parent] = counts.get(parent, 0) + 1
    return [parent for parent, n in counts.items() if n >= pattern.minimum]


class AnyCue:
    """Whether a text matches any cue of the catalogue: most blocks match none, and are
    tested against all at once instead of cue by cue.

    The anchored cues (`^...`) are grouped by the characters a match can begin with, and a
    text is tried only against the group of its own first character (a regex of 180
    alternatives tries every one of them on every text). Any other cue is tried alone, and
    only on a text that holds the words it cannot match without (`required_text`): a search
    with no literal to look for first (one opening with `\\b`, or an alternation) tries the
    regex at every character, and an anchored cue opening with a run of any characters
    (`[^.!?]{0,80}`) or a look-ahead backtracks through the text before it fails. The cues
    with neither filter make one regex of anchored cues and a search each, tried on every
    text.
    """

    def __init__(self, cues: Iterable[str]):
        cues = list(cues)
        groups: dict[str, list[str]] = {}
        unknown = []  # (cue, whether it is anchored)
        for cue in cues:
            chars = first_chars(cue[1:]) if cue.startswith("^") else None
            for char in chars or ():
                groups.setdefault(char, []).append(cue[1:])
            if chars is None:
                unknown.append((cue[1:], True) if cue.startswith("^") else (cue, False))
        self.by_first = {char: _any_of(group) for char, group in groups.items()}
        by_text: dict[str, list[Callable]] = {}  # the tests of the cues needing the text
        self.unfiltered: list[re.Pattern] = []
        bare = []  # anchored, unfiltered
        for cue, anchored in unknown:
            texts, regex = required_text(cue), _any_of([cue])
            test = regex.match if anchored else regex.search
            if texts:
                for text in texts:
                    by_text.setdefault(text, []).append(test)
            elif anchored:
                bare.append(cue)
            else:
                self.unfiltered.append(regex)
        self.anchored = _any_of(bare) if bare else None
        self.by_text = tuple(by_text.items())
        # one search for all the texts (most texts hold none)
        self.required = _holds_any(by_text) if by_text else None

    def matches(self, low: str) -> bool:
        """Whether any cue matches `low` (a lower-cased, collapsed text)."""
        group = self.by_first.get(low[:1])
        return bool((group is not None and group.match(low))
                    or (self.anchored is not None and self.anchored.match(low))
                    or any(regex.search(low) for regex in self.unfiltered)
                    or (self.required is not None and self.required.search(low) is not None
                        and any(test(low) for test in {
                            test: None for text, tests in self.by_text if text in low
                            for test in tests})))


def _holds_any(texts: Iterable[str]) -> re.Pattern:
    """A regex found in a text that holds any of `texts`, written as a trie of them
    ("journalis(?:m|t)..." for "journalism", "journalist"): the engine follows one path from
    each character instead of trying every alternative there, three times faster over 91
    texts. Where one text begins another, the shorter is enough to find."""
    trie: dict = {}
    for text in texts:
        node = trie
        for char in text:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        if "" in node:
            return ""  # a text ends here: found, whatever follows
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return re.compile(pattern(trie))


# A literal shorter than this is no filter worth the test (" a " is in most texts); one of
# a group's alternatives may be shorter (a word of two Korean syllables).
_MIN_REQUIRED = 4
_MIN_ALTERNATIVE = 2


def required_text(cue: str) -> tuple[str, ...] | None:
    """Texts one of which every match of `cue` holds, read from Python's parse of the regex
    as `first_chars` does: its longest run of literal characters (" you " of
    `\\b(can|will) you chip in`), else the alternatives of one of its groups, each its own
    longest run: of the group whose shortest is longest, the first ("make", "give" of
    `(^|[.!?] )(make|give) a (gift|donation)`: an opening that is a sentence's start or any
    text's is no filter). None where there is no such filter or the parse is not as
    expected."""
    try:
        from re import _constants, _parser  # Python 3.11+
        parsed = _parser.parse(cue)
        if parsed.state.flags & ~re.UNICODE:
            return None
        longest = _longest_literal(list(parsed), _constants)
        if len(longest) >= _MIN_REQUIRED:
            return (longest,)
        groups = [_alternatives(av, _constants) for op, av in parsed
                  if op is _constants.SUBPATTERN]  # each one a match must go through
        texts = max(filter(None, groups), key=lambda texts: min(map(len, texts)), default=None)
    except Exception:  # any surprise: the cue is searched for in every text
        return None
    return texts if texts and min(map(len, texts)) >= _MIN_ALTERNATIVE else None


def _alternatives(group: tuple, c) -> tuple[str, ...] | None:
    """The longest literal run of each alternative of a parsed group (`c`: re._constants);
    None for a group of no alternatives or one with flags."""
    _, added, removed, items = group
    branch = list(items)
    if added or removed or len(branch) != 1 or branch[0][0] is not c.BRANCH:
        return None
    return tuple(_longest_literal(list(alternative), c) for alternative in branch[0][1][1])


def _longest_literal(items: list, c) -> str:
    """The longest run of literal characters among parsed regex items (a word boundary does
    not end one)."""
    runs, run = [], []
    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
        elif op is not c.AT:
            runs.append("".join(run))
            run = []
    runs.append("".join(run))
    return max(runs, key=len)


def first_chars(cue: str) -> frozenset[str] | None:
    """The characters a match of `cue` can begin with, read from Python's own parse of the
    regex; None where that is not a short list of characters (a class such as `\\w`, any
    character, a flag, a cue that can match nothing) or the parse is not as expected (the
    parser is a private module of `re`: a surprise only costs speed)."""
    try:
        from re import _constants, _parser  # Python 3.11+
        parsed = _parser.parse(cue)
        if parsed.state.flags & ~re.UNICODE:
            return None
        chars, empty = _starts(list(parsed), _constants)
    except Exception:  # any surprise: the cue is tried on every text
        return None
    return None if chars is None or empty else frozenset(chars)


_MAX_RANGE = 64  # a class with a wider range of characters counts as unknown


def _starts(items: list, c) -> tuple[set[str] | None, bool]:
    """(first characters, whether the sequence can match nothing) of parsed regex items;
    None for characters not known. `c` is `re._constants`."""
    found: set[str] = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: skipping it only widens the set
        chars, empty = _item_starts(op, av, c)
        if chars is None:
            return None, False
        found |= chars
        if not empty:
            return found, False
    return found, True


def _item_starts(op, av, c) -> tuple[set[str] | None, bool]:
    """`_starts` of one parsed item (an operator and its arguments)."""
    if op is c.LITERAL:
        return {chr(av)}, False
    if op is c.IN:
        return _class_chars(av, c), False
    if op is c.BRANCH:
        parts = [_starts(list(branch), c) for branch in av[1]]
        if any(chars is None for chars, _ in parts):
            return None, False
        return set().union(*(chars for chars, _ in parts)), any(e for _, e in parts)
    if op is c.SUBPATTERN:  # (group, flags switched on, flags switched off, items)
        return (None, False) if av[1] or av[2] else _starts(list(av[3]), c)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):  # (least, most, item)
        chars, empty = _starts(list(av[2]), c)
        return chars, empty or av[0] == 0
    if op is c.ATOMIC_GROUP:
        return _starts(list(av), c)
    return None, False


def _class_chars(items: list, c) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] < _MAX_RANGE:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:  # a negated class, a category (\\w, \\d), a wide range
            return None
    return chars


def any_cue(words: int = 0) -> AnyCue:
    """The cues a block of `words` words may match, compiled for the test whether a text
    matches any: those of the patterns taking blocks of CUE_LEVELS' largest level at most
    `words` or more (every cue for a short block; each pattern asks its own `max_words`
    after). A block of 40 words is tried against the 41 cues of the patterns taking 31 words
    or more, not all 350: the longer the text, the more a cue costs that cannot match it."""
    return _any_cue_levels()[bisect_right(CUE_LEVELS, words) - 1]


# The block lengths from which the cue test leaves out the patterns taking fewer words: a
# few levels, as each one compiles its cues again (all ten of the catalogue's `max_words`
# took 3.4 MB in each extraction process, for a test about 20% faster than these three).
CUE_LEVELS = (0, 16, 31)


@cache
def _any_cue_levels() -> tuple[AnyCue, ...]:
    """The cues of the patterns taking blocks of n words or more, for each n of CUE_LEVELS;
    built at once, so that a worker forked after the warm-up has them all."""
    cues = [p for p in catalogue() if p.kind == "cue"]
    return tuple(AnyCue(c for p in cues if p.max_words >= most for c in p.cues)
                 for most in CUE_LEVELS)


@lru_cache(maxsize=4096)
def _any_cue_matches(low: str, words: int = 0) -> bool:
    """Whether any cue of the catalogue matches a lower-cased, collapsed text; with its
    `words`, any cue of a pattern taking blocks of that length (the words of the block
    every pattern test asks about too). Remembered for about a page's texts: most blocks
    of the readings of its body (`strip_blocks`) were tested already as the text of a short
    element of its tree (`PageIndex.cue_blocks`), four in five on the dev corpus."""
    return any_cue(words).matches(low)


@cache
def max_cue_words() -> int:
    """The most words any cue pattern accepts: longer blocks need no regex test."""
    return max((p.max_words for p in catalogue() if p.kind == "cue"), default=0)


@cache
def _name_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """The class/id grams any pattern or box test asks about, and the words they use.

    An element's names are kept only where they meet these: the rest never match.
    """
    known = set(BODY_TOKENS) | CHROME_WORDS
    for pattern in catalogue():
        known |= pattern.tokens
    return frozenset(known), frozenset(w for gram in known for w in gram.split())


def _cue_blocks(index: PageIndex, pattern: Pattern) -> list[etree._Element]:
    return [element for element, text, words in index.cue_blocks
            if words <= pattern.max_words and pattern.regex.search(text)
            and (not pattern.links or _mostly_links(index, element))]


def _mostly_links(index: PageIndex, element: etree._Element) -> bool:
    """Whether at least half of the element's text is the text of its links."""
    linked = sum(index.size.get(a, 0) for a in element.iter("a"))
    return 2 * linked >= index.size.get(element, 0)


def _candidates(index: PageIndex, pattern: Pattern) -> list[etree._Element]:
    if pattern.kind == "tokens":
        hits = set().union(*(index.named.get(t, ()) for t in pattern.tokens))
        return sorted(hits, key=index.position.__getitem__)  # in index order
    if pattern.kind == "buttons":
        return [_widen(index, b, pattern) for b in _button_blocks(index, pattern)]
    if pattern.kind == "cue":
        return _cue_candidates(index, pattern)
    if pattern.when is not None and not any(
            pattern.when.search(text) for _, text, _ in index.short_blocks):
        return []  # an XPath over the page's text costs about a millisecond a page
    matches = pattern.xpath(index.root)
    if pattern.kind == "roles":
        return [m for m in matches if m.tag in pattern.tags or m.get("role") in pattern.roles]
    if pattern.box_chars:
        return [_widen(index, m, pattern) for m in matches]
    return matches


def _cue_candidates(index: PageIndex, pattern: Pattern) -> list[etree._Element]:
    """A text cue's blocks, each widened to its box, or its sentence's block."""
    found = []
    for cue in _cue_blocks(index, pattern):
        if _in_a_sentence(cue):  # not widened either: a short paragraph is no wrapper
            block = _sentence_chrome(index, cue) if pattern.sentence else None
            found += [block] if block is not None else []
            continue
        box = _widen(index, cue, pattern)
        if (box is not cue and pattern.dom == "boxed"
                and index.size.get(box, 0) == index.size.get(cue, 0)
                and _opens_its_container(index, box, pattern)):
            cue = box  # the heading of a box (<p><strong>, <header><h3>): the block
        elif box is not cue:
            found.append(_appeal_it_closes(index, box) if pattern.dom == "boxed" else box)
            continue
        alone = _label_and_link(index, cue)
        if pattern.dom == "boxed" and alone == [cue]:
            # left in the tree: after trafilatura (`strip_blocks`) it cuts what follows
            # it where a donation box follows it in its container, else goes alone; where
            # it also opens that container, a box of the appeal's own, from the middle on
            texts = {norm_space(index.text(cue)).lower(),
                     norm_space("".join(cue.itertext())).lower()}
            opened = _box_it_opens(index, cue, pattern)  # (it holds the cue's parent)
            if not _box_follows(index, cue, cue.getparent() if opened is None else opened):
                index.left_alone.update(texts)
            elif opened is not None:
                box = frozenset(filter(None, map(index.text, opened.iter(CUE_TAGS))))
                index.openings.update(dict.fromkeys(texts, box))
            continue
        found += alone
    return found


# A closing ask ("Donate now", "Support us") that ends a box of at most APPEAL_BOX_CHARS
# characters whose text reads as an appeal that speaks of the press (`_PRESS`) takes the
# box: the appeal's copy before it ("Before you go... Local news is in crisis...") goes too,
# where the page names neither the box nor its buttons. Only after the story (a paragraph of
# STORY_WORDS or more before the box, beside it), and not where the story goes on after it
# (such a paragraph after the box: a "How to help" box in a story of a fire stays), nor a
# box with no story beside it (a short story of a paper's fund drive, closed by its "Donate
# now").
APPEAL_BOX_CHARS = 1500
STORY_WORDS = 10
_APPEAL_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li")
_PRESS = re.compile(  # (not "readers": a "How to help" box's "readers have dropped off food")
    r"\b(journalis\w*|newsroom|reporting|журналист\w*|редакци\w*|"
    r"journalismus|redaktion|journalisme|rédaction|periodismo|redacción|"
    r"jornalismo|redação)\b", re.IGNORECASE)


def _appeal_it_closes(index: PageIndex, box: etree._Element) -> etree._Element:
    """The appeal's box a closing ask's box ends (see APPEAL_BOX_CHARS), or the ask's box."""
    found = element = box
    for parent in box.iterancestors():
        if (_is_body(parent, index.tokens(parent))
                or index.size.get(parent, 0) > APPEAL_BOX_CHARS
                or any(index.size.get(after, 0) or (after.tail or "").strip()
                       for after in element.itersiblings())
                or (element.tail or "").strip()):
            break
        texts = [index.text(block) for block in parent.iter(*_APPEAL_BLOCKS)]
        if (len(texts) > 1 and _reads_as_appeal(texts)
                and any(map(_PRESS.search, texts))):
            found = parent
        element = parent
    if (found is box or not _tells_story(index, found.itersiblings(preceding=True))
            or _tells_story(index, found.itersiblings())):
        return box
    return found


def _tells_story(index: PageIndex, elements: Iterable[etree._Element]) -> bool:
    """Whether the elements hold a paragraph of the story (STORY_WORDS words or more)."""
    return any(count_words(index.text(p)) >= STORY_WORDS
               for element in elements for p in element.iter("p"))


def _box_follows(index: PageIndex, cue: etree._Element, container: etree._Element) -> bool:
    """Whether a donation box (APPEAL_BOXES) came after a closing cue, in `container` (the
    cue's own, or the box it opens): the heading opened an appeal ("A message from ...",
    its paragraphs, then Once / Monthly / Annual), not a part of the story ("A message
    from the mayor:")."""
    place = index.order.get(cue, -1)
    return any(at > place and container in ancestors for at, ancestors in index.appeal_boxes)


def _box_it_opens(index: PageIndex, cue: etree._Element,
                  pattern: Pattern) -> etree._Element | None:
    """The largest container the cue opens (None: it opens none): its parent if it opens
    that, the grandparent if the parent opens that in turn, and so on. An appeal's copy and
    its buttons may sit in sibling boxes (<div><div>A message from ... </div><div>Once
    Monthly Annual</div></div>): the cue opens the outer one. A box that opens the page
    does not end a story before it; the cut (`strip_blocks`) asks for text before it."""
    opened = None
    while _opens_its_container(index, cue, pattern):
        cue = opened = cue.getparent()
    return opened


# Text a control before a box's heading may have (a close button's "×") and still leave
# the heading opening the box.
CONTROL_CHARS = 3


def _opens_its_container(index: PageIndex, cue: etree._Element, pattern: Pattern) -> bool:
    """Whether the cue opens its parent: nothing comes before it there but controls ("×")
    and other cues of its pattern (a heading before "Dear readers,"). The box of an
    appeal of its own, not a line within a story ("A message from the director:" over
    her words, a letter quoted in a story about a newspaper, a live blog's entry)."""
    parent = cue.getparent()
    if parent is None or len((parent.text or "").strip()) > CONTROL_CHARS:
        return False
    for sibling in parent:
        if sibling is cue:
            return True
        text = index.text(sibling)  # (collapsed, lower-cased)
        if (len(text) > CONTROL_CHARS and not pattern.regex.search(text)) or len(
                (sibling.tail or "").strip()) > CONTROL_CHARS:
            return False
    return False


# Elements a sentence runs through: a link, an emphasis, a name.
_INLINE_TAGS = frozenset({"a", "span", "strong", "b", "em", "i", "u", "small", "font", "mark",
                          "abbr", "cite", "time", "q", "sub", "sup", "label"})
_WORD_CHAR = re.compile(r"\w")


def _in_a_sentence(element: etree._Element) -> bool:
    """Whether `element` is an inline element (or inside ones) with words right before or
    right after it in its block: part of a sentence ("released a new <a>ad</a> on Monday",
    "can <a>register</a> online", "the <b><a>most popular</a></b> route"), which a cue's
    words alone do not make chrome. (A label that stands apart, "<b>Read also:</b> <a>...</a>",
    has none.)"""
    while element.tag in _INLINE_TAGS:
        parent = element.getparent()
        if parent is None:  # removed already
            return False
        previous = element.getprevious()
        before = previous.tail if previous is not None else parent.text
        if _SENTENCE_BEFORE.search(before or "") or _continues(element.tail or ""):
            return True
        element = parent
    return False


# Words of the same sentence before an element: a word with no sentence's end after it ("a
# new <a>", not "...the old town. <a>Read more</a>" or "Related: <a>").
_SENTENCE_BEFORE = re.compile(r"\w[^.!?:…。！？]*$")
_NEXT_WORD = re.compile(r"[\s,;—–-]*(\w)")


def _continues(tail: str) -> bool:
    """Whether the text after an element goes on with its sentence: a word that does not
    open a sentence of its own (", twice", " on Monday", "2023"; not ". Subscribe" or
    " Subscribe today")."""
    found = _NEXT_WORD.match(tail)
    return found is not None and not found.group(1).isupper()


# A call to act (a pattern with `sentence = true`) of at least SENTENCE_CUE_WORDS words, in a
# sentence of a block of at most SENTENCE_BLOCK_WORDS words, makes that block chrome: "Get
# our breaking news alerts. <a>Download our app</a> for the latest news." A shorter cue
# ("register", "sign up") is a word a story uses too; a date or a "most popular" in a
# sentence is the story's.
SENTENCE_CUE_WORDS = 3
SENTENCE_BLOCK_WORDS = 20


def _sentence_chrome(index: PageIndex, box: etree._Element) -> etree._Element | None:
    """The block a cue in a sentence makes chrome (see SENTENCE_CUE_WORDS), or None; or,
    in a longer block, the cue itself when it opens the block's last sentence, which goes
    with it ("...the old town. <a>Sign up for our newsletter</a> to get more stories.")."""
    if index.text(box).count(" ") + 1 < SENTENCE_CUE_WORDS:
        return None
    block = next((a for a in box.iterancestors() if a.tag not in _INLINE_TAGS), None)
    if block is None or _is_body(block, index.tokens(block)):
        return None
    if index.text(block).count(" ") + 1 <= SENTENCE_BLOCK_WORDS:
        return block
    if not _closes_with(box):
        return None
    index.tailless.add(box)  # the rest of the sentence goes with the call to act
    return box


_SENTENCE_END = re.compile(r"[.!?…。！？]\s*$")
_LAST_SENTENCE = re.compile(r"[^.!?…。！？]*[.!?…。！？]?\s*")


def _closes_with(element: etree._Element) -> bool:
    """Whether `element` opens its block's last sentence, a short one, and nothing follows
    it in the block (its tail is the rest of that sentence)."""
    if element.tag not in _INLINE_TAGS or element.getnext() is not None:
        return False
    parent = element.getparent()
    previous = element.getprevious()
    before = (previous.tail if previous is not None else parent.text) or ""
    if before.strip() and not _SENTENCE_END.search(before):
        return False  # (before: the end of the story's own last sentence)
    tail = element.tail or ""
    if not _LAST_SENTENCE.fullmatch(tail) or tail.count(" ") > SENTENCE_BLOCK_WORDS:
        return False
    return not (parent.getparent() is not None and parent.tag in _INLINE_TAGS)


# Inline labels: "<b>Read also:</b> <a>Headline</a>" inside a block of body text.
_LABEL_TAGS = frozenset({"b", "strong", "span", "em", "i"})


def _label_and_link(index: PageIndex, label: etree._Element) -> list[etree._Element]:
    """An inline label and the link it introduces; their block instead when nothing else in
    it has a word ("💡 <b>Read more</b>: <a>...</a>" leaves no 💡 behind)."""
    link = _introduced_link(index, label)
    if not link:
        return [label]
    block = label.getparent()  # (there is one: the link is the label's next sibling)
    rest = [block.text or ""] + [
        (child.tail or "") + ("" if child is label or child is link[0] else index.text(child))
        for child in block]
    if not _is_body(block, index.tokens(block)) and not any(map(_WORD_CHAR.search, rest)):
        return [block]
    return [label, *link]


def _introduced_link(index: PageIndex, label: etree._Element) -> list[etree._Element]:
    """The link an inline chrome label ending in a colon introduces, right after it; or
    after an arrow between them ("<b>RELATED COVERAGE</b> >> <a>...</a>"), which goes too."""
    if label.tag not in _LABEL_TAGS:
        return []
    between = (label.tail or "").strip()
    if between and not _ARROW.fullmatch(between):
        return []
    following = label.getnext()
    if following is None or following.tag != "a" or not (
            between or index.text(label).endswith((":", "»"))):
        return []
    if between:
        index.tailless.add(label)  # the arrow goes with the label
    return [following]


_ARROW = re.compile(r"[:»>→|]+|-+>")


# A removed block that may be the page's only byline ("Written by Jane Doe" is a stamp to
# remove, and its name the author's): kept for the metadata when short.
_BYLINE_LINE = re.compile(r"\s*(?:(?:written|posted|story|words|reported|reporting) )?by\b",
                          re.IGNORECASE)
BYLINE_CHARS = 120


def strip_dom(root: etree._Element, bylines: list[str] | None = None,
              left: set[str] | None = None,
              openings: dict[str, frozenset[str]] | None = None) -> list[str]:
    """Remove catalogue chrome from a parsed page in place; return the pattern ids used.
    `bylines`, if given, gets the text of each removed text-cue block that opens like a
    byline ("Written by Jane Doe"), for the author search after it; `left` the lower-cased
    text of each closing cue left in the tree alone (`dom = "boxed"`) with no donation box
    after it, `openings` of each with one (with the texts of the box it opens), for
    `strip_blocks`."""
    index = PageIndex(root)
    limit = MAX_SHARE * max(index.size.get(root, 0), 1)
    used = []
    for pattern in catalogue():
        if not pattern.dom:
            continue
        removed = 0
        for element in _candidates(index, pattern):
            if element.getparent() is None or not index.attached(element):
                continue
            if index.size.get(element, 0) > limit:
                continue
            if pattern.kind == "tokens" and _kept_despite_name(index, element, pattern):
                continue
            _spill_prose(index, element)
            _note_removal(index, pattern, element, bylines)
            index.remove(element)
            removed += 1
        if removed:
            used.append(pattern.id)
    if left is not None:
        left.update(index.left_alone)
    if openings is not None:
        openings.update(index.openings)
    return used


def _note_removal(index: PageIndex, pattern: Pattern, element: etree._Element,
                  bylines: list[str] | None) -> None:
    """What an element about to go tells what follows: a byline's text, a donation box's
    place (`_box_follows`)."""
    if bylines is not None and pattern.kind == "cue":
        bylines += _byline_of(index, element)
    if pattern.id in APPEAL_BOXES:
        index.appeal_boxes.append((index.order.get(element, -1),
                                   frozenset(element.iterancestors())))


def _byline_of(index: PageIndex, element: etree._Element) -> list[str]:
    """The text of a removed text-cue block, if it is short and opens like a byline."""
    if index.size.get(element, 0) > BYLINE_CHARS:
        return []
    text = norm_space(" ".join(element.itertext()))
    return [text] if _BYLINE_LINE.match(text) else []


def _kept_despite_name(index: PageIndex, element: etree._Element, pattern: Pattern) -> bool:
    """A chrome-named element that is the body or wraps it stays; so does one that holds
    prose, for the patterns that spare it (a body in a wrapper named for its paywall)."""
    return (_is_body(element, index.tokens(element)) or _holds_article(element)
            or (pattern.spare_prose and _holds_prose(index, element)))


# Prose: this many paragraphs of at least PROSE_WORDS words (no newsletter box, share bar or
# cookie banner is written like that; a body in a wrapper named for its paywall is).
PROSE_PARAGRAPHS = 3
PROSE_WORDS = 30


def _holds_prose(index: PageIndex, element: etree._Element) -> bool:
    # no word has fewer than one character (a Chinese one), most in Latin scripts ~4
    if index.size.get(element, 0) < PROSE_PARAGRAPHS * PROSE_WORDS:
        return False
    long = 0
    for paragraph in element.iter("p"):
        if count_words(" ".join(paragraph.itertext())) >= PROSE_WORDS:
            long += 1
            if long >= PROSE_PARAGRAPHS:
                return True
    return False


def _spill_prose(index: PageIndex, box: etree._Element) -> None:
    """Move the story's paragraphs out of a sign-up box left open, after it, before it goes.

    A box missing its `</div>` takes the story's next paragraphs in as its children, after
    its form. Two or more paragraphs of PROSE_WORDS words or more after the last form,
    matching no cue, are the story's; a closed box's small print or offer after its form is
    one paragraph.
    """
    last_form = max((i for i, child in enumerate(box) if next(child.iter("form"), None)
                     is not None), default=None)
    if last_form is None:
        return
    spilled = [child for child in box[last_form + 1:]
               if child.tag == "p" and _story_paragraph(index, child)]
    if len(spilled) < SPILLED_PARAGRAPHS:
        return
    anchor = box
    for paragraph in spilled:
        anchor.addnext(paragraph)
        anchor = paragraph
    if box.tail:  # the text after the box follows the paragraphs, as it did
        spilled[-1].tail = (spilled[-1].tail or "") + box.tail
        box.tail = None


SPILLED_PARAGRAPHS = 2


def _story_paragraph(index: PageIndex, paragraph: etree._Element) -> bool:
    text = index.text(paragraph)
    return count_words(text) >= PROSE_WORDS and not _any_cue_matches(text)


_ARTICLE_INSIDE = etree.XPath("boolean(.//article | .//main | .//*[@itemprop='articleBody'])")


def _holds_article(element: etree._Element) -> bool:
    """An element wrapping <article>, <main> or [itemprop=articleBody] is no chrome box."""
    return _ARTICLE_INSIDE(element)


# A landmark holding most of the page's prose is no header, sidebar or footer but a tag left
# open (an unclosed <header>, a pop-up <aside> the parser let swallow the rest of the page).
# trafilatura drops these landmarks whole, story and all; as a <div>, it reads the story.
SWALLOWING_TAGS = ("aside", "header", "footer", "nav")
SWALLOWED_SHARE = 0.5
# ...and at least this many words of it, in this many paragraphs: a story, not a blurb (a
# footer's "About us", a legal notice, on a page whose story is not in <p>s).
SWALLOWED_WORDS = 150
SWALLOWED_PARAGRAPHS = 2


def unwrap_swallowing_landmarks(root: etree._Element) -> int:
    """Make <div>s of the landmarks that hold most of the page's prose; return how many.

    Prose: paragraphs of at least PROSE_WORDS words. The page's paragraphs are counted only
    when a landmark holds enough prose to qualify (most hold none).
    """
    words: dict[etree._Element, int] = {}

    def prose(paragraphs: Iterable[etree._Element]) -> list[int]:
        counts = []
        for paragraph in paragraphs:
            if paragraph not in words:
                words[paragraph] = count_words(" ".join(paragraph.itertext()))
            if words[paragraph] >= PROSE_WORDS:
                counts.append(words[paragraph])
        return counts

    held = {element: prose(element.iter("p")) for element in root.iter(*SWALLOWING_TAGS)}
    held = {element: counts for element, counts in held.items()
            if len(counts) >= SWALLOWED_PARAGRAPHS and sum(counts) >= SWALLOWED_WORDS}
    least = SWALLOWED_SHARE * sum(prose(root.iter("p"))) if held else 0
    unwrapped = [element for element, counts in held.items() if sum(counts) >= least]
    for element in unwrapped:
        element.tag = "div"
        element.attrib.pop("role", None)
    return len(unwrapped)


# The landmarks trafilatura drops from the body it extracts (its `MANUALLY_CLEANED`). Left
# in, they are copied with the page at each of its stages and read by its comparison
# extractors (readability, jusText) and its fallbacks, which reject them too. Removed from
# the tree trafilatura gets (after `unwrap_swallowing_landmarks` made <div>s of any that hold
# the story), its result on the WCXB dev pages is the same and it runs faster.
DROPPED_LANDMARKS = ("aside", "footer", "nav")
# Elements trafilatura drops whole as its first step too (`MANUALLY_CLEANED`) that hold no
# text: media, embeds, styles. Dropped from its copy, its own copies and XPath passes skip
# them (about 2% of its time; the <head> as much again, `_body_copy`). Not the others of
# that list: readability reads the page before that step, and without <noscript>, form
# controls, <form>, <figure> or <time> it reads some pages differently (body F1 on the WCXB
# dev articles 0.948 -> 0.945 with <noscript> and the form controls dropped).
DROPPED_ELEMENTS = ("svg", "iframe", "embed", "object", "picture", "video", "audio", "canvas",
                    "source", "track", "style", "link", "use")
# A table holding a page heading or another table lays out a page (the sites built before
# CSS, and the CMSs that kept their templates): no data table does. Nor one holding
# LAYOUT_PARAGRAPHS paragraphs (`<p>`s) of a sentence or more (LAYOUT_WORDS words): the
# story in a cell, under a headline in a `<font>` ("By Tom Baker" in another), had its
# headline, byline and paragraphs run together into one line of a table.
_LAYOUT_TABLE = etree.XPath("boolean(.//h1 | .//h2 | .//table)")
_TABLE_PARTS = ("thead", "tbody", "tfoot", "tr", "td", "th")
LAYOUT_PARAGRAPHS = 2
LAYOUT_WORDS = 15


def _lays_out(table: etree._Element) -> bool:
    """Whether a table lays out the page rather than holding data (`_LAYOUT_TABLE`)."""
    if _LAYOUT_TABLE(table):
        return True
    paragraphs = (p for p in table.iter("p")
                  if count_words(" ".join(p.itertext())) >= LAYOUT_WORDS)
    return next(islice(paragraphs, LAYOUT_PARAGRAPHS - 1, None), None) is not None


def trafilatura_copy(tree: etree._Element) -> etree._Element:
    """The tree trafilatura reads: a copy without the landmarks it drops (their tails stay),
    the items of numbered lists marked with their numbers, layout tables made
    <div>s (trafilatura reads a table's cells as one block of a data table: a page laid out
    in one would be one block), and so are the <section>s that hold text of their own (it
    ran a story of one section a paragraph together, sentences unspaced). The tree itself
    is untouched: the classifier reads the whole page."""
    copied = _body_copy(tree)
    etree.strip_elements(copied, *DROPPED_LANDMARKS, *DROPPED_ELEMENTS, with_tail=False)
    for numbered in copied.iter("ol"):
        _number_items(numbered)
    for code in [c for c in copied.iter("code") if _inline_code(c)]:
        _inline(code)
    for section in [s for s in copied.iter("section") if (s.text or "").strip()]:
        section.tag = "div"  # a paragraph of its own, as a <div> of text is
    layouts = [table for table in copied.iter("table") if _lays_out(table)]
    for table in layouts:
        parts = [part for part in table.iter(*_TABLE_PARTS)
                 if next(part.iterancestors("table")) is table]
        for element in [table, *parts]:
            element.tag = "div"
    return copied


def _inline_code(code: etree._Element) -> bool:
    """A `<code>` in a line of prose ("a file named <code>App.tsx</code>"), not a block:
    trafilatura reads every `<code>` as a code block, which breaks the line around it (and
    where its main pass finds no frame, its recovery keeps the `<code>`s of a list it
    drops, each as a paragraph)."""
    return (code.getparent() is not None and next(code.iterancestors("pre"), None) is None
            and code.find(".//br") is None and "\n" not in "".join(code.itertext()))


def _inline(code: etree._Element) -> None:
    """A `<code>` made an inline element, a space put where it meets another element with
    none between, or opens its parent with no text before it (`<b>'ß'</b><span><code>
    U+00DF</code><code>0x C3 9F</code></span>`: boxes a style sets apart); text that runs
    into it stays joined (`<code>App</code>s`)."""
    code.tag = "span"
    previous, parent = code.getprevious(), code.getparent()
    if previous is not None and not previous.tail:
        previous.tail = " "
    elif previous is None and not parent.text:
        parent.text = " "
    if code.getnext() is not None and not code.tail:
        code.tail = " "


def _body_copy(tree: etree._Element) -> etree._Element:
    """A copy of the page without its <head>, which trafilatura drops as its first step
    (`MANUALLY_CLEANED`): every copy it makes and every XPath it runs before that skip it.
    Whatever else is under <html> is copied (on a tree `parse_html` did not build, what a
    stray `</body>` left beside the body). The root of a document of its own, as a copy
    trafilatura makes is (an XPath from `/` reads this tree, not the page's), so that
    trafilatura can read it without copying it again (`core._Handed`)."""
    if tree.tag != "html" or tree.find("head") is None:
        return deepcopy(tree)
    copied = deepcopy(tree.makeelement(tree.tag, tree.attrib))  # (no children yet)
    for child in tree:
        if child.tag != "head":
            copied.append(deepcopy(child))
    return copied


def _number_items(numbered: etree._Element) -> None:
    """Write on each <li> of an <ol> the number the page shows on it (`item_markers`) as
    `rend`: trafilatura keeps that attribute, where it drops the others, its empty items
    and the text between items (`text._list_items` reads it)."""
    for item, marker in item_markers(numbered).items():
        item.set("rend", marker)


def item_markers(numbered: etree._Element) -> dict[etree._Element, str]:
    """The marker of each <li> of an <ol>: the number the page shows on it (`start`,
    `reversed` and an item's `value` as HTML counts them), or "-" in a list numbered with
    letters or roman numerals."""
    items = [li for li in numbered.iter("li")
             if next(li.iterancestors("ol", "ul"), None) is numbered]
    if numbered.get("type", "1") != "1":
        return dict.fromkeys(items, "-")
    step = -1 if numbered.get("reversed") is not None else 1
    number = _integer(numbered.get("start"))
    if number is None:
        number = len(items) if step < 0 else 1
    markers = {}
    for item in items:
        value = _integer(item.get("value"))
        number = number if value is None else value
        markers[item] = f"{number}."
        number += step
    return markers


def _integer(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value else None
    except ValueError:
        return None


def remove(element: etree._Element) -> None:
    """Drop an element but keep its tail text in the tree."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


# ---------------------------------------------------------------------------------------
# After trafilatura: drop chrome blocks from the extracted body.

def strip_blocks(blocks: list[str], left_alone: frozenset[str] | set[str] = frozenset(),
                 openings: Mapping[str, frozenset[str]] | set[str] = frozenset(),
                 appeal_anywhere: bool = False) -> tuple[list[str], list[str]]:
    """Drop text blocks that are chrome; cut the tail after a closing-chrome boundary that
    stands in the last part of the text (`BOUNDARY_SEEN`), but for one `strip_dom` left in
    the tree alone with no donation box after it (`left_alone`: it goes alone). One with a
    donation box after it in its container (`openings`: "A message from ...", its
    paragraphs, "Once / Monthly / Annual") that it opens, a box of the appeal's own, cuts
    from the middle on (`APPEAL_SEEN`) if what follows it reads as an appeal: an appeal
    may be nearly as long as the short story it closes (the seed page's stands at 58%), but
    not longer (a letter to the readers that is the story), unless `appeal_anywhere`
    (`speaks_of_itself` is false of the headline: a story on a dam, not a letter from the
    paper): then, past the story's first two blocks, its box's own blocks go (the texts
    `openings` maps it to), and the story goes on after them: a brief of two paragraphs
    closed by the appeal every story of the site carries is the common case, an appeal set
    in the middle of a story the other."""
    tested = [_tested(block) for block in blocks]
    lows = [low for low, _ in tested]
    hits = _closing_only(_runs_kept(lows, [hit for _, hit in tested]))
    kept: list[str] = []
    used: list[str] = []
    total = sum(len(b) for b in blocks)
    seen = 0
    appeal_ends = 0  # the blocks of an appeal's box before this one go
    for at, (block, low, hit) in enumerate(zip(blocks, lows, hits, strict=True)):
        if at < appeal_ends:
            continue
        if hit is None or (hit.boundary and not kept and low in left_alone):
            # (a closing cue left alone that opens the text closes nothing: the salutation
            # of a letter that is the story, "Dear readers,", "A message from the editor:")
            kept.append(block)
            seen += len(block)
            continue
        used.append(hit.id)
        if not (hit.boundary and len(kept) >= 2 and low not in left_alone):
            continue
        if seen >= BOUNDARY_SEEN * total or (low in openings and seen >= APPEAL_SEEN * total
                                             and _reads_as_appeal(blocks[at + 1:])):
            break
        box = openings.get(low) if appeal_anywhere and isinstance(openings, Mapping) else None
        if box:
            end = next((i for i in range(at + 1, len(blocks)) if lows[i] not in box),
                       len(blocks))
            if _reads_as_appeal(blocks[at + 1:end]):
                appeal_ends = end
    return kept, sorted(set(used))


# What an appeal for money talks about, in the languages of the donation cues: the blocks
# after an appeal's opening that say so hold at least APPEAL_SHARE of the text after it.
APPEAL_WORDS = re.compile(
    r"\b(support\w*|donat\w*|contribut\w*|journalis\w*|independen\w*|reader\w*|"
    r"subscri\w*|your help|thank you|membership|member|fund\w*|"
    r"поддерж\w*|пожертв\w*|журналист\w*|независим\w*|читател\w*|"
    r"unterstütz\w*|spende\w*|journalismus|unabhängig\w*|leser\w*|"
    r"soutien|soutenir|journalisme|indépendan\w*|lecteurs?|"
    r"apoy\w*|don(ación|aciones|ativo)|periodismo|independien\w*|lectores|apoio|leitores)\b",
    re.IGNORECASE)
APPEAL_SHARE = 0.5


def _reads_as_appeal(blocks: list[str]) -> bool:
    """Whether most of the text of `blocks` is in blocks that speak of support, donations,
    journalism or readers: an appeal, not the rest of a story ("A message from the mayor:
    ..."), which a donation box happens to follow."""
    total = sum(len(block) for block in blocks)
    appeal = sum(len(block) for block in blocks if APPEAL_WORDS.search(block))
    return total > 0 and appeal >= APPEAL_SHARE * total


def speaks_of_itself(headline: str | None, outlets: frozenset[str] | set[str]) -> bool:
    """Whether a headline may head a letter from the site to its readers, which reads as
    an appeal: it names the site (`outlets`: its names, folded; one of five letters or
    more also within a word run together, "Valley Herald" for "valleyherald") or speaks of
    support, journalism or readers (`APPEAL_WORDS`). True without a headline."""
    if not headline or APPEAL_WORDS.search(headline):
        return True
    spaced = _spaced(headline.casefold())
    run = spaced.replace(" ", "")
    return any(_spaced(name) in spaced or (len(name) >= 5 and _spaced(name).replace(" ", "")
                                           in run) for name in outlets)


def _spaced(text: str) -> str:
    """The words of `text` joined by spaces, with one before and after: " the moscow times "."""
    return " " + " ".join(_WORD.findall(text)) + " "


_WORD = re.compile(r"[^\W_]+")


# The patterns whose removal is a donation box (its period buttons, a box named for
# donations): a closing appeal's heading left alone before one in its container cuts the
# text after it.
APPEAL_BOXES = frozenset({"donation.buttons", "donation.tokens"})


@lru_cache(maxsize=512)
def _tested(block: str) -> tuple[str, Pattern | None]:
    """A block lower-cased and collapsed, and the cue it matches (kept for the page's other
    reading of its body, which shares most blocks: a page's worth, not a crawl's). A table
    row is tested with its cells apart: "Views | 1,204" is data, where "Views 1,204" reads
    as a page's view counter."""
    low = norm_space(block.replace("\t", " | ")).lower()
    return low, _block_cue(low, _block_cues())


@cache
def _block_cues() -> tuple[Pattern, ...]:
    return tuple(p for p in catalogue() if p.kind == "cue" and not p.links)


def _block_cue(low: str, cues: tuple[Pattern, ...]) -> Pattern | None:
    """The first cue pattern a (lower-cased, collapsed) block matches, or None."""
    words = low.count(" ") + 1
    if words > max_cue_words() or not _any_cue_matches(low, words):
        return None  # most blocks: one test against every cue at once
    return next((p for p in cues if words <= p.max_words and p.regex.search(low)), None)


def _closing_only(hits: list[Pattern | None]) -> list[Pattern | None]:
    """A block matching a `last` pattern is chrome only where every block after it is
    chrome too: "Topics: politics, the economy and elections" closing the text is its tag
    line, the same words with the story going on after them its agenda."""
    hits = list(hits)
    tail_is_chrome = True
    for at in range(len(hits) - 1, -1, -1):
        if hits[at] is not None and hits[at].last and not tail_is_chrome:
            hits[at] = None
        tail_is_chrome = tail_is_chrome and hits[at] is not None
    return hits


def _which_cue(pattern: Pattern, low: str) -> int:
    return next((i for i, cue in enumerate(pattern.cue_regexes) if cue.search(low)), -1)


def _runs_kept(lows: list[str], hits: list[Pattern | None]) -> list[Pattern | None]:
    """A run of `keep_runs` or more consecutive blocks matching the same cue of such a
    pattern is data (a table with a date in every row), not a stamp: those blocks are kept.
    A byline, a date and a reading time in a row match different cues, and still go."""
    hits = list(hits)
    keys = [(hit, _which_cue(hit, low)) if hit is not None and hit.keep_runs else None
            for hit, low in zip(hits, lows, strict=True)]
    start = 0
    while start < len(keys):
        end = start + 1
        while keys[start] is not None and end < len(keys) and keys[end] == keys[start]:
            end += 1
        if keys[start] is not None and end - start >= keys[start][0].keep_runs:
            hits[start:end] = [None] * (end - start)
        start = end
    return hits

"""Extraction fixtures: a saved page and the Article expected from it.

    fixtures/<site>/<case>/response.html   the raw body as served (uncompressed)
    fixtures/<site>/<case>/response.json   {"url", "status", "headers", "fetched_at"}
    fixtures/<site>/<case>/expected.json   exact fields, plus `must_contain` / `must_not_contain`

The test suite discovers every case; `newscrawl fixture save` records one and
`newscrawl fixture rerun` compares the current output with what is expected.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from .article import Article
from .core import extract
from .text import norm_space

ROOT = Path(__file__).resolve().parents[1] / "fixtures"
FOLDER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
SNIPPET_FIELDS = ("must_contain", "must_not_contain")
EXACT_FIELDS = ("is_article", "title", "authors", "published", "language", "paywall", "rule",
                "text", "text_source")
FIELDS = (*EXACT_FIELDS, *SNIPPET_FIELDS)  # what an expected.json may hold, in check order


@dataclass(frozen=True)
class Case:
    path: Path

    @property
    def id(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def response(self) -> dict:
        return json.loads((self.path / "response.json").read_text(encoding="utf-8"))

    @property
    def expected(self) -> dict:
        return json.loads((self.path / "expected.json").read_text(encoding="utf-8"))


def cases(root: Path = ROOT, site: str | None = None) -> list[Case]:
    """Every fixture case under `root` (one site's when `site` is given), sorted."""
    found = sorted(p.parent for p in root.glob("*/*/expected.json"))
    return [Case(p) for p in found if site is None or p.parent.name == site]


@cache
def run(path: Path, site_rules: bool = True) -> Article:
    """The current extraction of a case (cached: every field test shares one run).

    `response.json` may give `fetched_at`, the day the page was served, which picks the
    site-rule layout; `site_rules=False` runs the generic path alone.
    """
    response = Case(path).response
    headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
    fetched = response.get("fetched_at")
    return extract((path / "response.html").read_bytes(), response["url"],
                   content_type=headers.get("content-type"),
                   rules=() if site_rules else None,
                   fetched=datetime.fromisoformat(fetched) if fetched else None)


def check_field(case: Case, field: str) -> str | None:
    """None when the field matches, else a one-line description of the mismatch."""
    expected = case.expected[field]
    article = run(case.path)
    if field in SNIPPET_FIELDS:
        text = norm_space(article.text)
        wanted = field == "must_contain"
        bad = [s for s in expected if (norm_space(s) in text) != wanted]
        verb = "missing" if wanted else "leaked"
        return f"{verb}: {bad}" if bad else None
    actual = getattr(article, field)
    if actual == expected:
        return None
    if field == "text" and isinstance(expected, str) and actual:
        return _text_change(expected, actual)
    return f"expected {expected!r}, got {actual!r}"


def _text_change(expected: str, actual: str) -> str:
    """Where two texts part, by block (a paragraph, a heading, a list item): the first
    blocks that differ, not two whole texts on one line."""
    old, new = expected.split("\n\n"), actual.split("\n\n")
    changes = [c for c in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
               if c[0] != "equal"]
    _, i1, i2, j1, j2 = changes[0]
    return (f"{len(changes)} change(s) in {len(old)} expected blocks, {len(new)} found; the first"
            f" at block {i1 + 1}: expected {old[i1:i2][:2]!r}, got {new[j1:j2][:2]!r}")


def fields(case: Case) -> list[str]:
    """The fields a case checks, in a stable order; ValueError, naming the file and the key,
    for a key that is no field (a typo would check nothing) or snippets that are not a list
    of strings (a string is checked letter by letter)."""
    expected, where = case.expected, case.path / "expected.json"
    if not isinstance(expected, dict):
        raise ValueError(f"{where}: expected a JSON object of fields")
    unknown = sorted(set(expected) - set(FIELDS))
    if unknown:
        raise ValueError(f"{where}: {unknown[0]}: unknown key (fields: {', '.join(FIELDS)})")
    for key in SNIPPET_FIELDS:
        value = expected.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"{where}: {key}: expected a list of non-empty strings")
    return [f for f in FIELDS if f in expected]


def save(html_file: Path, url: str, site: str, name: str, root: Path = ROOT,
         fetched: datetime | None = None, content_type: str = "text/html") -> Path:
    """Record a new case from a saved page; its expected.json starts as the current output,
    with the built-in site rules (what the suite runs), as of `fetched` (default: now),
    which is recorded: it picks the site-rule layout, on the day the suite runs as on this
    one.

    ValueError for a site or case that is not one plain folder name, or a URL that is not
    http(s) with a host; FileExistsError if the case exists."""
    for what, value in (("site", site), ("case", name)):
        if not FOLDER_NAME.fullmatch(value) or value in (".", ".."):
            raise ValueError(f"--{what} {value!r}: expected a plain folder name "
                             "(letters, digits, '.', '_', '-')")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--url {url!r}: expected an http(s) URL with a host")
    folder = root / site / name
    if folder.exists():
        raise FileExistsError(f"{folder}: a fixture with this name exists")
    body = html_file.read_bytes()
    fetched = (fetched or datetime.now(UTC)).replace(microsecond=0)
    # extracted before anything is written: a broken rule (RuleError) leaves no case that
    # the suite ignores (no expected.json) and the next try finds in its way
    article = extract(body, url, content_type=content_type, fetched=fetched)
    expected = {f: getattr(article, f) for f in EXACT_FIELDS}  # the text whole: a rule
    blocks = article.text.split("\n\n")  # that loses a heading or a list fails its case
    expected["must_contain"] = [blocks[0], blocks[-1]] if article.text else []
    expected["must_not_contain"] = []
    folder.parent.mkdir(parents=True, exist_ok=True)
    writing = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=folder.parent))
    try:  # the case appears whole, or not at all
        (writing / "response.html").write_bytes(body)
        _write_json(writing / "response.json", {"url": url, "status": 200,
                                                "headers": {"Content-Type": content_type},
                                                "fetched_at": fetched.isoformat()})
        _write_json(writing / "expected.json", expected)
        writing.chmod(0o777 & ~_umask())  # (mkdtemp's is 0o700)
        writing.rename(folder)
    except BaseException:
        shutil.rmtree(writing, ignore_errors=True)
        raise
    return folder


def update(case: Case, differing: list[str]) -> list[str]:
    """Rewrite the exact fields among `differing` (those `check_field` found to differ,
    after a change the author means) with the current output; its snippets, hand-written
    promises, stay as they are. The fields rewritten."""
    changed = [f for f in differing if f in EXACT_FIELDS]
    if changed:
        article = run(case.path)
        _write_json(case.path / "expected.json",
                    case.expected | {f: getattr(article, f) for f in changed})
    return changed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_json(path: Path, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")

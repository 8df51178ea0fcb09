"""Loading the WCXB pages and the project's own fixtures."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path("/work/shared/corpus/wcxb-dev")
DEFAULT_FIXTURES = ROOT / "fixtures"
ATTRIBUTION = "Corpus: WCXB dev split (Murrough Foley, 2026), CC-BY-4.0"


@dataclass(frozen=True)
class Page:
    """One corpus page: id, URL, page type and its `ground_truth` dict."""

    pid: str
    url: str
    page_type: str
    html_path: Path
    gold: dict

    @property
    def is_article(self) -> bool:
        return self.page_type == "article"

    @property
    def gold_text(self) -> str:
        return self.gold.get("main_content") or ""


def load_page(corpus: Path, gt_path: Path) -> Page:
    """A page from its ground-truth file (the HTML is read later, by `read_html`)."""
    data = json.loads(gt_path.read_text(encoding="utf-8"))
    pid = gt_path.stem
    return Page(
        pid=pid,
        url=data.get("url") or "",
        page_type=data["_internal"]["page_type"]["primary"],
        html_path=corpus / "html" / f"{pid}.html.gz",
        gold=data["ground_truth"],
    )


def load_pages(corpus: Path, limit: int | None = None) -> list[Page]:
    """The corpus pages in id order, the first `limit` of them if given."""
    paths = sorted((corpus / "ground-truth").glob("*.json"))
    return [load_page(corpus, p) for p in paths[:limit]]


def read_html(path: Path) -> bytes:
    """The page bytes as served (gunzipped, not decoded: the extractors decode)."""
    return gzip.decompress(path.read_bytes())


@dataclass(frozen=True)
class Fixture:
    """One `fixtures/<site>/<case>/` directory."""

    name: str
    url: str
    content_type: str | None
    html_path: Path
    expected: dict


def load_fixture(case: Path) -> Fixture:
    """A fixture from its directory; `response.json` is optional beyond the URL."""
    response = json.loads((case / "response.json").read_text(encoding="utf-8"))
    headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
    return Fixture(
        name=f"{case.parent.name}/{case.name}",
        url=response.get("url") or "",
        content_type=headers.get("content-type"),
        html_path=case / "response.html",
        expected=json.loads((case / "expected.json").read_text(encoding="utf-8")),
    )


def load_fixtures(root: Path) -> list[Fixture]:
    """Every complete fixture under `root`; incomplete directories are skipped."""
    needed = ("response.html", "response.json", "expected.json")
    cases = sorted(p.parent for p in root.glob("*/*/expected.json"))
    return [load_fixture(c) for c in cases if all((c / n).is_file() for n in needed)]

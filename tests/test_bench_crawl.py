"""The crawl benchmark's run d: newscrawl's workers with the naive spider's extraction.

Only the job's shape is tested (what the storage pipeline takes); the benchmark itself is
no test.
"""

from __future__ import annotations

from pathlib import Path

from bench.crawl import TRAFILATURA_JOB, newscrawl_command
from bench.crawl_jobs import trafilatura_job
from crawler.jobs import extract_job

ARTICLE = Path(__file__).resolve().parent.parent / "fixtures" / "demo-site" / "articles"


def _page() -> tuple[bytes, str]:
    page = sorted(ARTICLE.glob("*.html"))[0]
    return page.read_bytes(), f"http://127.0.0.1/articles/{page.name}"


def test_trafilatura_job_gives_what_extract_job_gives():
    body, url = _page()
    ours, theirs = extract_job(body, url, "", (), ""), trafilatura_job(body, url, "", (), "")
    assert theirs.keys() == ours.keys()
    assert theirs["article"].keys() == ours["article"].keys()
    assert theirs["article"]["is_article"] and theirs["article"]["text"]
    assert theirs["body_digest"] == ours["body_digest"]
    assert theirs["text_digest"]["minhash"]


def test_trafilatura_job_on_an_empty_page_is_no_article():
    result = trafilatura_job(b"<html><body></body></html>", "http://127.0.0.1/x", "", (), "")
    assert not result["article"]["is_article"] and result["text_digest"] is None


def test_run_d_sets_the_job_by_name(tmp_path):
    class Site:
        sitemap_url = "http://127.0.0.1:1/sitemap.xml"
    command = newscrawl_command(Site(), tmp_path / "d.db", None, TRAFILATURA_JOB)
    assert command[-2:] == ["-s", f"NEWSCRAWL_EXTRACT_FUNCTION={TRAFILATURA_JOB}"]
    assert "NEWSCRAWL_EXTRACT_FUNCTION" not in " ".join(
        newscrawl_command(Site(), tmp_path / "c.db", None))

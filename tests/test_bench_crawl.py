"""The crawl benchmark's run d: newscrawl's workers with the naive spider's extraction.

Only the job's shape is tested (what the storage pipeline takes); the benchmark itself is
no test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import crawl
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


def test_set_passes_newscrawl_settings_and_refuses_other_forms():
    args = crawl.parse_args(["--set", "NEWSCRAWL_EXTRACT_MAX_TASKS=2000", "--set", "X_Y=[1, 2]"])
    assert args.settings == ["NEWSCRAWL_EXTRACT_MAX_TASKS=2000", "X_Y=[1, 2]"]

    class Site:
        sitemap_url = "http://127.0.0.1:1/sitemap.xml"
    command = newscrawl_command(Site(), Path("c.db"), None, None, args.settings)
    assert command[-4:] == ["-s", "NEWSCRAWL_EXTRACT_MAX_TASKS=2000", "-s", "X_Y=[1, 2]"]
    for wrong in ("max_tasks=1", "NEWSCRAWL_EXTRACT_MAX_TASKS", "=1"):
        with pytest.raises(SystemExit):
            crawl.parse_args(["--set", wrong])


def test_rounds_go_abba_and_a_run_is_the_mean_of_its_rounds():
    assert [crawl.round_order(["a", "b", "c"], n) for n in (1, 2, 3)] == [
        ["a", "b", "c"], ["c", "b", "a"], ["a", "b", "c"]]
    one = {"run": "c", "pages": 100, "articles": 90, "returncode": 0, "wall_s": 10.0,
           "cpu_s": 18.0, "main_cpu_s": 2.0, "cpu_percent": 180.0, "peak_rss_mb": 300.0,
           "peak_pss_mb": 200.0, "processes": 4}
    other = {**one, "wall_s": 20.0, "cpu_s": 20.0, "main_cpu_s": 3.0, "peak_rss_mb": 350.0}
    result = crawl.merged([crawl.add_rates(dict(one)), crawl.add_rates(dict(other))])
    assert (result["wall_s"], result["cpu_s"], result["main_cpu_s"]) == (15.0, 19.0, 2.5)
    assert result["articles_per_s"] == 6.0 and result["cpu_percent"] == 126.7
    assert result["peak_rss_mb"] == 350.0 and result["cpu_ms_per_unit"] == round(19000 / 90, 1)
    assert [r["articles_per_s"] for r in result["rounds"]] == [9.0, 4.5]
    assert crawl.merged([one]) is one  # one round: as measured

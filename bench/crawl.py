"""Crawl throughput, side by side: plain Scrapy, a naive Scrapy + trafilatura spider, newscrawl.

    python -m bench.crawl                      # 5,000 pages, all three runs
    python -m bench.crawl --pages 50000 --only c --json out.json
    python -m bench.crawl --rounds 2           # a, b, c, then c, b, a: a steady drift cancels

Builds a local news site of N article pages (bench/crawl_site.py) with a sitemap index,
child sitemaps and robots.txt, serves it on 127.0.0.1 (nginx if installed, else a
multi-process Python server; bench/crawl_server.py), then runs, one after the other, each
in its own process tree, measured by bench/crawl_measure.py:

  a  plain Scrapy SitemapSpider that only downloads: the ceiling (pages/s)
  b  the same spider calling trafilatura.extract in its callback (articles/s)
  c  `newscrawl crawl <sitemap index> --db <tmp>` end to end into SQLite (articles/s)
  d  (with --only ...,d) run c with b's extraction as its workers' job
     (bench/crawl_jobs.py): newscrawl's design apart from its extractor's cost

and checks that run c lost no article: every page the crawler's own extraction job
classifies as an article (an offline pass over the same pages) is in `articles`, and
every page served is in `pages`.

With --rounds 2 the runs go again in reverse order (ABBA: a, b, c, then c, b, a) and each
run's figures are the means of its rounds (every round of c is checked for lost articles):
the machine's speed drifts within a sitting, and with one pass each a drift between two
runs lands whole on their ratio. The benchmark is not a test; nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.crawl_measure import Measured, run_measured
from bench.crawl_server import SiteServer, free_port, measure_rps
from bench.crawl_site import Site, build_site, expected_articles
from bench.crawl_spiders import BENCH_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
RUNS = ("a", "b", "c", "d")
DEFAULT_RUNS = "a,b,c"
LABELS = {"a": "a  scrapy, download only", "b": "b  scrapy + trafilatura in callback",
          "c": "c  newscrawl crawl, end to end", "d": "d  newscrawl, trafilatura as the job"}
# Run d: newscrawl with b's extraction call as its workers' job.
TRAFILATURA_JOB = "bench.crawl_jobs.trafilatura_job"
MB = 1024 * 1024


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.crawl", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=5000, help="pages on the site (5000)")
    parser.add_argument("--only", default=DEFAULT_RUNS,
                        help=f"runs to do, e.g. a,c or a,b,c,d ({DEFAULT_RUNS})")
    parser.add_argument("--json", type=Path, help="write every number to this file")
    parser.add_argument("--workers", type=int, help="newscrawl --workers (default: its own)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        dest="settings",
                        help="a newscrawl setting for runs c and d, e.g. "
                             "NEWSCRAWL_EXTRACT_MAX_TASKS=2000 (repeatable)")
    parser.add_argument("--sitemap-size", type=int, default=10_000,
                        help="URLs per child sitemap, at most 50,000 (10,000)")
    parser.add_argument("--server", choices=("auto", "python"), default="auto",
                        help="auto: nginx when installed, else Python; python: always Python")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run (3600)")
    parser.add_argument("--stop-after", type=float,
                        help="stop each run cleanly (SIGINT) after this many seconds: a "
                             "partial run, e.g. to see peak memory on a big site quickly")
    parser.add_argument("--rounds", type=int, default=1,
                        help="passes over the runs, every other one in reverse order (1)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args(argv)
    args.only = [r.strip() for r in args.only.split(",") if r.strip()]
    if not args.only or set(args.only) - set(RUNS):
        parser.error(f"--only takes a comma-separated subset of {','.join(RUNS)}")
    if args.rounds < 1:
        parser.error("--rounds takes 1 or more")
    for setting in args.settings:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*=.*", setting):
            parser.error(f"--set takes NAME=VALUE, a setting's name in capitals: {setting!r}")
    return args


def newscrawl_command(site: Site, db: Path, workers: int | None,
                      job: str | None = None, settings: Sequence[str] = ()) -> list[str]:
    """`newscrawl crawl` with the local-bench settings of the reference spiders (and with
    `job` as its extraction workers' job, if given), then `settings` (NAME=VALUE each).

    `--max-depth 1` keeps it to the sitemap's pages, as a and b are (the corpus pages'
    relative links would otherwise add requests for pages this site does not have).
    """
    binary = Path(sys.executable).with_name("newscrawl")
    command = [str(binary)] if binary.exists() else [sys.executable, "-m", "crawler"]
    command += ["crawl", site.sitemap_url, "--db", str(db), "--max-depth", "1", "--allow-private",
                "--log-level", "WARNING"]
    for key in ("AUTOTHROTTLE_ENABLED", "DOWNLOAD_DELAY", "CONCURRENT_REQUESTS",
                "CONCURRENT_REQUESTS_PER_DOMAIN", "TELNETCONSOLE_ENABLED"):
        command += ["-s", f"{key}={json.dumps(BENCH_SETTINGS[key])}"]
    if workers:
        command += ["--workers", str(workers)]
    if job:
        command += ["-s", f"NEWSCRAWL_EXTRACT_FUNCTION={job}"]
    for setting in settings:
        command += ["-s", setting]
    return command


def run_one(run: str, site: Site, workdir: Path, args, round_: int = 1) -> dict:
    """Run a, b, c or d in its own process tree; its counts and measurements. Round 1's
    files are named for the run (`c.db`), a later round's for both (`c-2.db`)."""
    name = run if round_ == 1 else f"{run}-{round_}"
    out, log = workdir / f"{name}.json", (workdir / f"{name}.log").open("w")
    db = workdir / f"{name}.db"
    if run in ("c", "d"):
        command = newscrawl_command(site, db, args.workers,
                                    TRAFILATURA_JOB if run == "d" else None, args.settings)
    else:
        mode = "download" if run == "a" else "naive"
        command = [sys.executable, "-m", "bench.crawl_spiders", mode, site.sitemap_url, str(out)]
    shown = f" (round {round_})" if args.rounds > 1 else ""
    print(f"running {LABELS[run]}{shown} ...", file=sys.stderr, flush=True)
    measured = run_measured(command, timeout=args.timeout, stop_after=args.stop_after,
                            cwd=ROOT, stdout=log, stderr=log,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    log.close()
    if measured.returncode != 0:
        tail = (workdir / f"{name}.log").read_text("utf-8", "replace").splitlines()[-5:]
        print(f"run {name} exited with {measured.returncode}:", *tail, sep="\n  ",
              file=sys.stderr)
    counts = stored_counts(db) if run in ("c", "d") else _read_json(out)
    return {"run": run, **counts, **measured_dict(measured)}


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text("utf-8")) if path.is_file() else {"pages": 0, "articles": 0}


def measured_dict(measured: Measured) -> dict:
    return {"returncode": measured.returncode, "wall_s": round(measured.wall, 2),
            "cpu_s": round(measured.cpu, 2), "cpu_percent": round(measured.cpu_percent, 1),
            "main_cpu_s": round(measured.main_cpu, 2),
            "peak_rss_mb": round(measured.peak_rss / MB, 1),
            "peak_pss_mb": round(measured.peak_pss / MB, 1), "processes": measured.processes}


def stored_counts(db: Path) -> dict:
    """What run c (or d) wrote: pages, articles, failed extractions, the article keys, the pages."""
    if not db.is_file():
        return {"pages": 0, "articles": 0, "extract_errors": 0, "article_urls": set(),
                "page_urls": set()}
    with sqlite3.connect(db) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        urls = {row[0] for row in conn.execute("SELECT url FROM articles")}
        pages = {row[0] for row in conn.execute("SELECT url FROM pages")}
        return {"pages": len(pages), "articles": one("SELECT count(*) FROM articles"),
                "extract_errors": one("SELECT count(*) FROM pages WHERE extract_error"
                                      " IS NOT NULL"),
                "pages_is_article": one("SELECT count(*) FROM pages WHERE is_article = 1"),
                "article_urls": urls, "page_urls": pages}


# Figures of a run that are summed over its rounds, and those whose largest is kept; the
# others are the last round's (the counts: the same site each time).
SUMMED = ("wall_s", "cpu_s", "main_cpu_s")
LARGEST = ("peak_rss_mb", "peak_pss_mb", "processes", "returncode")


def merged(rounds: list[dict]) -> dict:
    """One run's rounds as one result: its times the means of theirs (rates and CPU % from
    the summed times), its peaks the largest, each round's rate kept in `rounds`."""
    if len(rounds) == 1:
        return rounds[0]
    result = dict(rounds[-1])
    for key in SUMMED:
        result[key] = round(sum(r[key] for r in rounds) / len(rounds), 2)
    for key in LARGEST:
        result[key] = max((r[key] for r in rounds), key=abs)
    result["cpu_percent"] = round(100 * result["cpu_s"] / (result["wall_s"] or 1.0), 1)
    result["rounds"] = [{k: r[k] for k in ("wall_s", "cpu_s", "pages_per_s", "articles_per_s",
                                           "peak_rss_mb")} for r in rounds]
    return add_rates(result)


def add_rates(result: dict) -> dict:
    wall = result["wall_s"] or 1.0
    result["pages_per_s"] = round(result["pages"] / wall, 1)
    result["articles_per_s"] = round(result["articles"] / wall, 1)
    done = result["pages"] if result["run"] == "a" else result["articles"]
    result["cpu_ms_per_unit"] = round(1000 * result["cpu_s"] / done, 1) if done else None
    return result


def check_lost(site: Site, c: dict, expected: dict, partial: bool) -> dict:
    """No article lost: every article page's key is in `articles`, every page in `pages`.

    For a partial run (--stop-after), only over the pages it stored (a page URL key).
    """
    stored, pages = c.pop("article_urls"), c.pop("page_urls")
    wanted = expected["article_keys"]
    if partial:
        wanted = {key for key in wanted if key in pages}
    missing = sorted(wanted - stored)
    return {"article_pages_expected": len(wanted), "articles_stored": len(stored),
            "pages_is_article": c["pages_is_article"],
            "missing": len(missing), "missing_sample": missing[:5], "partial": partial,
            "pages_served": len(site.pages), "pages_stored": c["pages"],
            "extract_errors": c["extract_errors"],
            "ok": not missing and (partial or c["pages"] == len(site.pages))}


def _print_setting(context: dict) -> None:
    """The site, its server, the extraction's own speed and the settings given to c and d."""
    print(f"\nsite: {context['pages']} pages from {context['origin']} "
          f"({context['sources']} distinct); server: {context['server']}, "
          f"{context['server_rps']:,.0f} requests/s (Python keep-alive clients, a lower bound)")
    if "extract_pages_per_cpu_s" in context:
        print(f"newscrawl extraction alone: {context['extract_pages_per_cpu_s']:.1f} pages per "
              f"CPU second ({context['source_articles']}/{context['sources']} sources are "
              f"articles to it)")
    if context.get("settings"):
        print("runs c and d with", *context["settings"])


def print_table(results: dict, context: dict) -> None:
    _print_setting(context)
    print(f"\n{'run':36} {'pages':>7} {'articles':>8} {'wall s':>7} {'rate/s':>7} "
          f"{'CPU %':>6} {'CPU ms':>6} {'peak RSS MB':>11} {'PSS MB':>6} {'procs':>5}")
    for run in RUNS:
        if run in results:
            r = results[run]
            rate = r["pages_per_s"] if run == "a" else r["articles_per_s"]
            print(f"{LABELS[run]:36} {r['pages']:>7} {r['articles']:>8} {r['wall_s']:>7.1f} "
                  f"{rate:>7.1f} {r['cpu_percent']:>6.0f} {r['cpu_ms_per_unit'] or 0:>6.1f} "
                  f"{r['peak_rss_mb']:>11.0f} "
                  f"{r['peak_pss_mb']:>6.0f} {r['processes']:>5}")
    print("(rate: pages/s for a, articles/s for b, c and d; CPU ms: CPU time of the process tree "
          "per page for a, per article for the others)")
    for run in RUNS:
        r = results.get(run, {})
        if len(r.get("rounds", ())) > 1:
            unit = "pages/s" if run == "a" else "articles/s"
            key = "pages_per_s" if run == "a" else "articles_per_s"
            print(f"{run} by round: " + ", ".join(f"{one[key]:.1f}" for one in r["rounds"])
                  + f" {unit}")
    for run in ("c", "d"):
        r = results.get(run)
        if r and r["pages"] and r["main_cpu_s"]:
            print(f"{run}'s Scrapy process alone: {1000 * r['main_cpu_s'] / r['pages']:.1f} CPU "
                  f"ms a page, {100 * r['main_cpu_s'] / r['wall_s']:.0f}% of a core; the rest "
                  f"of its tree (the extraction workers): "
                  f"{1000 * (r['cpu_s'] - r['main_cpu_s']) / r['pages']:.1f} CPU ms a page")
    for name, value in context.get("ratios", {}).items():
        print(f"{name}: {value:.2f}")
    if "lost" in context:
        lost = context["lost"]
        scope = " (partial run: over the pages it stored)" if lost["partial"] else ""
        print(f"no article lost{scope}: {'yes' if lost['ok'] else 'NO'} "
              f"({lost['articles_stored']} articles stored, {lost['missing']} of the "
              f"{lost['article_pages_expected']} expected missing; {lost['pages_stored']} / "
              f"{lost['pages_served']} pages stored, {lost['pages_is_article']} classed "
              f"articles in the crawl; {lost['extract_errors']} extraction failures)")


def ratios(results: dict) -> dict:
    out = {}
    c = results.get("c")
    if c and results.get("b", {}).get("articles_per_s"):
        out["c/b (articles/s)"] = c["articles_per_s"] / results["b"]["articles_per_s"]
    if c and results.get("a", {}).get("pages_per_s"):
        out["c/a (articles/s over download-only pages/s)"] = (
            c["articles_per_s"] / results["a"]["pages_per_s"])
    d = results.get("d")
    if d and d["articles_per_s"] and results.get("b", {}).get("articles_per_s"):
        out["d/b (the same extraction, in newscrawl)"] = (
            d["articles_per_s"] / results["b"]["articles_per_s"])
    if c and d and d["articles_per_s"]:
        out["c/d (newscrawl's extractor against trafilatura's, in newscrawl)"] = (
            c["articles_per_s"] / d["articles_per_s"])
    b_cpu = results.get("b", {}).get("cpu_ms_per_unit")
    if c and b_cpu and c["cpu_ms_per_unit"]:  # b is one busy core; c may use them all
        cores = os.cpu_count() or 1
        out[f"c/b if both had the CPU to themselves ({cores} cores; from CPU ms)"] = (
            cores * b_cpu / c["cpu_ms_per_unit"])
    return out


def round_order(runs: list[str], number: int) -> list[str]:
    """The runs of round `number` (from 1): as asked in odd rounds, reversed in even ones."""
    return runs if number % 2 else runs[::-1]


def bench(args, workdir: Path) -> tuple[dict, dict]:
    port = free_port()
    site = build_site(workdir, f"http://127.0.0.1:{port}", args.pages, args.sitemap_size)
    server = SiteServer(site.root, port, workdir).start(prefer_nginx=args.server == "auto")
    try:
        context = {"pages": args.pages, "origin": site.origin, "sources": len(site.sources),
                   "server": server.kind, "server_rps": measure_rps(port, site.pages[0]),
                   "settings": args.settings}
        expected = None
        if "c" in args.only:
            print("classifying the site's pages offline ...", file=sys.stderr, flush=True)
            expected = expected_articles(workdir, site, os.cpu_count() or 1)
            context.update({k: v for k, v in expected.items() if k != "article_keys"})
        rounds: dict[str, list[dict]] = {run: [] for run in args.only}
        for number in range(1, args.rounds + 1):
            for run in round_order(args.only, number):
                rounds[run].append(add_rates(run_one(run, site, workdir, args, number)))
    finally:
        server.stop()
    if expected is not None:  # each round of c: the first that lost an article, else the last
        checks = [check_lost(site, one, expected, bool(args.stop_after)) for one in rounds["c"]]
        context["lost"] = next((check for check in checks if not check["ok"]), checks[-1])
    for run in ("c", "d"):  # (d: trafilatura's articles, nothing to check them against)
        for one in rounds.get(run, ()):
            one.pop("article_urls", None)
            one.pop("page_urls", None)
    results = {run: merged(rounds[run]) for run in args.only}
    context["ratios"] = ratios(results)
    return results, context


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # clean up (nginx) on TERM too
    workdir = Path(tempfile.mkdtemp(prefix="newscrawl-bench-"))
    try:
        results, context = bench(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept {workdir}", file=sys.stderr)
    print_table(results, context)
    if args.json:
        args.json.write_text(json.dumps({"results": results, "context": context}, indent=2,
                                        default=sorted), "utf-8")
    failed = [r for r in results.values() if r["returncode"] != 0]
    return 1 if failed or not context.get("lost", {"ok": True})["ok"] else 0


if __name__ == "__main__":
    sys.exit(main())

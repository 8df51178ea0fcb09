"""Extraction quality on the WCXB dev corpus and our fixtures, ours beside plain trafilatura.

Run from the project root::

    python -m bench.extraction                       # every page, every tool, one process
    python -m bench.extraction --limit 100 --only ours
    python -m bench.extraction --interleave          # the tools take turns page by page
    python -m bench.extraction --jobs 2 --per-page /tmp/pages.tsv
    python -m bench.extraction --gate bench/baseline.json
    python -m bench.extraction --write-baseline bench/baseline.json

See bench/README.md for what each metric means.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/extraction.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura

from bench import scoring
from bench.corpus import (
    ATTRIBUTION,
    DEFAULT_CORPUS,
    DEFAULT_FIXTURES,
    Fixture,
    Page,
    load_fixtures,
    load_pages,
    read_html,
)
from bench.gate import GATED_TOOL, check_baseline, write_baseline
from bench.metrics import METRICS, score_fixtures, score_tool
from bench.tools import (
    OURS,
    TRAFILATURA,
    TRAFILATURA_NOCOMMENTS,
    TRAFILATURA_TOOLS,
    ours_available,
    run_tools,
    warm_up,
)

# (key, html path, url, content type, tool names, stand-in?)
Task = tuple[str, Path, str, str | None, tuple[str, ...], bool]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.extraction",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    parser.add_argument("--limit", type=int, help="only the first N corpus pages")
    parser.add_argument("--only", choices=("ours", "trafilatura"), help="run one tool family")
    parser.add_argument("--jobs", type=int, default=1, help="processes (>1: no pages/s)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="timed passes per tool over the corpus, in ABBA order (default 2)")
    parser.add_argument("--interleave", action="store_true",
                        help="timed rounds alternate the tools page by page, each on a "
                             "different page, instead of a pass per tool")
    parser.add_argument("--json", type=Path, help="write all results as JSON")
    parser.add_argument("--per-page", type=Path, help="write per-page body F1 as TSV")
    parser.add_argument("--gate", type=Path, help="exit 1 if ours falls below this baseline")
    parser.add_argument("--write-baseline", type=Path, help="store ours as the new baseline")
    parser.add_argument(
        "--standin",
        action="store_true",
        help="use bench.standin (trafilatura) in place of extractors.extract",
    )
    return parser.parse_args(argv)


def select_tools(args: argparse.Namespace) -> tuple[str, ...]:
    """The tool columns for this run, in table order."""
    if args.only == "trafilatura":
        return TRAFILATURA_TOOLS
    if args.only == "ours":
        return (OURS,)
    return (OURS, *TRAFILATURA_TOOLS)


def usage_error(args: argparse.Namespace, tools: tuple[str, ...]) -> str | None:
    """Why this combination of options cannot run, or None."""
    wants_gate = args.gate or args.write_baseline
    if wants_gate and OURS not in tools:
        return "--gate and --write-baseline need ours: drop --only trafilatura"
    if wants_gate and args.standin:
        return "--gate and --write-baseline refuse the stand-in: they are about extractors.extract"
    if OURS in tools and not args.standin and (reason := ours_available()):
        return (
            f"extractors.extract cannot be imported ({reason}); use --only trafilatura or --standin"
        )
    if args.gate and not args.gate.is_file():
        return f"no baseline at {args.gate}: write one with --write-baseline"
    if args.jobs < 1:
        return "--jobs must be at least 1"
    if args.rounds < 1:
        return "--rounds must be at least 1"
    return None


def page_tasks(pages: Iterable[Page], tools: tuple[str, ...], standin: bool) -> list[Task]:
    return [(p.pid, p.html_path, p.url, None, tools, standin) for p in pages]


def fixture_tasks(fixtures: Iterable[Fixture], tools: tuple[str, ...], standin: bool):
    return [(f.name, f.html_path, f.url, f.content_type, tools, standin) for f in fixtures]


def evaluate(task: Task) -> tuple[str, dict]:
    """Read one page into memory, then run every tool on the same bytes, side by side."""
    key, path, url, content_type, tools, standin = task
    html = read_html(path) if path.suffix == ".gz" else path.read_bytes()
    return key, run_tools(tools, html, url, standin, content_type)


def evaluated(tasks: list[Task], jobs: int) -> Iterator[tuple[str, dict]]:
    """`evaluate` over the tasks, in this process or in a pool of `jobs`."""
    if jobs == 1:
        yield from map(evaluate, tasks)
        return
    with ProcessPoolExecutor(jobs) as pool:
        yield from pool.map(evaluate, tasks, chunksize=4)


def run_passes(make_tasks: Callable, items: Sequence, tools: tuple[str, ...],
               args: argparse.Namespace, rounds: int = 1) -> dict[str, dict]:
    """outputs[tool][key]. Timed (one process), each tool reads the pages in a pass of its
    own: run right after another tool on the same page, a tool finds that page's strings in
    the caches they share (trafilatura's, which ours calls too): 3 to 6% faster than on a
    page of its own. With `rounds` > 1 the passes go in ABBA order (the tools in table
    order, then reversed, ...) and each output's seconds are its mean over the rounds: one
    pass per tool rewards whichever ran while the machine was faster (see bench/README.md);
    `--interleave` has the tools take turns page by page instead (`interleaved`).
    Untimed, each page is read once and run through every tool."""
    if args.jobs > 1:
        return run_tasks(make_tasks(items, tools, args.standin), tools, args.jobs)
    outputs: dict[str, dict] = {}
    seconds: dict[str, dict[str, list[float]]] = {tool: {} for tool in tools}
    for done in range(rounds):
        for tool, found in timed_round(make_tasks, items, tools, args, done):
            outputs.setdefault(tool, found)
            for key, output in found.items():
                seconds[tool].setdefault(key, []).append(output.seconds)
    for tool, by_key in outputs.items():
        for key, output in by_key.items():
            output.seconds = sum(seconds[tool][key]) / len(seconds[tool][key])
    return outputs


def timed_round(make_tasks: Callable, items: Sequence, tools: tuple[str, ...],
                args: argparse.Namespace, done: int) -> Iterator[tuple[str, dict]]:
    """(tool, outputs[key]) of round `done`: a pass per tool, in table order on even rounds
    and reversed on odd ones, or with `--interleave` one pass of the tools taking turns."""
    if args.interleave:
        yield from run_tasks(interleaved(make_tasks, items, tools, args.standin, done),
                             tools, 1).items()
        return
    for tool in tools if done % 2 == 0 else reversed(tools):
        yield tool, run_tasks(make_tasks(items, (tool,), args.standin), (tool,), 1)[tool]


def interleaved(make_tasks: Callable, items: Sequence, tools: tuple[str, ...], standin: bool,
                done: int) -> list[Task]:
    """One round with the tools taking turns page by page: at step i the k-th tool reads
    page i + k n / len(tools), so each reads every page once, never right after another
    tool read it (their shared caches would favour the second), and a slow or fast spell
    of the machine falls on all of them alike. The turns alternate A B, B A."""
    per_tool = [make_tasks(items, (tool,), standin) for tool in tools]
    n, tasks = len(items), []
    for i in range(n):
        step = [own[(i + k * n // len(tools)) % n] for k, own in enumerate(per_tool)]
        tasks += step if (i + done) % 2 == 0 else step[::-1]
    return tasks


def run_tasks(tasks: list[Task], tools: tuple[str, ...], jobs: int) -> dict[str, dict]:
    """outputs[tool][key] for every task."""
    outputs: dict[str, dict] = {t: {} for t in tools}
    for done, (key, by_tool) in enumerate(evaluated(tasks, jobs), 1):
        for tool, output in by_tool.items():
            outputs[tool][key] = output
        if done % 100 == 0:
            print(f"  {done}/{len(tasks)}", file=sys.stderr, flush=True)
    return outputs


def format_value(value: float | int | None, key: str) -> str:
    if value is None:
        return "n/a"
    if key in ("errors", "pages_per_s", "article_pages_per_s"):
        return f"{value:.1f}" if isinstance(value, float) else str(value)
    return f"{value:.3f}"


def format_table(results: dict[str, dict], tools: tuple[str, ...]) -> str:
    """Rows are metrics (with their direction), columns are tools."""
    width = max(len(m.label) for m in METRICS) + 4
    lines = ["metric".ljust(width) + "".join(t.rjust(24) for t in tools)]
    for m in METRICS:
        label = f"{m.label} {'↑' if m.higher_is_better else '↓'}"
        cells = "".join(format_value(results[t].get(m.key), m.key).rjust(24) for t in tools)
        lines.append(label.ljust(width) + cells)
    return "\n".join([*lines, *speed_ratios(results)])


def speed_ratios(results: dict[str, dict]) -> list[str]:
    """Our pages/s over plain trafilatura's without comments (the speed target's
    reference), on all pages and on the article pages, when both were timed."""
    ours, reference = results.get(OURS, {}), results.get(TRAFILATURA_NOCOMMENTS, {})
    ratios = [f"{name} {ours[key] / reference[key]:.3f}"
              for name, key in (("all pages", "pages_per_s"),
                                ("article pages", "article_pages_per_s"))
              if ours.get(key) and reference.get(key)]
    return [f"speed, ours / trafilatura without comments: {', '.join(ratios)}"] if ratios else []


def describe(pages: Sequence[Page], fixtures: Sequence[Fixture], args) -> str:
    articles = sum(p.is_article for p in pages)
    speed = (
        "pages/s: one process, extraction call only"
        if args.jobs == 1
        else (f"{args.jobs} processes: pages/s not reported")
    )
    ours = "bench.standin (trafilatura stand-in)" if args.standin else "extractors.extract"
    ours = "not run" if args.only == "trafilatura" else ours
    return (
        f"{ATTRIBUTION}\n{articles} article pages, {len(pages) - articles} non-article "
        f"pages, {len(fixtures)} fixtures; ours = {ours}; {speed}"
    )


def write_per_page(path: Path, pages: Sequence[Page], outputs: dict[str, dict]) -> None:
    """page id, url, type, our F1, traf F1, our len, gold len (empty cell: tool not run)."""
    rows = ["page\turl\ttype\tours_f1\ttraf_f1\tours_is_article\tours_len\tgold_len"]
    for p in pages:
        ours, traf = outputs.get(OURS, {}).get(p.pid), outputs.get(TRAFILATURA, {}).get(p.pid)
        cells = [
            f"{scoring.overlap(ours.text, p.gold_text).f1:.4f}" if ours else "",
            f"{scoring.overlap(traf.text, p.gold_text).f1:.4f}" if traf else "",
            str(ours.is_article) if ours else "",
            str(len(ours.text)) if ours else "",
        ]
        rows.append("\t".join([p.pid, p.url, p.page_type, *cells, str(len(p.gold_text))]))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def versions() -> dict[str, str]:
    found = {"trafilatura": trafilatura.__version__}
    if ours_available() is None:
        from extractors import article

        found["extractor"] = getattr(article, "EXTRACTOR_VERSION", "?")
    return found


def score_all(args, pages, fixtures, tools) -> tuple[dict, dict[str, dict]]:
    """Run every tool on every page and fixture; metrics per tool and the raw outputs."""
    if args.jobs == 1:  # timed: measure warm extraction, not first-use loading
        warm_up(tools, args.standin)
    outputs = run_passes(page_tasks, pages, tools, args, rounds=args.rounds)
    fx_outputs = run_passes(fixture_tasks, fixtures, tools, args)
    results = {t: score_tool(pages, outputs[t], timed=args.jobs == 1) for t in tools}
    for tool in tools:
        results[tool].update(score_fixtures(fixtures, fx_outputs[tool]))
    return results, outputs


def apply_gate(args, results: dict, pages: int) -> int:
    """Exit status of the gate: 0 when no gated metric regressed, 1 otherwise."""
    failures = check_baseline(args.gate, results[GATED_TOOL], pages)
    for msg in failures:
        print(f"GATE FAILED: {msg}", file=sys.stderr)
    if not failures:
        print(f"gate passed against {args.gate}")
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    tools = select_tools(args)
    if error := usage_error(args, tools):
        print(f"error: {error}", file=sys.stderr)
        return 2
    pages = load_pages(args.corpus, args.limit)
    fixtures = load_fixtures(args.fixtures) if args.fixtures.is_dir() else []
    results, outputs = score_all(args, pages, fixtures, tools)
    print(describe(pages, fixtures, args))
    print(format_table(results, tools))
    if args.json:
        data = {
            "attribution": ATTRIBUTION,
            "pages": len(pages),
            "fixtures": len(fixtures),
            "jobs": args.jobs,
            "standin": args.standin,
            "versions": versions(),
            "results": results,
        }
        args.json.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if args.per_page:
        write_per_page(args.per_page, pages, outputs)
    if args.write_baseline:
        write_baseline(args.write_baseline, results, len(pages), versions())
        print(f"baseline written to {args.write_baseline}")
    return apply_gate(args, results, len(pages)) if args.gate else 0


if __name__ == "__main__":
    sys.exit(main())

"""The quality gate: compare a run with the stored baseline, metric by metric."""

from __future__ import annotations

import json
from pathlib import Path

from bench.corpus import ATTRIBUTION
from bench.metrics import METRICS, Metric

GATED_TOOL = "ours"


def regression(metric: Metric, new: float | None, old: float | None) -> str | None:
    """A message if `new` is worse than `old` by more than the metric's tolerance."""
    if not metric.gated or old is None:
        return None
    if new is None:  # the baseline had a figure and this run has none: that is a loss too
        return f"{metric.label}: no value in this run (baseline {old:.4f})"
    tol = metric.tolerance
    if metric.higher_is_better and new < old - tol:
        return f"{metric.label}: {new:.4f} < baseline {old:.4f} - {tol} (higher is better)"
    if not metric.higher_is_better and new > old + tol:
        return f"{metric.label}: {new:.4f} > baseline {old:.4f} + {tol} (lower is better)"
    return None


def regressions(current: dict, baseline: dict) -> list[str]:
    """One message per gated metric that fell below (or rose above) the baseline."""
    found = (regression(m, current.get(m.key), baseline.get(m.key)) for m in METRICS)
    return [msg for msg in found if msg]


def check_baseline(path: Path, current: dict, pages: int) -> list[str]:
    """Messages for every regression of the gated tool against the baseline at `path`."""
    baseline = json.loads(path.read_text(encoding="utf-8"))
    if baseline.get("pages") != pages:
        return [
            f"baseline {path} was written on {baseline.get('pages')} pages, this run has "
            f"{pages}: run the gate on the same pages (no --limit, or the same one)"
        ]
    return regressions(current, baseline["metrics"])


def write_baseline(path: Path, results: dict, pages: int, versions: dict) -> None:
    """Store the gated tool's metrics (and the others' for reference), sorted, indent 2."""
    data = {
        "attribution": ATTRIBUTION,
        "pages": pages,
        "tool": GATED_TOOL,
        "metrics": results[GATED_TOOL],
        "reference": {k: v for k, v in results.items() if k != GATED_TOOL},
        "versions": versions,
    }
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")

"""Fit `fallback.json`, the model behind `fallback.prefer_other`, on the WCXB dev split.

    pip install -e '.[train]'
    .venv/bin/python -m extractors.fallback_train [--corpus DIR]

For every article page whose two readings of the body (trafilatura's and readability's,
as `extract` compares them) differ, both are scored against the gold text with the corpus's
body F1. A page
is a positive when readability's reading scores more than `MARGIN` higher. Gradient-boosted
trees are fitted on the even-numbered pages; the odd-numbered ones are held out. The script
prints body F1 (corpus definition, before the article classifier, over the pages whose
readings differ) on each half for trafilatura's reading alone, for the model's choice and
for a perfect choice, checks that
the exported trees reproduce scikit-learn's probabilities, and writes the file. A script,
not part of the extraction API: it reads the corpus through `bench` (WCXB, Murrough
Foley, 2026, CC-BY-4.0).
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.corpus import DEFAULT_CORPUS, load_pages, read_html
from bench.scoring import Overlap, body_scores, overlap

from . import fallback
from .classifier_train import checked_scores, export
from .core import analyse
from .text import join_blocks

# readability's reading must beat trafilatura's by this much body F1 to be a positive: a
# tie or a hair's difference is no reason to leave trafilatura's reading.
MARGIN = 0.02
THRESHOLD = 0.5
TREES = {"n_estimators": 100, "max_depth": 2, "learning_rate": 0.1, "subsample": 0.8,
         "random_state": 0}
ABOUT = ("Gradient-boosted trees for fallback.py (take readability's reading of the body?); "
         "fitted by extractors/fallback_train.py on the even-numbered article pages of the "
         "WCXB dev split (Murrough Foley, 2026, CC-BY-4.0); odd pages held out.")


def page_readings(page):
    """(pid, features, per-reading (precision, recall)) of one corpus page; no features
    where the model is never asked: the two readings are the same, or the body is JSON-LD's."""
    found = analyse(read_html(page.html_path), page.url, rules=None)
    if found is None or found.summary is None:
        return page.pid, None, None
    own, (other, _) = found.blocks, found.readability_reading  # as `extract` compares them
    if own == other:
        return page.pid, None, None
    scored = [overlap(join_blocks(blocks), page.gold_text) for blocks in (own, other)]
    return page.pid, fallback.features(own, other), scored


def body_f1(scored: list[Overlap]) -> float:
    return body_scores(scored)["body_f1"]


def report(name: str, rows: list[tuple[list[Overlap], float]]) -> None:
    """Body F1 of trafilatura's reading, of the model's choice and of a perfect choice."""
    own = [scored[0] for scored, _ in rows]
    chosen = [scored[1] if p >= THRESHOLD else scored[0] for scored, p in rows]
    best = [max(scored, key=lambda match: match.f1) for scored, _ in rows]
    taken = sum(p >= THRESHOLD for _, p in rows)
    print(f"{name}: body F1 trafilatura {body_f1(own):.4f}, chosen {body_f1(chosen):.4f} "
          f"(readability on {taken} of {len(rows)}), perfect choice {body_f1(best):.4f}")


def main() -> None:
    from sklearn.ensemble import GradientBoostingClassifier  # the train extra only

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    pages = [page for page in load_pages(args.corpus) if page.is_article]
    with ProcessPoolExecutor() as pool:
        found = {pid: (feats, scored)
                 for pid, feats, scored in pool.map(page_readings, pages, chunksize=8)
                 if feats is not None}
    keys = sorted(next(iter(found.values()))[0])
    halves: dict[int, list] = {0: [], 1: []}
    for page in pages:
        if page.pid in found:
            feats, scored = found[page.pid]
            halves[int(page.pid) % 2].append(([feats[k] for k in keys], scored))
    train, held = halves[0], halves[1]
    labels = [int(scored[1].f1 - scored[0].f1 > MARGIN) for _, scored in train]
    model = GradientBoostingClassifier(**TREES).fit([row for row, _ in train], labels)
    exported = export(model, keys, THRESHOLD, about=ABOUT)
    ours = checked_scores(model, exported, keys, [row for row, _ in train + held])
    print(f"positives in the training half: {sum(labels)} of {len(labels)}")
    report("train (even ids)", [(s, p) for (_, s), p in zip(train, ours, strict=False)])
    report("held out (odd ids)", [(s, p) for (_, s), p in zip(held, ours[len(train):],
                                                               strict=True)])
    fallback.MODEL.write_text(json.dumps(exported, separators=(",", ":")) + "\n",
                              encoding="utf-8")


if __name__ == "__main__":
    main()

"""Fit `fallback.json` and `structure.json`, the models behind `fallback.prefer_other` and
`fallback.prefer_structure`, on the WCXB dev split.

    pip install -e '.[train]'
    .venv/bin/python -m extractors.fallback_train [--corpus DIR]

For every article page whose two readings of the body (trafilatura's and readability's,
as `extract` compares them) differ, both are scored against the gold text with the
corpus's body F1. A page is a positive when readability's reading scores more than
`MARGIN` higher. Gradient-boosted trees are fitted on the even-numbered pages; the
odd-numbered ones are held out. The script prints body F1 (corpus definition, before the
article classifier, over the pages whose readings differ) on each half for the reading
held so far, for the model's choice and for a perfect choice, checks that the exported
trees reproduce scikit-learn's scores, and writes the file.

Then the third reading (the page's own blocks, `extractors.structure`) against the
reading the first model chooses: trees predict the body F1 it gains, their settings and
the gain at which it is taken chosen by cross-validation on the training half
(`STRUCTURE_GRID`, `GAINS`); `structure.json` is written the same way. A script, not part
of the extraction API: it reads the corpus through `bench` (WCXB, Murrough Foley, 2026,
CC-BY-4.0).
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
# The third reading's model has fewer positives (about 30 pages of the training half gain
# from it), a few of which gain much where many lose a little: it predicts the gain in body
# F1 (Huber loss, which big gains do not sway), and the reading is taken where that is at
# least one of GAINS. The trees' settings and that threshold are chosen by cross-validation
# on the training half (the body F1 of the choices the held-out folds get).
STRUCTURE_GRID = [{"n_estimators": n, "max_depth": depth, "learning_rate": rate,
                   "loss": "huber", "subsample": 0.8, "random_state": 0}
                  for n in (50, 100, 300) for depth in (1, 2, 3) for rate in (0.05, 0.1)]
GAINS = (0.0, 0.01, 0.02)
# With so few positives one split into folds is noisy: the settings' score is the mean over
# this many different shuffles.
CV_REPEATS = 4
ABOUT = ("Gradient-boosted trees for fallback.py (take readability's reading of the body?); "
         "fitted by extractors/fallback_train.py on the even-numbered article pages of the "
         "WCXB dev split (Murrough Foley, 2026, CC-BY-4.0); odd pages held out.")
STRUCTURE_ABOUT = ("Gradient-boosted regression trees for fallback.py (the body F1 gained by "
                   "taking the page's own blocks, extractors/structure.py, as the body); "
                   "fitted by "
                   "extractors/fallback_train.py on the even-numbered article pages of the "
                   "WCXB dev split (Murrough Foley, 2026, CC-BY-4.0); odd pages held out.")


def page_readings(page):
    """(pid, the three readings of one corpus page as `extract` compares them: trafilatura's,
    readability's (None where it did not run), and the page's own blocks with their link
    shares); None where the body is JSON-LD's."""
    found = analyse(read_html(page.html_path), page.url, rules=None)
    if found is None or found.source != "dom":
        return page.pid, None
    other = found.readability_reading[0] if found.summary is not None else None
    structure, _, linked = found.structure_reading
    return page.pid, (found.blocks, other, structure, linked)


def fit(rows: list[tuple[str, dict, list[Overlap]]], about: str, path: Path,
        grid: list[dict] | None = None) -> None:
    """Fit trees on the even-numbered pages' (pid, features, (chosen, other) scores): a
    classifier with TREES, or, given a `grid` of settings, a regressor of the other
    reading's gain in body F1 with the settings and the threshold (one of GAINS) that
    cross-validate best. Print their figures on both halves, write them to `path`."""
    from sklearn.ensemble import (  # the train extra only
        GradientBoostingClassifier,
        GradientBoostingRegressor,
    )
    from sklearn.model_selection import KFold, cross_val_predict

    keys = sorted(rows[0][1])
    halves: dict[int, list] = {0: [], 1: []}
    for pid, feats, scored in rows:
        halves[int(pid) % 2].append(([feats[k] for k in keys], scored))
    train, held = halves[0], halves[1]
    gains = [scored[1].f1 - scored[0].f1 for _, scored in train]
    features = [row for row, _ in train]

    def crossed(settings: dict) -> list[float]:
        """Predicted gains of each training page from the folds that left it out, over
        CV_REPEATS shuffles."""
        return [cross_val_predict(GradientBoostingRegressor(**settings), features, gains,
                                  cv=KFold(5, shuffle=True, random_state=repeat))
                for repeat in range(CV_REPEATS)]

    def chosen_f1(predicted: list[float], threshold: float) -> float:
        return body_f1([scored[1] if p >= threshold else scored[0]
                        for (_, scored), p in zip(train, predicted, strict=True)])

    if grid:
        tried = []
        for i, settings in enumerate(grid):
            predicted = crossed(settings)
            tried += [(sum(chosen_f1(p, gain) for p in predicted) / CV_REPEATS, gain, i)
                      for gain in GAINS]
        score, threshold, best = max(tried)
        settings = grid[best]
        print(f"{path.name}: settings chosen by cross-validation: {settings}, taken at a "
              f"predicted gain of {threshold} (CV body F1 {score:.4f}, "
              f"{chosen_f1([0.0] * len(train), 1.0):.4f} never taken)")
        model = GradientBoostingRegressor(**settings).fit(features, gains)
    else:
        threshold = THRESHOLD
        model = GradientBoostingClassifier(**TREES).fit(
            features, [int(gain > MARGIN) for gain in gains])
    exported = export(model, keys, threshold, about=about)
    ours = checked_scores(model, exported, keys, [row for row, _ in train + held])
    print(f"{path.name}: pages gaining more than {MARGIN} in the training half: "
          f"{sum(gain > MARGIN for gain in gains)} of {len(gains)}")
    report("train (even ids)", [(s, p) for (_, s), p in zip(train, ours, strict=False)],
           threshold)
    report("held out (odd ids)", [(s, p) for (_, s), p in zip(held, ours[len(train):],
                                                               strict=True)], threshold)
    path.write_text(json.dumps(exported, separators=(",", ":")) + "\n", encoding="utf-8")


def body_f1(scored: list[Overlap]) -> float:
    return body_scores(scored)["body_f1"]


def report(name: str, rows: list[tuple[list[Overlap], float]], threshold: float) -> None:
    """Body F1 of the reading held so far, of the model's choice and of a perfect choice."""
    own = [scored[0] for scored, _ in rows]
    chosen = [scored[1] if p >= threshold else scored[0] for scored, p in rows]
    best = [max(scored, key=lambda match: match.f1) for scored, _ in rows]
    taken = sum(p >= threshold for _, p in rows)
    print(f"{name}: body F1 before {body_f1(own):.4f}, chosen {body_f1(chosen):.4f} "
          f"(the other reading on {taken} of {len(rows)}), perfect choice {body_f1(best):.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    pages = {page.pid: page for page in load_pages(args.corpus) if page.is_article}
    with ProcessPoolExecutor() as pool:
        found = {pid: readings for pid, readings in
                 pool.map(page_readings, pages.values(), chunksize=8) if readings is not None}

    def scored(pid: str, *readings: list[str]) -> list[Overlap]:
        return [overlap(join_blocks(blocks), pages[pid].gold_text) for blocks in readings]

    fit([(pid, fallback.features(own, other), scored(pid, own, other))
         for pid, (own, other, _, _) in found.items() if other is not None and own != other],
        ABOUT, fallback.MODEL)
    fallback.model.cache_clear()  # the second model learns from the first one's choices
    rows = []
    for pid, (own, other, structure, linked) in found.items():
        chosen = (fallback.with_lede(other, own)  # as `extract` keeps readability's reading
                  if other is not None and fallback.prefer_other(own, other) else own)
        if fallback.structure_weighed(chosen, structure):  # where `extract` asks the model
            rows.append((pid, fallback.structure_features(chosen, structure, linked),
                         scored(pid, chosen, structure)))
    fit(rows, STRUCTURE_ABOUT, fallback.STRUCTURE_MODEL, STRUCTURE_GRID)


if __name__ == "__main__":
    main()

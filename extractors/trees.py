"""Gradient-boosted trees stored as plain JSON, walked without scikit-learn.

The format is what `extractors/classifier_train.export` writes: feature names, the first
guess (`bias`: a classifier's prior as log-odds, a regressor's constant, `"kind":
"regression"`), the learning rate, a decision threshold, and per tree its nodes' feature,
threshold, children and leaf value (a node whose left child is -1 is a leaf).
"""

from __future__ import annotations

import json
import math
from array import array
from pathlib import Path


def load(path: Path) -> dict:
    """A fitted model from its JSON file."""
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def score(found: dict[str, float], fitted: dict) -> float:
    """For the features `found` (missing ones are 0): the probability of the positive class,
    or for a regressor's trees (`"kind": "regression"`) the value they predict."""
    x = [_float32(found.get(name, 0.0)) for name in fitted["features"]]
    z = fitted["bias"] + fitted["rate"] * sum(_leaf(tree, x) for tree in fitted["trees"])
    return z if fitted.get("kind") == "regression" else 1 / (1 + math.exp(-z))


def _leaf(tree: dict, x: list[float]) -> float:
    node, left = 0, tree["left"]
    while left[node] != -1:
        go_left = x[tree["feature"][node]] <= tree["threshold"][node]
        node = left[node] if go_left else tree["right"][node]
    return tree["value"][node]


def _float32(value: float) -> float:
    """`value` rounded as scikit-learn's trees compare it (single precision)."""
    return array("f", (value,))[0]

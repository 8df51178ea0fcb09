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
    z = fitted["bias"] + fitted["rate"] * sum(_leaf(tree, x) for tree in _nodes(fitted["trees"]))
    return z if fitted.get("kind") == "regression" else 1 / (1 + math.exp(-z))


Nodes = tuple[list[int], list[int], list[int], list[float], list[float]]
# Each model's trees as `Nodes`, by the identity of its list of trees (which the entry keeps
# alive, so that the identity is not another list's): a page is scored by three models.
_NODES: dict[int, tuple[list[dict], list[Nodes]]] = {}
_MODELS_KEPT = 8


def _nodes(trees: list[dict]) -> list[Nodes]:
    """Each tree's node lists (left, right, feature, threshold, value), read out of its
    dict once per model instead of five times per node walked."""
    kept = _NODES.get(id(trees))
    if kept is None or kept[0] is not trees:
        if len(_NODES) >= _MODELS_KEPT:  # models being fitted and checked, one after another
            _NODES.clear()
        nodes = [(t["left"], t["right"], t["feature"], t["threshold"], t["value"])
                 for t in trees]
        kept = _NODES[id(trees)] = (trees, nodes)
    return kept[1]


def _leaf(tree: Nodes, x: list[float]) -> float:
    left, right, feature, threshold, value = tree
    node = 0
    while (child := left[node]) != -1:
        node = child if x[feature[node]] <= threshold[node] else right[node]
    return value[node]


def _float32(value: float) -> float:
    """`value` rounded as scikit-learn's trees compare it (single precision)."""
    return array("f", (value,))[0]

"""A gradient-boosted tree ensemble as plain arrays: fitted with scikit-learn, evaluated
with NumPy, stored as an .npz file (no pickle: loading a model never runs code).

    trees = Trees.from_sklearn(fitted)      a HistGradientBoostingRegressor / Classifier
    trees.save(path); Trees.load(path)
    trees.predict(X) -> np.ndarray           raw sum for a regressor, P(1) for a classifier

Every tree is padded to the same node count, so one step moves every (tree, row) pair
down one level at once: about 15 NumPy operations for a few hundred rows and trees.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from parallax.errors import ModelError

LINKS = ("identity", "logistic")
_FIELDS = ("feature", "threshold", "left", "right", "value", "leaf")


@dataclass(frozen=True)
class Trees:
    """Node arrays [n_trees, n_nodes]; `baseline` is added to the sum of the leaves."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    leaf: np.ndarray
    baseline: float
    link: str
    n_features: int

    @classmethod
    def from_sklearn(cls, model: Any) -> "Trees":
        """The trees of a fitted HistGradientBoosting model (one output, numeric features)."""
        predictors = [tree for iteration in model._predictors for tree in iteration]
        if any(len(iteration) != 1 for iteration in model._predictors):
            raise ModelError("only single-output tree ensembles are supported")
        width = max(len(tree.nodes) for tree in predictors)
        arrays = {name: np.zeros((len(predictors), width), dtype) for name, dtype in (
            ("feature", np.int32), ("threshold", np.float64), ("left", np.int32),
            ("right", np.int32), ("value", np.float64), ("leaf", bool))}
        for index, tree in enumerate(predictors):
            nodes = tree.nodes
            if nodes["is_categorical"].any():
                raise ModelError("categorical splits are not supported")
            count = len(nodes)
            arrays["feature"][index, :count] = nodes["feature_idx"]
            arrays["threshold"][index, :count] = nodes["num_threshold"]
            arrays["left"][index, :count] = nodes["left"]
            arrays["right"][index, :count] = nodes["right"]
            arrays["value"][index, :count] = nodes["value"]
            arrays["leaf"][index, :count] = nodes["is_leaf"]
            arrays["leaf"][index, count:] = True
        link = "logistic" if hasattr(model, "classes_") else "identity"
        return cls(**arrays, baseline=float(np.ravel(model._baseline_prediction)[0]), link=link,
                   n_features=int(model.n_features_in_))

    def save(self, path: str | Path) -> None:
        np.savez_compressed(path, **{name: getattr(self, name) for name in _FIELDS},
                            meta=np.array([self.baseline, LINKS.index(self.link), self.n_features]))

    @classmethod
    def load(cls, path: str | Path) -> "Trees":
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in _FIELDS}
                baseline, link, n_features = data["meta"].tolist()
        except (OSError, KeyError, ValueError) as error:
            raise ModelError(f"{path}: not a tree ensemble file ({error})") from error
        return cls(**arrays, baseline=baseline, link=LINKS[int(link)], n_features=int(n_features))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """One score per row of X [n_rows, n_features]."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ModelError(f"expected rows of {self.n_features} features, got shape {X.shape}")
        if not len(X):
            return np.zeros(0)
        n_trees, width = self.feature.shape
        # Flat indices: node k of tree t is t * width + k; row r's feature f is X.flat[r * n + f].
        flat = [a.ravel() for a in (self.feature, self.threshold, self.left, self.right, self.leaf)]
        feature, threshold, left, right, leaf = flat
        base = np.repeat(np.arange(n_trees) * width, len(X))
        row = np.tile(np.arange(len(X)) * X.shape[1], n_trees)
        values = X.ravel()
        node = base.copy()
        active = np.flatnonzero(~leaf[node])
        while len(active):
            at = node[active]
            go_left = values[row[active] + feature[at]] <= threshold[at]
            node[active] = base[active] + np.where(go_left, left[at], right[at])
            active = active[~leaf[node[active]]]
        raw = self.baseline + self.value.ravel()[node].reshape(n_trees, len(X)).sum(axis=0)
        return 1.0 / (1.0 + np.exp(-raw)) if self.link == "logistic" else raw


__all__ = ["Trees"]

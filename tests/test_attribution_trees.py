"""Tree ensembles as arrays (nlp.attribution.trees): the same scores as scikit-learn,
stored without pickle, bad files and bad rows refused with a clear error."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

from parallax.errors import ModelError
from parallax.nlp.attribution.trees import Trees


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    X = rng.random((600, 6))
    return X, X[:, 0] + X[:, 1] ** 2 - 0.5 * X[:, 2]


@pytest.mark.parametrize("kind", ["regressor", "classifier"])
def test_scores_equal_scikit_learn_after_a_round_trip(data, kind, tmp_path):
    X, y = data
    if kind == "regressor":
        model = HistGradientBoostingRegressor(max_iter=40, max_leaf_nodes=15).fit(X, y)
        expected = model.predict(X[:50])
    else:
        model = HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=15).fit(X, y > 0.6)
        expected = model.predict_proba(X[:50])[:, 1]
    Trees.from_sklearn(model).save(tmp_path / "trees.npz")
    loaded = Trees.load(tmp_path / "trees.npz")
    assert np.allclose(loaded.predict(X[:50]), expected, atol=1e-9)
    assert loaded.predict(np.zeros((0, 6))).shape == (0,)


def hand_tree(feature: int, value_right: float = 1.0) -> Trees:
    """One split: feature <= 0.5 -> 0, else value_right."""
    return Trees(feature=np.array([[feature, 0, 0]]), threshold=np.array([[0.5, 0, 0]]),
                 left=np.array([[1, 0, 0]]), right=np.array([[2, 0, 0]]),
                 value=np.array([[0.0, 0.0, value_right]]), leaf=np.array([[False, True, True]]),
                 baseline=0.0, link="identity", n_features=3)


def test_a_hand_built_tree_splits_on_its_feature():
    assert hand_tree(1).predict(np.array([[0, 0, 0], [0, 1, 0], [1, 0, 1]])).tolist() == [0, 1, 0]


def test_rows_of_the_wrong_width_are_refused():
    with pytest.raises(ModelError, match="expected rows of 3 features"):
        hand_tree(0).predict(np.zeros((2, 4)))


def test_a_file_that_is_not_a_tree_ensemble_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "ranker_content.npz"
    bad.write_bytes(b"not an npz")
    with pytest.raises(ModelError, match="ranker_content.npz: not a tree ensemble"):
        Trees.load(bad)

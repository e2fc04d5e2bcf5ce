"""The technique model's data splits: the fixed held-out slice and the cross-validation folds."""
from __future__ import annotations

import pytest

from parallax.errors import InputError
from parallax.techniques.train import split_ids

IDS = [str(100 + i) for i in range(371)]  # PTC train's size


def test_fixed_split_is_disjoint_and_complete() -> None:
    split = split_ids(IDS)
    parts = [set(split.train), set(split.dev), set(split.heldout)]
    assert sum(map(len, parts)) == len(IDS) and set().union(*parts) == set(IDS)
    assert len(split.heldout) == round(0.2 * len(IDS))


@pytest.mark.parametrize("folds", [2, 5])
def test_cv_folds_hold_out_every_article_once(folds: int) -> None:
    held = [split_ids(IDS, cv_fold=(k, folds)).heldout for k in range(folds)]
    assert sorted(a for fold in held for a in fold) == sorted(IDS)
    for k, fold in enumerate(held):
        split = split_ids(IDS, cv_fold=(k, folds))
        assert not set(fold) & (set(split.train) | set(split.dev))
        assert len(split.train) + len(split.dev) + len(fold) == len(IDS)
        assert split.dev and abs(len(fold) - len(IDS) / folds) < 1


def test_cv_split_does_not_depend_on_input_order() -> None:
    assert split_ids(list(reversed(IDS)), cv_fold=(3, 5)) == split_ids(IDS, cv_fold=(3, 5))


@pytest.mark.parametrize("fold", [(5, 5), (-1, 5)])
def test_a_fold_outside_the_folds_is_an_input_error(fold) -> None:
    with pytest.raises(InputError, match="is not a fold"):
        split_ids(IDS, cv_fold=fold)

"""BCubed scores, checked by hand on small clusterings."""
from __future__ import annotations

import pytest

from parallax.corpus.bcubed import bcubed

GOLD = {"a": "X", "b": "X", "c": "Y"}

# (predicted clustering, precision, recall, F1), each worked out by hand for GOLD.
CASES = [
    # the gold clustering itself (other labels): every item's cluster is exactly right
    ({"a": 1, "b": 1, "c": 2}, 1.0, 1.0, 1.0),
    # one cluster of all: precision a, b = 2/3, c = 1/3 -> 5/9; recall 1; F1 = 5/7
    ({"a": 0, "b": 0, "c": 0}, 5 / 9, 1.0, 5 / 7),
    # all singletons: precision 1; recall a, b = 1/2, c = 1 -> 2/3; F1 = 4/5
    ({"a": 0, "b": 1, "c": 2}, 1.0, 2 / 3, 4 / 5),
    # b joins c: a = (1, 1/2), b = (1/2, 1/2), c = (1/2, 1) -> P = R = 2/3
    ({"a": 0, "b": 1, "c": 1}, 2 / 3, 2 / 3, 2 / 3),
]


@pytest.mark.parametrize(("predicted", "precision", "recall", "f1"), CASES)
def test_bcubed_hand_checked(predicted, precision, recall, f1):
    score = bcubed(predicted, GOLD)
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(recall)
    assert score.f1 == pytest.approx(f1)


def test_bcubed_larger_case():
    # gold: {1,2,3,4} {5,6}; predicted: {1,2,3} {4,5,6}
    gold = {1: "A", 2: "A", 3: "A", 4: "A", 5: "B", 6: "B"}
    predicted = {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1}
    # precision: 1,2,3 -> 1; 4 -> 1/3; 5,6 -> 2/3 each: (3 + 1/3 + 4/3) / 6 = 7/9
    # recall: 1,2,3 -> 3/4; 4 -> 1/4; 5,6 -> 1: (9/4 + 1/4 + 2) / 6 = 3/4
    score = bcubed(predicted, gold)
    assert score.precision == pytest.approx(7 / 9)
    assert score.recall == pytest.approx(3 / 4)
    assert score.f1 == pytest.approx(2 * (7 / 9) * (3 / 4) / (7 / 9 + 3 / 4))


def test_bcubed_swapping_roles_swaps_precision_and_recall():
    predicted = {"a": 0, "b": 0, "c": 0}
    forward, backward = bcubed(predicted, GOLD), bcubed(GOLD, predicted)
    assert forward.precision == pytest.approx(backward.recall)
    assert forward.recall == pytest.approx(backward.precision)


def test_bcubed_needs_the_same_items():
    with pytest.raises(ValueError):
        bcubed({"a": 0, "b": 0}, GOLD)
    with pytest.raises(ValueError):
        bcubed({}, {})

"""Cross-validation folds over articles: disjoint, complete, balanced, reproducible."""
from __future__ import annotations

import pytest

from parallax.nlp.attribution.folds import article_folds


def test_articles_are_never_shared_between_folds():
    # an article annotated by several people appears several times
    articles = [f"a{i}" for i in range(23)] + ["a1", "a1", "a7"]
    folds = article_folds(articles, k=5)
    assert len(folds) == 5
    seen = [a for fold in folds for a in fold]
    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == set(articles)
    assert max(map(len, folds)) - min(map(len, folds)) <= 1


def test_folds_are_reproducible_and_seeded():
    articles = [f"a{i}" for i in range(50)]
    assert article_folds(articles, 5) == article_folds(list(reversed(articles)), 5)
    assert article_folds(articles, 5, seed=1) != article_folds(articles, 5, seed=2)


def test_needs_two_folds():
    with pytest.raises(ValueError):
        article_folds(["a", "b"], k=1)

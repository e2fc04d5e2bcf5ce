"""The counting helpers of bench/technique_density.py: densities, gold tallies, rank correlation."""
from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

from parallax.techniques.scoring import Label

BENCH = Path(__file__).resolve().parents[1] / "bench" / "technique_density.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("technique_density", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.mark.parametrize("count, words, expected", [(0, 100, 0.0), (3, 1000, 3.0), (1, 250, 4.0), (5, 0, 0.0)])
def test_density(bench, count: int, words: int, expected: float) -> None:
    assert bench.density(count, words) == pytest.approx(expected)


def test_tally_counts_words_spans_and_techniques(bench) -> None:
    tally = bench.Tally()
    tally.add("Five words in this text.", ["Doubt", "Loaded_Language"])
    tally.add("Well-known, don't count twice: five.", ["Loaded_Language"])  # the project's word rule
    assert (tally.words, tally.texts) == (10, 2)
    assert tally.density == pytest.approx(300.0)
    assert tally.per_technique() == {"Loaded_Language": pytest.approx(200.0), "Doubt": pytest.approx(100.0)}


def test_gold_tally_counts_one_line_per_technique_of_the_chosen_articles(bench) -> None:
    articles = {"1": "one two three four", "2": "five six", "3": "never counted here"}
    labels = [Label("1", 0, 3, "Doubt"), Label("1", 0, 3, "Loaded_Language"), Label("2", 0, 4, "Doubt"),
              Label("3", 0, 5, "Doubt")]
    tally = bench.gold_tally(articles, labels, ["1", "2"])
    assert (tally.words, tally.texts, sum(tally.spans.values())) == (6, 2, 3)
    assert tally.spans == {"Doubt": 2, "Loaded_Language": 1}


@pytest.mark.parametrize("values, expected", [
    ([10, 30, 20], [1, 3, 2]),
    ([5, 5, 1], [2.5, 2.5, 1]),
    ([2, 2, 2, 2], [2.5, 2.5, 2.5, 2.5]),
    ([], []),
])
def test_ranks_share_ties(bench, values: list[float], expected: list[float]) -> None:
    assert bench.ranks(values) == expected


@pytest.mark.parametrize("x, y, rho", [
    ([1, 2, 3, 4], [10, 20, 30, 40], 1.0),
    ([1, 2, 3, 4], [4, 3, 2, 1], -1.0),
    ([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], 0.8),  # 1 - 6 * 4 / (5 * 24)
    ([1, 2, 2, 3], [1, 2, 3, 4], 0.9486833),  # ties: Pearson of the averaged ranks
])
def test_spearman_rho(bench, x: list[float], y: list[float], rho: float) -> None:
    assert bench.spearman_rho(x, y) == pytest.approx(rho)
    assert bench.spearman(x, y) == pytest.approx(rho)  # scipy's when installed: the same figure


@pytest.mark.parametrize("x, y", [([1], [2]), ([1, 1, 1], [1, 2, 3])])
def test_spearman_is_nan_when_undefined(bench, x: list[float], y: list[float]) -> None:
    assert math.isnan(bench.spearman_rho(x, y))


def test_spearman_wants_pairs(bench) -> None:
    with pytest.raises(ValueError, match="pairs"):
        bench.spearman_rho([1, 2], [1])


def test_page_texts_reads_the_listed_pages_and_skips_the_unreadable(bench, tmp_path: Path) -> None:
    body = " ".join(["The council approved the new budget for the city's schools on Monday evening."] * 6)
    (tmp_path / "news.html").write_text(f"<html><body><article><h1>Budget</h1><p>{body}</p></article></body></html>",
                                        encoding="utf-8")
    (tmp_path / "pages.json").write_text('[{"file": "news.html"}, {"file": "missing.html"}]', encoding="utf-8")
    texts = bench.page_texts(tmp_path)
    assert list(texts) == ["news.html"] and "approved the new budget" in texts["news.html"]
    assert bench.page_texts(tmp_path, {"other.html"}) == {}
    assert bench.page_texts(tmp_path / "nowhere") == {}

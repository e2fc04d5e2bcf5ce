"""Hand-computed cases for the official SemEval-2020 Task 11 SI and TC scorers."""
from __future__ import annotations

import pytest

from parallax.errors import InputError
from parallax.techniques.scoring import (
    Label,
    article_id_from_path,
    merge_spans,
    read_articles,
    read_labels,
    score_si,
    score_tc,
    write_labels,
)


def si(*spans: tuple[str, int, int]) -> list[Label]:
    return [Label(a, s, e) for a, s, e in spans]


@pytest.mark.parametrize(
    "pred, gold, p, r",
    [
        # exact match
        (si(("1", 0, 10)), si(("1", 0, 10)), 1.0, 1.0),
        # half overlap: |s&t| = 5, |s| = 10, |t| = 10
        (si(("1", 0, 10)), si(("1", 5, 15)), 0.5, 0.5),
        # prediction inside a longer gold span: precision 1, recall 4/20
        (si(("1", 2, 6)), si(("1", 0, 20)), 1.0, 0.2),
        # overlapping gold spans merged first: gold becomes [0, 20) -> one span
        (si(("1", 0, 20)), si(("1", 0, 12), ("1", 8, 20)), 1.0, 1.0),
        # two predictions, one wrong: precision (1 + 0) / 2, recall 1 / 1
        (si(("1", 0, 10), ("1", 50, 60)), si(("1", 0, 10)), 0.5, 1.0),
        # same offsets in another article do not count
        (si(("2", 0, 10)), si(("1", 0, 10)), 0.0, 0.0),
        # one prediction covering two gold spans: precision (5+5)/20, recall (1+1)/2
        (si(("1", 0, 20)), si(("1", 0, 5), ("1", 15, 20)), 0.5, 1.0),
        # empty predictions
        ([], si(("1", 0, 10)), 0.0, 0.0),
        # no gold
        (si(("1", 0, 10)), [], 0.0, 0.0),
    ],
)
def test_score_si_hand_computed(pred: list[Label], gold: list[Label], p: float, r: float) -> None:
    scores = score_si(pred, gold)
    assert scores.precision == pytest.approx(p)
    assert scores.recall == pytest.approx(r)
    expected_f1 = 2 * p * r / (p + r) if p + r else 0.0
    assert scores.f1 == pytest.approx(expected_f1)


@pytest.mark.parametrize(
    "spans, merged",
    [
        ([(0, 5), (3, 8)], [(0, 8)]),
        ([(10, 12), (0, 5)], [(0, 5), (10, 12)]),
        ([(0, 5), (5, 9)], [(0, 9)]),
        ([(4, 4)], []),
        ([(0, 10), (2, 3)], [(0, 10)]),
    ],
)
def test_merge_spans(spans: list[tuple[int, int]], merged: list[tuple[int, int]]) -> None:
    assert merge_spans(spans) == merged


def tc(*rows: tuple[str, str, int, int]) -> list[Label]:
    return [Label(a, s, e, t) for a, t, s, e in rows]


@pytest.mark.parametrize(
    "pred, gold, f1",
    [
        (tc(("1", "Doubt", 0, 5)), tc(("1", "Doubt", 0, 5)), 1.0),
        (tc(("1", "Slogans", 0, 5)), tc(("1", "Doubt", 0, 5)), 0.0),
        # one span with two gold techniques, one prediction per span: P 1/1, R 1/2
        (tc(("1", "Doubt", 0, 5)), tc(("1", "Doubt", 0, 5), ("1", "Slogans", 0, 5)), 2 / 3),
        # a repeated correct prediction only matches once
        (tc(("1", "Doubt", 0, 5), ("1", "Doubt", 0, 5)), tc(("1", "Doubt", 0, 5)), 2 / 3),
        (tc(("1", "Doubt", 0, 5), ("1", "Doubt", 9, 12)), tc(("1", "Doubt", 0, 5), ("1", "Repetition", 9, 12)), 0.5),
        ([], tc(("1", "Doubt", 0, 5)), 0.0),
        (tc(("1", "Doubt", 0, 5)), [], 0.0),
    ],
)
def test_score_tc_micro_f1(pred: list[Label], gold: list[Label], f1: float) -> None:
    assert score_tc(pred, gold).f1 == pytest.approx(f1)


@pytest.mark.parametrize(
    "name, expected", [("article123.txt", "123"), ("dir/article999001.txt", "999001"), ("other.txt", "other")]
)
def test_article_id_from_path(name: str, expected: str) -> None:
    assert article_id_from_path(name) == expected


@pytest.mark.parametrize("task", ["si", "tc"])
def test_labels_round_trip(tmp_path, task: str) -> None:
    labels = [Label("7", 3, 9, "Doubt" if task == "tc" else ""), Label("8", 0, 4, "Slogans" if task == "tc" else "")]
    path = tmp_path / "pred.txt"
    write_labels(labels, path, task)
    assert read_labels(path, task) == labels


@pytest.mark.parametrize(
    "line, task", [("1\t2\n", "si"), ("1\tx\t3\n", "si"), ("1\t2\t3\n", "tc"), ("1\tDoubt\ta\tb\n", "tc")]
)
def test_bad_label_line_names_file_and_line(tmp_path, line: str, task: str) -> None:
    path = tmp_path / "bad.labels"
    path.write_text(line, encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.labels:1"):
        read_labels(path, task)


def test_read_articles_keeps_text_exactly_as_read(tmp_path) -> None:
    (tmp_path / "article5.txt").write_bytes("Title\n\nOne \u201cquote\u201d.\r\n".encode("utf-8"))
    assert read_articles(tmp_path) == {"5": "Title\n\nOne \u201cquote\u201d.\r\n"}


def test_read_articles_rejects_empty_folder(tmp_path) -> None:
    with pytest.raises(InputError, match="no articleNNN.txt"):
        read_articles(tmp_path)

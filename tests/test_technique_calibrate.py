"""Choosing the calibration (techniques/calibrate.py) and the plain-news texts it reads (corpora.py).

Pools are built by hand: a technique whose spans are all plain-news false positives must
get a threshold above them, one whose spans are propaganda must keep the decoding cut.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from parallax.errors import InputError
from parallax.techniques import calibrate, corpora
from parallax.techniques.calibration import UNCALIBRATED, Calibration, Candidate
from parallax.techniques.definitions import TECHNIQUES

LOADED, DOUBT = "Loaded_Language", "Doubt"
CUT = 0.3


@pytest.mark.parametrize("start, end, gold, expected", [
    (0, 10, [], (0.0, 0.0)),
    (0, 10, [(0, 10)], (1.0, 1.0)),
    (0, 10, [(5, 25)], (0.5, 0.25)),
    (0, 10, [(0, 2), (8, 12)], (0.4, 1.5)),  # two gold spans: gains add, as the official scorer's do
])
def test_gains(start: int, end: int, gold: list, expected: tuple[float, float]) -> None:
    assert calibrate.gains(start, end, gold) == pytest.approx(expected)


def _texts(n: int, prefix: str) -> dict[str, str]:
    return {f"{prefix}{i}": "word " * 100 for i in range(n)}  # 100 words each


def _pools(loaded_score: float = 0.4) -> tuple[calibrate.Pool, calibrate.Pool]:
    """PTC: per article one true Doubt span and one half-true Loaded span; plain news: two
    false Loaded spans per text at `loaded_score`."""
    ptc, plain = _texts(10, "p"), _texts(10, "n")
    ptc_found = {a: [Candidate(0, 10, 0.45, ((DOUBT, 0.9),)), Candidate(20, 30, loaded_score, ((LOADED, 0.9),))]
                 for a in ptc}
    gold = {a: [(0, 10), (20, 25)] for a in ptc}
    false_loaded = [Candidate(0, 10, loaded_score, ((LOADED, 0.9),)), Candidate(20, 30, loaded_score, ((LOADED, 0.9),))]
    plain_found = {a: false_loaded for a in plain}
    return (calibrate.make_pool(ptc, ptc_found, gold, UNCALIBRATED),
            calibrate.make_pool(plain, plain_found, {}, UNCALIBRATED))


def test_measure_counts_spans_and_scores_si() -> None:
    ptc, plain = _pools()
    stats = calibrate.measure(ptc, plain, np.ones(len(ptc.score), bool), np.ones(len(plain.score), bool))
    assert stats.si.precision == pytest.approx(0.75) and stats.si.recall == pytest.approx(1.0)
    assert stats.ptc_density == pytest.approx(20.0) and stats.plain_density == pytest.approx(20.0)
    # the stream holds as many plain words as PTC words: 20 hits' worth of precision over 40 spans
    assert stats.stream_f1 == pytest.approx(2 * 0.375 / 1.375)


def test_fit_raises_the_threshold_of_the_technique_plain_news_trips() -> None:
    ptc, plain = _pools()
    thresholds = calibrate.fit(ptc, plain, CUT, budget=1.0)
    assert thresholds[TECHNIQUES.index(LOADED)] > 0.4
    assert thresholds[TECHNIQUES.index(DOUBT)] == CUT


def test_fit_keeps_the_si_budget() -> None:
    """Dropping the half-true Loaded spans costs PTC recall; with no budget they stay."""
    ptc, plain = _pools()
    assert calibrate.fit(ptc, plain, CUT, budget=0.0)[TECHNIQUES.index(LOADED)] == CUT


def test_to_calibration_lists_only_raised_thresholds() -> None:
    thresholds = np.full(len(TECHNIQUES), CUT)
    thresholds[TECHNIQUES.index(LOADED)] = 0.425
    assert calibrate.to_calibration(thresholds, CUT) == Calibration({LOADED: 0.425}, 0.0, True)


def test_pool_subset_keeps_the_articles_spans() -> None:
    ptc, _ = _pools()
    part = ptc.subset({"p1", "p3"})
    assert part.ids == ("p1", "p3") and len(part.score) == 4 and part.gold.tolist() == [2, 2]
    assert sorted(set(part.article.tolist())) == [0, 1]


def test_folds_partition_the_ids() -> None:
    ids = [f"a{i}" for i in range(23)]
    parts = calibrate.folds(ids, 5)
    assert sorted(x for part in parts for x in part) == sorted(ids)
    assert {len(part) for part in parts} <= {4, 5}
    assert parts == calibrate.folds(reversed(ids), 5)  # seeded, independent of the order given


def test_cross_validation_scores_every_article_once() -> None:
    ptc, plain = _pools()
    before, after = calibrate.cross_validate(ptc, plain, CUT, k=5, budget=1.0)
    assert before.ptc_density == pytest.approx(20.0)
    assert after.plain_density < before.plain_density  # each fold's fit hides the false Loaded spans


@pytest.mark.parametrize("tokenised, running", [
    ("She said , `` We are happy . ''", 'She said, "We are happy."'),
    ("the actress 's rep did n't say", "the actress's rep didn't say"),
    ("a 90 - day stay ( in rehab ) cost $ 5 million", "a 90-day stay (in rehab) cost $5 million"),
    ("Line one .\nLine two ?", "Line one.\nLine two?"),
])
def test_detokenize(tokenised: str, running: str) -> None:
    assert corpora.detokenize(tokenised) == running


def test_halves_are_disjoint_fixed_and_cover_the_corpus() -> None:
    texts = [corpora.Text(f"d{i}", "x") for i in range(11)]
    calibration, bench = corpora.half(texts, corpora.CALIBRATION), corpora.half(texts, corpora.BENCH)
    assert not {t.id for t in calibration} & {t.id for t in bench}
    assert len(calibration) + len(bench) == 11
    assert corpora.half(list(reversed(texts)), corpora.BENCH) == bench


def test_sample_is_bounded_and_seeded() -> None:
    texts = [corpora.Text(f"d{i}", "x") for i in range(30)]
    assert len(corpora.sample(texts, 10, 7)) == 10
    assert corpora.sample(texts, 10, 7) == corpora.sample(texts, 10, 7)
    assert corpora.sample(texts, 0, 7) == texts and len(corpora.sample(texts, 99, 7)) == 30


def test_readers(tmp_path: Path) -> None:
    (tmp_path / "ecbplus").mkdir()
    ecb = {"doc_name": "1_1ecb.xml", "text": "Hi , there ."}
    (tmp_path / "ecbplus" / "ecbplus_docs.jsonl").write_text(json.dumps(ecb) + "\n")
    (tmp_path / "polnear").mkdir()
    records = [{"article": "a", "annotator": n, "text": "Same text."} for n in ("x", "y")]
    (tmp_path / "polnear" / "polnear_train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (tmp_path / "basil").mkdir()
    basil = {"source": "fox", "triplet_uuid": "t1", "paragraphs": [["One.", "Two."], ["Three."]],
             "phrase_annotations": [{"bias": "lex"}, {"bias": "inf"}, {"bias": "lex"}]}
    (tmp_path / "basil" / "basil_articles.jsonl").write_text(json.dumps(basil) + "\n")
    assert corpora.ecbplus(tmp_path) == [corpora.Text("1_1ecb.xml", "Hi, there.")]
    assert corpora.polnear(tmp_path) == [corpora.Text("a", "Same text.")]
    assert corpora.basil(tmp_path) == [corpora.Text("fox:t1", "One. Two.\n\nThree.", 2)]


def test_a_missing_corpus_names_its_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="ecbplus_docs.jsonl"):
        corpora.ecbplus(tmp_path)

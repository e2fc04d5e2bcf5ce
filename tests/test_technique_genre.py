"""The genre prior of the technique detector (techniques/genre.py) and its fit (calibrate_genre.py).

The prior reads what the network computed for all of a text's windows; hand-built encodings
and a prior with zero weights (every text gets the probability of its bias) let a case say
exactly which spans a text the prior calls plain news keeps. The choice of strength and
pivot runs on hand-built pools: plain news whose spans are all false must push the cut up,
within the SI budget on PTC.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from parallax.errors import ModelError
from parallax.techniques import calibrate, calibrate_genre, calibration, encoding, genre
from parallax.techniques.calibration import UNCALIBRATED, Calibration, Candidate
from parallax.techniques.fast import Encoded

LOADED = "Loaded_Language"
TEXT = "The council met on Monday. It approved the budget."
HIDDEN = 4  # a tiny encoder's width: the prior reads HIDDEN + 2 features
WIDTH = HIDDEN + 2


def encoded(windows: list[tuple[int, int]], probs: list[float], states: list[np.ndarray]) -> Encoded:
    """An encoding by hand: token probabilities of propaganda (column 0) and window states."""
    n = len(probs)
    token_probs = np.zeros((n, 15), dtype=np.float32)
    token_probs[:, 0] = probs
    tokens = encoding.Tokens(list(range(n)), [(i, i + 1) for i in range(n)], list(range(n)))
    return Encoded(tokens, windows, token_probs, states)


def prior(bias: float, strength: float = 0.3, pivot: float = 0.5) -> genre.GenrePrior:
    return genre.GenrePrior((0.0,) * WIDTH, bias, strength, pivot)


@pytest.mark.parametrize("p, strength, pivot, expected", [
    (0.0, 0.3, 0.5, 0.3),  # sure it is plain news: the whole strength
    (0.25, 0.3, 0.5, 0.15),
    (0.5, 0.3, 0.5, 0.0),  # at the pivot: the model's cut
    (0.9, 0.3, 0.5, 0.0),  # propaganda-rich texts never get a lower cut
    (0.5, 0.4, 1.0, 0.2),  # pivot 1: every text moves by how unsure the prior is
    (1.0, 0.4, 1.0, 0.0),
])
def test_offset(p: float, strength: float, pivot: float, expected: float) -> None:
    assert prior(0.0, strength, pivot).offset(p) == pytest.approx(expected)
    assert genre.offsets(np.array([p, p]), strength, pivot) == pytest.approx([expected, expected])


def test_features_read_every_window() -> None:
    first = np.array([[9, 9, 9, 9], [1, 2, 3, 4], [3, 4, 5, 6], [9, 9, 9, 9]], dtype=np.float32)  # [CLS] a b [SEP]
    second = np.array([[9, 9, 9, 9], [8, 9, 10, 11], [9, 9, 9, 9]], dtype=np.float32)  # [CLS] c [SEP]
    x = genre.features(encoded([(0, 2), (2, 3)], [0.2, 0.6, 0.7], [first, second]))
    assert x.tolist() == pytest.approx([4, 5, 6, 7, 0.5, 0.7])  # mean state of a, b, c; mean and max probability


def test_regression_a_film_review_judged_by_its_news_lead() -> None:
    """A Reuters review whose opening reads as news kept 37.8 spans per 1,000 words when the
    prior read its first window only: a propaganda-looking later window must move p."""
    plain, loud = np.zeros((4, HIDDEN), dtype=np.float32), np.ones((4, HIDDEN), dtype=np.float32)
    weighted = genre.GenrePrior((1.0,) * HIDDEN + (0.0, 0.0), -1.0, 0.3)
    lead_only = weighted.probability(encoded([(0, 2)], [0.1, 0.1], [plain]))
    whole = weighted.probability(encoded([(0, 2), (2, 4)], [0.1] * 4, [plain, loud]))
    assert lead_only < 0.5 < whole


def test_an_empty_text_has_no_features() -> None:
    assert genre.features(encoded([], [], [])).shape == (0,)


@pytest.mark.parametrize("bias, expected", [
    (-50.0, [(30, 40)]),  # plain news: only the span above 0.3 + 0.3 is shown
    (50.0, [(0, 10), (30, 40)]),  # propaganda-rich: the model's cut
])
def test_the_prior_raises_the_cut_for_plain_news(bias: float, expected: list) -> None:
    rules = Calibration(genre=prior(bias))
    text_encoding = encoded([(0, 2)], [0.1, 0.2], [np.zeros((4, HIDDEN), dtype=np.float32)])
    found = [Candidate(0, 10, 0.45, ((LOADED, 0.9),)), Candidate(30, 40, 0.65, ((LOADED, 0.9),))]
    shown = calibration.apply(TEXT, found, rules, 0.3, rules.offset(text_encoding))
    assert [(x.start, x.end) for x in shown] == expected


def test_no_prior_no_offset() -> None:
    assert UNCALIBRATED.offset(encoded([(0, 1)], [0.5], [np.zeros((3, HIDDEN))])) == 0.0


def test_probability_is_the_logistic_of_the_weighted_features() -> None:
    weighted = genre.GenrePrior((1.0, 0.0, 0.0, 0.0, 2.0, 0.0), -1.0, 0.3)
    states = np.array([[0, 0, 0, 0], [0.5, 0, 0, 0], [0, 0, 0, 0]], dtype=np.float32)
    logit = 0.5 + 2 * 0.25 - 1.0
    assert weighted.probability(encoded([(0, 1)], [0.25], [states])) == pytest.approx(1 / (1 + np.exp(-logit)))


def test_a_prior_of_another_width_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="3 weights but the model gives 6 features"):
        genre.GenrePrior((0.0, 0.0, 0.0), 0.0, 0.3).probability(encoded([(0, 1)], [0.5], [np.zeros((3, HIDDEN))]))


def test_a_prior_fitted_on_other_features_is_left_out_with_a_warning(caplog) -> None:
    stale = {**prior(-1.0).to_json(), "features": "first window: mean hidden state"}
    assert genre.from_json(stale, "calibration.json") is None
    assert "refit" in caplog.text and "first window" in caplog.text
    assert genre.from_json(prior(-1.0).to_json(), "calibration.json") == prior(-1.0)


def test_calibration_json_round_trip_keeps_the_prior() -> None:
    rules = Calibration({LOADED: 0.4}, 0.0, True, prior(-1.5, 0.25, 0.75))
    assert calibration.from_json(json.loads(json.dumps(rules.to_json()))) == rules
    assert "genre" not in UNCALIBRATED.to_json()


@pytest.mark.parametrize("bad, message", [
    ({"bias": 0.0, "strength": 0.3}, "genre is not a prior"),
    ({"weights": [0.1], "bias": 0.0, "strength": 1.5}, "strength 1.5 must be in"),
    ({"weights": [0.1], "bias": 0.0, "strength": 0.3, "pivot": 0}, "pivot 0.0 in"),
    ({"weights": [], "bias": 0.0, "strength": 0.3}, "with weights"),
])
def test_a_bad_prior_names_the_file_and_what_is_valid(bad: dict, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        calibration.from_json({"genre": bad}, "model/calibration.json")


def _pools() -> tuple[calibrate.Pool, calibrate.Pool]:
    """PTC: one true span per article at 0.45; plain news: two false spans per text at 0.45."""
    ptc = {f"p{i}": "word " * 100 for i in range(10)}
    plain = {f"n{i}": "word " * 100 for i in range(10)}
    true = [Candidate(0, 10, 0.45, ((LOADED, 0.9),))]
    false = [Candidate(0, 10, 0.45, ((LOADED, 0.9),)), Candidate(20, 30, 0.45, ((LOADED, 0.9),))]
    return (calibrate.make_pool(ptc, {a: true for a in ptc}, {a: [(0, 10)] for a in ptc}, UNCALIBRATED),
            calibrate.make_pool(plain, {a: false for a in plain}, {}, UNCALIBRATED))


def test_choose_hides_plain_news_when_the_prior_tells_them_apart() -> None:
    ptc, plain = _pools()
    p_of = {**dict.fromkeys(ptc.ids, 0.9), **dict.fromkeys(plain.ids, 0.1)}
    strength, pivot, before, after = calibrate_genre.choose(ptc, np.full(len(ptc.score), 0.3), plain, 0.3, p_of)
    assert before.plain_density == pytest.approx(20.0) and after.plain_density == 0.0
    assert after.si.f1 == pytest.approx(before.si.f1)  # PTC keeps every span
    assert genre.offsets(0.1, strength, pivot) > 0.15  # 0.3 + offset passes 0.45


def test_choose_keeps_the_si_budget_when_the_prior_cannot_tell() -> None:
    ptc, plain = _pools()
    p_of = dict.fromkeys(ptc.ids + plain.ids, 0.1)  # everything looks plain: raising the cut loses PTC
    strength, _, before, after = calibrate_genre.choose(ptc, np.full(len(ptc.score), 0.3), plain, 0.3, p_of)
    assert after.si.f1 >= before.si.f1 - calibrate.SI_BUDGET
    assert after.ptc_density == pytest.approx(before.ptc_density)


def test_pool_concat_offsets_the_article_indices() -> None:
    ptc, plain = _pools()
    both = calibrate.Pool.concat([ptc, plain])
    assert both.ids == ptc.ids + plain.ids and len(both.score) == len(ptc.score) + len(plain.score)
    assert both.article[len(ptc.score):].min() == len(ptc.ids)
    assert both.gold.sum() == ptc.gold.sum()


def test_write_adds_the_prior_and_keeps_the_rest(tmp_path: Path) -> None:
    calibration.save(tmp_path, Calibration({LOADED: 0.4}, cue_rule=True), {"chosen_by": "calibrate", "cv": {"folds": 5}})
    stats = calibrate.Stats(calibrate.Scores(0.3, 0.4, 0.34), 0.3, 20.0, 4.0)
    fit = calibrate_genre.GenreFit(prior(-1.0), stats, stats, 0.95, 10, 10, True)
    path = calibrate_genre.write(tmp_path, fit)
    data = json.loads(path.read_text())
    assert data["cv"] == {"folds": 5} and data["chosen_by"] == "calibrate" and data["thresholds"] == {LOADED: 0.4}
    assert data["genre_fit"]["ptc_spans"] == "fold models, out of fold"
    assert calibration.load(tmp_path) == replace(Calibration({LOADED: 0.4}, cue_rule=True), genre=prior(-1.0))


def test_regression_refitting_the_thresholds_keeps_the_genre_prior(tmp_path: Path) -> None:
    """calibrate --write rewrote calibration.json from its own fit only, dropping the prior."""
    stats = calibrate.Stats(calibrate.Scores(0.3, 0.4, 0.34), 0.3, 20.0, 4.0)
    calibrate_genre.write(tmp_path, calibrate_genre.GenreFit(prior(-1.0), stats, stats, 0.95, 10, 10, True))
    calibrate.write(tmp_path, Calibration({LOADED: 0.45}, cue_rule=True), {"chosen_by": "calibrate"})
    assert calibration.load(tmp_path) == Calibration({LOADED: 0.45}, cue_rule=True, genre=prior(-1.0))
    assert "genre_fit" in json.loads((tmp_path / "calibration.json").read_text())


def test_the_fitted_weights_fold_the_scaling_in() -> None:
    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(1.0, 3.0, (40, WIDTH)), rng.normal(-1.0, 3.0, (40, WIDTH))] + 10.0
    y = np.r_[np.ones(40), np.zeros(40)]
    w, b = calibrate_genre.weights(x, y, 0.1)
    expected = calibrate_genre._classifier(0.1).fit(x, y).predict_proba(x)[:, 1]
    assert [genre.probability(float(np.dot(row, w)) + b) for row in x] == pytest.approx(expected, abs=1e-4)
    c, oof = calibrate_genre.regularised(x, y)
    assert c in calibrate_genre.REGULARISATIONS and oof.shape == (80,)

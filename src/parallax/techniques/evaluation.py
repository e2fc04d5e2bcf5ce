"""Held-out evaluation of a technique model with the official scorers (used by training and bench)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from parallax.techniques import calibration as calibrating
from parallax.techniques import encoding
from parallax.techniques.calibration import Calibration
from parallax.techniques.scoring import Label, Scores, score_si, score_tc

# (span threshold, word threshold) pairs tried when tuning SI decoding on a dev slice.
_STEPS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
THRESHOLD_GRID = tuple((high, low) for high in _STEPS for low in _STEPS if low <= high)


@dataclass
class Evaluation:
    si: Scores
    tc: Scores
    threshold: float
    word_threshold: float
    articles_per_s: float
    n_articles: int
    # What was scored: the SI spans at the chosen thresholds and the TC labels of the gold
    # spans (cross-validation pools these over folds and scores them once).
    si_predicted: list[Label] = field(default_factory=list)
    tc_predicted: list[Label] = field(default_factory=list)


def backend(detector):
    """The inference module matching `detector`: NumPy (`fast`, what detect() ships with)
    for a loaded FastDetector, torch (`network`) for a network in training."""
    from parallax.techniques import fast

    if isinstance(detector, fast.FastDetector):
        return fast
    from parallax.techniques import network

    return network


def predict_si(encoded, text: str, article_id: str, threshold: float,
               word_threshold: float) -> list[Label]:
    probs = encoded.token_probs[:, 0].tolist()
    found = encoding.decode_spans(text, encoded.tokens, probs, threshold, word_threshold)
    return [Label(article_id, s, e) for s, e, _ in found]


def predict_calibrated(engine, detector, encoded, text: str, article_id: str,
                       calibration: Calibration) -> list[Label]:
    """The SI spans detect() shows with `calibration`, at the model's thresholds."""
    found = calibrating.candidates(text, encoded, detector.threshold, detector.word_threshold,
                                   lambda spans: engine.rank_techniques(detector, encoded, text, spans))
    return [Label(article_id, x.start, x.end, x.technique)
            for x in calibrating.apply(text, found, calibration, detector.threshold, calibration.offset(encoded))]


def classify_gold(engine, detector, encoded, text: str, spans: list[tuple[int, int]],
                  calibration: Calibration | None) -> list[tuple[str, float]]:
    """One technique per gold span (the TC task), after the cue rule when `calibration`."""
    if calibration is None:
        return engine.classify(detector, encoded, text, spans)
    rankings = engine.rank_techniques(detector, encoded, text, spans)
    return engine.pick_ranked(spans, calibrating.rerank_all(text, spans, rankings, calibration))


def evaluate(detector, articles: dict[str, str], si_gold: list[Label], tc_gold: list[Label],
             thresholds: tuple[tuple[float, float], ...] | None = None,
             calibration: Calibration | None = None) -> Evaluation:
    """SI at the model's thresholds (or the best (span, word) threshold pair of
    `thresholds`), TC on the gold spans, and speed. With `calibration`, SI scores the
    spans detect() shows with it and TC applies its cue rule (`thresholds` is then unused).

    Speed counts the full inference work per article: encoding, SI decoding and
    classifying the decoded spans (what `detect` does).
    """
    engine = backend(detector)
    wanted = set(articles)
    si_gold = [x for x in si_gold if x.article_id in wanted]
    tc_gold = [x for x in tc_gold if x.article_id in wanted]
    tc_spans: dict[str, list[tuple[int, int]]] = {}
    for x in tc_gold:  # one entry per gold line, as the official TC template
        tc_spans.setdefault(x.article_id, []).append((x.start, x.end))
    encoded_all = {}
    seconds = 0.0
    for article_id, text in articles.items():
        began = time.perf_counter()
        encoded_all[article_id] = encoded = engine.encode_article(detector, text)
        spans = predict_si(encoded, text, article_id, detector.threshold, detector.word_threshold)
        engine.classify(detector, encoded, text, [(x.start, x.end) for x in spans])
        seconds += time.perf_counter() - began
    tc_pred = []
    for article_id, spans in tc_spans.items():
        for (start, end), (technique, _) in zip(spans, classify_gold(engine, detector, encoded_all[article_id],
                                                                     articles[article_id], spans, calibration)):
            tc_pred.append(Label(article_id, start, end, technique))
    best_pair, best_si = (detector.threshold, detector.word_threshold), None
    if calibration is not None:
        predicted = [label for a, text in articles.items()
                     for label in predict_calibrated(engine, detector, encoded_all[a], text, a, calibration)]
        best_predicted = [Label(x.article_id, x.start, x.end) for x in predicted]
        best_si = score_si(best_predicted, si_gold)
    for pair in () if calibration is not None else thresholds or (best_pair,):
        predicted = [label for a, text in articles.items() for label in predict_si(encoded_all[a], text, a, *pair)]
        scores = score_si(predicted, si_gold)
        if best_si is None or scores.f1 > best_si.f1:
            best_pair, best_si, best_predicted = pair, scores, predicted
    return Evaluation(best_si, score_tc(tc_pred, tc_gold), best_pair[0], best_pair[1],
                      len(articles) / seconds if seconds else 0.0, len(articles), best_predicted, tc_pred)


def retune_on_dev(detector, corpus) -> None:
    """The recipe's last step, as training does it: set the (span, word) thresholds of
    `detector` to the best pair of THRESHOLD_GRID on its own dev slice (config.json
    `dev_articles`), with this backend (int8 for a loaded model). `corpus`: train.Corpus."""
    dev = {a: corpus.articles[a] for a in detector.config["dev_articles"]}
    tuned = evaluate(detector, dev, corpus.si, corpus.tc, THRESHOLD_GRID)
    detector.config.update(threshold=tuned.threshold, word_threshold=tuned.word_threshold)

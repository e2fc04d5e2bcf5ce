"""Choose the calibration (calibration.json) of a technique model, cross-validated over articles.

    python -m parallax.techniques.calibrate [--data ../shared/data] [--model DIR] [--write [--cue-rule-only]]

Data: the PTC train articles the model was trained on (config.json `train_articles`; never
the held-out or dev slices) with their gold spans, and plain news as negatives: the
calibration halves of ECB+ and PolNeAR (corpora.py; the bench measures the other halves).

Every decoded span is scored once at the model's cut (the spans depend only on the text),
with the cue rule applied; a threshold then only decides which spans are kept, so the
official SI scores of any thresholds are sums over the kept spans (SI gains are additive).

Objective: SI F1 on a stream of half PTC, half plain news (by words; plain spans are all
false positives), maximised per technique by coordinate ascent over GRID, subject to the
SI F1 on the PTC articles alone staying within SI_BUDGET of the uncalibrated figure.
Reported by FOLDS-fold cross-validation over articles (PTC and plain news each cut in
folds); the written calibration is fitted on all of them. The fit is always recorded in
calibration.json; --cue-rule-only ships the cue rule without the thresholds (what the
packaged model does: the model card says why).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from parallax.techniques import calibration as calibrating
from parallax.techniques import corpora
from parallax.techniques.calibration import Calibration, Candidate
from parallax.techniques.definitions import TECHNIQUES
from parallax.techniques.scoring import Scores, merge_spans
from parallax.text import RATE_WORDS, word_count

# Largest SI F1 the fit may give up on the PTC articles it fits on: under the 0.007 spread
# between two retrainings of the same recipe (model card), i.e. within retraining noise.
SI_BUDGET = 0.005
# Plain-news words per PTC word in the stream the objective scores: an even mix, as a
# reader of Parallax meets both.
PLAIN_MIX = 1.0
# Thresholds tried per technique, from the decoding cut up; 0.7 keeps almost nothing (the
# highest span scores on PTC train are about 0.7).
GRID_STEP, GRID_TOP = 0.025, 0.7
PASSES = 3  # coordinate-ascent sweeps over the 14 techniques; the third changed nothing in trials
FOLDS, FOLD_SEED = 5, 7
# Plain-news texts per corpus (ECB+, PolNeAR) from their calibration halves; seeded choice.
PLAIN_PER_CORPUS, PLAIN_SEED = 150, 7


@dataclass(frozen=True)
class Pool:
    """Decoded spans of a set of articles, as arrays (one entry per span) plus per-article
    words and gold span counts (0 for plain news)."""

    ids: tuple[str, ...]
    article: np.ndarray  # index into ids
    technique: np.ndarray  # index into TECHNIQUES, after the cue rule
    score: np.ndarray
    precision_gain: np.ndarray  # sum over gold spans of |s & t| / |s|
    recall_gain: np.ndarray  # sum over gold spans of |s & t| / |t|
    words: np.ndarray  # per article
    gold: np.ndarray  # merged gold spans per article

    def subset(self, keep: Iterable[str]) -> "Pool":
        wanted = set(keep)
        articles = np.array([i in wanted for i in self.ids], dtype=bool)
        spans = articles[self.article] if len(self.article) else np.zeros(0, dtype=bool)
        index = np.cumsum(articles) - 1
        return Pool(tuple(i for i in self.ids if i in wanted), index[self.article[spans]], self.technique[spans],
                    self.score[spans], self.precision_gain[spans], self.recall_gain[spans],
                    self.words[articles], self.gold[articles])

    @staticmethod
    def concat(pools: "list[Pool]") -> "Pool":
        """One Pool of several (of different articles), spans and articles in order."""
        starts = np.cumsum([0] + [len(p.ids) for p in pools[:-1]])
        return Pool(tuple(i for p in pools for i in p.ids),
                    np.concatenate([p.article + start for p, start in zip(pools, starts)]).astype(int),
                    *(np.concatenate([getattr(p, name) for p in pools]) for name in
                      ("technique", "score", "precision_gain", "recall_gain", "words", "gold")))


@dataclass(frozen=True)
class Stats:
    si: Scores  # on the PTC articles
    stream_f1: float  # SI F1 on the PLAIN_MIX stream (plain spans count as false positives)
    ptc_density: float  # kept spans per 1,000 words
    plain_density: float


def gains(start: int, end: int, gold: list[tuple[int, int]]) -> tuple[float, float]:
    """(precision gain, recall gain) of one predicted span against merged gold spans."""
    precision = recall = 0.0
    for gs, ge in gold:
        overlap = min(end, ge) - max(start, gs)
        if overlap > 0:
            precision += overlap / (end - start)
            recall += overlap / (ge - gs)
    return precision, recall


def make_pool(texts: dict[str, str], found: dict[str, list[Candidate]], gold: dict[str, list[tuple[int, int]]],
              rules: Calibration) -> Pool:
    """A Pool of the decoded spans `found` in `texts`, techniques after `rules`' cue rule."""
    ids = tuple(sorted(texts))
    columns: dict[str, list] = defaultdict(list)
    for index, article in enumerate(ids):
        merged = merge_spans(gold.get(article, []))
        for c in found[article]:
            ranking = calibrating.rerank(texts[article], c.start, c.end, c.ranking, rules)
            if not ranking:  # calibration.apply never shows it
                continue
            precision, recall = gains(c.start, c.end, merged)
            for key, value in (("article", index), ("technique", TECHNIQUES.index(ranking[0][0])),
                               ("score", c.score), ("precision_gain", precision), ("recall_gain", recall)):
                columns[key].append(value)
    return Pool(ids, np.array(columns["article"], dtype=int), np.array(columns["technique"], dtype=int),
                np.array(columns["score"], dtype=float), np.array(columns["precision_gain"], dtype=float),
                np.array(columns["recall_gain"], dtype=float),
                np.array([word_count(texts[a]) for a in ids], dtype=float),
                np.array([len(merge_spans(gold.get(a, []))) for a in ids], dtype=float))


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def measure(ptc: Pool, plain: Pool, kept_ptc: np.ndarray, kept_plain: np.ndarray, mix: float = PLAIN_MIX) -> Stats:
    """Scores of the kept spans (boolean masks over each pool's spans)."""
    n_pred, n_plain = float(kept_ptc.sum()), float(kept_plain.sum())
    hits, found = ptc.precision_gain[kept_ptc].sum(), ptc.recall_gain[kept_ptc].sum()
    precision = hits / n_pred if n_pred else 0.0
    recall = found / ptc.gold.sum() if ptc.gold.sum() else 0.0
    plain_weight = mix * ptc.words.sum() / plain.words.sum() if plain.words.sum() else 0.0
    stream = hits / (n_pred + plain_weight * n_plain) if n_pred else 0.0
    return Stats(Scores(precision, recall, _f1(precision, recall)), _f1(stream, recall),
                 RATE_WORDS * n_pred / ptc.words.sum() if ptc.words.sum() else 0.0,
                 RATE_WORDS * n_plain / plain.words.sum() if plain.words.sum() else 0.0)


def kept(pool: Pool, thresholds: np.ndarray) -> np.ndarray:
    """Which spans of `pool` reach their technique's threshold."""
    return pool.score >= thresholds[pool.technique]


def grid(cut: float) -> tuple[float, ...]:
    steps = int(round((GRID_TOP - cut) / GRID_STEP))
    return tuple(round(cut + GRID_STEP * i, 4) for i in range(steps + 1))


def fit(ptc: Pool, plain: Pool, cut: float, budget: float = SI_BUDGET, mix: float = PLAIN_MIX) -> np.ndarray:
    """Per-technique thresholds (array over TECHNIQUES) maximising the stream F1 with the
    PTC SI F1 at least the uncalibrated one minus `budget`; ties keep the lower threshold."""
    thresholds = np.full(len(TECHNIQUES), cut)
    floor = measure(ptc, plain, kept(ptc, thresholds), kept(plain, thresholds), mix).si.f1 - budget
    for _ in range(PASSES):
        for k in range(len(TECHNIQUES)):
            best_value, best_f1 = thresholds[k], -1.0
            for value in grid(cut):
                trial = thresholds.copy()
                trial[k] = value
                stats = measure(ptc, plain, kept(ptc, trial), kept(plain, trial), mix)
                if stats.si.f1 >= floor and stats.stream_f1 > best_f1 + 1e-12:
                    best_value, best_f1 = value, stats.stream_f1
            thresholds[k] = best_value
    return thresholds


def folds(ids: Iterable[str], k: int = FOLDS, seed: int = FOLD_SEED) -> list[set[str]]:
    """`k` seeded folds of `ids` (sizes differ by at most one)."""
    shuffled = sorted(ids)
    random.Random(seed).shuffle(shuffled)
    return [set(shuffled[i::k]) for i in range(k)]


def _in(pool: Pool, articles: set[str]) -> np.ndarray:
    """Which spans of `pool` belong to `articles`."""
    return np.isin(pool.article, [i for i, article in enumerate(pool.ids) if article in articles])


def cross_validate(ptc: Pool, plain: Pool, cut: float, k: int = FOLDS,
                   budget: float = SI_BUDGET) -> tuple[Stats, Stats]:
    """(uncalibrated, calibrated) out-of-fold figures: each fold's spans kept by the
    thresholds fitted on the other folds, all folds then scored together."""
    ptc_folds, plain_folds = folds(ptc.ids, k), folds(plain.ids, k)
    keep_ptc, keep_plain = np.zeros(len(ptc.score), bool), np.zeros(len(plain.score), bool)
    for test_ptc, test_plain in zip(ptc_folds, plain_folds):
        thresholds = fit(ptc.subset(set(ptc.ids) - test_ptc), plain.subset(set(plain.ids) - test_plain), cut, budget)
        keep_ptc |= _in(ptc, test_ptc) & kept(ptc, thresholds)
        keep_plain |= _in(plain, test_plain) & kept(plain, thresholds)
    base = np.full(len(TECHNIQUES), cut)
    return measure(ptc, plain, kept(ptc, base), kept(plain, base)), measure(ptc, plain, keep_ptc, keep_plain)


def to_calibration(thresholds: np.ndarray, cut: float) -> Calibration:
    """The Calibration of fitted thresholds (techniques left at the cut are not listed)."""
    return Calibration({t: float(v) for t, v in zip(TECHNIQUES, thresholds) if v > cut + 1e-9}, 0.0, True)


def collect(detector, texts: dict[str, str], features: dict | None = None) -> dict[str, list[Candidate]]:
    """Every span the loaded `detector` (fast.FastDetector) decodes in each text at its cut;
    `features`, when given, is filled with each text's genre-prior inputs (genre.features)
    from the same encoding."""
    from parallax.techniques import fast, genre

    found = {}
    for article, text in texts.items():
        encoded = fast.encode_article(detector, text)
        found[article] = calibrating.candidates(text, encoded, detector.threshold, detector.word_threshold,
                                                lambda spans: fast.rank_techniques(detector, encoded, text, spans))
        if features is not None:
            features[article] = genre.features(encoded)
    return found


def plain_texts(data: Path, limit: int = PLAIN_PER_CORPUS) -> dict[str, str]:
    """The calibration-half plain news: up to `limit` ECB+ and `limit` PolNeAR texts."""
    chosen = []
    for reader in (corpora.ecbplus, corpora.polnear):
        chosen += corpora.sample(corpora.half(reader(data), corpora.CALIBRATION), limit, PLAIN_SEED)
    return {t.id: t.text for t in chosen}


def pools(detector, data: Path, rules: Calibration) -> tuple[Pool, Pool]:
    """(PTC train articles of the model, calibration plain news) as Pools, cue rule of `rules`."""
    from parallax.techniques.train import load_corpus

    corpus = load_corpus(data / "ptc")
    ptc = {a: corpus.articles[a] for a in detector.config["train_articles"]}
    plain = plain_texts(data)
    gold: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for x in corpus.si:
        gold[x.article_id].append((x.start, x.end))
    return (make_pool(ptc, collect(detector, ptc), gold, rules),
            make_pool(plain, collect(detector, plain), {}, rules))


@dataclass(frozen=True)
class Fit:
    """The fitted calibration and its out-of-fold figures (uncalibrated and calibrated)."""

    calibration: Calibration
    before: Stats
    after: Stats
    n_ptc: int
    n_plain: int


def fit_model(detector, data: Path) -> Fit:
    """Fit thresholds for a loaded detector on the data under `data` (ptc/, ecbplus/, polnear/)."""
    rules = replace(calibrating.UNCALIBRATED, cue_rule=True)
    ptc, plain = pools(detector, data, rules)
    before, after = cross_validate(ptc, plain, detector.threshold)
    chosen = to_calibration(fit(ptc, plain, detector.threshold), detector.threshold)
    return Fit(chosen, before, after, len(ptc.ids), len(plain.ids))


def describe(name: str, stats: Stats) -> str:
    return (f"{name}: SI P={stats.si.precision:.4f} R={stats.si.recall:.4f} F1={stats.si.f1:.4f} "
            f"stream F1={stats.stream_f1:.4f} spans/1000 words PTC {stats.ptc_density:.1f} "
            f"plain {stats.plain_density:.1f}")


def record(result: Fit, shipped: Calibration) -> dict:
    """What calibration.json says about how it was chosen."""
    return {"chosen_by": "python -m parallax.techniques.calibrate (see the model card)",
            "fitted_thresholds": result.calibration.to_json()["thresholds"],
            "thresholds_applied": bool(shipped.thresholds),
            "cv": {"folds": FOLDS, "ptc_train_articles": result.n_ptc, "plain_texts": result.n_plain,
                   "si_f1_uncalibrated": round(result.before.si.f1, 4), "si_f1": round(result.after.si.f1, 4),
                   "plain_per_1000_words_uncalibrated": round(result.before.plain_density, 2),
                   "plain_per_1000_words": round(result.after.plain_density, 2),
                   "ptc_per_1000_words_uncalibrated": round(result.before.ptc_density, 2),
                   "ptc_per_1000_words": round(result.after.ptc_density, 2)}}


def write(folder: Path, shipped: Calibration, about: dict) -> Path:
    """calibration.json with `shipped` and `about`, keeping the folder's genre prior and its
    record (calibrate_genre.py fits those)."""
    return calibrating.update(folder, replace(shipped, genre=calibrating.load(folder).genre), about)


def main(argv: list[str] | None = None) -> int:
    from parallax.techniques import load_detector, model_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="folder of ptc/, ecbplus/, polnear/")
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: the packaged model)")
    parser.add_argument("--write", action="store_true", help="write calibration.json into the model folder")
    parser.add_argument("--cue-rule-only", action="store_true",
                        help="write the cue rule without the fitted thresholds (the fit is still recorded)")
    args = parser.parse_args(argv)
    folder = args.model or model_dir()
    result = fit_model(load_detector(folder), args.data)
    print(describe(f"uncalibrated ({result.n_ptc} PTC train, {result.n_plain} plain)", result.before))
    print(describe(f"fitted thresholds, {FOLDS}-fold CV over articles", result.after))
    print(json.dumps(result.calibration.to_json()))
    if args.write:
        shipped = replace(result.calibration, thresholds={}) if args.cue_rule_only else result.calibration
        print(f"wrote {write(folder, shipped, record(result, shipped))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Fit the genre prior (genre.py) of a technique model, chosen by cross-validation over articles.

    python -m parallax.techniques.calibrate_genre [--data ../shared/data] [--model DIR]
                                                  [--fold-models DIR] [--write]

The prior's classifier: a logistic regression (inputs standardised, the scaling folded
into the weights) on genre.features, which the model computes for every text it reads.
Positives: the PTC articles the model trained or was tuned on (config.json
`train_articles` + `dev_articles`; never its held-out slice, which bench/ptc.py and the
evaluation gate score; on it the prior's probabilities come out as on the training
articles, 0.76 against 0.76 in trials, so having been trained on says nothing). Negatives:
the calibration halves of ECB+ and PolNeAR (corpora.py; the bench halves stay unseen).
Its L2 strength is the one of REGULARISATIONS with the best out-of-fold log-loss.

Strength and pivot are chosen on out-of-fold probabilities (each text's from a classifier
fitted without it), over STRENGTHS x PIVOTS, as calibrate.py chooses thresholds: the best SI
F1 on a stream of half PTC, half plain news, with the SI F1 on PTC alone at least the
model's own minus calibrate.SI_BUDGET. The PTC spans: with --fold-models (the models of
`parallax techniques train --cv-fold K/5`), each article's come from the fold model that
never saw it, with its thresholds re-tuned on its dev slice as bench/ptc.py does; only
articles outside the shipped model's held-out slice. That is the honest cost on unseen
propaganda. Without it, the model's own train articles (it trained on them, so its scores
there are overconfident and the cost looks smaller). Plain spans: the model's own, on
calibrate.plain_texts. `--write` adds the fitted prior to calibration.json, keeping the rest.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from parallax.techniques import calibrate, corpora
from parallax.techniques import calibration as calibrating
from parallax.techniques import genre as genres
from parallax.techniques.calibrate import Pool, Stats

# Cut rises tried (0: no prior) and pivots (0.5: only texts the prior calls plain news move;
# 1: every text moves by how unsure the prior is). 0.6 is near the top span scores (~0.7).
STRENGTHS = tuple(round(0.05 * i, 2) for i in range(13))
PIVOTS = (0.5, 0.75, 1.0)
# Inverse L2 strengths tried for the classifier (386 inputs, ~1,000 texts).
REGULARISATIONS = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
FOLDS, FOLD_SEED = 5, 7


@dataclass(frozen=True)
class GenreFit:
    prior: genres.GenrePrior
    before: Stats  # no prior, out-of-fold pools
    after: Stats  # the chosen strength and pivot
    auc: float  # out-of-fold ranking AUC of the classifier
    n_ptc: int
    n_plain: int
    honest: bool  # the PTC spans came from fold models that never saw them
    regularisation: float = 1.0  # the classifier's C


def classifier_data(detector, data: Path, corpus) -> tuple[list[str], dict[str, str], np.ndarray]:
    """(ids, texts by id, labels: 1 propaganda-rich PTC, 0 plain news) the classifier is
    fitted on; `corpus`: the PTC train.Corpus under `data`."""
    ptc = detector.config["train_articles"] + detector.config.get("dev_articles", [])
    plain = [t for reader in (corpora.ecbplus, corpora.polnear) for t in corpora.half(reader(data), corpora.CALIBRATION)]
    texts = {**{a: corpus.articles[a] for a in ptc}, **{t.id: t.text for t in plain}}
    return list(texts), texts, np.r_[np.ones(len(ptc)), np.zeros(len(plain))]


def _classifier(c: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000, class_weight="balanced"))


def out_of_fold(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    """Each row's probability from a classifier fitted on the other folds (stratified, seeded)."""
    from sklearn.model_selection import StratifiedKFold

    p = np.zeros(len(y))
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=FOLD_SEED).split(x, y):
        p[test] = _classifier(c).fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    return p


def regularised(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """(C, its out-of-fold probabilities): the C of REGULARISATIONS with the best log-loss."""
    from sklearn.metrics import log_loss

    tried = {c: out_of_fold(x, y, c) for c in REGULARISATIONS}
    best = min(tried, key=lambda c: log_loss(y, tried[c]))
    return best, tried[best]


def weights(x: np.ndarray, y: np.ndarray, c: float) -> tuple[tuple[float, ...], float]:
    """(weights, bias) over raw features: the fitted classifier with its scaling folded in."""
    fitted = _classifier(c).fit(x, y)
    scaler, model = fitted[0], fitted[-1]
    w = model.coef_[0] / scaler.scale_
    return tuple(round(float(v), 6) for v in w), float(model.intercept_[0] - np.dot(w, scaler.mean_))


def fold_pools(folder: Path, corpus, exclude: set[str], rules) -> tuple[Pool, np.ndarray]:
    """The PTC spans of each fold model under `folder` on its own held-out fold (minus
    `exclude`) of `corpus` (train.Corpus), as one Pool, with each span's decoding cut."""
    from parallax.techniques import load_detector
    from parallax.techniques.evaluation import retune_on_dev
    from parallax.techniques.train import COMPLETE

    gold = _gold(corpus)
    pools, cuts = [], []
    for model in sorted(folder.glob("fold*/config.json")):
        detector = load_detector(model.parent)
        if not detector.config.get(COMPLETE):
            raise SystemExit(f"error: {model.parent} holds an interrupted training (no '{COMPLETE}' in its "
                             "config.json); train it to its end or move it away")
        retune_on_dev(detector, corpus)
        texts = {a: corpus.articles[a] for a in detector.config["heldout_articles"] if a not in exclude}
        pools.append(calibrate.make_pool(texts, calibrate.collect(detector, texts), gold, rules))
        cuts.append(np.full(len(pools[-1].score), detector.threshold))
    if not pools:
        raise SystemExit(f"error: no fold models (fold*/config.json) under {folder}")
    return Pool.concat(pools), np.concatenate(cuts)


def _gold(corpus) -> dict[str, list[tuple[int, int]]]:
    gold: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for x in corpus.si:
        gold[x.article_id].append((x.start, x.end))
    return gold


def kept(pool: Pool, cuts: np.ndarray, p_of: dict[str, float], strength: float, pivot: float) -> np.ndarray:
    """Which spans reach their cut raised by the prior's offset for their article."""
    p = np.array([p_of[a] for a in pool.ids])[pool.article] if len(pool.article) else np.zeros(0)
    return pool.score >= cuts + genres.offsets(p, strength, pivot)


def choose(ptc: Pool, ptc_cuts: np.ndarray, plain: Pool, plain_cut: float,
           p_of: dict[str, float]) -> tuple[float, float, Stats, Stats]:
    """(strength, pivot, stats without the prior, stats with it): the best stream F1 within the SI budget."""
    plain_cuts = np.full(len(plain.score), plain_cut)

    def stats(strength: float, pivot: float) -> Stats:
        return calibrate.measure(ptc, plain, kept(ptc, ptc_cuts, p_of, strength, pivot),
                                 kept(plain, plain_cuts, p_of, strength, pivot))

    before = stats(0.0, 1.0)
    best = (0.0, 1.0, before)
    for pivot in PIVOTS:
        for strength in STRENGTHS:
            trial = stats(strength, pivot)
            if trial.si.f1 >= before.si.f1 - calibrate.SI_BUDGET and trial.stream_f1 > best[2].stream_f1 + 1e-12:
                best = (strength, pivot, trial)
    return best[0], best[1], before, best[2]


def fit_model(detector, data: Path, fold_models: Path | None = None) -> GenreFit:
    """Fit the prior for a loaded detector on the data under `data` (ptc/, ecbplus/, polnear/)."""
    from sklearn.metrics import roc_auc_score

    from parallax.techniques.train import load_corpus

    corpus = load_corpus(data / "ptc")
    ids, texts, labels = classifier_data(detector, data, corpus)
    rules = replace(calibrating.UNCALIBRATED, cue_rule=True)
    features: dict[str, np.ndarray] = {}
    found = calibrate.collect(detector, texts, features)  # one encoding: spans and features
    x = np.stack([features[i] for i in ids])
    c, oof = regularised(x, labels)
    p_of = dict(zip(ids, oof))
    if fold_models is not None:
        ptc, cuts = fold_pools(fold_models, corpus, set(detector.config["heldout_articles"]), rules)
    else:
        own = {a: texts[a] for a in detector.config["train_articles"]}
        ptc = calibrate.make_pool(own, {a: found[a] for a in own}, _gold(corpus), rules)
        cuts = np.full(len(ptc.score), detector.threshold)
    plain_texts = calibrate.plain_texts(data)
    plain = calibrate.make_pool(plain_texts, {a: found[a] for a in plain_texts}, {}, rules)
    strength, pivot, before, after = choose(ptc, cuts, plain, detector.threshold, p_of)
    prior = genres.GenrePrior(*weights(x, labels, c), strength, pivot)
    return GenreFit(prior, before, after, float(roc_auc_score(labels, oof)), len(ptc.ids), len(plain.ids),
                    fold_models is not None, c)


def record(fit: GenreFit) -> dict:
    """What calibration.json says about how the prior was chosen."""
    return {"chosen_by": "python -m parallax.techniques.calibrate_genre (see the model card)",
            "ptc_spans": "fold models, out of fold" if fit.honest else "the model's own train articles",
            "classifier_auc_out_of_fold": round(fit.auc, 4), "classifier_c": fit.regularisation, "ptc_articles": fit.n_ptc, "plain_texts": fit.n_plain,
            "si_f1_without": round(fit.before.si.f1, 4), "si_f1": round(fit.after.si.f1, 4),
            "plain_per_1000_words_without": round(fit.before.plain_density, 2),
            "plain_per_1000_words": round(fit.after.plain_density, 2),
            "ptc_per_1000_words_without": round(fit.before.ptc_density, 2),
            "ptc_per_1000_words": round(fit.after.ptc_density, 2)}


def write(folder: Path, fit: GenreFit) -> Path:
    """calibration.json with the prior and its record added, every other entry kept."""
    return calibrating.update(folder, replace(calibrating.load(folder), genre=fit.prior), {"genre_fit": record(fit)})


def main(argv: list[str] | None = None) -> int:
    from parallax.techniques import load_detector, model_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="folder of ptc/, ecbplus/, polnear/")
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: the packaged model)")
    parser.add_argument("--fold-models", type=Path, default=None, metavar="DIR",
                        help="cross-validation fold models DIR/fold0.. for out-of-fold PTC spans")
    parser.add_argument("--write", action="store_true", help="add the prior to the model folder's calibration.json")
    args = parser.parse_args(argv)
    folder = args.model or model_dir()
    fit = fit_model(load_detector(folder), args.data, args.fold_models)
    print(f"classifier: C {fit.regularisation}, out-of-fold AUC {fit.auc:.4f}; PTC spans: {record(fit)['ptc_spans']}")
    print(calibrate.describe(f"without the prior ({fit.n_ptc} PTC, {fit.n_plain} plain)", fit.before))
    print(calibrate.describe(f"strength {fit.prior.strength} pivot {fit.prior.pivot}", fit.after))
    if args.write:
        print(f"wrote {write(folder, fit)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

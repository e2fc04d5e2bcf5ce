"""PTC (SemEval-2020 Task 11) benchmark of the technique detector on the held-out slice.

Held-out slice: the fixed seeded 20% of the 371 PTC train articles chosen by
`parallax.techniques.train.split_ids` (SPLIT_SEED); the shipped model never trained on it
and did not use it for model selection (that was a separate dev slice).

    python bench/ptc.py [--data ../shared/data/ptc] [--model DIR] [--no-cv]
                        [--cv-models DIR [--train-missing] [--folds 5]]

Prints SI (official span scorer) P/R/F1 at the model's threshold, TC micro-F1 on the gold
spans, and inference speed: articles/s through `techniques.detect` (what analyze runs: the
int8 ONNX encoder, span decoding and classification) in 2 worker processes of one thread
each, i.e. on 2 cores; also one process with every core.

Calibration (techniques/calibration.py), labelled as such: the held-out figures with the
model folder's calibration.json on (what detect() shows), and, unless --no-cv, the
calibration fit of calibrate.py: its 5-fold cross-validation over the train articles with
the fixed model (trained on those articles, so optimistic; not a CV of the model) and the
fitted thresholds' held-out figures. The fit reads ECB+ and PolNeAR beside DATA
(../shared/data).

Cross-validation of the recipe (`--cv-models DIR`): DIR/fold0 .. fold{N-1} are models
trained by the shipped recipe with `parallax techniques train --cv-fold K/N` (each holds
out fold K of the 371 train articles: train.split_ids), made by `--train-missing` where
absent (about 30 minutes a fold on 2 cores). Each model's thresholds are re-tuned on its
own dev slice with the int8 encoder (the recipe's last step), then it predicts its held-out
fold; the predictions are pooled and scored once, so every train article is scored by a
model that never saw it. Missing fold models are skipped and the figures say how many
articles they rest on (a partial CV).

Ends with one line, the uncalibrated held-out figures (and the CV ones with --cv-models):
    ptc heldout=N si_p=.. si_r=.. si_f1=.. tc_f1=.. articles_per_s=.. [cv_folds=N cv_si_f1=.. cv_tc_f1=..]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from multiprocessing import get_context
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from parallax.techniques import load_detector, model_dir  # noqa: E402
from parallax.techniques.evaluation import Evaluation, evaluate, retune_on_dev  # noqa: E402
from parallax.techniques.scoring import score_si, score_tc  # noqa: E402
from parallax.techniques.train import COMPLETE, HOLDOUT_FRACTION, load_corpus, split_ids, train  # noqa: E402

# The shipped model's training seed (its model card): each fold model is trained with it.
RECIPE_SEED = 7


# The model a worker process loaded (set by _start_worker, on the worker's share of the cores).
_worker_detector = None


def _start_worker(folder: str, threads: int) -> None:
    global _worker_detector
    from parallax.techniques import detect, load_detector

    _worker_detector = load_detector(folder, threads)
    detect("Warm-up: the model loads before the clock starts.", detector=_worker_detector)


def _detect(text: str) -> int:
    from parallax.techniques import detect

    detect(text, detector=_worker_detector)
    return 1


def throughput(texts: list[str], folder: Path, processes: int) -> float:
    """Articles per second through detect() in `processes` workers sharing the cores."""
    threads = max(1, (os.cpu_count() or 1) // processes)
    with get_context("spawn").Pool(processes, initializer=_start_worker, initargs=(str(folder), threads)) as pool:
        pool.map(_detect, texts[:processes])
        start = time.perf_counter()
        done = sum(pool.map(_detect, texts, chunksize=1))
        return done / (time.perf_counter() - start)


def figures(result: Evaluation) -> str:
    return (f"SI P={result.si.precision:.4f} R={result.si.recall:.4f} F1={result.si.f1:.4f}  "
            f"TC micro-F1={result.tc.f1:.4f}")


def calibration_figures(detector, articles: dict[str, str], corpus, data: Path, cv: bool) -> None:
    """Print the held-out figures with calibration on, and the calibration fit's CV."""
    shipped = detector.calibration
    prior = (f"genre prior (strength {shipped.genre.strength}, pivot {shipped.genre.pivot})" if shipped.genre
             else "no genre prior")
    rules = f"cue rule {'on' if shipped.cue_rule else 'off'}, {len(shipped.thresholds)} technique thresholds, {prior}"
    calibrated = evaluate(detector, articles, corpus.si, corpus.tc, calibration=shipped)
    print(f"held-out, calibrated ({rules}): {figures(calibrated)}")
    if not cv:
        return
    from parallax.techniques import calibrate

    fit = calibrate.fit_model(detector, data)
    print(f"calibration fit, {calibrate.FOLDS}-fold CV over the {fit.n_ptc} train articles with the fixed model "
          f"(it trained on them: optimistic), plus {fit.n_plain} plain-news texts:")
    print("  " + calibrate.describe("uncalibrated", fit.before))
    print("  " + calibrate.describe("fitted thresholds", fit.after))
    fitted = evaluate(detector, articles, corpus.si, corpus.tc, calibration=fit.calibration)
    print(f"held-out, fitted thresholds + cue rule{'' if shipped.thresholds else ' (not shipped)'}: {figures(fitted)}")


def cross_validation(data: Path, corpus, models: Path, folds: int, train_missing: bool) -> str:
    """Pooled held-out SI and TC of the fold models under `models` (trained if asked; a
    missing fold is otherwise skipped, and the figures are marked partial)."""
    si_predicted, tc_predicted, scored = [], [], []
    for k in range(folds):
        folder = models / f"fold{k}"
        expected = split_ids(sorted(corpus.articles), cv_fold=(k, folds)).heldout
        if not (folder / "config.json").is_file():
            if not train_missing:
                print(f"cv fold {k}/{folds}: no model in {folder} (train it with `parallax techniques train "
                      f"--cv-fold {k}/{folds} --seed {RECIPE_SEED} --out {folder}`, or pass --train-missing)")
                continue
            train(data, folder, seed=RECIPE_SEED, cv_fold=(k, folds))
        detector = load_detector(folder, os.cpu_count() or 1)
        if not detector.config.get(COMPLETE):
            print(f"cv fold {k}/{folds}: {folder} holds an interrupted training (no '{COMPLETE}' in its "
                  "config.json); skipped: train it again to its end")
            continue
        if sorted(detector.config.get("heldout_articles", [])) != expected:
            raise SystemExit(f"error: {folder} was not trained with --cv-fold {k}/{folds} (its held-out articles differ)")
        retune_on_dev(detector, corpus)  # the recipe's last step, int8
        result = evaluate(detector, {a: corpus.articles[a] for a in expected}, corpus.si, corpus.tc)
        print(f"cv fold {k}/{folds}: {len(expected)} articles, thresholds {detector.threshold}/"
              f"{detector.word_threshold} (int8, on its {len(detector.config['dev_articles'])} dev articles), "
              f"{figures(result)}", flush=True)
        si_predicted += result.si_predicted
        tc_predicted += result.tc_predicted
        scored.append(expected)
    if not scored:
        raise SystemExit(f"error: no fold model under {models}; pass --train-missing to train them")
    keep = {a for fold in scored for a in fold}
    si = score_si(si_predicted, [x for x in corpus.si if x.article_id in keep])
    tc = score_tc(tc_predicted, [x for x in corpus.tc if x.article_id in keep])
    partial = "" if len(keep) == len(corpus.articles) else ", partial"
    print(f"cv pooled over {len(keep)} of {len(corpus.articles)} articles{partial}: "
          f"SI P={si.precision:.4f} R={si.recall:.4f} F1={si.f1:.4f}  TC micro-F1={tc.f1:.4f}")
    return (f" cv_folds={len(scored)}/{folds} cv_articles={len(keep)} cv_si_p={si.precision:.4f} "
            f"cv_si_r={si.recall:.4f} cv_si_f1={si.f1:.4f} cv_tc_f1={tc.f1:.4f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: the packaged model)")
    parser.add_argument("--no-cv", action="store_true", help="skip the calibration fit's cross-validation (~3 min)")
    parser.add_argument("--cv-models", type=Path, default=None, metavar="DIR",
                        help="also score the recipe's cross-validation: fold models DIR/fold0.. (see --train-missing)")
    parser.add_argument("--train-missing", action="store_true",
                        help="train the fold models DIR/foldK that are missing (~30 min each on 2 cores)")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    folder = args.model or model_dir()
    detector = load_detector(folder, os.cpu_count() or 1)  # accuracy runs on every core
    corpus = load_corpus(args.data)
    heldout = split_ids(sorted(corpus.articles), HOLDOUT_FRACTION).heldout
    trained_on = set(detector.config.get("train_articles", [])) | set(detector.config.get("dev_articles", []))
    if trained_on & set(heldout):
        print(f"warning: the model at {folder} was trained on {len(trained_on & set(heldout))} held-out articles",
              file=sys.stderr)
    articles = {a: corpus.articles[a] for a in heldout}
    from parallax.techniques.evaluation import backend

    backend(detector).encode_article(detector, corpus.articles[heldout[0]])  # warm-up: first calls allocate
    result = evaluate(detector, articles, corpus.si, corpus.tc)
    print(f"model: {folder}  threshold: {result.threshold}")
    print(f"SI  P={result.si.precision:.4f} R={result.si.recall:.4f} F1={result.si.f1:.4f}")
    print(f"TC  micro-F1={result.tc.f1:.4f}")
    calibration_figures(detector, articles, corpus, args.data.parent, not args.no_cv)
    cv = cross_validation(args.data, corpus, args.cv_models, args.folds, args.train_missing) if args.cv_models else ""
    texts = list(articles.values())
    one, two = throughput(texts, folder, 1), throughput(texts, folder, 2)
    print(f"speed: {two:.2f} articles/s in 2 processes, {one:.2f} in 1 ({os.cpu_count()} cores)")
    print(f"ptc heldout={result.n_articles} si_p={result.si.precision:.4f} si_r={result.si.recall:.4f} "
          f"si_f1={result.si.f1:.4f} tc_f1={result.tc.f1:.4f} articles_per_s={two:.2f}{cv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

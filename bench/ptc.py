"""PTC (SemEval-2020 Task 11) benchmark of the technique detector on the held-out slice.

Held-out slice: the fixed seeded 20% of the 371 PTC train articles chosen by
`parallax.techniques.train.split_ids` (SPLIT_SEED); the shipped model never trained on it
and did not use it for model selection (that was a separate dev slice).

    python bench/ptc.py [--data ../shared/data/ptc] [--model DIR] [--no-cv]

Prints SI (official span scorer) P/R/F1 at the model's threshold, TC micro-F1 on the gold
spans, and inference speed: articles/s through `techniques.detect` (what analyze runs: the
int8 ONNX encoder, span decoding and classification) in 2 worker processes of one thread
each, i.e. on 2 cores; also one process with every core.

Calibration (techniques/calibration.py), labelled as such: the held-out figures with the
model folder's calibration.json on (what detect() shows), and, unless --no-cv, the
calibration fit of calibrate.py: its 5-fold cross-validation over the train articles with
the fixed model (trained on those articles, so optimistic; not a CV of the model) and the
fitted thresholds' held-out figures. The fit reads ECB+ and PolNeAR beside DATA
(../shared/data). Ends with one line, the uncalibrated held-out figures:
    ptc heldout=N si_p=.. si_r=.. si_f1=.. tc_f1=.. articles_per_s=..
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
from parallax.techniques.evaluation import Evaluation, evaluate  # noqa: E402
from parallax.techniques.train import HOLDOUT_FRACTION, load_corpus, split_ids  # noqa: E402


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
    rules = f"cue rule {'on' if shipped.cue_rule else 'off'}, {len(shipped.thresholds)} technique thresholds"
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: the packaged model)")
    parser.add_argument("--no-cv", action="store_true", help="skip the calibration fit's cross-validation (~3 min)")
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
    texts = list(articles.values())
    one, two = throughput(texts, folder, 1), throughput(texts, folder, 2)
    print(f"speed: {two:.2f} articles/s in 2 processes, {one:.2f} in 1 ({os.cpu_count()} cores)")
    print(f"ptc heldout={result.n_articles} si_p={result.si.precision:.4f} si_r={result.si.recall:.4f} "
          f"si_f1={result.si.f1:.4f} tc_f1={result.tc.f1:.4f} articles_per_s={two:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

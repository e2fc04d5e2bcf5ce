"""Propaganda technique detection (the 14 techniques of SemEval-2020 Task 11).

    detect(text, threshold=None)        -> list[Technique]   technique spans in `text` (calibrated)
    detect_layer(text, threshold=None)  -> list[Technique]   detect(), or [] (warned once) without a model
    detect_into(analysis, threshold=None)               sets analysis["techniques"]
    classify_spans(text, spans)         -> list[(technique, probability)]   the TC task

The model is loaded once per process from `PARALLAX_TECHNIQUE_MODEL` (a folder) or, by
default, the folder `model/` shipped inside this package. Nothing is downloaded. The folder's
calibration.json (calibration.py) decides which decoded spans are shown; `calibrated=False`
shows every span the network decodes (the SemEval figures of the model card).
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from parallax.errors import ModelError, UsageError
from parallax.model import Analysis, Technique
from parallax.techniques.definitions import DEFINITIONS, TECHNIQUES

__all__ = ["DEFINITIONS", "TECHNIQUES", "classify_spans", "detect", "detect_into", "load_detector", "model_dir"]

log = logging.getLogger(__name__)

MODEL_ENV = "PARALLAX_TECHNIQUE_MODEL"
PACKAGED_MODEL = Path(__file__).parent / "model"

_lock = threading.Lock()
_cache: dict[str, object] = {}
_warned = False


def model_dir(folder: str | Path | None = None) -> Path:
    """The model folder in use: `folder` (Config.technique_model), else the packaged one."""
    return Path(folder) if folder else PACKAGED_MODEL


def load_detector(folder: str | Path | None = None, threads: int = 1):
    """The loaded model of `folder` (default `model_dir()`) on `threads` cores, loaded once
    per process.

    Raises ModelError if the folder does not hold a model."""
    path = Path(folder) if folder is not None else model_dir()
    key = f"{path.resolve()}:{threads}"
    with _lock:
        if key not in _cache:
            if not (path / "config.json").is_file():
                raise ModelError(f"{path}: no technique model here (config.json missing); train one with "
                                 f"`parallax techniques train` or set {MODEL_ENV} to a model folder")
            from parallax.techniques import fast

            _cache[key] = fast.load_fast(path, threads=threads)
        return _cache[key]


def _threshold(detector, threshold: float | None) -> float:
    value = detector.threshold if threshold is None else float(threshold)
    if not 0.0 < value < 1.0:
        raise UsageError(f"threshold {value} is outside (0, 1); use a probability such as {detector.threshold}")
    return value


def detect(text: str, threshold: float | None = None, model: str | Path | None = None,
           detector=None, calibrated: bool = True, encoded=None) -> list[Technique]:
    """Technique spans in `text`: label = technique name, score = probability (0..1) that
    the span is propaganda (its most confident word), technique_score = probability of
    the technique given that it is. Spans scored below `threshold` (default: the model's
    dev-tuned value) are left out, and, when `calibrated`, so are those below their
    technique's calibrated threshold (the model folder's calibration.json, see
    calibration.py), and Bandwagon / Reductio ad hitlerum is only named when the sentence
    gives it a cue. `detector`: a loaded model (Pipeline.detector) instead of `model`;
    `encoded`: its fast.encode_article of `text`, when the caller has it already."""
    from parallax.techniques import calibration, fast

    detector = detector if detector is not None else load_detector(model)
    cut = _threshold(detector, threshold)
    encoded = encoded if encoded is not None else fast.encode_article(detector, text)
    found = calibration.candidates(text, encoded, cut, detector.word_threshold,
                                   lambda spans: fast.rank_techniques(detector, encoded, text, spans))
    rules = detector.calibration if calibrated else calibration.UNCALIBRATED
    return [
        Technique(x.start, x.end, label=x.technique, score=round(x.score, 4),
                  technique_score=round(x.technique_score, 4))
        for x in calibration.apply(text, found, rules, cut, rules.offset(encoded))
    ]


def classify_spans(text: str, spans: list[tuple[int, int]], model: str | Path | None = None,
                   calibrated: bool = True) -> list[tuple[str, float]]:
    """One technique (and its probability) per given span of `text` (SemEval TC task).
    A span listed k times gets the k-th most likely technique; when `calibrated`, the
    cue rule of calibration.py applies (no thresholds: the spans are given)."""
    from parallax.techniques import calibration, fast

    for start, end in spans:
        if not 0 <= start < end <= len(text):
            raise UsageError(f"span ({start}, {end}) is not inside the text of length {len(text)}; "
                             "expected 0 <= start < end <= len(text)")
    detector = load_detector(model)
    spans = list(spans)
    rankings = fast.rank_techniques(detector, fast.encode_article(detector, text), text, spans)
    rules = detector.calibration if calibrated else calibration.UNCALIBRATED
    return fast.pick_ranked(spans, calibration.rerank_all(text, spans, rankings, rules))


def detect_layer(text: str, threshold: float | None = None) -> list[Technique]:
    """detect(), except that without a usable model the layer is empty (warned once)."""
    global _warned
    try:
        return detect(text, threshold)
    except ModelError as error:
        if not _warned:
            log.warning("technique layer left empty: %s", error)
            _warned = True
        return []


def detect_into(analysis: Analysis, threshold: float | None = None) -> None:
    """Set analysis["techniques"] (see detect_layer)."""
    analysis["techniques"] = detect_layer(analysis.text, threshold)

"""Evaluation gate: accuracy floors on fixed data, so a change that loses accuracy fails CI.

Each floor sits just under the figure in the README's results table (same data, same scorer
as the bench script), leaving room for float noise, not for regressions. Raise a floor when a
change improves the figure. Skipped when ../shared/data is not beside the checkout.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"

# README figures: PolNeAR dev F1@0.5 0.666, speaker accuracy 0.896; PTC held-out SI F1 0.373, TC 0.618.
POLNEAR_F1_FLOOR = 0.655
POLNEAR_SPEAKER_FLOOR = 0.885
PTC_SI_F1_FLOOR = 0.362
PTC_TC_F1_FLOOR = 0.605


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (DATA / "polnear" / "polnear_dev.jsonl").is_file(), reason="PolNeAR data not beside the checkout")
def test_quote_attribution_on_polnear_dev_keeps_its_accuracy() -> None:
    from parallax.nlp.quotes.scoring import average_over_annotators

    bench = _bench("quotes_polnear")
    results, _ = bench.evaluate(bench.load_records(DATA / "polnear", "dev", None), "attribution")
    _, _, f1, speaker = average_over_annotators(results[0.5])
    assert f1 >= POLNEAR_F1_FLOOR, f"PolNeAR dev F1@0.5 fell to {f1:.3f}"
    assert speaker >= POLNEAR_SPEAKER_FLOOR, f"PolNeAR dev speaker accuracy fell to {speaker:.3f}"


@pytest.mark.skipif(not (DATA / "ptc" / "train-articles").is_dir(), reason="PTC data not beside the checkout")
def test_the_shipped_technique_model_keeps_its_accuracy_on_the_held_out_slice() -> None:
    from parallax.techniques import load_detector, model_dir
    from parallax.techniques.evaluation import evaluate
    from parallax.techniques.train import HOLDOUT_FRACTION, load_corpus, split_ids

    corpus = load_corpus(DATA / "ptc")
    heldout = split_ids(sorted(corpus.articles), HOLDOUT_FRACTION).heldout
    result = evaluate(load_detector(model_dir()), {a: corpus.articles[a] for a in heldout}, corpus.si, corpus.tc)
    assert result.si.f1 >= PTC_SI_F1_FLOOR, f"PTC held-out SI F1 fell to {result.si.f1:.3f}"
    assert result.tc.f1 >= PTC_TC_F1_FLOOR, f"PTC held-out TC micro-F1 fell to {result.tc.f1:.3f}"

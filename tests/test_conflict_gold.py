"""The hand-labelled BASIL conflict gold (bench/data/basil_conflicts_gold.jsonl) points at the
figures it names, with a known label and a reason, and its split is the bench's."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from parallax.model import VERDICTS

ROOT = Path(__file__).resolve().parents[1]
BASIL = ROOT.parent / "shared" / "data" / "basil"
GOLD = ROOT / "bench" / "data" / "basil_conflicts_gold.jsonl"
LABELS = (*VERDICTS, "none")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_conflicts_basil", ROOT / "bench" / "conflicts_basil.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


def test_every_row_has_a_known_label_and_a_reason():
    rows = _gold()
    assert rows
    for row in rows:
        assert row["label"] in LABELS and row["reason"].strip()
        assert row["split"] in ("tune", "test")
        assert "text" not in row and "sentence" not in row["a"]  # ids and offsets, never the corpus text


@pytest.mark.skipif(not (BASIL / "basil_articles.jsonl").is_file(), reason="BASIL not beside the checkout")
def test_offsets_index_the_figures_and_splits_follow_file_order():
    bench = _bench()
    triplets = bench.triplets(BASIL)
    articles = {a.id: a for _, group in triplets for a in group}
    split = {triplet: bench.split_of(position) for position, (triplet, _) in enumerate(triplets)}
    for row in _gold():
        assert split[row["triplet"]] == row["split"]
        for side in (row["a"], row["b"]):
            article = articles[side["article"]]
            assert article.text[side["start"]:side["end"]] == side["figure"]
            assert article.outlet == side["outlet"]

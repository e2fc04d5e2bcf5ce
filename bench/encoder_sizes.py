"""How fast would a bigger technique encoder be? Int8 BERT graphs of other sizes, same windows.

The technique detector's SI accuracy is capped by its 6-layer, 384-wide encoder; this measures
what a larger one would cost at inference. Speed does not depend on the weights' values, so
each size is built with random weights by `parallax.onnx_bert` (the builder the shipped model
uses), quantised to int8 the same way, and run on the windows of held-out PTC articles, one
thread, one window at a time (as `techniques.detect` runs them).

    python bench/encoder_sizes.py [--data ../shared/data/ptc] [--articles 20]

Ends with one line of speeds relative to the shipped size:
    encoder_sizes articles=N l6_h384=1.00 l12_h384=.. l12_h768=..
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from parallax import onnx_bert  # noqa: E402
from parallax.techniques import encoding, fast, load_detector  # noqa: E402
from parallax.techniques.train import HOLDOUT_FRACTION, load_corpus, split_ids  # noqa: E402

SIZES = ((6, 384), (12, 384), (12, 768))  # (layers, width): shipped, MiniLM-L12 / bge-small, BERT-base
HEADS = 12
VOCAB = 30522


def random_bert(layers: int, width: int, seed: int = 0) -> dict[str, np.ndarray]:
    """BERT weights of the given size, named as in a Hugging Face checkpoint."""
    rng = np.random.default_rng(seed)

    def normal(*shape: int) -> np.ndarray:
        return rng.normal(0.0, 0.02, shape).astype(np.float32)

    weights = {"embeddings.word_embeddings.weight": normal(VOCAB, width),
               "embeddings.position_embeddings.weight": normal(512, width),
               "embeddings.token_type_embeddings.weight": normal(2, width)}
    norms = ["embeddings.LayerNorm"]
    for i in range(layers):
        layer = f"encoder.layer.{i}."
        shapes = {"attention.self.query": (width, width), "attention.self.key": (width, width),
                  "attention.self.value": (width, width), "attention.output.dense": (width, width),
                  "intermediate.dense": (4 * width, width), "output.dense": (width, 4 * width)}
        for name, shape in shapes.items():
            weights[layer + name + ".weight"] = normal(*shape)
            weights[layer + name + ".bias"] = np.zeros(shape[0], np.float32)
        norms += [layer + "attention.output.LayerNorm", layer + "output.LayerNorm"]
    for name in norms:
        weights[name + ".weight"] = np.ones(width, np.float32)
        weights[name + ".bias"] = np.zeros(width, np.float32)
    return weights


def windows_of(texts: list[str]) -> list[np.ndarray]:
    """Token id windows ([CLS] ... [SEP]) exactly as the shipped detector cuts them."""
    detector = load_detector()
    windows = []
    for text in texts:
        tokens = fast.tokenize(text, detector.tokenizer)
        windows += [fast.window_ids(detector, tokens, start, end)
                    for start, end in encoding.make_windows(text, tokens, detector.max_len)]
    return windows


def articles_per_s(layers: int, width: int, windows: list[np.ndarray], n_articles: int) -> float:
    graph = onnx_bert.bert_graph(random_bert(layers, width), layers, HEADS, 1e-12, True)
    session = onnx_bert.make_session(onnx_bert.quantize(graph), threads=1)
    onnx_bert.run(session, windows[0], np.ones_like(windows[0]))  # warm-up
    began = time.perf_counter()
    for ids in windows:
        onnx_bert.run(session, ids, np.ones_like(ids))
    return n_articles / (time.perf_counter() - began)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ptc"))
    parser.add_argument("--articles", type=int, default=20)
    args = parser.parse_args(argv)
    corpus = load_corpus(args.data)
    heldout = split_ids(sorted(corpus.articles), HOLDOUT_FRACTION).heldout[: args.articles]
    windows = windows_of([corpus.articles[a] for a in heldout])
    speeds = {}
    for layers, width in SIZES:
        speeds[f"l{layers}_h{width}"] = speed = articles_per_s(layers, width, windows, len(heldout))
        print(f"{layers} layers, {width} wide: {speed:.2f} articles/s (encoder only, 1 thread)", flush=True)
    shipped = speeds["l6_h384"]
    print(f"encoder_sizes articles={len(heldout)} " + " ".join(f"{k}={v / shipped:.2f}" for k, v in speeds.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Training the attribution head (head.py) on PolNeAR train, and writing it beside the
technique model it reads.

    python -m parallax.nlp.attribution.head_train --data ../shared/data/polnear \\
        --model src/parallax/techniques/model --write

Every train article is run once through the technique network (fast.encode_article,
int8 as at inference); each (article, annotator) record gives one tag sequence per window
(tags.encode_tags), so an article labelled by several annotators teaches their average,
as the scorer averages over annotators. A BiLSTM (one layer, 128 units each way) reads a
window's features and a linear layer gives the 7 tag logits; cross-entropy, AdamW.
The recipe in `Settings` was chosen on fold 1 of bench/attribution_cv.py (6 epochs on all
other train articles: F1 0.595 alone, 0.650 with the rules, against 0.534 / 0.622 with
the first 240 articles only and 0.554 / 0.634 with two layers); the figures of all five
folds are in the model card. About 5 minutes on one thread for 780 articles.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np
import torch
from torch import nn

from parallax.nlp.attribution.head import HEAD_CONFIG, HEAD_FILE, INPUT, OUTPUT, window_features
from parallax.nlp.attribution.tags import TAG_NAMES, Decoding, encode_tags
from parallax.techniques import fast

IGNORE = -100  # cross-entropy target of padding
# The decoding shipped with the head: tags.Decoding, but for the lowest mean P(content)
# shown (see Decoding.min_score).
DECODING = Decoding(min_score=0.65)


@dataclass(frozen=True)
class Settings:
    epochs: int = 6
    hidden: int = 128  # per direction
    dropout: float = 0.2  # on the input features and the LSTM output
    lr: float = 2e-3
    weight_decay: float = 0.01
    batch: int = 16  # windows
    seed: int = 7


class HeadNet(nn.Module):
    def __init__(self, width: int, settings: Settings) -> None:
        super().__init__()
        self.dropout = nn.Dropout(settings.dropout)
        self.lstm = nn.LSTM(width, settings.hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * settings.hidden, len(TAG_NAMES))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """Tag logits [B, T, 7]."""
        return self.out(self.dropout(self.lstm(self.dropout(features))[0]))


class _Softmax(nn.Module):
    """What attribution.onnx computes: probabilities, not logits."""

    def __init__(self, net: HeadNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.net(features), dim=-1)


@dataclass
class Example:
    """One article's windows through the technique network: features and offsets."""

    offsets: list[tuple[int, int]]
    windows: list[tuple[int, int]]
    features: list[np.ndarray]  # per window [T, width]


def encode(detector, text: str) -> Example:
    encoded = fast.encode_article(detector, text)
    return Example(encoded.tokens.offsets, encoded.windows, window_features(encoded))


def sequences(example: Example, attributions: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    tags = np.array(encode_tags(example.offsets, attributions), dtype=np.int64)
    return [(x, tags[s:e]) for x, (s, e) in zip(example.features, example.windows)]


def fit(data: list[tuple[np.ndarray, np.ndarray]], settings: Settings = Settings(),
        log: Callable[[str], None] = print) -> HeadNet:
    """A head trained on (features [T, width], tags [T]) windows."""
    torch.manual_seed(settings.seed)
    order = np.random.default_rng(settings.seed)
    net = HeadNet(data[0][0].shape[1], settings)
    optimizer = torch.optim.AdamW(net.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    for epoch in range(settings.epochs):
        net.train()
        started, total, steps = time.perf_counter(), 0.0, 0
        permutation = order.permutation(len(data))
        for first in range(0, len(data), settings.batch):
            batch = [data[i] for i in permutation[first:first + settings.batch]]
            longest = max(len(x) for x, _ in batch)
            features = torch.zeros(len(batch), longest, batch[0][0].shape[1])
            targets = torch.full((len(batch), longest), IGNORE, dtype=torch.long)
            for row, (x, y) in enumerate(batch):
                features[row, :len(x)] = torch.from_numpy(x)
                targets[row, :len(y)] = torch.from_numpy(y)
            loss = nn.functional.cross_entropy(net(features).flatten(0, 1), targets.flatten(), ignore_index=IGNORE)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total, steps = total + loss.item(), steps + 1
        log(f"  epoch {epoch + 1}/{settings.epochs}: loss {total / max(1, steps):.4f}, "
            f"{time.perf_counter() - started:.0f}s")
    return net.eval()


@torch.no_grad()
def predict(net: HeadNet, example: Example) -> np.ndarray:
    """Tag probabilities [n_tokens, 7] (as head.tag_probs computes them with ONNX Runtime)."""
    probs = np.zeros((len(example.offsets), len(TAG_NAMES)), dtype=np.float32)
    for x, (s, e) in zip(example.features, example.windows):
        probs[s:e] = torch.softmax(net(torch.from_numpy(x)[None])[0], dim=-1).numpy()
    return probs


def export(net: HeadNet, folder: Path, record: dict) -> None:
    """Write attribution.onnx and attribution.json into the technique model `folder`."""
    import io

    buffer = io.BytesIO()
    width = net.lstm.input_size
    with warnings.catch_warnings():  # the batch-size-1 LSTM warning: inference runs one window at a time
        warnings.simplefilter("ignore")
        torch.onnx.export(_Softmax(net).eval(), (torch.zeros(1, 8, width),), buffer, input_names=[INPUT],
                          output_names=[OUTPUT], dynamic_axes={INPUT: {1: "tokens"}, OUTPUT: {1: "tokens"}},
                          dynamo=False)
    (folder / HEAD_FILE).write_bytes(buffer.getvalue())
    settings = {"tags": list(TAG_NAMES), "width": width, "decoding": asdict(DECODING), **record}
    (folder / HEAD_CONFIG).write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")


def read_records(path: Path) -> list[dict]:
    """The (article, annotator) records of a polnear_<split>.jsonl."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def train(records: list[dict], detector, settings: Settings = Settings(),
          log: Callable[[str], None] = print) -> HeadNet:
    examples: dict[str, Example] = {}
    data = []
    for record in records:
        if record["article"] not in examples:
            examples[record["article"]] = encode(detector, record["text"])
        data += sequences(examples[record["article"]], record["attributions"])
    log(f"  {len(examples)} articles, {len(records)} records, {len(data)} windows")
    return fit(data, settings, log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with polnear_train.jsonl")
    parser.add_argument("--model", type=Path, required=True, help="technique model folder (its states are read)")
    parser.add_argument("--write", action="store_true", help="write attribution.onnx/.json into --model")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    records = read_records(args.data / "polnear_train.jsonl")
    started = time.perf_counter()
    net = train(records, fast.load_fast(args.model), Settings())
    record = {"trained": {"data": "PolNeAR train (every article and annotator)", "articles":
                          len({r["article"] for r in records}), "records": len(records),
                          "settings": asdict(Settings()), "date": date.today().isoformat(),
                          "seconds": round(time.perf_counter() - started)}}
    if args.write:
        export(net, args.model, record)
        print(f"wrote {args.model / HEAD_FILE} and {args.model / HEAD_CONFIG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fine-tuning the packaged MiniLM encoder end to end as an attribution tagger.

One softmax per word piece over `tags.TAG_NAMES` (BIO over content, source, cue) from a
linear head on the encoder's last layer. Articles are cut into windows of at most
`features.MAX_TOKENS` word pieces at sentence ends (parallax.techniques.encoding, as
features.TokenEncoder does) and each window is encoded as [CLS] window [SEP].

Training data is one window list per (article, annotator) record: an article that
several annotators labelled contributes each annotator's tags once, so the model learns
their average (the scorer also averages over annotators) instead of a union that would
nest and clash (tags.encode_tags keeps one tag per token).

`frozen` lower encoder layers can be kept fixed: their outputs are computed once per
window (`cache_lower`) and every epoch then runs only the top layers.

    net, tokenizer = load_base()
    windows = [w for r in records for w in article_windows(tokenizer, r["text"], r["attributions"])]
    fit(net, windows, Settings())
    offsets, probs = predict(net, tokenizer, text)    # probs [n_tokens, len(TAG_NAMES)]
    found = tags.decode(probs, offsets, text)          # [Decoded: content, source, cue, score]

Measured (bench/attribution_cv.py, 5-fold CV over the first 300 PolNeAR train articles,
F1@0.5 averaged over annotators): this recipe 0.582 (speakers 0.653) against the rules'
0.632; the rules plus its non-overlapping contents 0.649 (speakers 0.829). Training all 6
layers (frozen=0) is better at ~2.2x the cost: fold 1 0.622 (vs 0.571), fold 2 0.651 (vs
0.584); rules plus it 0.656 and 0.695 there (rules 0.609, 0.680).
"""
from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn
from transformers import BertConfig, BertModel

from parallax.embeddings import encoder_path
from parallax.nlp.attribution.features import MAX_TOKENS
from parallax.nlp.attribution.tags import TAG_NAMES, Offsets, encode_tags
from parallax.techniques.encoding import make_windows
from parallax.techniques.fast import tokenize
from parallax.techniques.train import cache_lower as cache_lower_states
from parallax.techniques.train import linear_schedule, top_layers

IGNORE = -100  # cross-entropy target of [CLS], [SEP] and padding


@dataclass
class Settings:
    """Training recipe (see bench/attribution_cv.py for the figures behind the defaults)."""

    epochs: int = 3
    batch: int = 8
    encoder_lr: float = 1e-4  # MiniLM wants more than BERT-base's 2e-5 (as techniques/train.py)
    head_lr: float = 1e-3
    warmup: float = 0.06
    weight_decay: float = 0.01
    # Lower encoder layers kept fixed (outputs cached once): 3 of 6 makes an epoch ~2.5x
    # cheaper (141 s vs ~350 s for 240 articles on one thread); all 6 was not measured.
    frozen: int = 3
    seed: int = 13


@dataclass
class Window:
    ids: list[int]
    tags: list[int]  # one per id (targets); empty at inference
    lower: torch.Tensor | None = field(default=None, repr=False)  # cached frozen-layer output [len + 2, H]


class Tagger(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.encoder = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.head = nn.Linear(config.hidden_size, len(TAG_NAMES))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Tag logits [B, T, len(TAG_NAMES)]."""
        states = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        return self.head(self.dropout(states))

    def top_forward(self, lower: torch.Tensor, mask: torch.Tensor, frozen: int) -> torch.Tensor:
        """Tag logits from the output of the `frozen` lower layers, running only the others."""
        return self.head(self.dropout(top_layers(self.encoder, lower, mask, frozen)))


def load_tokenizer(folder: str | Path | None = None):
    """The encoder folder's fast tokenizer, without truncation or padding."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(encoder_path(folder) / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def load_base(folder: str | Path | None = None):
    """A tagger over the packaged MiniLM (random head) and its tokenizer."""
    from transformers.utils import logging as hf_logging

    root = encoder_path(folder)
    net = Tagger(BertConfig.from_pretrained(str(root)))
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the unused pooler weights are reported otherwise
    try:
        net.encoder = BertModel.from_pretrained(str(root), add_pooling_layer=False)
    finally:
        hf_logging.set_verbosity(verbosity)
    return net, load_tokenizer(folder)


def article_windows(tokenizer, text: str, attributions: list[dict] | None = None) -> list[Window]:
    """The article's windows, with gold tags when `attributions` (PolNeAR records') are given."""
    tokens = tokenize(text, tokenizer)
    tags = encode_tags(tokens.offsets, attributions) if attributions is not None else []
    return [Window(tokens.ids[s:e], tags[s:e]) for s, e in make_windows(text, tokens, MAX_TOKENS)]


def _special(tokenizer) -> tuple[int, int, int]:
    return tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]"), tokenizer.token_to_id("[PAD]")


def _batch(windows: list[Window], tokenizer):
    cls, sep, pad = _special(tokenizer)
    longest = max(len(w.ids) for w in windows) + 2
    ids = torch.full((len(windows), longest), pad, dtype=torch.long)
    mask = torch.zeros((len(windows), longest), dtype=torch.long)
    targets = torch.full((len(windows), longest), IGNORE, dtype=torch.long)
    for row, w in enumerate(windows):
        n = len(w.ids)
        ids[row, :n + 2] = torch.tensor([cls, *w.ids, sep])
        mask[row, :n + 2] = 1
        if w.tags:
            targets[row, 1:n + 1] = torch.tensor(w.tags)
    return ids, mask, targets


def cache_lower(net: Tagger, windows: list[Window], tokenizer, frozen: int) -> None:
    """Store each window's hidden states after the `frozen` lower layers (eval mode, fp16)."""
    cache_lower_states(net, windows, lambda chunk: _batch(chunk, tokenizer)[:2], frozen)


def _logits(net: Tagger, windows: list[Window], tokenizer, frozen: int):
    ids, mask, targets = _batch(windows, tokenizer)
    if not frozen:
        return net(ids, mask), targets
    lower = torch.zeros((len(windows), ids.shape[1], net.encoder.config.hidden_size))
    for row, w in enumerate(windows):
        lower[row, :w.lower.shape[0]] = w.lower.float()
    return net.top_forward(lower, mask, frozen), targets


def fit(net: Tagger, windows: list[Window], tokenizer, settings: Settings = Settings(),
        log: Callable[[str], None] = print, max_steps: int | None = None) -> list[float]:
    """Train in place (AdamW, linear warm-up and decay, clipped gradients); mean loss per epoch."""
    torch.manual_seed(settings.seed)
    order = random.Random(settings.seed)
    windows = list(windows)
    frozen = settings.frozen
    for name, param in net.encoder.named_parameters():
        param.requires_grad = not frozen or (name.startswith("encoder.layer.") and int(name.split(".")[2]) >= frozen)
    if frozen:
        cache_lower(net, windows, tokenizer, frozen)
    steps = math.ceil(len(windows) / settings.batch) * settings.epochs
    steps = min(steps, max_steps) if max_steps else steps
    optimizer = torch.optim.AdamW(
        [{"params": [p for p in net.encoder.parameters() if p.requires_grad], "lr": settings.encoder_lr},
         {"params": list(net.head.parameters()), "lr": settings.head_lr}], weight_decay=settings.weight_decay)
    scheduler = linear_schedule(optimizer, steps, settings.warmup)
    losses, step = [], 0
    for epoch in range(settings.epochs):
        net.train()
        order.shuffle(windows)
        started, total, count = time.perf_counter(), 0.0, 0
        for first in range(0, len(windows), settings.batch):
            if step >= steps:
                break
            logits, targets = _logits(net, windows[first:first + settings.batch], tokenizer, frozen)
            loss = nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=IGNORE)
            loss.backward()
            nn.utils.clip_grad_norm_([p for p in net.parameters() if p.requires_grad], 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step, total, count = step + 1, total + loss.item(), count + 1
        losses.append(total / max(1, count))
        log(f"  epoch {epoch + 1}/{settings.epochs}: loss {losses[-1]:.4f}, {count} steps, "
            f"{time.perf_counter() - started:.0f}s")
    net.eval()
    return losses


@torch.no_grad()
def predict(net: Tagger, tokenizer, text: str, batch: int = 8) -> tuple[Offsets, np.ndarray]:
    """The article's token offsets and tag probabilities [n_tokens, len(TAG_NAMES)]."""
    net.eval()
    tokens = tokenize(text, tokenizer)
    probs = np.zeros((len(tokens.ids), len(TAG_NAMES)), dtype=np.float32)
    spans = make_windows(text, tokens, MAX_TOKENS)
    for first in range(0, len(spans), batch):
        chunk = spans[first:first + batch]
        ids, mask, _ = _batch([Window(tokens.ids[s:e], []) for s, e in chunk], tokenizer)
        out = torch.softmax(net(ids, mask).float(), dim=-1).numpy()
        for row, (s, e) in enumerate(chunk):
            probs[s:e] = out[row, 1:1 + e - s]
    return tokens.offsets, probs

"""The fine-tuned attribution tagger, on a tiny randomly initialised BERT (no corpus, no
packaged weights; only the packaged tokenizer)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from transformers import BertConfig

from parallax.nlp.attribution import finetune as ft
from parallax.nlp.attribution.tags import TAG_NAMES, Decoding, begin, decode, inside

TEXT_A = 'The senator said that the budget would pass next week. "We have the votes," she added.'
TEXT_B = "Officials told reporters the bridge will reopen in May. Traffic was light on Tuesday."


def _attribution(text: str, source: str, cue: str, content: str) -> dict:
    def where(part: str) -> list[list[int]]:
        start = text.index(part)
        return [[start, start + len(part)]]

    return {"source": where(source), "cue": where(cue), "content": where(content)}


ARTICLES = [
    (TEXT_A, [_attribution(TEXT_A, "The senator", "said", "that the budget would pass next week"),
              _attribution(TEXT_A, "she", "added", "We have the votes")]),
    (TEXT_B, [_attribution(TEXT_B, "Officials", "told", "the bridge will reopen in May")]),
]


@pytest.fixture(scope="module")
def tokenizer():
    return ft.load_tokenizer()


def _tiny(tokenizer) -> ft.Tagger:
    torch.manual_seed(0)
    config = BertConfig(vocab_size=tokenizer.get_vocab_size(), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=512)
    return ft.Tagger(config)


def test_windows_carry_gold_tags(tokenizer):
    windows = ft.article_windows(tokenizer, *ARTICLES[0])
    assert len(windows) == 1 and len(windows[0].ids) == len(windows[0].tags)
    assert begin("content") in windows[0].tags and begin("source") in windows[0].tags
    assert ft.article_windows(tokenizer, TEXT_A)[0].tags == []  # inference windows


def test_cached_lower_layers_give_the_full_forward(tokenizer):
    net = _tiny(tokenizer).eval()
    windows = [w for text, gold in ARTICLES for w in ft.article_windows(tokenizer, text, gold)]
    ft.cache_lower(net, windows, tokenizer, frozen=1)
    full, _ = ft._logits(net, windows, tokenizer, frozen=0)
    top, _ = ft._logits(net, windows, tokenizer, frozen=1)
    mask = ft._batch(windows, tokenizer)[1].bool()
    assert torch.allclose(full[mask], top[mask], atol=1e-2)  # the cache is fp16


@pytest.mark.parametrize("frozen", [0, 1])
def test_training_lowers_the_loss_and_decodes_to_spans_in_the_text(tokenizer, frozen):
    net = _tiny(tokenizer)
    windows = [w for text, gold in ARTICLES for w in ft.article_windows(tokenizer, text, gold)]
    settings = ft.Settings(epochs=30, batch=2, encoder_lr=3e-3, head_lr=1e-2, warmup=0.0, frozen=frozen)
    losses = ft.fit(net, windows, tokenizer, settings, log=lambda _: None)
    assert losses[-1] < 0.5 * losses[0]
    for text, _ in ARTICLES:
        offsets, probs = ft.predict(net, tokenizer, text)
        assert probs.shape == (len(offsets), len(TAG_NAMES))
        assert np.allclose(probs.sum(1), 1.0, atol=1e-4)
        for found in decode(probs, offsets, text, Decoding(min_tokens=1)):
            assert all(0 <= s < e <= len(text) for s, e in found.content.fragments)
            assert found.source is None or 0 <= found.source.start < found.source.end <= len(text)
    offsets, probs = ft.predict(net, tokenizer, TEXT_B)
    found = decode(probs, offsets, TEXT_B, Decoding(min_tokens=1))
    assert any("bridge will reopen" in TEXT_B[f.content.start:f.content.end] for f in found)


def test_decode_links_each_content_to_the_nearest_source():
    text = "Ann said the plan works well today."
    offsets = [(0, 3), (4, 8), (9, 12), (13, 17), (18, 23), (24, 28), (29, 34)]
    probs = np.zeros((len(offsets), len(TAG_NAMES)), dtype=np.float32)
    probs[0, begin("source")] = 1
    probs[1, 0] = 1
    probs[2, begin("content")] = 1
    probs[3:, inside("content")] = 1
    [found] = decode(probs, offsets, text, Decoding(min_tokens=2))
    assert text[found.content.start:found.content.end] == "the plan works well today"
    assert found.source is not None and text[found.source.start:found.source.end] == "Ann"
    assert found.cue is None and found.score == 1.0
    assert decode(probs[:0], [], "") == []

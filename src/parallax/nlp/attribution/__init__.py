"""A learned attribution (quote) tagger: token tags over encoder states, decoded to spans.

This package is a measurement aid for now (bench/attribution_cv.py): nothing in the
pipeline imports it, and no model file is shipped.

    tags.encode_tags(offsets, attributions) -> one tag per token (BIO over content, source, cue)
    tags.decode_spans(tags, offsets) -> {role: [Span]}, spans as character fragments
    folds.article_folds(articles, k, seed) -> k disjoint lists of article ids
    features.TokenEncoder(...).encode(text) -> (offsets, token states)
    finetune.fit(net, windows, tokenizer) / predict(...) / decode(...) -> the MiniLM
        encoder fine-tuned end to end as the tagger (torch), and its contents + speakers
"""
from __future__ import annotations

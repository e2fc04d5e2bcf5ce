"""The learned attribution tagger: a small BiLSTM over the technique network's token states.

The technique detector (parallax.techniques.fast) already runs its fine-tuned MiniLM over
every article. This head reads what that pass leaves, each word piece's last-layer state
and its 15 technique probabilities, and tags every word piece BIO over content, source
and cue (tags.py). Learned attributions therefore cost no second encoder pass: the head
takes ~14 ms an article of 1,100 word pieces, beside ~160 ms for the technique pass itself
(one thread). It is trained by `head_train` on PolNeAR train and must be retrained
whenever the technique encoder changes (its states are its input).

Files, in the technique model's folder beside encoder.onnx:
- `attribution.onnx`: the head (float32), input `features` [1, T, 399], output `probs`
  [1, T, 7] (softmax over tags.TAG_NAMES);
- `attribution.json`: the decoding settings and how the head was trained.

    head = load_head(folder)                         # None when the folder has no head
    quotes = find_attributions(head, text, encoded)  # [Quote] candidates, speakers unnamed

The candidates are not shown as they are: nlp.quotes.learned keeps those the rules do not
cover and names their speakers as the rules do.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from parallax import onnx_bert
from parallax.errors import ModelError
from parallax.model import Cue, Quote, Speaker
from parallax.nlp.attribution.ranker import Ranker, load_ranker
from parallax.nlp.attribution.tags import TAG_NAMES, Decoding, TagProbs, decode

HEAD_FILE, HEAD_CONFIG = "attribution.onnx", "attribution.json"
INPUT, OUTPUT = "features", "probs"
INDIRECT = "indirect"  # learned contents are reported material, marks or not


@dataclass
class AttributionHead:
    """A loaded head: its ONNX session, decoding settings and attribution.json."""

    session: Any  # onnxruntime.InferenceSession
    decoding: Decoding
    config: dict
    ranker: Ranker | None = None


@dataclass(frozen=True)
class Learned:
    """What the head leaves for the quote extractor: its contents, the tag probabilities
    they were decoded from and the ranker that reads them (None: no ranker shipped).
    `start`/`end` span the text, so it passes between components as a one-item layer."""

    start: int
    end: int
    text: str
    candidates: list[Quote]
    tags: TagProbs
    decoding: Decoding
    ranker: Ranker | None
    # The contents down to the low mean P(content) the ranker reads (candidates are those
    # of them reaching the decoding's own min_score).
    low: list[Quote]


def learned_from_tags(text: str, tags: TagProbs, decoding: Decoding, ranker: Ranker | None,
                      low_score: float) -> Learned:
    """The head's output from its tag probabilities: one decoding down to `low_score`
    serves both lists, as min_score only filters what the same runs give."""
    low = candidates_from_probs(tags.probs, tags.offsets, text,
                                replace(decoding, min_score=min(low_score, decoding.min_score)))
    return Learned(0, len(text), text, [q for q in low if q.score >= decoding.min_score], tags, decoding,
                   ranker, low)


def window_features(encoded) -> list[np.ndarray]:
    """The head's input, one array [T, H + 15] per window of an article run through the
    technique network (`encoded`: a fast.Encoded): the word pieces' states (without [CLS]
    and [SEP]) beside their technique probabilities."""
    return [np.hstack([states[1:-1], encoded.token_probs[start:end]]).astype(np.float32)
            for (start, end), states in zip(encoded.windows, encoded.states)]


def load_head(folder: str | Path, threads: int = 1) -> AttributionHead | None:
    """The head in `folder`, or None when the folder has none (rules-only attributions).

    Raises ModelError if the files are there but unusable."""
    folder = Path(folder)
    model, settings = folder / HEAD_FILE, folder / HEAD_CONFIG
    if not model.is_file() and not settings.is_file():
        return None
    try:
        config = json.loads(settings.read_text(encoding="utf-8"))
        if tuple(config["tags"]) != TAG_NAMES:
            raise ValueError(f"its tags {config['tags']} differ from {list(TAG_NAMES)}")
        decoding = Decoding(**config.get("decoding", {}))
        session = onnx_bert.make_session(model.read_bytes(), threads)
    except Exception as error:  # missing file, bad JSON, other tags or settings, bad ONNX graph
        raise ModelError(f"{folder}: unusable attribution head ({error}); expected {HEAD_FILE} and "
                         f"{HEAD_CONFIG} written by `python -m parallax.nlp.attribution.head_train`") from error
    return AttributionHead(session, decoding, config, load_ranker(folder))


def tag_probs(head: AttributionHead, encoded) -> np.ndarray:
    """Tag probabilities [n_tokens, 7] of an article run through the technique network
    (`encoded`: a fast.Encoded: windows, per-window states, token probabilities)."""
    probs = np.zeros((len(encoded.tokens.ids), len(TAG_NAMES)), dtype=np.float32)
    for (start, end), features in zip(encoded.windows, window_features(encoded)):
        probs[start:end] = head.session.run([OUTPUT], {INPUT: features[None]})[0][0]
    return probs


def candidates_from_probs(probs: np.ndarray, offsets, text: str, decoding: Decoding = Decoding()) -> list[Quote]:
    """Tag probabilities decoded (tags.decode) into content spans as indirect Quotes scored
    by their mean P(content), with the nearest source as an unnamed Speaker and the
    nearest cue."""
    quotes = []
    for found in decode(probs, offsets, text, decoding):
        source, cue = found.source, found.cue
        quotes.append(Quote(
            found.content.start, found.content.end, INDIRECT, round(found.score, 4),
            speaker=Speaker("", source.start, source.end) if source else None,
            cue=Cue(text[cue.start:cue.end], cue.start, cue.end) if cue else None))
    return quotes


def find_attributions(head: AttributionHead, text: str, encoded) -> Learned:
    """The head's candidate attributions in `text` (candidates_from_probs), with the tag
    probabilities and ranker the quote extractor reads."""
    tags = TagProbs(encoded.tokens.offsets, tag_probs(head, encoded))
    low_score = head.ranker.low_score if head.ranker is not None else head.decoding.min_score
    return learned_from_tags(text, tags, head.decoding, head.ranker, low_score)


__all__ = ["HEAD_CONFIG", "HEAD_FILE", "AttributionHead", "Learned", "candidates_from_probs", "find_attributions", "learned_from_tags",
           "load_head", "tag_probs",
           "window_features"]

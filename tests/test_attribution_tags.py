"""BIO tags of the learned attribution tagger: token tags -> character spans, and back."""
from __future__ import annotations

import numpy as np
import pytest

from parallax.nlp.attribution.tags import (OUTSIDE, TAG_NAMES, Decoding, begin, decode, decode_content, decode_spans,
                                           encode_tags, inside, nearest)

B_C, I_C = begin("content"), inside("content")
B_S, I_S = begin("source"), inside("source")
B_Q = begin("cue")
O = OUTSIDE
# Eight one-character tokens two characters apart: token i covers [2i, 2i + 1).
OFFSETS = [(2 * i, 2 * i + 1) for i in range(8)]


@pytest.mark.parametrize("tags, expected", [
    ([O] * 8, {}),
    ([B_C, I_C, I_C, O, O, O, O, O], {"content": [[(0, 5)]]}),
    # two B's in a row: two spans
    ([B_C, I_C, B_C, I_C, O, O, O, O], {"content": [[(0, 3)], [(4, 7)]]}),
    # an I after a short gap continues the span as a second fragment ("A," he said. "B.")
    ([B_C, I_C, O, B_S, B_Q, I_C, I_C, O],
     {"content": [[(0, 3), (10, 13)]], "source": [[(6, 7)]], "cue": [[(8, 9)]]}),
    # an I with no span before it opens one
    ([O, I_C, I_C, O, O, O, O, O], {"content": [[(2, 5)]]}),
    # roles are decoded independently
    ([B_S, I_S, B_Q, B_C, I_C, I_C, I_C, I_C],
     {"source": [[(0, 3)]], "cue": [[(4, 5)]], "content": [[(6, 15)]]}),
])
def test_decode_spans(tags, expected):
    spans = decode_spans(tags, OFFSETS)
    got = {role: [s.fragments for s in found] for role, found in spans.items() if found}
    assert got == expected


def test_a_long_gap_opens_a_new_span():
    tags = [B_C, O, O, O, I_C, O, O, O]
    assert [s.fragments for s in decode_spans(tags, OFFSETS, max_gap=2)["content"]] == [[(0, 1)], [(8, 9)]]
    assert [s.fragments for s in decode_spans(tags, OFFSETS, max_gap=3)["content"]] == [[(0, 1), (8, 9)]]


def test_encode_then_decode_round_trips_a_discontinuous_attribution():
    attribution = {"content": [[0, 3], [10, 13]], "source": [[6, 7]], "cue": [[8, 9]]}
    tags = encode_tags(OFFSETS, [attribution])
    assert tags == [B_C, I_C, O, B_S, B_Q, I_C, I_C, O]
    assert decode_spans(tags, OFFSETS)["content"][0].fragments == [(0, 3), (10, 13)]


def test_nested_attribution_keeps_the_outer_content():
    outer = {"content": [[0, 15]], "source": [], "cue": []}
    inner = {"content": [[6, 9]], "source": [[2, 3]], "cue": [[4, 5]]}
    assert encode_tags(OFFSETS, [inner, outer]) == [B_C] + [I_C] * 7


def test_nearest_source_within_distance():
    spans = decode_spans([B_S, O, O, B_C, I_C, O, O, B_S], OFFSETS)
    content = spans["content"][0]
    assert nearest(content, spans["source"], max_distance=10).fragments == [(0, 1)]
    assert nearest(content, spans["source"], max_distance=2) is None


@pytest.mark.parametrize("inside_probs, begin_probs, text, expected", [
    # a one-token hole is bridged
    ([.9, .9, .1, .9, .9, .1, .1, .1], [0] * 8, "x" * 16, [[(0, 9)]]),
    # ... unless the token after it is likely a new content (B)
    ([.9, .9, .1, .9, .9, .1, .1, .1], [0, 0, 0, .8, 0, 0, 0, 0], "x" * 16, [[(0, 3)], [(6, 9)]]),
    # ... or the hole holds a line break
    ([.9, .9, .1, .9, .9, .1, .1, .1], [0] * 8, "xxxx\nxxxxxxxxxxx", [[(0, 3)], [(6, 9)]]),
    # nothing above the threshold
    ([.2] * 8, [0] * 8, "x" * 16, []),
])
def test_decode_content(inside_probs, begin_probs, text, expected):
    spans = decode_content(inside_probs, begin_probs, OFFSETS, text, max_gap=2, min_tokens=2)
    assert [s.fragments for s in spans] == expected


@pytest.mark.parametrize("content_p, min_score, kept", [
    (0.9, 0.65, True),
    (0.6, 0.65, False),  # above the 0.5 run threshold, below the shown score
    (0.6, 0.0, True),
])
def test_decode_drops_contents_below_the_minimum_mean_score(content_p, min_score, kept):
    text = "Ann said the plan works well today."
    offsets = [(0, 3), (4, 8), (9, 12), (13, 17), (18, 23), (24, 28), (29, 34)]
    probs = np.zeros((len(offsets), len(TAG_NAMES)), dtype=np.float32)
    probs[:2, OUTSIDE] = 1
    probs[2:, inside("content")] = content_p
    probs[2:, OUTSIDE] = 1 - content_p
    found = decode(probs, offsets, text, Decoding(min_tokens=2, min_score=min_score))
    assert [text[f.content.start:f.content.end] for f in found] == (["the plan works well today"] if kept else [])
    assert all(f.score == pytest.approx(content_p) for f in found)

"""Framing of shared quotes, the cue-verb lexicon and loaded terms in an outlet's own voice."""
from __future__ import annotations

import pytest

from parallax.comparison.framing import frame_side, framing, loaded_terms
from parallax.comparison.lexicon import cue_lemma, cue_tone
from parallax.model import Link, Ref
from test_compare_fixtures import make


@pytest.mark.parametrize("cue, lemma, tone", [
    ({"text": "said"}, "say", "neutral"),
    ({"text": "told"}, "tell", "neutral"),
    ({"text": "claimed"}, "claim", "loaded"),
    ({"text": "insisted"}, "insist", "loaded"),
    ({"text": "admits"}, "admit", "loaded"),
    ({"text": "slammed", "lemma": "slam"}, "slam", "loaded"),
    ({"text": "mumbled"}, "mumbled", ""),
    (None, "", ""),
])
def test_cue_lexicon(cue, lemma, tone):
    assert cue_lemma(cue) == lemma
    assert cue_tone(cue) == tone


QUOTE = "Instead of pursuing peace, Russia and Assad make war."
NEUTRAL = make(f'"{QUOTE}" Power said on Sunday.', "wire",
               quotes=[(QUOTE, "direct", "Samantha Power", "said")])
HOSTILE = make(f'In a so-called debate, the regime\'s critic made unsubstantiated allegations. "{QUOTE}" claimed Power, '
               'ignoring the "moderate" rebels.', "blog",
               quotes=[(QUOTE, "direct", "Samantha Power", "claimed"), ("moderate", "scare", None, None)])


def test_frame_side_reads_cue_hedges_scare_quotes_and_loaded_words():
    start = HOSTILE.text.index(QUOTE)
    side = frame_side(HOSTILE, 1, start, start + len(QUOTE))
    assert side["cue"]["text"] == "claimed" and side["cue_tone"] == "loaded"
    assert [s["text"] for s in side["scare_quotes"]] == ["moderate"]
    # the cue "claimed" is the cue, not also a hedge; words in the quote itself ("war") are not the outlet's
    assert [h["text"] for h in side["hedges"]] == []
    neutral = frame_side(NEUTRAL, 0, 1, 1 + len(QUOTE))
    assert neutral["cue"]["text"] == "said" and neutral["cue_tone"] == "neutral"
    assert neutral["hedges"] == neutral["scare_quotes"] == neutral["loaded"] == []


def test_quote_groups_join_links_sharing_a_quote():
    from parallax.comparison.framing import quote_groups

    links = [Link("same_quote", Ref(0, 0, 50), Ref(1, 10, 60), 1.0),
             Link("same_fact", Ref(0, 100, 120), Ref(1, 100, 120), 0.6),
             Link("same_quote", Ref(0, 70, 80), Ref(1, 10, 60), 0.9),   # a partial of the same quote
             Link("same_quote", Ref(1, 10, 60), Ref(2, 5, 55), 1.0),    # the third outlet
             Link("same_quote", Ref(0, 200, 230), Ref(2, 300, 330), 1.0)]
    assert quote_groups(links) == [
        ([0, 2, 3], [(0, 0, 50), (0, 70, 80), (1, 10, 60), (2, 5, 55)]),
        ([4], [(0, 200, 230), (2, 300, 330)]),
    ]


def test_framing_has_one_entry_per_same_quote_link():
    a_start, b_start = NEUTRAL.text.index(QUOTE), HOSTILE.text.index(QUOTE)
    links = [Link("related", Ref(0, 0, 5), Ref(1, 0, 5), 0.4),
             Link("same_quote", Ref(0, a_start, a_start + len(QUOTE)), Ref(1, b_start, b_start + len(QUOTE)), 1.0)]
    entries = framing([NEUTRAL, HOSTILE], links)
    assert len(entries) == 1
    assert entries[0]["link"] == 1 and entries[0]["links"] == [1] and entries[0]["speaker"] == "Samantha Power"
    assert [s["cue"]["text"] for s in entries[0]["sides"]] == ["said", "claimed"]


def test_loaded_terms_are_only_the_outlets_own_words():
    terms = [(t["text"], t["kind"]) for t in loaded_terms(HOSTILE)]
    assert terms == [("so-called", "hedge"), ("regime", "loaded"), ("unsubstantiated", "hedge"),
                     ("allegations", "hedge")]
    quoted = make('"The regime is lying," Rycroft said.', quotes=[("The regime is lying,", "direct", "Matthew Rycroft", "said")])
    assert loaded_terms(quoted) == []

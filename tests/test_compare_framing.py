"""Framing of shared quotes, the cue-verb lexicon and loaded terms in an outlet's own voice."""
from __future__ import annotations

import pytest

from parallax.comparison.framing import frame_side, framing, loaded_terms
from parallax.comparison.lexicon import cue_lemma, cue_note, cue_tone
from parallax.model import RELATED, SAME_FACT, SAME_QUOTE, TERM_HEDGE, TERM_LOADED, TONE_LOADED, TONE_NEUTRAL, TONE_UNKNOWN, Cue, Link, Ref
from test_compare_fixtures import make


def _cue(text: str, lemma: str = "") -> Cue:
    return Cue(text, 0, len(text), lemma)


@pytest.mark.parametrize("cue, lemma, tone", [
    (_cue("said"), "say", TONE_NEUTRAL),
    (_cue("told"), "tell", TONE_NEUTRAL),
    (_cue("claimed"), "claim", TONE_LOADED),
    (_cue("insisted"), "insist", TONE_LOADED),
    (_cue("admits"), "admit", TONE_LOADED),
    (_cue("slammed", "slam"), "slam", TONE_LOADED),
    (_cue("according to", "according to"), "according_to", TONE_NEUTRAL),
    (_cue("mumbled"), "mumbled", TONE_UNKNOWN),
    (None, "", TONE_UNKNOWN),
])
def test_cue_lexicon(cue, lemma, tone):
    assert cue_lemma(cue) == lemma
    assert cue_tone(cue) == tone
    assert (cue_note(cue) is not None) == (tone == TONE_LOADED)


QUOTE = "Instead of pursuing peace, Russia and Assad make war."
NEUTRAL = make(f'"{QUOTE}" Power said on Sunday.', "wire",
               quotes=[(QUOTE, "direct", "Samantha Power", "said")])
HOSTILE = make(f'In a so-called debate, the regime\'s critic made unsubstantiated allegations. "{QUOTE}" claimed Power, '
               'ignoring the "moderate" rebels.', "blog",
               quotes=[(QUOTE, "direct", "Samantha Power", "claimed"), ("moderate", "scare", None, None)])


def test_frame_side_reads_cue_hedges_scare_quotes_and_loaded_words():
    start = HOSTILE.text.index(QUOTE)
    side = frame_side(HOSTILE, 1, start, start + len(QUOTE))
    assert side.cue.text == "claimed" and side.cue_tone == TONE_LOADED
    assert side.cue_note == "casts doubt on the statement (MOS:SAID)"
    assert [s.text for s in side.scare_quotes] == ["moderate"]
    # the cue "claimed" is the cue, not also a hedge; words in the quote itself ("war") are not the outlet's
    assert [h.text for h in side.hedges] == []
    assert side.text == QUOTE and side.sentence.text == HOSTILE.text[side.sentence.start:side.sentence.end]
    neutral = frame_side(NEUTRAL, 0, 1, 1 + len(QUOTE))
    assert neutral.cue.text == "said" and neutral.cue_tone == TONE_NEUTRAL and neutral.cue_note is None
    assert neutral.hedges == neutral.scare_quotes == neutral.loaded == []


def test_quote_groups_join_links_sharing_a_quote():
    from parallax.comparison.framing import quote_groups

    links = [Link(SAME_QUOTE, Ref(0, 0, 50), Ref(1, 10, 60), 1.0),
             Link(SAME_FACT, Ref(0, 100, 120), Ref(1, 100, 120), 0.6),
             Link(SAME_QUOTE, Ref(0, 70, 80), Ref(1, 10, 60), 0.9),   # a partial of the same quote
             Link(SAME_QUOTE, Ref(1, 10, 60), Ref(2, 5, 55), 1.0),    # the third outlet
             Link(SAME_QUOTE, Ref(0, 200, 230), Ref(2, 300, 330), 1.0)]
    assert quote_groups(links) == [
        ([0, 2, 3], [(0, 0, 50), (0, 70, 80), (1, 10, 60), (2, 5, 55)]),
        ([4], [(0, 200, 230), (2, 300, 330)]),
    ]


def test_framing_has_one_row_per_same_quote_group():
    a_start, b_start = NEUTRAL.text.index(QUOTE), HOSTILE.text.index(QUOTE)
    links = [Link(RELATED, Ref(0, 0, 5), Ref(1, 0, 5), 0.4),
             Link(SAME_QUOTE, Ref(0, a_start, a_start + len(QUOTE)), Ref(1, b_start, b_start + len(QUOTE)), 1.0)]
    (row,) = framing([NEUTRAL, HOSTILE], links)
    assert row.links == [1] and row.speaker == "Samantha Power" and row.quote == QUOTE
    assert [s.cue.text for s in row.sides] == ["said", "claimed"]


def test_framing_covers_a_same_quote_link_whose_ends_are_not_in_the_quote_layer():
    """Every same_quote link gets a row, even one joining text the quote layer does not hold
    (no cue, no speaker): the report renders rows, it never derives them."""
    links = [Link(SAME_QUOTE, Ref(0, 0, 10), Ref(1, 0, 10), 0.9)]
    (row,) = framing([NEUTRAL, HOSTILE], links)
    assert row.links == [0] and row.speaker is None
    assert [(s.article, s.cue, s.cue_tone, s.text) for s in row.sides] == [
        (0, None, TONE_UNKNOWN, NEUTRAL.text[:10]), (1, None, TONE_UNKNOWN, HOSTILE.text[:10])]


def test_loaded_terms_are_only_the_outlets_own_words():
    terms = [(t.text, t.kind) for t in loaded_terms(HOSTILE)]
    assert terms == [("so-called", TERM_HEDGE), ("regime", TERM_LOADED), ("unsubstantiated", TERM_HEDGE),
                     ("allegations", TERM_HEDGE)]
    quoted = make('"The regime is lying," Rycroft said.', quotes=[("The regime is lying,", "direct", "Matthew Rycroft", "said")])
    assert loaded_terms(quoted) == []

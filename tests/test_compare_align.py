"""Alignment: normalisation, quote relations, sentence scores and one-to-one matching."""
from __future__ import annotations

import numpy as np
import pytest

from parallax.comparison.align import (
    SAME_FACT_SCORE, align, idf_table, quote_relation, sentence_links, sentence_score,
)
from parallax.comparison.units import Unit, content_stems, normalise, quote_units, sentence_units, stem
from parallax.model import QUOTE_UNIT, RELATED, SAME_FACT, SAME_QUOTE, SENTENCE_UNIT, Span
from test_compare_fixtures import make


@pytest.mark.parametrize("text, expected", [
    ("What Russia is doing is not counter-terrorism,", "what russia is doing is not counterterrorism"),
    ("life-saving aid", "lifesaving aid"),
    ("hospitals, and first responders", "hospitals and first responders"),
    ("“Curly” ‘quotes’ — dashes", "curly quotes dashes"),
    ("When the convoy was hit [outside Aleppo], we", "when the convoy was hit we"),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize("word, expected", [
    ("bombing", "bomb"), ("bombed", "bomb"), ("bombs", "bomb"), ("collapse", "collaps"),
    ("collapsed", "collaps"), ("ambassadors", "ambassador"), ("stopped", "stop"), ("civilians", "civilian"),
])
def test_stem(word, expected):
    assert stem(word) == expected


def _quote(text: str, speaker: str | None = None, person: bool = True, context: str = "", article: int = 0,
           kind: str = "direct") -> Unit:
    return Unit(article, QUOTE_UNIT, Span(0, len(text), kind), text, normalise(text), content_stems(text),
                speaker=speaker, speaker_is_person=person and speaker is not None, context=context or text)


@pytest.mark.parametrize("a, b, expected", [
    # small wording differences: hyphens, punctuation, a comma before "and"
    (_quote("What Russia is sponsoring and doing is not counter-terrorism, it is barbarism,", "Samantha Power"),
     _quote("What Russia is sponsoring and doing is not counterterrorism, it is barbarism.", "Samantha Power"),
     SAME_QUOTE),
    (_quote("Instead of helping get life-saving aid to civilians, Russia and Assad are bombing the humanitarian "
            "convoys, hospitals and first responders", "Samantha Power"),
     _quote("Instead of helping get lifesaving aid to civilians, Russia and Assad are bombing the humanitarian "
            "convoys, hospitals, and first responders", "Power"),
     SAME_QUOTE),
    # a one-word partial quote inside the full quote, backed by its sentence's other words
    (_quote("barbarism,", "United States", person=False, kind="partial",
            context='the US slammed Russia\'s action in Syria as "barbarism," not counter-terrorism'),
     _quote("What Russia is sponsoring and doing is not counterterrorism, it is barbarism.", "Samantha Power"),
     SAME_QUOTE),
    # a paraphrased partial quote: the content words in order, with a word between them
    (_quote("is almost an impossible task now", "Moscow's U.N. envoy", person=False, kind="partial"),
     _quote("almost impossible", "Vitaly Churkin", kind="partial"), SAME_FACT),
    # the same words from two different people: only related (a slogan, or a misattribution)
    (_quote("We will not back down from this fight.", "Samantha Power"),
     _quote("We will not back down from this fight.", "Vitaly Churkin"), RELATED),
    # one common word inside a long quote is no evidence at all
    (_quote("important", None, kind="partial"),
     _quote("an important layer of security in schools", "Asa Hutchinson"), None),
    # one shared content word is a coincidence, not a paraphrase
    (_quote("should be dropped", None, kind="partial"),
     _quote("whether the Russia case will now be dropped", "Chris Farrell"), None),
    (_quote("Russia holds a permanent seat.", "Samantha Power"),
     _quote("The real war on terrorism has never started yet.", "Bashar Ja'afari"), None),
])
def test_quote_relation(a, b, expected):
    found = quote_relation(a, b, cosine=0.3)
    assert (found[0] if found else None) == expected


def test_quote_relation_vetoes_contained_fragment_of_another_speaker():
    fragment = _quote("war crimes", "Boris Johnson", kind="partial")
    full = _quote("Russia is partnering with the Syrian regime to carry out war crimes.", "Matthew Rycroft")
    assert quote_relation(fragment, full, 0.5)[0] == RELATED


WALKOUT_A = make(
    "Diplomats met in New York on Sunday. Power, Rycroft and French UN Ambassador Francois Delattre walked out "
    "of the chamber as Ja'afari spoke. Lavrov said the West was to blame.", "A",
    entities=[("Power", "PERSON", "Samantha Power"), ("French", "NORP", "French"), ("Lavrov", "PERSON", "Sergei Lavrov"),
              ("Ja'afari", "PERSON", "Bashar Ja'afari"), ("New York", "GPE", "New York")])
WALKOUT_B = make(
    "Power and the French and British UN ambassadors left the Security Council chamber as the Syrian ambassador "
    "spoke. The weather in New York was mild.", "B",
    entities=[("Power", "PERSON", "Samantha Power"), ("French", "NORP", "French"), ("British", "NORP", "British"),
              ("New York", "GPE", "New York")])


def _units_and_vectors(cosines: dict[tuple[int, int], float], sa: list[Unit], sb: list[Unit]) -> np.ndarray:
    matrix = np.full((len(sa), len(sb)), 0.2)
    for (i, j), value in cosines.items():
        matrix[i, j] = value
    return matrix


def test_sentence_links_pick_the_walkout_one_to_one():
    sa, sb = sentence_units(WALKOUT_A, 0), sentence_units(WALKOUT_B, 1)
    cos = _units_and_vectors({(1, 0): 0.61, (0, 0): 0.45, (2, 0): 0.3, (0, 1): 0.3}, sa, sb)
    idf = idf_table(sa + sb)
    links = sentence_links(sa, sb, cos, idf, [])
    same = [l for l in links if l.relation == SAME_FACT]
    assert len(same) == 1
    assert "walked out" in WALKOUT_A.text[same[0].a.start:same[0].a.end]
    assert same[0].evidence.entities == ["French", "Samantha Power"]
    assert same[0].evidence.unit == SENTENCE_UNIT and same[0].a.text == WALKOUT_A.snippet(same[0].a)
    assert same[0].score >= SAME_FACT_SCORE


def test_sentence_score_needs_more_than_topic_similarity():
    sa, sb = sentence_units(WALKOUT_A, 0), sentence_units(WALKOUT_B, 1)
    idf = idf_table(sa + sb)
    # the Lavrov sentence shares no one and no words with the walkout: same cosine, lower score
    assert sentence_score(sa[1], sb[0], 0.6, idf) > SAME_FACT_SCORE > sentence_score(sa[2], sb[0], 0.6, idf)


def test_align_skips_sentences_already_linked_by_their_quote():
    a = make('"Instead of pursuing peace, Russia and Assad make war," Power said.', "A",
             quotes=[("Instead of pursuing peace, Russia and Assad make war,", "direct", "Samantha Power", "said")],
             entities=[("Power", "PERSON", "Samantha Power"), ("Russia", "GPE", "Russia")])
    b = make('“Instead of pursuing peace, Russia and Assad make war,” claimed Power.', "B",
             quotes=[("Instead of pursuing peace, Russia and Assad make war,", "direct", "Samantha Power", "claimed")],
             entities=[("Power", "PERSON", "Samantha Power"), ("Russia", "GPE", "Russia")])
    quotes, sentences = [quote_units(a, 0), quote_units(b, 1)], [sentence_units(a, 0), sentence_units(b, 1)]
    units = [u for group in quotes + sentences for u in group]
    for row, unit in enumerate(units):
        unit.vector_row = row
    vectors = np.ones((len(units), 4)) / 2.0  # all cosines 1.0
    links = align(quotes, sentences, vectors)
    assert [l.relation for l in links] == [SAME_QUOTE]
    assert links[0].evidence.speaker is True and links[0].evidence.unit == QUOTE_UNIT
    assert links[0].evidence.ratio == 1.0


@pytest.mark.parametrize("names, expected", [
    ({"NRA", "N.R.A", "National Rifle Association"},
     {"NRA": "National Rifle Association", "N.R.A": "National Rifle Association"}),
    ({"FBI", "Federal Bureau of Investigation", "Power", "Samantha Power"},
     {"FBI": "Federal Bureau of Investigation", "Power": "Samantha Power"}),
    # ambiguous surnames and unknown acronyms stay as they are
    ({"Clinton", "Bill Clinton", "Hillary Clinton", "WSJ"}, {}),
])
def test_entity_aliases(names, expected):
    from parallax.comparison.units import entity_aliases

    assert entity_aliases(names) == expected

"""Conflicts: non-overlapping counts of the same thing, different causes of one event.

Sentence vectors are given by hand (unit vectors at chosen angles) so each case states
how similar the two sentences are; the real encoder is exercised in test_compare_seeds.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from parallax.comparison.conflicts import NumberSettings, cause_conflicts, conflict_links, number_conflicts
from parallax.model import CAUSE, CONFLICT, NUMBER, VERDICT_DIFFERENT_SCOPE, AlsoCause
from test_compare_fixtures import make


def vectors_with(similar: dict[str, float]):
    """vector(text): texts named in `similar` sit at cosine `value` to the reference
    direction; every other text is the reference direction itself."""
    def vector(text: str) -> np.ndarray:
        for needle, cosine in similar.items():
            if needle in text:
                return np.array([cosine, math.sqrt(1 - cosine ** 2)])
        return np.array([1.0, 0.0])
    return vector


HUNDREDS = make("Residents said hundreds of civilians have been killed in Aleppo since the truce fell apart.", "wsj",
                entities=[("Aleppo", "GPE", "Aleppo")],
                claims=[("Residents said", {"kind": "numeric", "quantities": [
                    {"text": "hundreds of civilians", "low": 200, "high": 999, "approximate": True, "unit": "civilian"}]})])


def _counted(text: str, phrase: str, low, high, unit: str = "civilian"):
    return make(text, "b", entities=[("Aleppo", "GPE", "Aleppo")],
                claims=[(text[:12], {"kind": "numeric", "quantities": [
                    {"text": phrase, "low": low, "high": high, "approximate": False, "unit": unit}]})])


@pytest.mark.parametrize("other, cosine, expected_topic", [
    (_counted("Between 26 and 43 civilians were reported killed in raids on Aleppo.", "Between 26 and 43", 26, 43),
     0.75, "civilians killed in Aleppo"),
    # a moderate sentence similarity is enough when the same event word follows both figures
    (_counted("Between 26 and 43 civilians were killed on Sunday in Aleppo.", "Between 26 and 43", 26, 43),
     0.5, "civilians killed in Aleppo"),
    # overlapping ranges agree
    (_counted("About 300 civilians were killed in Aleppo.", "About 300", 250, 350), 0.9, None),
    # an open-ended range ("over 100") overlaps "hundreds"
    (_counted("Over 100 civilians were killed in Aleppo.", "Over 100", 101, None), 0.9, None),
    # different counted things
    (_counted("Between 26 and 43 soldiers were killed in Aleppo.", "Between 26 and 43", 26, 43, "soldier"), 0.9, None),
    # the same noun in an unrelated sentence
    (_counted("Between 26 and 43 civilians queued for bread in Aleppo.", "Between 26 and 43", 26, 43), 0.3, None),
    # a similar sentence, but the words around the figures count different events
    (_counted("Between 26 and 43 civilians fled north from Aleppo.", "Between 26 and 43", 26, 43), 0.7, None),
])
def test_number_conflicts(other, cosine, expected_topic):
    found = number_conflicts([HUNDREDS, other], vectors_with({other.text[:12]: cosine}))
    assert [c.topic for c in found] == ([expected_topic] if expected_topic else [])
    if found:
        conflict = found[0]
        assert conflict.kind == NUMBER
        assert (conflict.a.low, conflict.a.high, conflict.a.text) == (200, 999, "hundreds of civilians")
        assert conflict.a.sentence.text == HUNDREDS.text
        assert 0 < conflict.score <= 1


COLLAPSE = make("The ceasefire collapsed last Monday when an aid convoy was bombed.", "zh",
                claims=[("The ceasefire", {"kind": "causal", "causal": {
                    "cause": "an aid convoy was bombed", "effect": "The ceasefire collapsed last Monday"}})])


def _cause(text: str, cause: str, effect: str):
    return make(text, "gr", claims=[(text[:10], {"kind": "causal", "causal": {"cause": cause, "effect": effect}})])


@pytest.mark.parametrize("other, similar, expected", [
    (_cause("The collapse of the ceasefire was triggered by US bombing of Syrian army positions.",
            "US bombing of Syrian army positions", "The collapse of the ceasefire"),
     {"US bombing": 0.45}, 1),
    # the same cause in other words: no conflict
    (_cause("The collapse of the ceasefire was triggered by the bombing of the aid convoy.",
            "the bombing of the aid convoy", "The collapse of the ceasefire"),
     {"the bombing of the aid convoy": 0.85}, 0),
    # a different event: no conflict whatever the causes
    (_cause("Prices rose because of the drought.", "the drought", "Prices rose"),
     {"the drought": 0.1, "Prices rose": 0.1}, 0),
    # a bare pronoun as cause cannot be compared
    (_cause("The ceasefire collapsed because of this.", "this", "The ceasefire collapsed"), {"this": 0.1}, 0),
])
def test_cause_conflicts(other, similar, expected):
    found = cause_conflicts([COLLAPSE, other], vectors_with(similar))
    assert len(found) == expected
    if found:
        assert found[0].kind == CAUSE
        assert found[0].topic.startswith("cause of ")
        assert found[0].a.text == "an aid convoy was bombed"
        assert found[0].a.effect.text == "The ceasefire collapsed last Monday"


def test_regression_figure_agreed_elsewhere_in_the_sentence_is_no_conflict():
    # BASIL (Pelosi): "picked up just six seats ... remain in the minority with 194 seats"
    # vs "They picked up just six seats": the 194 seats held are not a rival count of 6.
    a = make("Democrats picked up just six seats and remain in the minority with 194 seats.", "fox",
             claims=[("Democrats", {"kind": "numeric", "quantities": [
                 {"text": "six seats", "low": 6, "high": 6, "unit": "seat"},
                 {"text": "194 seats", "low": 194, "high": 194, "unit": "seat"}]})])
    b = make("They picked up just six seats in this election cycle.", "hpo",
             claims=[("They", {"kind": "numeric", "quantities": [{"text": "six seats", "low": 6, "high": 6, "unit": "seat"}]})])
    assert number_conflicts([a, b], vectors_with({})) == []


def test_attributed_cause_is_reported_beside_the_conflict():
    other = make("The collapse of the ceasefire was triggered by US bombing of Syrian army positions. Reports "
                 "routinely cite the aid convoy attack, which they attribute to Russia, as the cause of the "
                 "ceasefire breakdown.", "gr",
                 claims=[("The collapse", {"kind": "causal", "causal": {
                     "cause": "US bombing of Syrian army positions", "effect": "The collapse of the ceasefire"}})])
    # the attributed cause agrees with article 0's cause: no second conflict, but it is named
    found = cause_conflicts([COLLAPSE, other], vectors_with({"US bombing": 0.45}))
    assert len(found) == 1
    start = other.text.index("the aid convoy attack")
    assert found[0].b.also == [AlsoCause(start, start + 21, "the aid convoy attack", attributed=True)]
    assert "(as others' view)" in found[0].explanation


def test_conflict_links_point_at_the_two_sentences():
    other = _counted("Between 26 and 43 civilians were reported killed in raids on Aleppo.", "Between 26 and 43", 26, 43)
    links = conflict_links(number_conflicts([HUNDREDS, other], vectors_with({"Between": 0.75})))
    assert [(l.relation, l.a.article, l.a.start, l.b.article, l.b.start) for l in links] == [
        (CONFLICT, 0, 0, 1, 0)]
    assert links[0].b.end == len(other.text) and links[0].b.text == other.text
    assert (links[0].evidence.kind, links[0].evidence.numbers) == (NUMBER, ["hundreds of civilians", "Between 26 and 43"])


def test_regression_years_ago_is_not_a_count():
    # BASIL (Grimm): "began investigating Grimm two years ago" parsed with unit "ago"
    a = _counted("The inquiry began two years ago in Aleppo.", "two years ago", 2, 2, "ago")
    b = _counted("The inquiry began five years ago in Aleppo.", "five years ago", 5, 5, "ago")
    assert number_conflicts([a, b], vectors_with({})) == []


def test_regression_approximate_figures_within_a_tenth_agree():
    # BASIL hpo / fox 3ae35b16: "an estimated 800,000" and "more than 800,000" employees
    a = make("The shutdown forced an estimated 800,000 government employees to go without pay.", "hpo",
             claims=[("The shutdown", {"kind": "numeric", "quantities": [
                 {"text": "an estimated 800,000", "low": 800000, "high": 800000, "approximate": True,
                  "unit": "employee"}]})])
    b = make("The shutdown left more than 800,000 federal employees furloughed or working without pay.", "fox",
             claims=[("The shutdown", {"kind": "numeric", "quantities": [
                 {"text": "more than 800,000", "low": 800001, "high": None, "unit": "employee"}]})])
    assert number_conflicts([a, b], vectors_with({})) == []
    assert len(number_conflicts([a, b], vectors_with({}), settings=NumberSettings(tolerance=0.0))) == 1


def test_only_the_given_article_pairs_are_compared():
    other = _counted("Between 26 and 43 civilians were reported killed in raids on Aleppo.", "Between 26 and 43",
                     26, 43)
    vector = vectors_with({"Between": 0.75})
    assert len(number_conflicts([HUNDREDS, other], vector, pairs=[(1, 0)])) == 1
    assert number_conflicts([HUNDREDS, other], vector, pairs=[]) == []
    assert cause_conflicts([COLLAPSE, other], vector, pairs=[]) == []


def test_number_sides_carry_their_qualifiers_attribution_and_a_verdict():
    # the seeds' casualty figures, shortened: a week against a day
    other = make("Clashes intensified Sunday. Between 26 and 43 civilians were reported killed in raids on Aleppo.",
                 "gr", entities=[("Aleppo", "GPE", "Aleppo")],
                 claims=[("Between 26", {"kind": "numeric", "quantities": [
                     {"text": "Between 26 and 43", "low": 26, "high": 43, "unit": "civilian"}]})])
    (conflict,) = number_conflicts([HUNDREDS, other], vectors_with({"Between": 0.75}))
    assert [(q.kind, q.text) for q in conflict.a.qualifiers] == [
        ("place", "in Aleppo"), ("time", "since the truce fell apart")]
    assert (conflict.a.attribution.kind, conflict.a.attribution.name) == ("speaker", "Residents")
    assert [(q.text, q.inherited) for q in conflict.b.qualifiers if q.kind == "time"] == [("Sunday", True)]
    assert conflict.b.attribution.kind == "outlet"
    assert (conflict.verdict, conflict.verdict_reason) == (
        VERDICT_DIFFERENT_SCOPE, "different periods: 'since the truce fell apart' vs 'Sunday'")
    assert conflict.explanation.endswith("different periods: 'since the truce fell apart' vs 'Sunday'")
    assert conflict_links([conflict])[0].evidence.verdict == VERDICT_DIFFERENT_SCOPE

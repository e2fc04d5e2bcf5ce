"""Time, place and population qualifiers of a figure, on real sentences (source named).

BASIL: Fan et al. (EMNLP 2019), ../shared/data/basil, cited by outlet and triplet prefix;
the seeds: examples/seeds.
"""
from __future__ import annotations

import pytest

from parallax.comparison.qualifiers import qualifiers, time_qualifiers
from parallax.model import QUALIFIER_PLACE, QUALIFIER_POPULATION, QUALIFIER_TIME, Quantity
from test_compare_fixtures import make, quantity


@pytest.mark.parametrize("sentence, expected", [
    # the seeds, ZeroHedge: a cumulative period; "last week" inside it is not a second one
    ("residents said hundreds of civilians have been killed since a cease-fire fell apart last week.",
     [("since a cease-fire fell apart last week", "since")]),
    # the seeds, Global Research: a bare weekday
    ("Clashes intensified throughout the country Sunday.", [("Sunday", "day")]),
    # BASIL hpo 79bf99c6 (Pelosi)
    ("House Democrats have also lost nearly 60 seats over the past six years.",
     [("over the past six years", "span")]),
    # BASIL fox 79bf99c6: an event and a month
    ("Democrats, who had high hopes of significant gains in the election, picked up just six seats on Election "
     "Day earlier this month and remain in the minority with 194 seats.",
     [("on Election Day", "event"), ("earlier this month", "month")]),
    # BASIL hpo 79bf99c6
    ("They picked up just six seats in this election cycle \u2015 far fewer than expected.",
     [("in this election cycle", "event")]),
    # BASIL fox 79bf99c6: the year is relative, so it has no value
    ("Republicans are on track to hold at least 240 seats in the House next year.", [("next year", "year")]),
    # BASIL fox 4f473faf: a named year is compared by value
    ("Aside from Indiana, 15 other states have introduced legislation in 2015 to craft or alter their religious "
     "freedom laws.", [("in 2015", "year 2015")]),
    # BASIL fox 79bf99c6: a date with its day ("Nov." is a month, not a sentence end)
    ("The 76-year-old Pelosi, in the months prior to the Nov. 8 elections, repeatedly vowed that her party would "
     "retake control of the lower chamber, despite needing to gain roughly 35 seats.", [("Nov. 8", "day nov 8")]),
    # BASIL hpo 3ae35b16: a duration
    ("The stalemate caused a record-breaking partial government shutdown that forced an estimated 800,000 "
     "government employees to go without pay for 35 days.", [("for 35 days", "span")]),
    # BASIL nyt 84b3c118: a clock time bounds nothing a count depends on
    ("Mr. Trump took the 35-word oath administered by Chief Justice John G. Roberts Jr. precisely at noon.", []),
    # "May" is a month only before a day or a year
    ("The Senate may vote on it, aides said.", []),
])
def test_time_qualifiers(sentence, expected):
    assert [(q.text, q.key) for q in time_qualifiers(sentence, 0, len(sentence))] == expected


GLOBAL_RESEARCH = ("Clashes intensified throughout the country Sunday. Between 26 and 43 civilians were reported "
                   "killed in bombing raids on eastern Aleppo, which is controlled by anti-Assad forces dominated by "
                   "al-Nusra.")


def _claim_of(analysis, figure: str, unit: str) -> tuple[Quantity, object]:
    found = quantity(analysis.text, figure, 1, 1, unit)
    sentence = next(s for s in analysis.sentences if s.start <= found.start < s.end)
    return found, sentence


def test_a_sentence_without_a_time_takes_the_one_before_it_in_the_paragraph():
    analysis = make(GLOBAL_RESEARCH, "gr", entities=[("Aleppo", "GPE", "Aleppo")])
    figure, sentence = _claim_of(analysis, "Between 26 and 43", "civilian")
    found = qualifiers(analysis, figure, sentence)
    assert [(q.kind, q.text, q.key, q.inherited) for q in found] == [
        (QUALIFIER_TIME, "Sunday", "day", True), (QUALIFIER_PLACE, "on eastern Aleppo", "Aleppo", False)]
    assert all(analysis.text[q.start:q.end] == q.text for q in found)


def test_no_time_is_taken_across_a_paragraph_break():
    analysis = make(GLOBAL_RESEARCH.replace("Sunday. ", "Sunday.\n\n"), "gr")
    figure, sentence = _claim_of(analysis, "Between 26 and 43", "civilian")
    assert [q for q in qualifiers(analysis, figure, sentence) if q.kind == QUALIFIER_TIME] == []


@pytest.mark.parametrize("text, figure, unit, entities, expected", [
    # BASIL hpo 58f414e5: a place a locative preposition introduces, a few words away
    ("Six people, including two congressmen, two police officers, a congressional aide and a lobbyist, were "
     "injured in the attack in an Alexandria, Virginia, park.", "Six", "people",
     [("Alexandria", "GPE", "Alexandria")], [(QUALIFIER_PLACE, "in an Alexandria", "Alexandria")]),
    # the seeds, ZeroHedge: a place that acts ("Syria ... pressed") is not where something happened
    ("According to the WSJ, Syria and its Russian allies pressed an assault on Aleppo.", "Syria", "",
     [("Syria", "GPE", "Syria"), ("Aleppo", "GPE", "Aleppo")], [(QUALIFIER_PLACE, "on Aleppo", "Aleppo")]),
    # BASIL nyt 70c75d68: whom the figure counts
    ("WASHINGTON \u2014 President Trump offered Democrats a deal: temporary protections for roughly 700,000 young "
     "undocumented immigrants in exchange for $5.7 billion in funding for a wall along the southern border.",
     "roughly 700,000", "immigrant", [],
     [(QUALIFIER_POPULATION, "young", "young"), (QUALIFIER_POPULATION, "undocumented", "undocumented")]),
    # BASIL nyt 0d10341a
    ("With the partial government funding lapse dragging into its 12th day and affecting 800,000 federal "
     "employees, the confrontation in the Situation Room only served to highlight the depth of the divide.",
     "800,000", "employee", [], [(QUALIFIER_POPULATION, "federal", "federal")]),
    # BASIL hpo 526cabb7: "of" and "other" say nothing about whom
    ("Because these recommendations require congressional approval, the administration is supplementing its "
     "proposal with 23 executive actions that will be taken immediately.", "23", "action", [],
     [(QUALIFIER_POPULATION, "executive", "executive")]),
])
def test_place_and_population_qualifiers(text, figure, unit, entities, expected):
    analysis = make(text, "x", entities=entities)
    found, sentence = _claim_of(analysis, figure, unit)
    got = [(q.kind, q.text, q.key) for q in qualifiers(analysis, found, sentence) if q.kind != QUALIFIER_TIME]
    assert got == expected

"""Who gives a figure, and the verdict on two figures that disagree, on real sentences.

BASIL: Fan et al. (EMNLP 2019), ../shared/data/basil, cited by outlet and triplet prefix;
PolNeAR: Newell et al. (LREC 2018), ../shared/data/polnear/polnear_train.jsonl, cited by
article; the seeds: examples/seeds.
"""
from __future__ import annotations

import pytest

from parallax.comparison.attribution import attribution, same_name
from parallax.comparison.qualifiers import qualifiers
from parallax.comparison.verdicts import verdict
from parallax.model import (
    BY_ACCORDING_TO, BY_OUTLET, BY_SPEAKER, VERDICT_CONFLICT, VERDICT_DIFFERENT_SCOPE, VERDICT_DIFFERENT_SOURCE,
    ConflictSide, Phrase,
)
from test_compare_fixtures import make, quantity

ZEROHEDGE = ("According to the WSJ, Syria and its Russian allies pressed an assault on Aleppo amid what the United "
             "Nations called the most intense bombing in years of warfare there, and residents said hundreds of "
             "civilians have been killed since a cease-fire fell apart last week.")
GLOBAL_RESEARCH = ("Clashes intensified throughout the country Sunday. Between 26 and 43 civilians were reported "
                   "killed in bombing raids on eastern Aleppo, which is controlled by anti-Assad forces dominated by "
                   "al-Nusra.")
ALEPPO = [("Aleppo", "GPE", "Aleppo")]


def side(text: str, figure: str, unit: str = "", outlet: str = "outlet", entities=(), quotes=()) -> ConflictSide:
    """A number conflict's side for `figure` in `text`, built as comparison.conflicts builds it."""
    analysis = make(text, outlet, entities=entities, quotes=quotes)
    found = quantity(text, figure, 1, 1, unit)
    sentence = next(s for s in analysis.sentences if s.start <= found.start < s.end)
    where = Phrase(sentence.start, sentence.end, analysis.snippet(sentence))
    return ConflictSide(0, found.start, found.end, figure, where,
                        qualifiers=qualifiers(analysis, found, sentence),
                        attribution=attribution(analysis, sentence, found.start, found.end, outlet))


@pytest.mark.parametrize("text, figure, kind, name, via", [
    # the seeds, ZeroHedge: the nearest credit before the figure, an outer one as `via`
    (ZEROHEDGE, "hundreds", BY_SPEAKER, "residents", "the WSJ"),
    # the seeds, Global Research: a passive "were reported" credits nobody
    (GLOBAL_RESEARCH, "Between 26 and 43", BY_OUTLET, "outlet", None),
    # BASIL hpo 3ae35b16: the credit after the figure
    ("That will buy the administration some 234 miles of border wall, a senior administration official told "
     "reporters Friday.", "some 234", BY_SPEAKER, "a senior administration official", None),
    # BASIL nyt 526cabb7: a relative clause on the speaker
    ("WASHINGTON \u2014 President Obama this week will embrace a comprehensive plan to reduce gun violence that will "
     "call for major legislation to expand background checks for gun purchases and lay out 19 separate actions the "
     "president could take by invoking the power of his office, lawmakers who were briefed on the plan said Monday.",
     "19", BY_SPEAKER, "lawmakers", None),
    # BASIL hpo 576116e5
    ("As of April, 35 million seniors received Social Security retirement benefits averaging $1,179 a month, "
     "according to the program's latest monthly snapshot.", "35 million", BY_ACCORDING_TO,
     "the program's latest monthly snapshot", None),
    # BASIL hpo 576116e5: the name before an apposition
    ("The Center on Budget and Policy Priorities, a progressive Washington think tank, estimates that Social "
     "Security keeps 13 million elderly Americans out of poverty.", "13 million", BY_SPEAKER,
     "The Center on Budget and Policy Priorities", None),
    # PolNeAR wash-post_2015-11-10_opposition-appears-to-win-landsl
    ("Win Htein, a member of the NLD's central executive committee, said Tuesday morning that according to its "
     "analysis, the NLD has won 82 percent of the nationwide vote.", "82 percent", BY_ACCORDING_TO, "its analysis",
     "Win Htein"),
    # PolNeAR breitbart_2015-12-20_republican-donor-adelson-and-tru
    ("The latest Reuters/Ipsos poll showed Trump leading the field with support of 31 percent of Republican "
     "voters.", "31 percent", BY_SPEAKER, "The latest Reuters/Ipsos poll", None),
    # BASIL nyt 1f99798f: a figure inside the subject is what is reported, not who reports it
    ("The package was found in Florida, which two people briefed on the matter have said has become a focus of "
     "the investigation.", "two", BY_OUTLET, "outlet", None),
])
def test_attribution(text, figure, kind, name, via):
    by = side(text, figure).attribution
    assert (by.kind, by.name, by.via.text if by.via else None) == (kind, name, via)
    for phrase in (by.mention, by.via):
        if phrase is not None:
            assert text[phrase.start:phrase.end] == phrase.text


def test_a_pronoun_speaker_is_the_quote_layers_speaker():
    # the seeds, Global Research: "He went on to accuse ..." with the quote credited to Churkin
    text = "Vitaly Churkin spoke first. He said 40 hospitals had been hit by the rebels."
    by = side(text, "40", "hospital", quotes=[("40 hospitals had been hit by the rebels", "indirect",
                                             "Vitaly Churkin", "said")]).attribution
    assert (by.kind, by.name) == (BY_SPEAKER, "Vitaly Churkin")


@pytest.mark.parametrize("a, b, expected", [
    ("Churkin", "Vitaly Churkin", True),
    ("officials", "senior administration officials", True),
    ("the poll", "The latest Reuters/Ipsos poll", True),  # a generic name may be the named one
    ("a CNN/ORC poll", "an ABC News-Washington Post poll", False),
    ("residents", "the WSJ", False),
])
def test_same_name(a, b, expected):
    assert same_name(a, b) is expected


@pytest.mark.parametrize("a, b, expected, reason", [
    # the seeds: hundreds since the cease-fire's collapse vs 26 to 43 on Sunday (from the sentence before)
    (side(ZEROHEDGE, "hundreds", "civilian", entities=ALEPPO),
     side(GLOBAL_RESEARCH, "Between 26 and 43", "civilian", entities=ALEPPO),
     VERDICT_DIFFERENT_SCOPE, "different periods: 'since a cease-fire fell apart last week' vs 'Sunday'"),
    # BASIL fox / hpo 79bf99c6: one election's gain vs six years' losses
    (side("Democrats, who had high hopes of significant gains in the election, picked up just six seats on "
          "Election Day earlier this month and remain in the minority with 194 seats.", "six", "seat"),
     side("House Democrats have also lost nearly 60 seats over the past six years.", "nearly 60", "seat"),
     VERDICT_DIFFERENT_SCOPE,
     "different periods: 'on Election Day', 'earlier this month' vs 'over the past six years'"),
    # BASIL nyt / hpo 84b3c118: the oath's words, both in the outlets' own voice: a real conflict
    (side("Mr. Trump took the 35-word oath administered by Chief Justice John G. Roberts Jr. precisely at noon.",
          "35", "word"),
     side("Chief Justice John Roberts administered the 38-word oath at 12:00 p.m., capping Trump\u2019s unlikely "
          "journey from New York City real estate developer and reality TV star to the nation\u2019s highest office.",
          "38", "word"),
     VERDICT_CONFLICT, "the same quantity at a comparable scope"),
    # BASIL nyt / hpo 58f414e5: a side that names no place is comparable with one that does
    (side("A day earlier, on another ball field some seven miles southwest, a gunman had opened fire on members of "
          "the Republican congressional baseball team, striking four people.", "four", "people"),
     side("Six people, including two congressmen, two police officers, a congressional aide and a lobbyist, were "
          "injured in the attack in an Alexandria, Virginia, park.", "Six", "people",
          entities=[("Alexandria", "GPE", "Alexandria")]),
     VERDICT_CONFLICT, "the same quantity at a comparable scope"),
    # BASIL hpo 576116e5, two sentences of one article: two named sources (the figures
    # count different things, which detection tells by their nouns; this is the source rule)
    (side("As of April, 35 million seniors received Social Security retirement benefits averaging $1,179 a month, "
          "according to the program's latest monthly snapshot.", "35 million", "senior"),
     side("The Center on Budget and Policy Priorities, a progressive Washington think tank, estimates that Social "
          "Security keeps 13 million elderly Americans out of poverty.", "13 million", "american"),
     VERDICT_DIFFERENT_SOURCE,
     "different sources: the program's latest monthly snapshot vs The Center on Budget and Policy Priorities"),
    # PolNeAR breitbart_2015-12-20 / politico_2016-05-26: "the poll" may be the named poll
    (side("The latest Reuters/Ipsos poll showed Trump leading the field with support of 31 percent of Republican "
          "voters.", "31 percent", "percent"),
     side("But, according to the poll, 46 percent of Republican voters remain undecided.", "46 percent", "percent"),
     VERDICT_CONFLICT, "the same quantity at a comparable scope"),
    # BASIL fox 4f473faf, and the same sentence with its count and year changed: named
    # years are compared by value
    (side("Aside from Indiana, 15 other states have introduced legislation in 2015 to craft or alter their religious "
          "freedom laws.", "15", "state"),
     side("Aside from Indiana, 21 other states have introduced legislation in 2016 to craft or alter their religious "
          "freedom laws.", "21", "state"),
     VERDICT_DIFFERENT_SCOPE, "different periods: 'in 2015' vs 'in 2016'"),
])
def test_verdicts(a, b, expected, reason):
    assert verdict(a, b) == (expected, reason)


@pytest.mark.parametrize("verdict, same_fact_kept", [
    ("conflict", False),  # a real conflict replaces the same-fact link of its two sentences
    (None, False),  # cause conflicts have no verdict: also real conflicts
    ("different_scope", True),  # "26-43 on Sunday" vs "hundreds since last week": both may be true
    ("different_source", True),
])
def test_regression_a_different_scope_conflict_no_longer_hides_the_same_fact_link(verdict, same_fact_kept):
    from parallax.comparison import _without_superseded
    from parallax.model import CONFLICT, SAME_FACT, Evidence, Link, Ref

    a, b = Ref(0, 10, 60, "Between 26 and 43 civilians were killed."), Ref(1, 5, 90, "Hundreds were killed.")
    same_fact = Link(SAME_FACT, a, b, 0.8)
    conflict = Link(CONFLICT, a, b, 0.7, Evidence(verdict=verdict))
    assert (_without_superseded([same_fact], [conflict]) == [same_fact]) is same_fact_kept

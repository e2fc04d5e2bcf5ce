"""compare_analyses end to end on hand-built analyses (real encoder, no spaCy)."""
from __future__ import annotations

import json

import pytest

from parallax.comparison import compare_analyses
from parallax.errors import UsageError
from parallax.model import SAME_FACT, SAME_QUOTE, to_data
from test_compare_fixtures import make

QUOTE = "Instead of pursuing peace, Russia and Assad make war."
PEOPLE = [("Power", "PERSON", "Samantha Power"), ("Russia", "GPE", "Russia"), ("Aleppo", "GPE", "Aleppo")]


def _outlet(name: str, cue: str, extra: str) -> object:
    text = f'"{QUOTE}" Power {cue} at the Security Council on Sunday. {extra}'
    return make(text, name, quotes=[(QUOTE, "direct", "Samantha Power", cue)], entities=PEOPLE)


WIRE = _outlet("wire", "said", "Aid trucks reached Aleppo on Monday after a week of delays.")
BLOG = _outlet("blog", "claimed", "The so-called peace process was a fraud from the start.")
PAPER = _outlet("paper", "told", "Aid trucks finally reached Aleppo on Monday after a week of delays at the border.")


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_articles_is_a_usage_error(count):
    with pytest.raises(UsageError, match=f"at least 2 articles; got {count}"):
        compare_analyses([WIRE][:count])


def test_three_outlets():
    comparison = compare_analyses([WIRE, BLOG, PAPER])
    same_quote = [(l.a.article, l.b.article) for l in comparison.links if l.relation == SAME_QUOTE]
    assert same_quote == [(0, 1), (0, 2), (1, 2)]
    # the aid-truck sentence of the wire and the paper is one fact; the blog has none like it
    texts = [a.text for a in comparison.analyses]
    aid = [(l.a.article, l.b.article) for l in comparison.links
           if l.relation == SAME_FACT and "Aid trucks" in texts[l.a.article][l.a.start:l.a.end]]
    assert aid == [(0, 2)]
    (row,) = comparison.framing
    # the three same_quote links are one shared quote
    assert [comparison.links[i].relation for i in row.links] == [SAME_QUOTE] * 3
    assert {side.article: side.cue.text for side in row.sides} == {0: "said", 1: "claimed", 2: "told"}
    assert comparison.coverage.speakers == {"Samantha Power": [1, 1, 1]}
    assert [t.text for t in comparison.outlets[1].loaded_terms] == ["so-called"]
    for link in comparison.links:
        for ref in (link.a, link.b):
            assert ref.text == texts[ref.article][ref.start:ref.end]
    json.dumps(to_data([comparison.links, comparison.conflicts, comparison.framing, comparison.coverage,
                        comparison.omissions, comparison.outlets]), allow_nan=False)


def test_empty_article_compares_without_links():
    comparison = compare_analyses([WIRE, make("", "empty")])
    assert comparison.links == [] and comparison.framing == [] and comparison.conflicts == []
    assert comparison.coverage.shared_share == [0.0, 0.0]
    assert comparison.outlets[1].quotes == 0 and comparison.outlets[1].words == 0

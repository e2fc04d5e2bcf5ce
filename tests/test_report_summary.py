"""Formatting shared by the terminal and HTML outputs, and where their figures come from."""
from __future__ import annotations

import pytest

from parallax.comparison.outlets import outlet_figures, outlet_summaries
from parallax.model import CAUSE, NUMBER, Analysis, Article, Comparison, Conflict, ConflictSide, Phrase
from parallax.report.summary import (
    format_range,
    framing_cells,
    outlet_name,
    plural,
    pretty_technique,
    ranked,
    short,
    side_value,
    speaker_totals,
)
from report_fixtures import analysis_a, analysis_b, comparison


@pytest.mark.parametrize("low, high, expected", [
    (200, 999, "200\u2013999"),
    (26.0, 43.0, "26\u201343"),
    (61, None, "61\u2013\u221e"),
    (500000.0, 500000.0, "500,000"),
    (0.5, 0.5, "0.50"),
])
def test_format_range(low, high, expected):
    assert format_range(low, high) == expected


def _side(low=None, high=None) -> ConflictSide:
    return ConflictSide(0, 0, 3, "the", Phrase(0, 3, "the"), low, high)


@pytest.mark.parametrize("kind, side, expected", [
    (NUMBER, _side(200, 999), "200\u2013999"),
    (NUMBER, _side(61, None), "61\u2013\u221e"),
    (CAUSE, _side(), ""),  # a cause's value is its text, shown once
])
def test_side_value(kind, side, expected):
    conflict = Conflict(kind, "topic", side, side, 0.5, "why", 0.7)
    assert side_value(conflict, side) == expected


@pytest.mark.parametrize("name, expected", [
    ("Name_Calling,Labeling", "Name calling, labeling"),
    ("Appeal_to_fear-prejudice", "Appeal to fear prejudice"),
    ("Doubt", "Doubt"),
])
def test_pretty_technique(name, expected):
    assert pretty_technique(name) == expected


@pytest.mark.parametrize("text, limit, expected", [
    ("short one", 20, "short one"),
    ("spread\n over   lines", 40, "spread over lines"),
    ("cut at a word boundary please", 16, "cut at a word\u2026"),
])
def test_short(text, limit, expected):
    assert short(text, limit) == expected


@pytest.mark.parametrize("count, noun, expected", [(1, "quote", "1 quote"), (0, "claim", "0 claims"),
                                                   (1204, "word", "1,204 words")])
def test_plural(count, noun, expected):
    assert plural(count, noun) == expected


@pytest.mark.parametrize("outlet, source, expected", [("ZeroHedge", "a/b.txt", "ZeroHedge"), ("", "a/b.txt", "b.txt"),
                                                      ("", "", "Article 3")])
def test_outlet_name(outlet, source, expected):
    assert outlet_name(Analysis(Article(text="x", outlet=outlet, source=source)), 2) == expected


@pytest.mark.parametrize("per_article, expected", [
    ([{"Power": 2}, {"Churkin": 1, "Power": 1}], ["Power", "Churkin"]),
    ([{"b": 1, "a": 1}], ["a", "b"]),  # ties A-Z
    ([{}, {}], []),
])
def test_speakers_ranked_over_all_articles(per_article, expected):
    assert ranked(speaker_totals(per_article)) == expected


def test_framing_cells_take_each_articles_first_side():
    row = comparison().framing[0]
    row.sides.append(row.sides[1])  # a second, shorter copy in article 1
    cells = framing_cells(row, 3)
    assert [cell.article if cell else None for cell in cells] == [0, 1, None]
    assert cells[1] is row.sides[1]


@pytest.mark.parametrize("make, source", [
    (lambda: comparison(), "comparison"),
    (lambda: Comparison([analysis_a(), analysis_b()]), "layers"),  # a hand-built Comparison without them
    (lambda: None, "layers"),  # plain Analyses
])
def test_outlet_figures_come_from_the_comparison_else_from_the_layers(make, source):
    comp = make()
    analyses = comp.analyses if comp else [analysis_a(), analysis_b()]
    figures = outlet_figures(analyses, comp)
    if source == "comparison":
        assert figures is comp.outlets
    else:
        assert figures == outlet_summaries(analyses)
        assert [f.shared_share for f in figures] == [None, None]

"""Figures shared by the terminal and HTML outputs."""
from __future__ import annotations

import math

import pytest

from parallax.model import Analysis, Article, Comparison, Link, Ref, Span
from parallax.report.summary import (
    all_technique_rates,
    format_value,
    framing_rows,
    outlet_name,
    plural,
    pretty_technique,
    short,
    speaker_counts,
    technique_rates,
    who_is_quoted,
)
from report_fixtures import analysis_a, analysis_b, comparison


@pytest.mark.parametrize("value, expected", [
    ([200, 999], "200\u2013999"),
    ({"low": 26, "high": 43}, "26\u201343"),
    ([61, None], "61\u2013\u221e"),
    ([500000.0, 500000.0], "500,000"),
    (0.5, "0.50"),
    ("the convoy attack", "the convoy attack"),
    (None, ""),
])
def test_format_value(value, expected):
    assert format_value(value) == expected


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


def test_speaker_counts_skip_quotes_without_a_speaker():
    analysis = Analysis(Article(text="a b c d"))
    analysis["quotes"] = [Span(0, 1, "direct", attrs={"speaker": {"name": "Power"}}),
                          Span(2, 3, "scare", attrs={"speaker": None}),
                          Span(4, 5, "direct", attrs={"speaker": {"name": "Churkin"}}),
                          Span(6, 7, "partial", attrs={"speaker": {"name": "Churkin"}})]
    assert list(speaker_counts(analysis).items()) == [("Churkin", 2), ("Power", 1)]


def test_who_is_quoted_prefers_the_comparison_coverage():
    comp = comparison()
    assert who_is_quoted(comp.analyses, comp) == [{"Samantha Power": 1}, {"Vitaly Churkin": 2, "Samantha Power": 1}]
    assert who_is_quoted(comp.analyses, None) == [{"Samantha Power": 1}, {"Samantha Power": 1}]


def test_technique_rates_per_thousand_words():
    analysis = Analysis(Article(text=" ".join(["word"] * 500)))
    analysis["techniques"] = [Span(0, 4, "Doubt", 0.9), Span(5, 9, "Doubt", 0.6), Span(10, 14, "Slogans", 0.7)]
    assert technique_rates(analysis) == {"Doubt": 4.0, "Slogans": 2.0}


def test_technique_rates_come_from_the_comparison_when_given():
    comp = comparison()
    assert all_technique_rates(comp.analyses, comp)[1] == {"Doubt": 30.3}
    assert math.isclose(all_technique_rates(comp.analyses, None)[1]["Doubt"], 1000 / 45)


def test_framing_rows_from_the_framing_entries():
    (row,) = framing_rows(comparison())
    assert row.speaker == "Samantha Power"
    assert [(cell.cue, cell.cue_note is not None) for cell in row.cells] == [("told", False), ("claimed", True)]
    assert row.cells[1].hedges == ["unsubstantiated"] and row.cells[1].scare_quotes == ["rebels"]


def test_same_quote_link_without_framing_gets_a_row_from_the_quote_layer():
    a, b = analysis_a(), analysis_b()
    qa, qb = a["quotes"][0], b["quotes"][0]
    comp = Comparison([a, b], [Link("same_quote", Ref(0, qa.start, qa.end), Ref(1, qb.start, qb.end), 0.9)])
    (row,) = framing_rows(comp)
    assert (row.speaker, [cell.cue for cell in row.cells]) == ("Samantha Power", ["told", "claimed"])
    assert row.quote == a.snippet(qa)


def test_framing_group_with_several_links_gives_one_row():
    """Regression: a quote group's second same_quote link (listed under "links") got a row of
    its own, so the seeds' "barbarism" quote showed twice."""
    a, b = analysis_a(), analysis_b()
    qa, qb = a["quotes"][0], b["quotes"][0]
    links = [Link("same_quote", Ref(0, qa.start, qa.end), Ref(1, qb.start, qb.end), 0.9)] * 2
    side = {"article": 0, "start": qa.start, "end": qa.end, "cue": None}
    entry = {"quote": a.snippet(qa), "speaker": "Samantha Power", "link": 0, "links": [0, 1], "sides": [side]}
    comp = Comparison([a, b], links, framing=[entry])
    assert len(framing_rows(comp)) == 1

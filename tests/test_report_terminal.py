"""The terminal summary, captured without colour as a user's pipe would see it."""
from __future__ import annotations

import io

import pytest
from rich.console import Console

from parallax.errors import UsageError
from parallax.model import UNATTRIBUTED, Comparison
from parallax.report.terminal import render_terminal
from report_fixtures import analysis_a, analysis_b, comparison


def _render(obj) -> str:
    console = Console(no_color=True, width=120, record=True, file=io.StringIO())
    render_terminal(obj, console)
    return console.export_text()


@pytest.mark.parametrize("expected", [
    "[1] ZeroHedge \u2014 US Slams Russian Barbarism",
    "Jordan Shilton \u00b7 2016-09-26 \u00b7 originally from World Socialist Web Site",
    "1 quote \u00b7 1 claim \u00b7 2 technique spans \u00b7 38 words",
    # scare quotes are not speech; a quote nobody is credited with still counts
    "2 quotes \u00b7 2 claims \u00b7 1 technique span \u00b7 53 words",
    "Quoted: Samantha Power (1), unattributed (1)",
    "Share of content shared: 57% overall (ZeroHedge 60%, Global Research 55%)",
    "CONFLICTS (1)",
    "number: civilians killed in Aleppo",
    "ZeroHedge: [200\u2013999] \u201cHundreds of civilians\u201d",
    "Global Research: [26\u201343] \u201cBetween 26 and 43\u201d",
    "why: 200-999 civilians vs 26-43 civilians: the ranges do not overlap",
    "FRAMING",
    "hedges: \u201cunsubstantiated\u201d",
    "scare quotes: \u201crebels\u201d",
    "Same facts (1)",
    "Global Research leaves out (claim carried by ZeroHedge): the headline's charge of barbarism",
    "Only in ZeroHedge: 1 passage",
])
def test_comparison_summary_names(expected):
    assert expected in _render(comparison())


def test_framing_row_shows_each_outlets_cue_verb():
    row = next(line for line in _render(comparison()).splitlines() if line.startswith("Samantha Power"))
    assert row.split()[-3:] == ["told", "claimed", "(loaded)"]


@pytest.mark.parametrize("speaker, counts", [("Samantha Power", ["1", "1"]), (UNATTRIBUTED, ["\u00b7", "1"])])
def test_who_is_quoted_table(speaker, counts):
    section = _render(comparison()).split("Who is quoted")[1]
    row = next(line for line in section.splitlines() if line.startswith(speaker))
    assert row.split()[-2:] == counts


@pytest.mark.parametrize("row, rates", [
    ("Doubt", ["0.0", "18.9"]),
    # the total is the rate of all spans (2 in 38 words: 52.63), not a sum of rounded rates (52.64)
    ("All techniques", ["52.6", "18.9"]),
])
def test_technique_rates_per_outlet(row, rates):
    section = _render(comparison()).split("per 1,000 words")[1]
    assert next(line for line in section.splitlines() if line.startswith(row)).split()[-2:] == rates


def test_figures_are_the_outlet_summaries():
    """The terminal prints the OutletSummary figures, not numbers of its own."""
    comp = comparison()
    comp.outlets[1].quotes, comp.outlets[1].words = 7, 999
    comp.outlets[1].techniques_per_1000_words = {"Doubt": 4.19}
    text = _render(comp)
    assert "7 quotes \u00b7 2 claims \u00b7 1 technique span \u00b7 999 words" in text
    assert next(line for line in text.split("per 1,000 words")[1].splitlines()
                if line.startswith("Doubt")).split()[-1] == "4.2"


@pytest.mark.parametrize("obj, absent", [(analysis_a(), "CONFLICTS"), ([analysis_a(), analysis_b()], "FRAMING")])
def test_analyses_print_articles_only(obj, absent):
    text = _render(obj)
    assert "ZeroHedge" in text and absent not in text


def test_user_text_is_not_read_as_rich_markup():
    analysis = analysis_a(title="[bold red]Breaking[/bold red] <script>")
    assert "[bold red]Breaking[/bold red] <script>" in _render(analysis)


def test_comparison_with_empty_panels_still_prints():
    comp = Comparison([analysis_a(), analysis_b()])  # no links, no coverage, outlets from the layers
    text = _render(comp)
    assert "No conflicting numbers or causes found." in text
    assert "No quote appears in more than one article." in text
    assert "Every passage is carried by another article." in text
    assert "Share of content shared" not in text
    assert "2 quotes \u00b7 2 claims" in text


def test_other_objects_are_a_usage_error():
    with pytest.raises(UsageError):
        _render("not an analysis")

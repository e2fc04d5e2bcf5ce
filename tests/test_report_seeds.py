"""End to end on the bundled seeds with the real pipeline: the outputs hold together.

The JSON of `analyze` and `compare` meets the schema, and the terminal summary, the JSON
and the HTML report give the same figures (quotes per outlet, quotes per speaker with the
unattributed ones, technique rates).
"""
from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
from jsonschema import Draft202012Validator
from rich.console import Console

import parallax
from parallax.model import SPEECH_KINDS, UNATTRIBUTED
from parallax.report.html import render_html
from parallax.report.json_out import dumps
from parallax.report.panels import MAX_BARS
from parallax.report.schema import json_schema
from parallax.report.summary import pretty_technique
from parallax.report.terminal import MAX_SPEAKERS, render_terminal
from parallax.text import paragraph_bounds
from report_fixtures import ColumnText

WIDE = 400  # terminal columns: no table cell wraps, so each row is one line


@pytest.fixture(scope="module")
def seed_comparison(seed_paths):
    return parallax.compare([parallax.load_path(path)[0] for path in seed_paths])


@pytest.fixture(scope="module")
def outputs(seed_comparison):
    console = Console(no_color=True, width=WIDE, record=True, file=io.StringIO())
    render_terminal(seed_comparison, console)
    return {"json": json.loads(dumps(seed_comparison)), "html": render_html(seed_comparison),
            # at confidence 0 the page's technique figures count every span, as the JSON and terminal do
            "html_all": render_html(seed_comparison, threshold=0.0), "text": console.export_text()}


def test_compare_json_meets_the_schema(outputs):
    errors = [error.message for error in Draft202012Validator(json_schema()).iter_errors(outputs["json"])]
    assert errors == []


def test_analyze_json_meets_the_schema(seed_comparison):
    validator = Draft202012Validator(json_schema())
    for analysis in seed_comparison.analyses:
        assert [error.message for error in validator.iter_errors(json.loads(dumps(analysis)))] == []


def test_json_offsets_index_the_text(outputs):
    doc = outputs["json"]
    for article in doc["articles"]:
        for layer in ("sentences", "entities", "quotes", "claims", "techniques"):
            for item in article[layer]:
                assert article["text"][item["start"]:item["end"]] == item["text"]
    for link in doc["links"]:
        for side in (link["a"], link["b"]):
            assert doc["articles"][side["article"]]["text"][side["start"]:side["end"]] == side["text"]
    assert doc["links"] and doc["articles"][0]["quotes"] and doc["articles"][1]["claims"]


def test_html_shows_both_texts_and_links_them(seed_comparison, outputs):
    page = outputs["html"]
    parser = ColumnText()
    parser.feed(page)
    assert parser.columns == [[a.text[s:e] for s, e in paragraph_bounds(a.text)] for a in seed_comparison.analyses]
    columns = page.split('<article class="col"')[1:]
    assert all(re.search(r'data-k="[^"]*\bL0\b', column) for column in columns)


def test_terminal_names_power_and_both_outlets(outputs):
    for expected in ("Global Research", "Samantha Power", "CONFLICTS", "FRAMING", "barbarism", "claimed"):
        assert expected in outputs["text"]


# ----------------------------------------------------------------- one figure, three outputs

def _terminal_article_quotes(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"^ +([\d,]+) quotes? \u00b7", text, re.M)]


def _terminal_row(section: str, label: str) -> list[str]:
    line = next(line for line in section.splitlines() if line.startswith(label + "  "))
    return line[len(label):].split()


def test_quotes_per_outlet_agree(outputs):
    doc, page = outputs["json"], outputs["html"]
    quotes = [summary["quotes"] for summary in doc["outlets"]]
    speech = [sum(q["kind"] in SPEECH_KINDS for q in article["quotes"]) for article in doc["articles"]]
    card = [int(n) for n in re.findall(r'<div class="figures">[^<]*?([\d,]+) quotes? \u00b7', page)]
    column = [int(n) for n in re.findall(r'<div class="counts">([\d,]+) quotes? \u00b7', page)]
    chart = [int(n) for n in re.findall(r'<span class="count">([\d,]+) quotes?</span>', page)]
    assert quotes == speech == card == column == chart == _terminal_article_quotes(outputs["text"])
    assert all(quotes)


def _chart_bars(page: str) -> list[dict[str, int]]:
    charts = page.split('<div class="chart">')[1:]
    return [{unescape(label): int(value) for label, value in re.findall(
        r'<span class="bar-label">([^<]*)</span>.*?<span class="bar-value">(\d+)</span>', chart, re.S)}
        for chart in charts]


def test_quotes_per_speaker_agree_unattributed_included(outputs):
    doc, page, text = outputs["json"], outputs["html"], outputs["text"]
    per_outlet = [summary["speakers"] for summary in doc["outlets"]]
    assert any(UNATTRIBUTED in speakers for speakers in per_outlet)
    for summary in doc["outlets"]:  # nobody's quote is dropped
        assert sum(summary["speakers"].values()) == summary["quotes"]
    for speakers, bars in zip(per_outlet, _chart_bars(page)):
        shown = dict(list(speakers.items())[:MAX_BARS]) if len(speakers) > MAX_BARS + 1 else speakers
        assert {name: count for name, count in bars.items() if not name.endswith("other speakers")} == shown
        assert sum(bars.values()) == sum(speakers.values())
    table = text.split("Who is quoted")[1].split("Unique material")[0]
    totals = {name: sum(s.get(name, 0) for s in per_outlet) for speakers in per_outlet for name in speakers}
    for name in sorted(totals, key=lambda n: (-totals[n], n))[:MAX_SPEAKERS]:
        expected = [str(speakers[name]) if speakers.get(name) else "\u00b7" for speakers in per_outlet]
        assert _terminal_row(table, name) == expected, name


def test_technique_rates_agree(outputs):
    doc, page, text = outputs["json"], outputs["html_all"], outputs["text"]
    rates = [summary["techniques_per_1000_words"] for summary in doc["outlets"]]
    names = sorted({name for per_outlet in rates for name in per_outlet})
    assert names, "the seeds have technique spans"
    table = text.split("Propaganda techniques per 1,000 words")[1]
    html_rows = re.findall(r'<tr class="tech-row"[^>]*>\s*<td title="[^"]*">([^<]*)<div class="definition">.*?</tr>',
                           page, re.S)
    html_cells = [re.findall(r'<td class="rate" data-article="\d+"><span class="rate-value">([\d.]+)</span>', row)
                  for row in re.findall(r'<td title="[^"]*">.*?</tr>', page, re.S)]
    for number, name in enumerate(names):
        expected = [f"{per_outlet.get(name, 0.0):.1f}" for per_outlet in rates]
        assert _terminal_row(table, pretty_technique(name)) == expected
        assert unescape(html_rows[number]) == pretty_technique(name) and html_cells[number] == expected
    totals = [f"{summary['all_techniques_per_1000_words']:.1f}" for summary in doc["outlets"]]
    assert _terminal_row(table, "All techniques") == totals
    html_totals = re.findall(r'<tr class="total"><td>All techniques</td>(.*?)</tr>', page)[0]
    assert re.findall(r'>([\d.]+)<', html_totals) == totals

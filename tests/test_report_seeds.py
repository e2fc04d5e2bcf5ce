"""End to end on the bundled seeds with the real pipeline: the outputs hold together."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from parallax import compare, load_path
from parallax.report.html import render_html
from parallax.report.json_out import dumps
from parallax.report.segments import paragraph_bounds
from parallax.report.terminal import render_terminal
from report_fixtures import ColumnText

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


@pytest.fixture(scope="module")
def seed_comparison():
    articles = [load_path(SEEDS / name)[0] for name in ("zerohedge.txt", "globalresearch.md")]
    return compare(articles)


def test_json_offsets_index_the_text(seed_comparison):
    doc = json.loads(dumps(seed_comparison))
    for article in doc["articles"]:
        for layer in ("sentences", "entities", "quotes", "claims", "techniques"):
            for item in article[layer]:
                assert article["text"][item["start"]:item["end"]] == item["text"]
    for link in doc["links"]:
        for side in (link["a"], link["b"]):
            assert doc["articles"][side["article"]]["text"][side["start"]:side["end"]] == side["text"]
    assert doc["links"] and doc["articles"][0]["quotes"] and doc["articles"][1]["claims"]


def test_html_shows_both_texts_and_links_them(seed_comparison):
    page = render_html(seed_comparison)
    parser = ColumnText()
    parser.feed(page)
    assert parser.columns == [[a.text[s:e] for s, e in paragraph_bounds(a.text)] for a in seed_comparison.analyses]
    columns = page.split('<article class="col"')[1:]
    assert all(re.search(r'data-k="[^"]*\bL0\b', column) for column in columns)


def test_terminal_names_power_and_both_outlets(seed_comparison):
    console = Console(no_color=True, width=120, record=True, file=io.StringIO())
    render_terminal(seed_comparison, console)
    text = console.export_text()
    for expected in ("Global Research", "Samantha Power", "CONFLICTS", "FRAMING", "barbarism", "claimed"):
        assert expected in text

"""A number conflict's verdict, sentences, qualifiers and attribution in every report:
terminal, JSON (against the schema) and the HTML conflict panel."""
from __future__ import annotations

import copy
import io
import json

import pytest
from jsonschema import Draft202012Validator
from rich.console import Console

from parallax.model import (
    BY_OUTLET, BY_SPEAKER, QUALIFIER_PLACE, QUALIFIER_TIME, VERDICT_DIFFERENT_SCOPE, Attribution, Comparison, Phrase,
    Qualifier,
)
from parallax.report.html import render_html
from parallax.report.json_out import document
from parallax.report.schema import json_schema
from parallax.report.terminal import render_terminal
from report_fixtures import TEXT_A, TEXT_B, comparison, find

REASON = "different periods: 'as the Syrian ambassador spoke' vs none"


def judged() -> Comparison:
    """The report fixture's number conflict with its sides' qualifiers, attribution and a verdict."""
    comp = comparison()
    conflict = comp.conflicts[0]
    conflict.a.attribution = Attribution("ZeroHedge", BY_OUTLET)
    conflict.b.attribution = Attribution("a monitor", BY_SPEAKER, Phrase(*find(TEXT_B, "a monitor"), "a monitor"),
                                         via=Phrase(*find(TEXT_B, "Samantha Power"), "Samantha Power"))
    conflict.a.qualifiers = [Qualifier(*find(TEXT_A, "in Syria"), "in Syria", QUALIFIER_PLACE, "Syria")]
    spoke = "as the Syrian ambassador spoke"
    conflict.b.qualifiers = [Qualifier(*find(TEXT_B, spoke), spoke, QUALIFIER_TIME, "event", inherited=True)]
    conflict.verdict, conflict.verdict_reason = VERDICT_DIFFERENT_SCOPE, REASON
    return comp


def _terminal(comp: Comparison) -> str:
    console = Console(no_color=True, width=200, record=True, file=io.StringIO())
    render_terminal(comp, console)
    return console.export_text()


@pytest.mark.parametrize("expected", [
    f"1. number: civilians killed in Aleppo: different scope ({REASON})",
    "says: ZeroHedge itself; where: in Syria",
    "says: a monitor, per Samantha Power; when: as the Syrian ambassador spoke (from the sentence before)",
    "in: \u201cHundreds of civilians have been killed.\u201d",
    "in: \u201cBetween 26 and 43 civilians were reported killed.\u201d",
])
def test_terminal_shows_verdict_sentence_qualifiers_and_attribution(expected):
    assert expected in _terminal(judged())


def test_terminal_shows_a_real_conflict_without_a_reason():
    assert "1. number: civilians killed in Aleppo: conflict\n" in _terminal(comparison())


def test_html_conflict_panel_shows_them():
    page = render_html(judged())
    panel = page[page.index('id="conflicts"'):page.index('id="framing"')]
    for expected in ("Verdict: <strong>different scope</strong>", "Says: ZeroHedge itself",
                     "Says: a monitor, per Samantha Power", "where: in Syria",
                     "when: as the Syrian ambassador spoke (from the sentence before)",
                     "In: \u201cHundreds of civilians have been killed.\u201d"):
        assert expected in panel, expected


VALIDATOR = Draft202012Validator(json_schema())


def _doc(comp: Comparison) -> dict:
    return json.loads(json.dumps(document(comp), allow_nan=False))


def test_json_carries_them_and_meets_the_schema():
    doc = _doc(judged())
    assert list(VALIDATOR.iter_errors(doc)) == []
    conflict = doc["conflicts"][0]
    assert (conflict["verdict"], conflict["verdict_reason"]) == (VERDICT_DIFFERENT_SCOPE, REASON)
    assert conflict["b"]["attribution"] == {
        "name": "a monitor", "kind": "speaker", "mention": {"start": TEXT_B.index("a monitor"),
                                                            "end": TEXT_B.index("a monitor") + 9, "text": "a monitor"},
        "via": {"start": TEXT_B.index("Samantha Power"), "end": TEXT_B.index("Samantha Power") + 14,
                "text": "Samantha Power"}}
    (qualifier,) = conflict["b"]["qualifiers"]
    assert TEXT_B[qualifier["start"]:qualifier["end"]] == qualifier["text"]
    assert conflict["a"]["sentence"]["text"] == "Hundreds of civilians have been killed."
    assert doc["links"][2]["evidence"]["verdict"] is None  # the fixture's link was built without one


@pytest.mark.parametrize("path, value", [
    (("conflicts", 0, "verdict"), "contradiction"),
    (("conflicts", 0, "a", "qualifiers", 0, "kind"), "era"),
    (("conflicts", 0, "b", "attribution", "kind"), "reporter"),
    (("conflicts", 0, "a", "attribution"), "ZeroHedge"),
])
def test_drift_in_the_conflict_shape_is_caught(path, value):
    doc = copy.deepcopy(_doc(judged()))
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert list(VALIDATOR.iter_errors(doc))

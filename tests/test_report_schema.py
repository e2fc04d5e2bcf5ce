"""The JSON Schema of the document: valid draft 2020-12, closed, and met by every document."""
from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from parallax.model import Analysis, Article, Comparison, Link, Ref, Span
from parallax.report.json_out import document
from parallax.report.schema import json_schema
from report_fixtures import analysis_a, analysis_b, comparison

VALIDATOR = Draft202012Validator(json_schema())


def errors(doc: dict) -> list[str]:
    return [f"{list(error.absolute_path)}: {error.message}" for error in VALIDATOR.iter_errors(doc)]


def _doc(obj) -> dict:
    return json.loads(json.dumps(document(obj), allow_nan=False))


def test_schema_is_a_valid_draft_2020_12_schema():
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    # every object whose shape is fixed is closed, so a key added or renamed is caught
    for name, definition in schema["$defs"].items():
        assert definition["additionalProperties"] is False or name == "Article", name
        assert definition["required"] == list(definition["properties"]), name


def _bare_comparison() -> Comparison:
    a, b = analysis_a(), analysis_b()
    return Comparison([a, b], [Link("related", Ref(0, 0, 5), Ref(1, 0, 5), 0.45)])


@pytest.mark.parametrize("obj", [
    analysis_a(), [analysis_a(), analysis_b()], comparison(), _bare_comparison(),
    Analysis(Article(text="")),
], ids=["analysis", "list", "comparison", "comparison without coverage", "empty article"])
def test_documents_meet_the_schema(obj):
    assert errors(_doc(obj)) == []


def test_an_article_may_carry_a_layer_of_another_stage():
    analysis = analysis_a()
    analysis["stance"] = [Span(0, 2, "against", 0.7)]
    assert errors(_doc(analysis)) == []


def _set(doc: dict, path: tuple, value) -> dict:
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


@pytest.mark.parametrize("path, value", [
    (("schema_version",), "1"),
    (("links", 0, "relation"), "same-quote"),
    (("links", 0, "evidence", "unknown"), 1),
    (("articles", 0, "quotes", 0, "kind"), "quoted"),
    (("articles", 0, "quotes", 0, "speaker"), {"name": "Samantha Power"}),
    (("articles", 0, "entities", 0, "type"), "PER"),
    (("conflicts", 0, "a", "value"), [200, 999]),  # schema 1's field
    (("framing", 0, "sides", 0, "cue_tone"), "hostile"),
    (("coverage", "speakers", "Samantha Power"), [1, "one"]),
    (("outlets", 0, "techniques_per_1000_words"), 4.19),
    (("omissions", 0, "source", "article"), "zero"),
])
def test_drift_from_the_shape_is_caught(path, value):
    assert errors(_set(_doc(comparison()), path, value))


def test_a_comparison_key_in_an_analysis_document_is_caught():
    doc = _doc(analysis_a())
    doc["links"] = []
    assert errors(doc)

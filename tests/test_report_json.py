"""JSON output: the schema's shape, offsets that index `text`, the per-layer renaming table."""
from __future__ import annotations

import json
import math

import pytest

from parallax.errors import InputError, UsageError
from parallax.model import LAYERS, SCHEMA_VERSION, Analysis, Article, Span
from parallax.report.json_out import analysis_to_dict, document, dumps, write_json
from report_fixtures import analysis_a, analysis_b, comparison


def _all_span_objects(article: dict):
    for layer in LAYERS:
        yield from article[layer]
    for quote in article["quotes"]:
        for part in (quote["speaker"], quote["cue"]):
            if part is not None:
                yield part
    for claim in article["claims"]:
        yield from claim["quantities"]


@pytest.mark.parametrize("obj", [analysis_a(), [analysis_a(), analysis_b()], comparison()],
                         ids=["analysis", "list", "comparison"])
def test_every_offset_indexes_the_article_text(obj):
    doc = json.loads(dumps(obj))
    assert doc["schema_version"] == SCHEMA_VERSION
    checked = 0
    for article in doc["articles"]:
        for item in _all_span_objects(article):
            expected = item.get("text", item.get("name"))
            if "text" in item:
                assert article["text"][item["start"]:item["end"]] == expected
                checked += 1
    for link in doc.get("links", []):
        for side in (link["a"], link["b"]):
            assert doc["articles"][side["article"]]["text"][side["start"]:side["end"]] == side["text"]
    assert checked > 5


@pytest.mark.parametrize("obj, keys", [
    (analysis_a(), {"schema_version", "articles"}),
    ([analysis_a(), analysis_b()], {"schema_version", "articles"}),
    (comparison(), {"schema_version", "articles", "links", "conflicts", "framing", "coverage", "omissions",
                    "outlets"}),
])
def test_top_level_keys(obj, keys):
    assert set(document(obj)) == keys


@pytest.mark.parametrize("layer, expected", [
    ("sentences", {"start", "end", "text"}),
    ("entities", {"start", "end", "text", "type", "name"}),
    ("quotes", {"start", "end", "text", "kind", "score", "speaker", "cue"}),
    ("claims", {"start", "end", "text", "score", "quantities", "kind"}),
    ("techniques", {"start", "end", "text", "technique", "score", "definition"}),
])
def test_layer_renaming_table(layer, expected):
    article = analysis_to_dict(analysis_a())
    assert set(article[layer][0]) == expected


@pytest.mark.parametrize("layer, span, expected", [
    ("quotes", Span(0, 4, "scare"), {"kind": "scare", "speaker": None, "cue": None}),
    ("entities", Span(0, 4, "ORG", attrs={"name": "United Nations"}), {"type": "ORG", "name": "United Nations"}),
    ("claims", Span(0, 4, "claim", 0.4), {"quantities": [], "score": 0.4}),
    ("techniques", Span(0, 4, "Doubt", 0.6), {"technique": "Doubt", "score": 0.6,
                                              "definition": "Questions the credibility of someone or something "
                                                            "without substantiation."}),
    ("stance", Span(0, 4, "against", 0.7), {"label": "against", "score": 0.7}),
])
def test_defaults_and_renames_per_layer(layer, span, expected):
    analysis = Analysis(Article(text="U.N. met."))
    analysis[layer] = [span]
    item = analysis_to_dict(analysis)[layer][0]
    assert item["text"] == "U.N."
    assert {key: item[key] for key in expected} == expected


def test_article_metadata_is_kept():
    article = analysis_to_dict(analysis_b())
    assert article["outlet"] == "Global Research"
    assert article["authors"] == ["Jordan Shilton"]
    assert article["original_source"] == "World Socialist Web Site"
    assert article["published"] == "2016-09-26"


def test_comparison_dicts_are_passed_through():
    comp = comparison()
    doc = document(comp)
    assert doc["conflicts"] == comp.conflicts
    assert doc["coverage"]["speakers"] == comp.coverage["speakers"]
    assert doc["links"][0]["relation"] == "same_quote"


def test_infinite_quantity_bound_becomes_null_so_the_json_is_strict():
    analysis = Analysis(Article(text="over 60 soldiers"))
    analysis["claims"] = [Span(0, 16, "claim", attrs={"quantities": [{"low": 61.0, "high": math.inf}]})]
    doc = json.loads(dumps(analysis))
    assert doc["articles"][0]["claims"][0]["quantities"][0]["high"] is None


def test_attr_named_text_does_not_replace_the_span_text():
    analysis = Analysis(Article(text="Power said it."))
    analysis["quotes"] = [Span(11, 13, "scare", attrs={"text": "something else", "start": 0})]
    item = analysis_to_dict(analysis)["quotes"][0]
    assert (item["start"], item["text"]) == (11, "it")


@pytest.mark.parametrize("start, end", [(-1, 3), (5, 3), (0, 99)])
def test_span_outside_the_text_is_an_input_error(start, end):
    analysis = Analysis(Article(text="short text", source="a.txt"))
    analysis.layers["claims"] = [Span(start, end, "claim")]
    with pytest.raises(InputError, match="a.txt"):
        document(analysis)


@pytest.mark.parametrize("obj", ["text", [analysis_a(), "text"], None])
def test_other_objects_are_a_usage_error(obj):
    with pytest.raises(UsageError, match="valid: an Analysis"):
        document(obj)


def test_write_json_to_a_file_round_trips(tmp_path):
    path = tmp_path / "out.json"
    text = write_json(comparison(), path)
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)
    assert "\u201cWar Crimes\u201d" in path.read_text(encoding="utf-8")


def test_write_json_without_a_path_prints(capsys):
    write_json(analysis_a(), None)
    assert json.loads(capsys.readouterr().out)["articles"][0]["outlet"] == "ZeroHedge"


@pytest.mark.parametrize("name, module", [("document", "json_out"), ("analysis_to_dict", "json_out"),
                                          ("write_json", "json_out"), ("render_terminal", "terminal"),
                                          ("render_html", "html")])
def test_public_api_of_the_report_package(name, module):
    import importlib

    import parallax.report

    assert getattr(parallax.report, name) is getattr(importlib.import_module(f"parallax.report.{module}"), name)
    assert name in parallax.report.__all__

"""JSON output: the document's shape, offsets that index `text`, the per-layer renaming table."""
from __future__ import annotations

import json
import math
from dataclasses import fields

import pytest

from parallax.errors import InputError, UsageError
from parallax.model import (
    SCHEMA_VERSION, Analysis, Article, Claim, Comparison, Entity, Link, Quantity, Quote, Ref, Span, Technique,
)
from parallax.report.json_out import analysis_to_dict, document, dumps, write_json
from report_fixtures import analysis_a, analysis_b, comparison


def located(value, article: int | None = None):
    """(article, object) for every object of the document that has offsets, the article
    being the one named by the nearest enclosing "article" key."""
    if isinstance(value, list):
        for item in value:
            yield from located(item, article)
    elif isinstance(value, dict):
        article = value.get("article", article)
        if "start" in value and "end" in value:
            yield article, value
        for item in value.values():
            yield from located(item, article)


def offset_objects(doc: dict):
    """(article text, object) of every object with offsets in a document."""
    texts = [article["text"] for article in doc["articles"]]
    for index, article in enumerate(doc["articles"]):
        for _, item in located({key: value for key, value in article.items() if key != "text"}):
            yield texts[index], item
    for key in ("outlets", "links", "conflicts", "framing", "omissions"):
        for article, item in located(doc.get(key, [])):
            yield texts[article], item
    for index, phrases in enumerate((doc.get("coverage") or {}).get("unique", [])):
        for item in phrases:
            yield texts[index], item


@pytest.mark.parametrize("obj", [analysis_a(), [analysis_a(), analysis_b()], comparison()],
                         ids=["analysis", "list", "comparison"])
def test_every_text_is_the_article_text_at_its_offsets(obj):
    doc = json.loads(dumps(obj))
    assert doc["schema_version"] == SCHEMA_VERSION == "4"
    checked = 0
    for text, item in offset_objects(doc):
        assert 0 <= item["start"] <= item["end"] <= len(text)
        if "text" in item:  # a speaker has offsets and a name
            assert text[item["start"]:item["end"]] == item["text"]
            checked += 1
    assert checked > (30 if isinstance(obj, Comparison) else 5)


@pytest.mark.parametrize("obj, keys", [
    (analysis_a(), {"schema_version", "articles", "outlets"}),
    ([analysis_a(), analysis_b()], {"schema_version", "articles", "outlets"}),
    (comparison(), {"schema_version", "articles", "outlets", "links", "conflicts", "framing", "coverage",
                    "omissions"}),
])
def test_top_level_keys(obj, keys):
    assert set(document(obj)) == keys


@pytest.mark.parametrize("layer, expected", [
    ("sentences", {"start", "end", "text"}),
    ("entities", {"start", "end", "text", "type", "name", "entity_id"}),
    ("quotes", {"start", "end", "text", "kind", "score", "speaker", "cue", "clause", "found_by"}),
    ("claims", {"start", "end", "text", "score", "kind", "quantities", "actors", "causal", "event"}),
    ("techniques", {"start", "end", "text", "technique", "score", "technique_score", "definition"}),
])
def test_layer_renaming_table(layer, expected):
    article = analysis_to_dict(analysis_a())
    assert set(article[layer][0]) == expected


@pytest.mark.parametrize("layer, span, expected", [
    ("quotes", Quote(0, 4, "scare"), {"kind": "scare", "speaker": None, "cue": None, "clause": None, "found_by": "rules"}),
    ("entities", Entity(0, 4, "ORG", name="United Nations"), {"type": "ORG", "name": "United Nations"}),
    ("claims", Claim(0, 4, "claim", 0.4), {"quantities": [], "score": 0.4, "kind": "event", "causal": None}),
    ("techniques", Technique(0, 4, "Doubt", 0.6), {"technique": "Doubt", "score": 0.6,
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
    assert {key: article[key] for key in ("outlet", "authors", "original_source", "published")} == {
        "outlet": "Global Research", "authors": ["Jordan Shilton"],
        "original_source": "World Socialist Web Site", "published": "2016-09-26"}
    assert {f.name for f in fields(Article)} <= set(article)


def test_comparison_parts_are_written_as_typed():
    comp = comparison()
    doc = document(comp)
    conflict = doc["conflicts"][0]
    assert (conflict["kind"], conflict["a"]["low"], conflict["a"]["high"]) == ("number", 200, 999)
    assert conflict["a"]["sentence"]["text"] == "Hundreds of civilians have been killed."
    assert doc["coverage"]["speakers"] == {"Samantha Power": [1, 1], "unattributed": [0, 1]}
    assert doc["links"][0]["relation"] == "same_quote" and doc["links"][0]["evidence"]["speaker"] is True
    assert doc["framing"][0]["links"] == [0] and doc["framing"][0]["sides"][1]["cue"]["text"] == "claimed"
    assert doc["omissions"][0]["source"]["text"] == "US slams Russian barbarism in Syria"


@pytest.mark.parametrize("obj", [comparison(), [analysis_a(), analysis_b()]], ids=["comparison", "list"])
def test_outlets_carry_the_figures_every_report_shows(obj):
    outlets = document(obj)["outlets"]
    assert [(o["quotes"], o["speakers"], o["words"], o["techniques"]) for o in outlets] == [
        (1, {"Samantha Power": 1}, 38, 2), (2, {"Samantha Power": 1, "unattributed": 1}, 53, 1)]
    assert outlets[1]["techniques_per_1000_words"] == {"Doubt": 18.87}
    assert outlets[0]["all_techniques_per_1000_words"] == 52.63


def test_refs_get_their_text_from_the_article():
    """A hand-built Ref without text is written with the text it covers."""
    a, b = analysis_a(), analysis_b()
    comp = Comparison([a, b], [Link("same_fact", Ref(0, 0, 8), Ref(1, 0, 9), 0.6)])
    link = document(comp)["links"][0]
    assert (link["a"]["text"], link["b"]["text"]) == (a.text[:8], b.text[:9])


def test_infinite_quantity_bound_becomes_null_so_the_json_is_strict():
    analysis = Analysis(Article(text="over 60 soldiers"))
    analysis["claims"] = [Claim(0, 16, "claim", quantities=[Quantity(0, 7, "over 60", 61.0, math.inf)])]
    doc = json.loads(dumps(analysis))
    assert doc["articles"][0]["claims"][0]["quantities"][0]["high"] is None


def test_nested_parts_get_their_text_from_the_article():
    analysis = Analysis(Article(text="Power said it."))
    analysis["claims"] = [Claim(0, 14, "claim", quantities=[Quantity(0, 5, "something else", 1, 1)])]
    item = analysis_to_dict(analysis)["claims"][0]["quantities"][0]
    assert (item["start"], item["text"]) == (0, "Power")


@pytest.mark.parametrize("start, end", [(-1, 3), (5, 3), (0, 99)])
def test_span_outside_the_text_is_an_input_error(start, end):
    analysis = Analysis(Article(text="short text", source="a.txt"))
    analysis.layers["claims"] = [Claim(start, end, "claim")]
    with pytest.raises(InputError, match="a.txt"):
        document(analysis)


def test_link_to_a_missing_article_is_an_input_error():
    comp = Comparison([analysis_a(), analysis_b()], [Link("same_fact", Ref(0, 0, 5), Ref(7, 0, 5), 0.6)])
    with pytest.raises(InputError, match="article 7"):
        document(comp)


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
                                          ("render_html", "html"), ("json_schema", "schema")])
def test_public_api_of_the_report_package(name, module):
    import importlib

    import parallax.report

    assert getattr(parallax.report, name) is getattr(importlib.import_module(f"parallax.report.{module}"), name)
    assert name in parallax.report.__all__

"""End to end: the attribution head's contents reach the quotes layer through the technique
pass (real models), and only the quotes layer: the hand-over is not part of the result."""
from __future__ import annotations

import json

import pytest

from parallax.config import Config
from parallax.model import Article
from parallax.pipeline import Pipeline
from parallax.report.json_out import analysis_to_dict

# PolNeAR counts a stance without a verb of saying as attribution; the rules see none here.
# (With "and aides said nothing more" after it, the ranker retrained on 2026-12-02 keeps the
# learned "nothing more" and drops the stance: a known miss of the learned contents.)
REBUFF = "Senator Elizabeth Warren rebuffed an offer to join the ticket on Monday, and her aides declined to elaborate."


@pytest.fixture(scope="module")
def with_head() -> Pipeline:
    pipeline = Pipeline(Config(cache=False, threads=1))
    assert pipeline.detector.attribution is not None, "the packaged technique model ships the head"
    return pipeline


def test_a_stance_the_rules_miss_is_found_by_the_head_and_credited_by_the_rules_naming(with_head):
    analysis = with_head.analyze(Article(REBUFF))
    # The ranker (nlp.quotes.ranked) chooses the object of "rebuffed" among the candidates.
    learned = [q for q in analysis.quotes if "to join the ticket" in analysis.snippet(q)]
    assert len(learned) == 1
    [quote] = learned
    assert quote.label == "indirect" and 0.0 < quote.score <= 1.0 and quote.found_by == "model"
    assert quote.speaker_name == "Elizabeth Warren"
    [written] = [q for q in analysis_to_dict(analysis)["quotes"] if "to join the ticket" in q["text"]]
    assert written["found_by"] == "model"
    assert sorted(analysis.layers) == ["claims", "entities", "quotes", "sentences", "techniques"]
    assert "learned_quotes" not in json.dumps(analysis_to_dict(analysis))


def test_without_the_technique_pass_quotes_come_from_the_rules_alone():
    rules_only = Pipeline(Config(techniques=False, cache=False, threads=1))
    assert not [q for q in rules_only.analyze(Article(REBUFF)).quotes
                if REBUFF[q.start:q.end] == "to join the ticket"]


def test_a_doc_component_reads_what_a_text_only_component_hands_over_and_the_result_leaves_it_out():
    from parallax.components import COMPONENTS, Component, register
    from parallax.model import Span

    def hand_over(pipeline, doc, analysis):  # runs on the thread beside the parse
        return {"found": [Span(0, 5, "x")], "handed": [Span(0, 5, "note")]}

    def reader(pipeline, doc, analysis):
        return {"seen": [Span(s.start, s.end, "seen") for s in analysis["handed"]]}

    register(Component("test_hand_over", needs=(), adds=("found",), run=hand_over, uses_doc=False))
    register(Component("test_reader", needs=(), adds=("seen",), run=reader, reads=("handed",)))
    try:
        pipeline = Pipeline(Config(cache=False, techniques=False),
                            components=["test_reader", "test_hand_over"])
        analysis = pipeline.analyze(Article("Hello there. A text."))
    finally:
        del COMPONENTS["test_hand_over"], COMPONENTS["test_reader"]
    assert [(s.start, s.end) for s in analysis["seen"]] == [(0, 5)]
    assert sorted(analysis.layers) == ["found", "seen"]


def test_the_report_says_a_quote_was_found_by_the_attribution_model(with_head):
    from parallax.report.html import render_html

    page = render_html(with_head.analyze(Article(REBUFF)))
    assert "Found by the attribution model, probability 0." in page

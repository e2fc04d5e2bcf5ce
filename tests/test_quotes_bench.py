"""Scoring of the PolNeAR quote benchmark: Jaccard matching by hand-computed cases."""
from __future__ import annotations

import pytest

from parallax.model import Cue, Phrase, Quote, Speaker
from parallax.nlp.quotes.scoring import (
    Counts, Gold, Predicted, attributions_from_spans, average_over_annotators, greedy_match, jaccard,
    score_record, speaker_correct,
)


@pytest.mark.parametrize("a, b, expected", [
    ([(0, 10)], [(0, 10)], 1.0),
    ([(0, 10)], [(5, 15)], 5 / 15),
    ([(0, 10)], [(10, 20)], 0.0),
    # gold content = union of its fragments: 8 shared chars of 10 in all
    ([(0, 10)], [(0, 4), (6, 10)], 8 / 10),
    # overlapping fragments are not counted twice
    ([(0, 10)], [(0, 6), (4, 10)], 1.0),
    ([], [], 0.0),
])
def test_jaccard(a, b, expected):
    assert jaccard(a, b) == pytest.approx(expected)


@pytest.mark.parametrize("predicted, gold, threshold, expected", [
    # the best pair is taken first, then the next best of what remains
    ([[(0, 10)], [(0, 8)]], [[(0, 10)]], 0.5, [(0, 0, 1.0)]),
    ([[(0, 8)], [(0, 10)]], [[(0, 10)], [(0, 8)]], 0.5, [(0, 1, 1.0), (1, 0, 1.0)]),
    # 5/15 = 0.33: a match at 0.3, not at 0.5
    ([[(0, 10)]], [[(5, 15)]], 0.3, [(0, 0, pytest.approx(1 / 3))]),
    ([[(0, 10)]], [[(5, 15)]], 0.5, []),
])
def test_greedy_match_is_one_to_one_by_best_jaccard(predicted, gold, threshold, expected):
    assert greedy_match(predicted, gold, threshold) == expected


@pytest.mark.parametrize("pred, gold, expected", [
    (Predicted([(0, 5)], (20, 25), "Power"), Gold([(0, 5)], [(20, 25)], "Power"), True),
    # the head word of one is contained in the other
    (Predicted([(0, 5)], (90, 95), "Power"), Gold([(0, 5)], [(20, 34)], "Samantha Power"), True),
    (Predicted([(0, 5)], (90, 96), "Lavrov"), Gold([(0, 5)], [(20, 34)], "Samantha Power"), False),
    (Predicted([(0, 5)], None), Gold([(0, 5)], [(20, 25)], "Power"), False),
    # no gold source: right only when no speaker is predicted
    (Predicted([(0, 5)], None), Gold([(0, 5)], [], ""), True),
])
def test_speaker_correct(pred, gold, expected):
    assert speaker_correct(pred, gold) is expected


def test_score_record_counts():
    predicted = [Predicted([(0, 10)], (50, 55), "Power"), Predicted([(100, 110)])]
    gold = [Gold([(0, 9)], [(50, 55)], "Power"), Gold([(200, 220)], [], "")]
    counts = score_record(predicted, gold, 0.5)
    assert (counts.tp, counts.fp, counts.fn, counts.speaker_ok) == (1, 1, 1, 1)
    assert counts.prf() == pytest.approx((0.5, 0.5, 0.5))


def test_average_over_annotators_is_a_mean_of_micro_figures():
    per_annotator = {"a": Counts(tp=1, fp=0, fn=0, speaker_ok=1),
                     "b": Counts(tp=1, fp=1, fn=1, speaker_ok=0)}
    p, r, f, acc = average_over_annotators(per_annotator)
    assert (p, r, f, acc) == pytest.approx((0.75, 0.75, 0.75, 0.5))


def test_quotes_sharing_a_cue_are_one_attribution():
    text = "“We won,” Power said. “They lost.” He called it “a farce”."
    said = Cue("said", text.index("said"), text.index("said") + 4, "say")
    power = Speaker("Samantha Power", text.index("Power"), text.index("Power") + 5)
    called = Cue("called", text.index("called"), text.index("called") + 6, "call")
    farce = text.index("a farce")
    quotes = [
        Quote(1, 8, "direct", speaker=power, cue=said),
        Quote(text.index("They"), text.index("They") + 10, "direct", speaker=power, cue=said),
        Quote(farce, farce + 7, "partial", cue=called,
              clause=Phrase(text.index("it"), farce + 8, "it “a farce”")),
        Quote(farce, farce + 7, "scare"),  # not speech: left out
    ]
    first, second = attributions_from_spans(quotes, text)
    assert first == Predicted([(1, 8), (quotes[1].start, quotes[1].end)], (power.start, power.end),
                              "Power", "Samantha Power")
    assert second == Predicted([(text.index("it"), farce + 8)], None, "", "")
    # extent "quote": the quoted fragment, not the reported clause
    assert attributions_from_spans(quotes, text, extent="quote")[1].content == [(farce, farce + 7)]

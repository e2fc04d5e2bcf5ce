"""Cutting text into segments so overlapping spans render as flat, correctly classed runs."""
from __future__ import annotations

import pytest

from parallax.report.segments import Mark, split_segments
from parallax.text import paragraph_bounds

TEXT = 'He said "not counter-terrorism, barbarism" today.\n\nSecond para.'


def _runs(text, marks):
    return [[(segment.text, segment.keys) for segment in paragraph] for paragraph in split_segments(text, marks)]


@pytest.mark.parametrize("marks, expected", [
    ([], [[(TEXT[:49], "")], [("Second para.", "")]]),
    # technique inside a quote inside a claim
    ([Mark(0, 49, "c"), Mark(9, 41, "q"), Mark(32, 41, "t")],
     [[("He said \"", "c"), ("not counter-terrorism, ", "c q"), ("barbarism", "c q t"), ("\" today.", "c")],
      [("Second para.", "")]]),
    # two spans crossing each other (neither contains the other)
    ([Mark(3, 12, "a"), Mark(8, 20, "b")],
     [[("He ", ""), ("said ", "a"), ("\"not", "a b"), (" counter", "b"), (TEXT[20:49], "")],
      [("Second para.", "")]]),
    # a span across the paragraph break is cut at it; the blank line is not shown
    ([Mark(43, 57, "x")], [[(TEXT[:43], ""), ("today.", "x")], [("Second", "x"), (" para.", "")]]),
    # empty, reversed and out-of-range marks are dropped
    ([Mark(5, 5, "e"), Mark(9, 3, "r"), Mark(0, 999, "o")], [[(TEXT[:49], "")], [("Second para.", "")]]),
    # two marks with the same key (a quote and its cue) give the key once
    ([Mark(0, 2, "q", "spk"), Mark(0, 7, "q", "cue")], [[("He", "q"), (" said", "q"), (TEXT[7:49], "")],
                                                        [("Second para.", "")]]),
])
def test_split_segments(marks, expected):
    assert _runs(TEXT, marks) == expected


def test_segments_concatenate_back_to_each_paragraph():
    marks = [Mark(s, e, f"k{s}") for s, e in [(0, 30), (5, 9), (9, 60), (40, 41)]]
    paragraphs = split_segments(TEXT, marks)
    assert ["".join(segment.text for segment in paragraph) for paragraph in paragraphs] == \
        [TEXT[s:e] for s, e in paragraph_bounds(TEXT)]


def test_css_is_the_union_of_covering_marks():
    (paragraph,) = split_segments("ab cd", [Mark(0, 5, "q", "q q-direct"), Mark(3, 5, "t", "tech")])
    assert [segment.css for segment in paragraph] == ["q q-direct", "q q-direct tech"]


def test_closing_lists_each_mark_on_its_last_segment_only():
    (paragraph,) = split_segments("ab cd ef", [Mark(0, 5, "t"), Mark(3, 8, "u")])
    assert [[mark.key for mark in segment.closing] for segment in paragraph] == [[], ["t"], ["u"]]


@pytest.mark.parametrize("text, expected", [
    ("one", [(0, 3)]),
    ("  one  \n\n\n two\n", [(2, 5), (11, 14)]),
    ("\n\n", []),
])
def test_paragraph_bounds(text, expected):
    assert paragraph_bounds(text) == expected

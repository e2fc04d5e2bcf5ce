"""Conflicts and omissions only between articles of one story (real encoder, no spaCy).

The bug: BBC on New York burials compared with the Japan Times on Kobe masks gave 15
"omissions". The two articles below are written after that pair (not copied from it).
"""
from __future__ import annotations

from parallax.comparison import compare_analyses, story_pairs
from parallax.model import NUMBER
from test_compare_fixtures import make

BURIALS = make(
    "New York turns to Hart Island to bury its dead. At least 25 people died in the city's hospitals on Thursday, "
    'officials said. "We are burying more people on the island than in any week this century," '
    "Mayor Bill de Blasio told reporters at City Hall.", "BBC",
    quotes=[("We are burying more people on the island than in any week this century,", "direct",
             "Bill de Blasio", "told")],
    entities=[("New York", "GPE", "New York"), ("Bill de Blasio", "PERSON", "Bill de Blasio")],
    claims=[("At least 25", {"kind": "numeric", "score": 0.8, "quantities": [
        {"text": "At least 25", "low": 25, "high": None, "unit": "people"}]})])
MASKS = make(
    "Kobe pharmacies run out of face masks. At least 3 people died in the city's hospitals on Thursday, the "
    'prefecture said. "Every shop on this street sold its last box of masks before noon," '
    "pharmacist Keiko Tanaka told the Japan Times outside her store.", "Japan Times",
    quotes=[("Every shop on this street sold its last box of masks before noon,", "direct", "Keiko Tanaka", "told")],
    entities=[("Kobe", "GPE", "Kobe"), ("Keiko Tanaka", "PERSON", "Keiko Tanaka")],
    claims=[("At least 3", {"kind": "numeric", "score": 0.8, "quantities": [
        {"text": "At least 3", "low": 3, "high": 3, "unit": "people"}]})])
for analysis, title in ((BURIALS, "New York turns to Hart Island to bury its dead"),
                        (MASKS, "Kobe pharmacies run out of face masks")):
    analysis.article.title = title


def test_regression_articles_of_different_stories_get_no_omissions_and_no_conflicts():
    comparison = compare_analyses([BURIALS, MASKS])
    assert comparison.omissions == []
    assert comparison.conflicts == []
    # the gate is what keeps them out: compared as one story, they would be reported
    as_one = compare_analyses([BURIALS, MASKS], stories=[[0, 1]])
    assert as_one.omissions
    assert [c.kind for c in as_one.conflicts] == [NUMBER]


def test_story_pairs_are_the_pairs_inside_each_story():
    assert story_pairs([[0, 2], [1], [3, 4, 5]]) == [(0, 2), (3, 4), (3, 5), (4, 5)]
    assert story_pairs([[0], [1]]) == []

"""Outlet profiles: coverage, blindspots and writing figures, each with what it rests on."""
from __future__ import annotations

from collections import Counter

import pytest

from parallax.corpus.outlets import ArticleFacts, article_facts, outlet_profiles
from parallax.corpus.provenance import CopySummary
from parallax.model import Analysis, Article, Cue, Quote, Speaker, Technique


def _facts(outlet: str, story: str, **deep) -> ArticleFacts:
    facts = ArticleFacts(f"{outlet}-{story}", outlet, story)
    for key, value in deep.items():
        setattr(facts, key, value)
    facts.deep = "words" in deep
    return facts


CORPUS = [
    _facts("A", "s1", words=1000, techniques=Counter({"Loaded_Language": 4}), cues=Counter({"say": 3, "claim": 1})),
    _facts("A", "s2", words=1000, techniques=Counter({"Loaded_Language": 2, "Doubt": 2})),
    _facts("B", "s1"), _facts("B", "s2"), _facts("B", "s3"),
    _facts("C", "s1"), _facts("C", "s3"),
    _facts("D", "s1"), _facts("D", "s3"),
]


def test_coverage_figures_rest_on_every_article() -> None:
    profiles = {p.outlet: p for p in outlet_profiles(CORPUS, {"s3": "Storm hits coast"})}
    assert [p.outlet for p in outlet_profiles(CORPUS)] == ["B", "A", "C", "D"]
    assert profiles["B"].stories == 3 and profiles["B"].story_share.value == 1.0
    assert profiles["A"].story_share.value == pytest.approx(0.667, abs=1e-3)
    assert profiles["A"].story_share.articles == 2


@pytest.mark.parametrize("outlet, blindspots", [("A", ["s3"]), ("B", []), ("C", []), ("D", [])])
def test_a_blindspot_is_a_story_most_outlets_cover(outlet: str, blindspots: list[str]) -> None:
    """s1 is covered by 4 outlets, s3 by 3 (of 4), s2 by 2: only s3 can be A's blindspot."""
    profile = next(p for p in outlet_profiles(CORPUS, {"s3": "Storm hits coast"}) if p.outlet == outlet)
    assert [b.story_id for b in profile.blindspots] == blindspots
    if blindspots:
        assert profile.blindspots[0].title == "Storm hits coast" and profile.blindspots[0].outlets == 3


def test_writing_figures_rest_on_deep_articles_only() -> None:
    a = next(p for p in outlet_profiles(CORPUS) if p.outlet == "A")
    assert a.deep_articles == 2
    assert a.techniques_per_1000_words == {"Doubt": 1.0, "Loaded_Language": 3.0}
    assert a.all_techniques_per_1000_words.value == 4.0 and a.all_techniques_per_1000_words.articles == 2
    assert a.cue_mix == {"say": 0.75, "claim": 0.25}
    b = next(p for p in outlet_profiles(CORPUS) if p.outlet == "B")
    assert b.all_techniques_per_1000_words.value is None and b.all_techniques_per_1000_words.articles == 0
    assert b.copied_share.value is None


def test_article_facts_from_an_analysis_use_the_comparison_figures() -> None:
    text = "Officials said the storm was over. “It is a disaster,” Smith claimed. Fear spreads."
    analysis = Analysis(Article(text, outlet="A"), {
        "quotes": [Quote(36, 52, "direct", speaker=Speaker("John Smith", 54, 59), cue=Cue("claimed", 60, 67, "claim"))],
        "techniques": [Technique(73, 84, "Appeal_to_fear-prejudice", 0.9)],
    })
    facts = article_facts("x", "A", "s1", analysis, CopySummary(paragraphs=1, copied=1, sources={"Reuters": 1}))
    assert facts.deep and facts.words == 14
    assert facts.speakers == Counter({"John Smith": 1}) and facts.cues == Counter({"claim": 1})
    assert facts.paragraphs == 1 and facts.copied_paragraphs == 1
    [profile] = outlet_profiles([facts])
    assert profile.copied_share.value == 1.0 and profile.copied_share.articles == 1
    assert profile.top_speakers == [("John Smith", 1)]

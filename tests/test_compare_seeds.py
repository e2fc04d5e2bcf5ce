"""Golden end-to-end test: the two seed articles through the real pipeline and encoder."""
from __future__ import annotations

import pytest

from parallax.comparison import compare_analyses
from parallax.ingest import load_path
from parallax.model import (
    BY_OUTLET, CAUSE, CONFLICT, NUMBER, QUALIFIER_TIME, RELATED, SAME_FACT, SAME_QUOTE, UNATTRIBUTED,
    VERDICT_DIFFERENT_SCOPE,
)
from parallax.pipeline import Pipeline
from parallax.config import Config


@pytest.fixture(scope="module")
def comparison(seed_paths):
    pipeline = Pipeline(Config(techniques=False, cache=False))
    analyses = [pipeline.analyze(load_path(path)[0]) for path in seed_paths]
    return compare_analyses(analyses)


def _texts(comparison, link):
    zh, gr = (comparison.analyses[ref.article].text[ref.start:ref.end] for ref in (link.a, link.b))
    return zh, gr


def _find_link(comparison, relations, needle_zh, needle_gr):
    for link in comparison.links:
        zh, gr = _texts(comparison, link)
        if link.relation in relations and needle_zh in zh and needle_gr in gr:
            return link
    return None


@pytest.mark.parametrize("relations, needle_zh, needle_gr", [
    ((SAME_QUOTE,), "not counter-terrorism, it is barbarism", "not counterterrorism, it is barbarism"),
    ((SAME_QUOTE,), "barbarism", "not counterterrorism, it is barbarism"),  # the headline partial
    ((SAME_QUOTE,), "Instead of pursuing peace", "Instead of pursuing peace"),
    ((SAME_FACT,), "walked out of the chamber", "left the Security Council chamber"),
    ((SAME_FACT,), "at the request of the United States, Britain and France",
     "called by permanent members the United States, Britain and France"),
    ((SAME_FACT, SAME_QUOTE, RELATED), "almost an impossible task", "almost impossible"),
])
def test_seed_links(comparison, relations, needle_zh, needle_gr):
    link = _find_link(comparison, relations, needle_zh, needle_gr)
    assert link is not None, f"no {relations} link for {needle_zh!r} ~ {needle_gr!r}"
    assert 0 < link.score <= 1
    assert link.evidence.cosine is not None and link.evidence.lexical is not None
    assert (link.evidence.text_a, link.evidence.text_b) == _texts(comparison, link)


def test_seed_casualty_conflict(comparison):
    numbers = [c for c in comparison.conflicts if c.kind == NUMBER]
    assert any("hundreds" in c.a.text and "26 and 43" in c.b.text for c in numbers)
    top = numbers[0]
    assert "civilians" in top.topic and "Aleppo" in top.topic
    assert any(l.relation == CONFLICT and l.evidence.kind == NUMBER for l in comparison.links)


def test_seed_casualty_figures_count_different_periods(comparison):
    """ "hundreds of civilians killed since the cease-fire fell apart last week" (residents,
    per the WSJ) against "between 26 and 43 killed" on Sunday: not a contradiction."""
    conflict = next(c for c in comparison.conflicts if c.kind == NUMBER and "hundreds" in c.a.text)
    zerohedge, global_research = conflict.a, conflict.b
    assert [(q.text, q.key) for q in zerohedge.qualifiers if q.kind == QUALIFIER_TIME] == [
        ("since a cease-fire fell apart last week", "since")]
    assert [(q.text, q.inherited) for q in global_research.qualifiers if q.kind == QUALIFIER_TIME] == [
        ("Sunday", True)]
    assert (zerohedge.attribution.name, zerohedge.attribution.via.text) == ("residents", "the WSJ")
    assert global_research.attribution.kind == BY_OUTLET
    assert "hundreds of civilians have been killed" in zerohedge.sentence.text
    assert global_research.sentence.text.startswith("Between 26 and 43 civilians were reported killed")
    assert conflict.verdict == VERDICT_DIFFERENT_SCOPE
    assert conflict.verdict_reason == "different periods: 'since a cease-fire fell apart last week' vs 'Sunday'"
    link = next(l for l in comparison.links if l.relation == CONFLICT and l.evidence.kind == NUMBER)
    assert link.evidence.verdict == VERDICT_DIFFERENT_SCOPE


def test_seed_ceasefire_cause_conflict(comparison):
    causes = [c for c in comparison.conflicts if c.kind == CAUSE]
    conflict = next(c for c in causes if "aid convoy" in c.a.text and "US aircraft" in c.b.text)
    assert "ceasefire" in conflict.topic
    # Global Research also reports the convoy attack as the cause others give
    assert [x.text for x in conflict.b.also] == ["the aid convoy attack"]


@pytest.mark.parametrize("needle, cue_zh, cue_gr", [
    ("not counter", "told", "told"),
    ("Instead of pursuing peace", "said", "claimed"),
])
def test_seed_framing_of_power_quotes(comparison, needle, cue_zh, cue_gr):
    rows = [row for row in comparison.framing if row.speaker == "Samantha Power" and needle in row.quote]
    assert rows, f"no framing row for Power's {needle!r}"
    first_side = {}
    for side in rows[0].sides:  # per article the fullest quote comes first
        first_side.setdefault(side.article, side.cue.text if side.cue else None)
    assert first_side == {0: cue_zh, 1: cue_gr}


def test_seed_framing_covers_every_same_quote_link(comparison):
    grouped = sorted(i for row in comparison.framing for i in row.links)
    assert grouped == [i for i, link in enumerate(comparison.links) if link.relation == SAME_QUOTE]


def test_seed_coverage_and_outlets(comparison):
    cover = comparison.coverage
    assert cover.speakers["Samantha Power"][0] >= 2 and cover.speakers["Samantha Power"][1] >= 2
    assert all(0 < share < 1 for share in cover.shared_share)
    assert len(cover.unique) == 2 and all(cover.unique)
    assert {o.outlet for o in comparison.outlets} == {"zerohedge", "Global Research"}
    gr_terms = {t.text.lower() for t in comparison.outlets[1].loaded_terms}
    assert {"unsubstantiated", "so-called"} <= gr_terms
    assert {o.article for o in comparison.omissions} == {0, 1}
    for summary in comparison.outlets:  # unattributed quotes are counted, not dropped
        assert sum(summary.speakers.values()) == summary.quotes
        assert sum(counts[summary.article] for counts in cover.speakers.values()) == summary.quotes
    assert any(UNATTRIBUTED in summary.speakers for summary in comparison.outlets)

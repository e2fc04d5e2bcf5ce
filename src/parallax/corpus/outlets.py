"""Outlet profiles across a corpus: what each outlet covers, what it skips, and how it writes.

    facts = [article_facts(article_id, outlet, story_id, analysis, copies) for ...]
    profiles = outlet_profiles(facts, story_titles)

Coverage figures (articles, stories, share of the corpus's stories, blindspots) rest on every
ingested article; writing figures (technique rates, speakers, cue verbs, loaded language) on
the deep-analysed ones; the copied share on the articles whose passages were traced. Each
`Figure` says how many articles it rests on, so a rate from 3 articles is not read as one
from 3,000. The per-article numbers come from comparison.outlets.outlet_summary, the one
home of those figures, so a profile agrees with a story comparison of the same articles.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from parallax.comparison.coverage import speech
from parallax.comparison.outlets import outlet_summaries
from parallax.corpus.provenance import CopySummary
from parallax.model import Analysis
from parallax.text import per_thousand_words

# A blindspot is a story this outlet did not cover though most outlets did: covered by at
# least this share of the corpus's outlets ...
BLINDSPOT_OUTLET_SHARE = 0.5
# ... and by at least this many outlets (with two outlets, "most" is one: not a pattern).
BLINDSPOT_MIN_OUTLETS = 3
# Blindspots listed per outlet, largest stories first.
MAX_BLINDSPOTS = 10
# Speakers listed per outlet, most quoted first.
TOP_SPEAKERS = 10


@dataclass
class Figure:
    """A number and how many articles it rests on (value None: no article to compute it from)."""

    value: float | None
    articles: int


@dataclass
class ArticleFacts:
    """What an outlet profile reads of one article."""

    article_id: str
    outlet: str
    story_id: str | None = None
    words: int = 0  # deep-analysed articles only (0 otherwise)
    techniques: Counter = field(default_factory=Counter)
    speakers: Counter = field(default_factory=Counter)
    cues: Counter = field(default_factory=Counter)
    loaded_terms: int = 0
    deep: bool = False
    paragraphs: int | None = None  # None: passages not traced
    copied_paragraphs: int = 0


@dataclass
class Blindspot:
    story_id: str
    title: str
    outlets: int  # how many outlets covered it


@dataclass
class OutletProfile:
    outlet: str
    articles: int
    stories: int
    story_share: Figure
    blindspots: list[Blindspot]
    deep_articles: int
    techniques_per_1000_words: dict[str, float]
    all_techniques_per_1000_words: Figure
    loaded_per_1000_words: Figure
    top_speakers: list[tuple[str, int]]
    cue_mix: dict[str, float]  # share of attributed speech per cue lemma
    copied_share: Figure  # share of paragraphs copied from another outlet


def article_facts(article_id: str, outlet: str, story_id: str | None = None, analysis: Analysis | None = None,
                  copies: CopySummary | None = None) -> ArticleFacts:
    """The facts of one article: from its Analysis when it was deep-analysed, and from its
    CopySummary (corpus.provenance.summarise) when its passages were traced."""
    facts = ArticleFacts(article_id, outlet, story_id)
    if analysis is not None:
        [summary] = outlet_summaries([analysis])
        facts.deep, facts.words = True, summary.words
        facts.techniques = Counter(span.label for span in analysis.techniques)
        facts.speakers = Counter(summary.speakers)
        facts.cues = Counter(q.cue.lemma or q.cue.text.lower() for q in speech(analysis) if q.cue is not None)
        facts.loaded_terms = len(summary.loaded_terms)
    if copies is not None:
        facts.paragraphs, facts.copied_paragraphs = copies.paragraphs, copies.copied
    return facts


@dataclass
class _Totals:
    articles: int = 0
    stories: set = field(default_factory=set)
    deep: int = 0
    words: int = 0
    techniques: Counter = field(default_factory=Counter)
    speakers: Counter = field(default_factory=Counter)
    cues: Counter = field(default_factory=Counter)
    loaded: int = 0
    traced: int = 0
    paragraphs: int = 0
    copied: int = 0

    def add(self, facts: ArticleFacts) -> None:
        self.articles += 1
        if facts.story_id is not None:
            self.stories.add(facts.story_id)
        if facts.deep:
            self.deep += 1
            self.words += facts.words
            self.techniques.update(facts.techniques)
            self.speakers.update(facts.speakers)
            self.cues.update(facts.cues)
            self.loaded += facts.loaded_terms
        if facts.paragraphs is not None:
            self.traced += 1
            self.paragraphs += facts.paragraphs
            self.copied += facts.copied_paragraphs


def outlet_profiles(facts: Iterable[ArticleFacts], story_titles: dict[str, str] | None = None) -> list[OutletProfile]:
    """One profile per outlet, most articles first. Memory: per outlet, its story ids and counters."""
    totals: dict[str, _Totals] = defaultdict(_Totals)
    for item in facts:
        totals[item.outlet].add(item)
    story_outlets: Counter = Counter(story for t in totals.values() for story in t.stories)
    stories = len(story_outlets)
    large = [story for story, count in story_outlets.most_common()
             if count >= max(BLINDSPOT_MIN_OUTLETS, BLINDSPOT_OUTLET_SHARE * len(totals))]
    titles = story_titles or {}
    return [_profile(outlet, t, stories, large, story_outlets, titles)
            for outlet, t in sorted(totals.items(), key=lambda item: (-item[1].articles, item[0]))]


def _profile(outlet: str, t: _Totals, stories: int, large: list[str], story_outlets: Counter,
             titles: dict[str, str]) -> OutletProfile:
    blindspots = [Blindspot(story, titles.get(story, ""), story_outlets[story])
                  for story in large if story not in t.stories][:MAX_BLINDSPOTS]
    said = sum(t.cues.values())
    return OutletProfile(
        outlet=outlet, articles=t.articles, stories=len(t.stories),
        story_share=Figure(round(len(t.stories) / stories, 3) if stories else None, t.articles),
        blindspots=blindspots, deep_articles=t.deep,
        techniques_per_1000_words={name: per_thousand_words(count, t.words)
                                   for name, count in sorted(t.techniques.items())},
        all_techniques_per_1000_words=Figure(per_thousand_words(sum(t.techniques.values()), t.words)
                                             if t.deep else None, t.deep),
        loaded_per_1000_words=Figure(per_thousand_words(t.loaded, t.words) if t.deep else None, t.deep),
        top_speakers=t.speakers.most_common(TOP_SPEAKERS),
        cue_mix={cue: round(count / said, 3) for cue, count in t.cues.most_common()},
        copied_share=Figure(round(t.copied / t.paragraphs, 3) if t.paragraphs else None, t.traced))


__all__ = ["ArticleFacts", "Blindspot", "Figure", "OutletProfile", "article_facts", "outlet_profiles"]

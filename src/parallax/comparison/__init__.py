"""Cross-article comparison: align, find conflicts, describe framing and coverage.

`compare_analyses(analyses, encode) -> Comparison` fills, with the types of parallax.model:
- `links`: Link(relation, a=Ref, b=Ref, score 0..1, Evidence), relation one of RELATIONS,
  sorted by article pair, then relation (strongest first), then position.
- `conflicts`: Conflict (number or cause) with a ConflictSide per article; a number side
  carries its sentence, time/place/population qualifiers and attribution, a number
  conflict its verdict (conflict, different_scope, different_source).
- `framing`: a FramingRow per shared quote (a connected group of same_quote links; every
  same_quote link is in exactly one row), with a FramingSide per copy.
- `coverage`: Coverage (speakers, shared shares, unique sentences).
- `omissions`: Omission per notable quote or claim an article leaves out.
- `outlets`: OutletSummary per article (comparison.outlets.outlet_summaries).

Conflicts and omissions are only found between articles of one story: the inputs are
grouped with the corpus's story grouping (corpus.same_story, over the analyses' titles and
leads; no store needed) unless the caller passes `stories`.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from parallax.comparison.align import align, quotes_needing_vectors
from parallax.comparison.conflicts import causal_statements, conflict_links, find_conflicts
from parallax.comparison.coverage import coverage, omissions
from parallax.comparison.framing import framing
from parallax.comparison.outlets import outlet_summaries
from parallax.comparison.units import Unit, entity_aliases, quote_units, sentence_units, unify_entities
from parallax.corpus.same_story import story_groups
from parallax.errors import UsageError
from parallax.model import RELATIONS, SAME_QUOTE, VERDICT_CONFLICT, Analysis, Comparison, Link


def _claim_texts(analyses: list[Analysis]) -> list[str]:
    """Claim sentences and cause/effect phrases (conflicts compare them)."""
    texts = []
    for analysis in analyses:
        texts += [analysis.snippet(claim) for claim in analysis.claims]
        for _, causal in causal_statements(analysis):
            texts += [causal.cause.text, causal.effect.text]
    return texts


# Encodes texts to unit-length vectors, one row per text (Pipeline.encode: the packaged
# sentence encoder, reusing vectors stored with each article).
Encoder = Callable[[list[str]], np.ndarray]


def _embed(units: list[Unit], extra: list[str], encode: Encoder) -> tuple[np.ndarray, dict[str, int]]:
    """Encode every distinct text once, in one batch; set each unit's vector_row."""
    rows: dict[str, int] = {}
    for text in [u.text for u in units] + extra:
        rows.setdefault(text, len(rows))
    vectors = encode(list(rows)) if rows else np.zeros((0, 1), dtype=np.float32)
    for unit in units:
        unit.vector_row = rows[unit.text]
    return vectors, rows


def _without_superseded(links: list[Link], conflicts: list[Link]) -> list[Link]:
    """A pair found in real conflict is not also reported as the same fact; figures of a
    different scope or source may still state one fact, so their link stays."""
    pairs = {(c.a.article, c.a.start, c.b.article, c.b.start) for c in conflicts
             if c.evidence.verdict in (None, VERDICT_CONFLICT)}
    return [l for l in links
            if l.relation == SAME_QUOTE or (l.a.article, l.a.start, l.b.article, l.b.start) not in pairs]


def story_pairs(stories: list[list[int]]) -> list[tuple[int, int]]:
    """The (i, j), i < j, pairs of articles in one story."""
    return sorted((min(i, j), max(i, j)) for group in stories for n, i in enumerate(group) for j in group[n + 1:])


def _stories(analyses: list[Analysis], encode: Encoder) -> list[list[int]]:
    """The analyses grouped into stories by their title + lead vectors."""
    return story_groups(analyses, lambda analysis, texts: encode(texts))


def compare_analyses(analyses: list[Analysis], encode: Encoder | None = None,
                     stories: list[list[int]] | None = None) -> Comparison:
    """Compare 2..N annotated articles on one story; `encode` gives sentence vectors
    (default: the packaged encoder, nothing stored). `stories` groups the analyses'
    indices into stories (default: corpus.same_story's grouping of them); conflicts and
    omissions are only reported within a story."""
    if encode is None:
        from parallax.embeddings import encode
    if len(analyses) < 2:
        raise UsageError(f"compare needs at least 2 articles; got {len(analyses)}")
    if stories is None:
        stories = _stories(analyses, encode)
    quotes = [quote_units(a, i) for i, a in enumerate(analyses)]
    sentences = [sentence_units(a, i) for i, a in enumerate(analyses)]
    every_unit = [u for group in quotes + sentences for u in group]
    unify_entities(every_unit, entity_aliases({name for u in every_unit for name in u.entities}))
    # Encode what is compared by meaning: sentences, claims, and the quotes that have a
    # candidate counterpart (most quotes have none; skipping them saves a third of the time).
    units = [u for group in sentences for u in group] + quotes_needing_vectors(quotes)
    vectors, rows = _embed(units, _claim_texts(analyses), encode)

    def vector(text: str) -> np.ndarray:
        return vectors[rows[text]]

    links = align(quotes, sentences, vectors)
    found = find_conflicts(analyses, vector, story_pairs(stories))
    conflicting = conflict_links(found)
    links = _without_superseded(links, conflicting) + conflicting
    links.sort(key=lambda l: (l.a.article, l.b.article, RELATIONS.index(l.relation), l.a.start))
    cover = coverage(analyses, links)
    return Comparison(analyses=analyses, links=links, conflicts=found, framing=framing(analyses, links),
                      coverage=cover, omissions=omissions(analyses, links, stories),
                      outlets=outlet_summaries(analyses, cover))


__all__ = ["compare_analyses", "story_pairs"]

"""Framing of shared quotes: the cue verb, hedges, scare quotes and loaded words each
outlet puts around the same words."""
from __future__ import annotations

from parallax.comparison.lexicon import HEDGE_RE, LOADED_RE, cue_note, cue_tone, find_terms
from parallax.model import (
    QUOTED_KINDS, SAME_QUOTE, SCARE, TERM_HEDGE, TERM_LOADED, Analysis, Cue, FramingRow, FramingSide, Link, Phrase,
    Quote, Term,
)

# Characters of quote text shown as the framing entry's title.
QUOTE_PREVIEW_CHARS = 90
# Hedge words that are usually a cue verb or noun of somebody else's speech ("he claimed",
# "the claims"), so they do not count as the outlet's own loaded language.
CUE_LIKE_HEDGES = frozenset({"claimed", "claims"})

# One copy of a quote: (article, start, end).
Node = tuple[int, int, int]


def _sentences_around(analysis: Analysis, start: int, end: int) -> tuple[int, int]:
    """From the start of the sentence holding `start` to the end of the one holding `end`."""
    lo, hi = start, end
    for sentence in analysis.sentences:
        if sentence.start <= start < sentence.end:
            lo = min(lo, sentence.start)
        if sentence.start < end <= sentence.end:
            hi = max(hi, sentence.end)
    return lo, hi


def own_voice(analysis: Analysis, terms: list[Phrase]) -> list[Phrase]:
    """Terms that are not inside anybody's quoted words (direct or partial quotes)."""
    quoted = [q for q in analysis.quotes if q.label in QUOTED_KINDS]
    return [t for t in terms if not any(q.start <= t.start and t.end <= q.end for q in quoted)]


def _quote_at(analysis: Analysis, start: int, end: int) -> Quote | None:
    return next((q for q in analysis.quotes if q.start == start and q.end == end), None)


def _overlaps(a: Phrase, cue: Cue | None) -> bool:
    return cue is not None and a.start < cue.end and cue.start < a.end


def frame_side(analysis: Analysis, article: int, start: int, end: int) -> FramingSide:
    """How article `article` frames its quote text[start:end]."""
    quote = _quote_at(analysis, start, end)
    cue = quote.cue if quote else None
    lo, hi = _sentences_around(analysis, start, cue.end if cue and cue.end > end else end)
    if cue and cue.start < lo:
        lo = _sentences_around(analysis, cue.start, cue.start + 1)[0]
    text = analysis.text
    # the cue verb is reported as the cue, not again as a hedge or loaded word
    hedges = [h for h in own_voice(analysis, find_terms(HEDGE_RE, text, lo, hi)) if not _overlaps(h, cue)]
    loaded = [t for t in own_voice(analysis, find_terms(LOADED_RE, text, lo, hi)) if not _overlaps(t, cue)]
    scare = [Phrase(q.start, q.end, analysis.snippet(q))
             for q in analysis.quotes if q.label == SCARE and lo <= q.start and q.end <= hi]
    return FramingSide(article, start, end, text[start:end], cue, cue_tone(cue), cue_note(cue),
                       hedges, scare, loaded, Phrase(lo, hi, text[lo:hi]))


def quote_groups(links: list[Link]) -> list[tuple[list[int], list[Node]]]:
    """Connected groups of same_quote links: ([link indices], [(article, start, end)])."""
    parent: dict[Node, Node] = {}

    def root(node: Node) -> Node:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    quote_links = [(i, l) for i, l in enumerate(links) if l.relation == SAME_QUOTE]
    for _, link in quote_links:
        a, b = (link.a.article, link.a.start, link.a.end), (link.b.article, link.b.start, link.b.end)
        parent[root(b)] = root(a)
    groups: dict[Node, list[Node]] = {}
    for node in parent:
        groups.setdefault(root(node), []).append(node)
    members: dict[Node, list[int]] = {}
    for index, link in quote_links:
        members.setdefault(root((link.a.article, link.a.start, link.a.end)), []).append(index)
    # within an article the fullest quote comes first: it is the one a reader compares
    return sorted((members[r], sorted(nodes, key=lambda n: (n[0], n[1] - n[2]))) for r, nodes in groups.items())


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= QUOTE_PREVIEW_CHARS:
        return flat
    return flat[:QUOTE_PREVIEW_CHARS].rsplit(" ", 1)[0] + "..."


def framing(analyses: list[Analysis], links: list[Link]) -> list[FramingRow]:
    """One row per shared quote (a group of same_quote links; every such link is in one
    row): each side's cue verb, hedges, scare quotes and loaded words."""
    rows = []
    for members, nodes in quote_groups(links):
        quotes = [_quote_at(analyses[article], start, end) for article, start, end in nodes]
        speaker = next((q.speaker_name for q in quotes if q is not None and q.speaker_name), None)
        longest = max((analyses[a].text[s:e] for a, s, e in nodes), key=len)
        rows.append(FramingRow(_preview(longest), speaker, members,
                               [frame_side(analyses[a], a, s, e) for a, s, e in nodes]))
    return rows


def loaded_terms(analysis: Analysis) -> list[Term]:
    """Loaded qualifiers and doubt-casting hedges in the outlet's own voice."""
    text = analysis.text
    found = [(t, TERM_LOADED) for t in find_terms(LOADED_RE, text, 0, len(text))]
    found += [(t, TERM_HEDGE) for t in find_terms(HEDGE_RE, text, 0, len(text)) if t.text.lower() not in CUE_LIKE_HEDGES]
    own = {(t.start, t.end) for t in own_voice(analysis, [t for t, _ in found])}
    unique = {(t.start, t.end): Term(t.start, t.end, t.text, kind) for t, kind in found if (t.start, t.end) in own}
    return sorted(unique.values(), key=lambda t: t.start)

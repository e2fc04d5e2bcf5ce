"""Framing of shared quotes: the cue verb, hedges, scare quotes and loaded words each
outlet puts around the same words."""
from __future__ import annotations

from parallax.comparison.lexicon import HEDGE_RE, LOADED_RE, cue_tone, find_terms
from parallax.model import Analysis, Link, Span

# Characters of quote text shown as the framing entry's title.
QUOTE_PREVIEW_CHARS = 90


def _sentences_around(analysis: Analysis, start: int, end: int) -> tuple[int, int]:
    """From the start of the sentence holding `start` to the end of the one holding `end`."""
    lo, hi = start, end
    for sentence in analysis["sentences"]:
        if sentence.start <= start < sentence.end:
            lo = min(lo, sentence.start)
        if sentence.start < end <= sentence.end:
            hi = max(hi, sentence.end)
    return lo, hi


def own_voice(analysis: Analysis, terms: list[dict]) -> list[dict]:
    """Terms that are not inside anybody's quoted words (direct or partial quotes)."""
    quoted = [q for q in analysis["quotes"] if q.label in ("direct", "partial")]
    return [t for t in terms if not any(q.start <= t["start"] and t["end"] <= q.end for q in quoted)]


def _quote_at(analysis: Analysis, start: int, end: int) -> Span | None:
    for quote in analysis["quotes"]:
        if quote.start == start and quote.end == end:
            return quote
    return None


def _overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def frame_side(analysis: Analysis, article: int, start: int, end: int) -> dict:
    """How article `article` frames its quote text[start:end]."""
    quote = _quote_at(analysis, start, end)
    cue = (quote.attrs.get("cue") if quote else None) or None
    lo, hi = _sentences_around(analysis, start, cue["end"] if cue and cue["end"] > end else end)
    if cue and cue["start"] < lo:
        lo = _sentences_around(analysis, cue["start"], cue["start"] + 1)[0]
    text = analysis.text
    hedges = own_voice(analysis, find_terms(HEDGE_RE, text, lo, hi))
    if cue:  # the cue verb is reported as the cue, not again as a hedge or loaded word
        hedges = [h for h in hedges if not _overlaps(h, cue)]
    scare = [{"text": analysis.snippet(q), "start": q.start, "end": q.end}
             for q in analysis["quotes"] if q.label == "scare" and lo <= q.start and q.end <= hi]
    loaded = [t for t in own_voice(analysis, find_terms(LOADED_RE, text, lo, hi)) if not (cue and _overlaps(t, cue))]
    return {"article": article, "start": start, "end": end,
            "cue": {k: cue[k] for k in ("text", "start", "end")} if cue else None,
            "cue_tone": cue_tone(cue), "hedges": hedges, "scare_quotes": scare, "loaded": loaded,
            "sentence": {"start": lo, "end": hi}}


def quote_groups(links: list[Link]) -> list[tuple[list[int], list[tuple[int, int, int]]]]:
    """Connected groups of same_quote links: ([link indices], [(article, start, end)])."""
    parent: dict[tuple[int, int, int], tuple[int, int, int]] = {}

    def root(node: tuple[int, int, int]) -> tuple[int, int, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    quote_links = [(i, l) for i, l in enumerate(links) if l.relation == "same_quote"]
    for _, link in quote_links:
        a, b = (link.a.article, link.a.start, link.a.end), (link.b.article, link.b.start, link.b.end)
        parent[root(b)] = root(a)
    groups: dict[tuple[int, int, int], list[tuple[int, int, int]]] = {}
    for node in parent:
        groups.setdefault(root(node), []).append(node)
    members: dict[tuple[int, int, int], list[int]] = {}
    for index, link in quote_links:
        members.setdefault(root((link.a.article, link.a.start, link.a.end)), []).append(index)
    # within an article the fullest quote comes first: it is the one a reader compares
    return sorted((members[r], sorted(nodes, key=lambda n: (n[0], n[1] - n[2]))) for r, nodes in groups.items())


def framing(analyses: list[Analysis], links: list[Link]) -> list[dict]:
    """One entry per shared quote (a group of same_quote links): each side's cue verb,
    hedges, scare quotes and loaded words. Per article the fullest quote comes first."""
    entries = []
    for members, nodes in quote_groups(links):
        quotes = [_quote_at(analyses[article], start, end) for article, start, end in nodes]
        speaker = next(((q.attrs.get("speaker") or {}).get("name") for q in quotes
                        if q is not None and (q.attrs.get("speaker") or {}).get("name")), None)
        longest = max((analyses[a].text[s:e] for a, s, e in nodes), key=len)
        preview = " ".join(longest.split())
        if len(preview) > QUOTE_PREVIEW_CHARS:
            preview = preview[:QUOTE_PREVIEW_CHARS].rsplit(" ", 1)[0] + "..."
        entries.append({"quote": preview, "speaker": speaker, "link": members[0], "links": members,
                        "sides": [frame_side(analyses[a], a, s, e) for a, s, e in nodes]})
    return entries


def loaded_terms(analysis: Analysis) -> list[dict]:
    """Loaded qualifiers and doubt-casting hedges in the outlet's own voice."""
    text = analysis.text
    terms = [dict(t, kind="loaded") for t in find_terms(LOADED_RE, text, 0, len(text))]
    terms += [dict(t, kind="hedge") for t in find_terms(HEDGE_RE, text, 0, len(text))
              if t["text"].lower() not in ("claimed", "claims")]  # usually cue verbs / nouns
    unique = {(t["start"], t["end"]): t for t in own_voice(analysis, terms)}
    return sorted(unique.values(), key=lambda t: t["start"])

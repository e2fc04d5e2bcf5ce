"""What the HTML report highlights in each article, and the tooltip text of each highlight.

A `Marker` collects marks per article and one tooltip entry (`info`) per key. The article
layers give quotes (with speaker and cue), claims and technique spans; the panels add link,
conflict and jump-target marks as they are built, so a panel row and its passages share a key.
"""
from __future__ import annotations

from typing import Any

from parallax.comparison.lexicon import cue_note
from parallax.model import BY_MODEL, CONFLICT, RELATED, SAME_FACT, SAME_QUOTE, SCARE, Analysis, Claim, Link, Quote, Technique
from parallax.report.segments import Mark
from parallax.report.summary import format_range, pretty_technique, short
from parallax.techniques.definitions import DEFINITIONS

TIP_SNIPPET = 110  # characters of a partner passage quoted in a link's tooltip
# Link strength buckets (score floor, level): the underline gets thicker with the score.
# 0.8: near-verbatim quotes and facts sharing names and words (seeds: same quotes 0.82-1.0);
# 0.6: a confident same fact (seeds: the walkout 0.63); below: borderline matches near the
# aligner's bars (SAME_FACT_SCORE 0.5, RELATED_SCORE 0.44).
LINK_STRENGTHS = ((0.8, 3, "strong"), (0.6, 2, "medium"), (0.0, 1, "weak"))
LINKING_PREFIXES = ("L", "X")  # keys shared by passages of two articles: links, conflicts

RELATION_TITLES = {
    SAME_QUOTE: "Same quote",
    SAME_FACT: "Same fact",
    CONFLICT: "Conflicting fact",
    RELATED: "Related passage",
}


class Marker:
    """Marks per article plus a tooltip/metadata entry per key."""

    def __init__(self, analyses: list[Analysis]) -> None:
        self.analyses = analyses
        self.marks: list[list[Mark]] = [[] for _ in analyses]
        self.info: dict[str, dict[str, Any]] = {}
        self._refs = 0

    def valid(self, article: int, start: int, end: int) -> bool:
        """Whether (article, start, end) is a non-empty range of one of the texts (an empty or
        misplaced one is left out of the view rather than breaking the page)."""
        return 0 <= article < len(self.analyses) and 0 <= start < end <= len(self.analyses[article].text)

    def add(self, article: int, start: int, end: int, key: str, css: str = "") -> bool:
        if not self.valid(article, start, end):
            return False
        self.marks[article].append(Mark(start, end, key, css))
        return True

    def ref(self, article: int, start: int, end: int, css: str = "", info: dict[str, Any] | None = None) -> str | None:
        """A jump target for text[start:end] of article `article`; its key, or None."""
        key = f"R{self._refs}"
        if not self.add(article, start, end, key, css):
            return None
        self._refs += 1
        if info:
            self.info[key] = info
        return key

    def text(self, article: int, start: int, end: int) -> str:
        return self.analyses[article].text[start:end]


def _quote_info(quote: Quote) -> dict[str, Any]:
    if quote.label == SCARE:
        return {"kind": "quote", "title": "Scare quote",
                "lines": ["Quotation marks the writer puts around a word to distance themselves from it."]}
    lines = [f"Speaker: {quote.speaker_name or 'unknown'}"]
    if quote.cue and quote.cue.text:
        note = cue_note(quote.cue)
        lines.append(f"Cue verb: {quote.cue.text}" + (f" (loaded: {note})" if note else ""))
    if quote.found_by == BY_MODEL:  # a stance or plan PolNeAR counts as attribution, no verb of saying needed
        lines.append(f"Found by the attribution model, probability {quote.score:.2f}")
    else:
        lines.append(f"Confidence {quote.score:.2f}")
    return {"kind": "quote", "title": f"{quote.label.capitalize()} quote", "lines": lines}


def _claim_info(claim: Claim) -> dict[str, Any]:
    lines = [f"\u201c{q.text}\u201d = {format_range(q.low, q.high)} {q.unit}".rstrip() for q in claim.quantities]
    if claim.causal:
        lines.append(f"Cause: {short(claim.causal.cause.text, TIP_SNIPPET)}")
    if claim.actors:
        lines.append("Actors: " + ", ".join(claim.actors))
    lines.append(f"Check-worthiness {claim.score:.2f}")
    return {"kind": "claim", "title": f"Claim ({claim.kind})", "lines": lines}


def strength(score: float) -> tuple[int, str]:
    """A link score's bucket: (level 1..3, word)."""
    return next((level, word) for floor, level, word in LINK_STRENGTHS if score >= floor)


def is_linking(key: str) -> bool:
    return key.startswith(LINKING_PREFIXES) and key[1:].isdigit()


def _technique_info(span: Technique, article: int) -> dict[str, Any]:
    """`score`, `article` and `label` let the page's script recount every technique figure."""
    return {"kind": "technique", "title": f"{pretty_technique(span.label)} \u00b7 {span.score:.2f}",
            "lines": [DEFINITIONS.get(span.label, "")], "score": span.score, "name": pretty_technique(span.label),
            "article": article, "label": span.label}


def mark_layers(marker: Marker, index: int) -> None:
    """Quotes (kind, speaker, cue), claims and technique spans of article `index`."""
    analysis = marker.analyses[index]
    for number, quote in enumerate(analysis.quotes):
        key = f"a{index}q{number}"
        marker.add(index, quote.start, quote.end, key, f"q q-{quote.label}")
        marker.info[key] = _quote_info(quote)
        for part, css in ((quote.speaker, "spk"), (quote.cue, "cue")):
            if part is not None:
                marker.add(index, part.start, part.end, key, css)
    for number, claim in enumerate(analysis.claims):
        key = f"a{index}c{number}"
        marker.add(index, claim.start, claim.end, key, "claim")
        marker.info[key] = _claim_info(claim)
    for number, technique in enumerate(analysis.techniques):
        key = f"a{index}t{number}"
        marker.add(index, technique.start, technique.end, key, "tech")
        marker.info[key] = _technique_info(technique, index)


def mark_links(marker: Marker, links: list[Link], names: list[str]) -> None:
    """Both passages of every link share the key L<n>: hovering one lights up the other.
    `lines` quotes each side, in the order of `articles` (the page shows the partner's)."""
    for number, link in enumerate(links):
        key = f"L{number}"
        if not all(marker.valid(ref.article, ref.start, ref.end) for ref in (link.a, link.b)):
            continue
        for ref in (link.a, link.b):
            marker.add(ref.article, ref.start, ref.end, key, f"lnk lnk-{link.relation}")
        lines = [f"{names[ref.article]}: \u201c{short(marker.text(ref.article, ref.start, ref.end), TIP_SNIPPET)}\u201d"
                 for ref in (link.a, link.b)]
        level, word = strength(link.score)
        marker.info[key] = {
            "kind": "link", "title": f"{RELATION_TITLES[link.relation]} \u00b7 {link.score:.2f}",
            "lines": lines, "articles": [link.a.article, link.b.article], "relation": link.relation,
            "score": link.score, "strength": level, "strength_label": f"{word} link",
        }

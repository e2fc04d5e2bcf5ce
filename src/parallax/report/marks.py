"""What the HTML report highlights in each article, and the tooltip text of each highlight.

A `Marker` collects marks per article and one tooltip entry (`info`) per key. The article
layers give quotes (with speaker and cue), claims and technique spans; the panels add link,
conflict and jump-target marks as they are built, so a panel row and its passages share a key.
"""
from __future__ import annotations

from typing import Any

from parallax.model import Analysis, Span
from parallax.report.segments import Mark
from parallax.report.summary import cue_parts, format_value, pretty_technique, short, speaker_name
from parallax.techniques.definitions import DEFINITIONS

TIP_SNIPPET = 110  # characters of a partner passage quoted in a link's tooltip

RELATION_TITLES = {
    "same_quote": "Same quote",
    "same_fact": "Same fact",
    "conflict": "Conflicting fact",
    "related": "Related passage",
}


class Marker:
    """Marks per article plus a tooltip/metadata entry per key."""

    def __init__(self, analyses: list[Analysis]) -> None:
        self.analyses = analyses
        self.marks: list[list[Mark]] = [[] for _ in analyses]
        self.info: dict[str, dict[str, Any]] = {}
        self._refs = 0

    def valid(self, article: Any, start: Any, end: Any) -> bool:
        """Whether (article, start, end) points into one of the texts (panel dicts come from
        another stage; a bad one is left out of the view rather than breaking the page)."""
        return (isinstance(article, int) and 0 <= article < len(self.analyses)
                and isinstance(start, int) and isinstance(end, int)
                and 0 <= start < end <= len(self.analyses[article].text))

    def add(self, article: int, start: int, end: int, key: str, css: str = "") -> bool:
        if not self.valid(article, start, end):
            return False
        self.marks[article].append(Mark(start, end, key, css))
        return True

    def ref(self, side: dict[str, Any] | None, css: str = "", info: dict[str, Any] | None = None) -> str | None:
        """A jump target for a Ref-shaped dict {"article", "start", "end"}; its key, or None."""
        side = side or {}
        key = f"R{self._refs}"
        if not self.add(side.get("article"), side.get("start"), side.get("end"), key, css):
            return None
        self._refs += 1
        if info:
            self.info[key] = info
        return key

    def text(self, article: int, start: int, end: int) -> str:
        return self.analyses[article].text[start:end]


def _quote_info(span: Span) -> dict[str, Any]:
    if span.label == "scare":
        return {"kind": "quote", "title": "Scare quote",
                "lines": ["Quotation marks the writer puts around a word to distance themselves from it."]}
    lines = [f"Speaker: {speaker_name(span) or 'unknown'}"]
    cue_text, loaded_note = cue_parts(span.attrs.get("cue"))
    if cue_text:
        lines.append(f"Cue verb: {cue_text}" + (f" (loaded: {loaded_note})" if loaded_note else ""))
    lines.append(f"Confidence {span.score:.2f}")
    return {"kind": "quote", "title": f"{(span.label or 'quote').capitalize()} quote", "lines": lines}


def _claim_info(span: Span) -> dict[str, Any]:
    kind = span.attrs.get("kind")
    lines = []
    for quantity in span.attrs.get("quantities") or []:
        value = format_value([quantity.get("low"), quantity.get("high")])
        unit = quantity.get("unit") or ""
        lines.append(f"\u201c{quantity.get('text', '')}\u201d = {value} {unit}".rstrip())
    causal = span.attrs.get("causal")
    if isinstance(causal, dict) and isinstance(causal.get("cause"), dict):
        lines.append(f"Cause: {short(causal['cause'].get('text', ''), TIP_SNIPPET)}")
    if span.attrs.get("actors"):
        lines.append("Actors: " + ", ".join(map(str, span.attrs["actors"])))
    score = span.attrs.get("score", span.score)
    if isinstance(score, (int, float)):
        lines.append(f"Check-worthiness {score:.2f}")
    return {"kind": "claim", "title": f"Claim ({kind})" if kind else "Claim", "lines": lines}


def _technique_info(span: Span) -> dict[str, Any]:
    return {"kind": "technique", "title": f"{pretty_technique(span.label)} \u00b7 {span.score:.2f}",
            "lines": [DEFINITIONS.get(span.label, "")], "score": span.score, "name": pretty_technique(span.label)}


def _point(value: Any) -> tuple[int, int] | None:
    if isinstance(value, dict) and isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
        return value["start"], value["end"]
    return None


def mark_layers(marker: Marker, index: int) -> None:
    """Quotes (kind, speaker, cue), claims and technique spans of article `index`."""
    analysis = marker.analyses[index]
    for number, quote in enumerate(analysis["quotes"]):
        key = f"a{index}q{number}"
        marker.add(index, quote.start, quote.end, key, f"q q-{quote.label or 'direct'}")
        marker.info[key] = _quote_info(quote)
        for part, css in (("speaker", "spk"), ("cue", "cue")):
            point = _point(quote.attrs.get(part))
            if point:
                marker.add(index, *point, key, css)
    for number, claim in enumerate(analysis["claims"]):
        key = f"a{index}c{number}"
        marker.add(index, claim.start, claim.end, key, "claim")
        marker.info[key] = _claim_info(claim)
    for number, technique in enumerate(analysis["techniques"]):
        key = f"a{index}t{number}"
        marker.add(index, technique.start, technique.end, key, "tech")
        marker.info[key] = _technique_info(technique)


def mark_links(marker: Marker, links: list, names: list[str]) -> None:
    """Both passages of every link share the key L<n>: hovering one lights up the other."""
    for number, link in enumerate(links):
        key = f"L{number}"
        if not all(marker.valid(ref.article, ref.start, ref.end) for ref in (link.a, link.b)):
            continue
        for ref in (link.a, link.b):
            marker.add(ref.article, ref.start, ref.end, key, f"lnk lnk-{link.relation}")
        lines = [f"{names[ref.article]}: \u201c{short(marker.text(ref.article, ref.start, ref.end), TIP_SNIPPET)}\u201d"
                 for ref in (link.a, link.b)]
        lines.append("Click to jump to the partner passage.")
        marker.info[key] = {
            "kind": "link", "title": f"{RELATION_TITLES.get(link.relation, link.relation)} \u00b7 {link.score:.2f}",
            "lines": lines, "articles": [link.a.article, link.b.article],
        }

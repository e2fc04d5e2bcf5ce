"""Figures both the terminal summary and the HTML report show, computed once from the model.

The compare stage already puts most of them in the Comparison (coverage, outlets, framing);
these helpers read them there and fall back to the article layers when a key is missing, so
a list of plain Analyses gets the same per-article figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parallax.comparison.lexicon import LOADED_CUES, cue_lemma
from parallax.errors import UsageError
from parallax.model import Analysis, Comparison, Span

WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
# Technique rates are per this many words, the usual unit in media-bias studies.
RATE_WORDS = 1000


def unpack(obj: Analysis | list[Analysis] | Comparison) -> tuple[list[Analysis], Comparison | None]:
    """The analyses to show, and the Comparison when there is one."""
    if isinstance(obj, Comparison):
        return obj.analyses, obj
    analyses = [obj] if isinstance(obj, Analysis) else obj
    if not isinstance(analyses, list) or not all(isinstance(item, Analysis) for item in analyses):
        raise UsageError(
            f"cannot render {type(obj).__name__}; valid: an Analysis, a list of Analysis, or a Comparison"
        )
    return analyses, None


def outlet_name(analysis: Analysis, index: int) -> str:
    """A short name for column headers: the outlet, else the source file, else "Article N"."""
    article = analysis.article
    return article.outlet or article.source.rsplit("/", 1)[-1] or f"Article {index + 1}"


def name_at(names: list[str], article: Any) -> str:
    """The outlet name of article index `article` (from another stage's dict), or "?"."""
    return names[article] if isinstance(article, int) and 0 <= article < len(names) else "?"


def short(text: str, limit: int = 90) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut + "\u2026"


def plural(count: int, noun: str) -> str:
    """"1 quote", "2 quotes", "1,204 words"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def speaker_name(quote: Span) -> str | None:
    speaker = quote.attrs.get("speaker")
    if isinstance(speaker, dict):
        return speaker.get("name") or None
    return speaker or None


def speaker_counts(analysis: Analysis) -> dict[str, int]:
    """Quotes per named speaker in one article, most quoted first."""
    counts: dict[str, int] = {}
    for quote in analysis["quotes"]:
        name = speaker_name(quote)
        if name:
            counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def who_is_quoted(analyses: list[Analysis], comparison: Comparison | None) -> list[dict[str, int]]:
    """Per article, {speaker: number of quotes}, most quoted first; from the Comparison's
    coverage when present (its names are aligned across articles), else from the quote layers."""
    speakers = (comparison.coverage.get("speakers") if comparison else None) or {}
    if not speakers:
        return [speaker_counts(analysis) for analysis in analyses]
    per_article: list[dict[str, int]] = [{} for _ in analyses]
    for name, counts in speakers.items():
        for index, count in enumerate(counts[: len(analyses)]):
            if count:
                per_article[index][name] = int(count)
    return [dict(sorted(c.items(), key=lambda item: (-item[1], item[0]))) for c in per_article]


def technique_rates(analysis: Analysis) -> dict[str, float]:
    """Technique spans per 1,000 words of the article, by technique."""
    words = max(word_count(analysis.text), 1)
    counts: dict[str, int] = {}
    for technique in analysis["techniques"]:
        counts[technique.label] = counts.get(technique.label, 0) + 1
    return {name: count * RATE_WORDS / words for name, count in sorted(counts.items())}


def all_technique_rates(analyses: list[Analysis], comparison: Comparison | None) -> list[dict[str, float]]:
    """Per article technique rates: the compare stage's figures when present, else computed."""
    outlets = comparison.outlets if comparison else []
    rates = []
    for index, analysis in enumerate(analyses):
        given = outlets[index].get("techniques_per_1000_words") if index < len(outlets) else None
        rates.append(dict(given) if given else technique_rates(analysis))
    return rates


def pretty_technique(name: str) -> str:
    """"Name_Calling,Labeling" -> "Name calling, labeling"."""
    words = name.replace("_", " ").replace(",", ", ").replace("-", " ")
    return words[:1].upper() + words[1:].lower() if words else name


def format_value(value: Any) -> str:
    """A conflict side's value: [200, 999] or {"low", "high"} -> "200–999"; else as text."""
    if isinstance(value, dict) and "low" in value:
        value = [value.get("low"), value.get("high")]
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, (int, float)) or v is None
                                                                     for v in value):
        low, high = (_number(v) for v in value)
        return low if low == high else f"{low}\u2013{high}"
    if isinstance(value, float):
        return _number(value)
    return "" if value is None else str(value)


def _number(value: float | int | None) -> str:
    if value is None:
        return "\u221e"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def quote_at(analysis: Analysis, start: int, end: int) -> Span | None:
    """The quote span that overlaps [start, end) most, if any."""
    best, best_overlap = None, 0
    for quote in analysis["quotes"]:
        overlap = min(quote.end, end) - max(quote.start, start)
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    return best


@dataclass
class FramingCell:
    """How one outlet carries one shared quote."""

    article: int
    start: int
    end: int
    cue: str | None = None
    cue_note: str | None = None  # why the cue verb is loaded ("casts doubt ..."); None if neutral
    hedges: list[str] = field(default_factory=list)
    scare_quotes: list[str] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)


@dataclass
class FramingRow:
    """A quote shared by two or more outlets, with one cell per article (None: not carried)."""

    quote: str
    speaker: str | None
    cells: list[FramingCell | None]


def _texts(items: Any) -> list[str]:
    return [item.get("text", "") if isinstance(item, dict) else str(item) for item in items or []]


def cue_parts(cue: Any) -> tuple[str | None, str | None]:
    """The cue verb's text, and the lexicon's reason when the verb is a loaded one."""
    if not isinstance(cue, dict):
        return (str(cue) if cue else None), None
    return cue.get("text") or None, LOADED_CUES.get(cue_lemma(cue))


def _cell_from_side(side: dict[str, Any]) -> FramingCell:
    cue, note = cue_parts(side.get("cue"))
    return FramingCell(
        article=int(side.get("article", 0)), start=int(side.get("start", 0)), end=int(side.get("end", 0)),
        cue=cue, cue_note=note,
        hedges=_texts(side.get("hedges")), scare_quotes=_texts(side.get("scare_quotes")),
        loaded=_texts(side.get("loaded")),
    )


def _cell_from_quote(analyses: list[Analysis], article: int, start: int, end: int) -> FramingCell:
    quote = quote_at(analyses[article], start, end)
    cue, note = cue_parts(quote.attrs.get("cue") if quote else None)
    return FramingCell(article, start, end, cue=cue, cue_note=note)


def framing_rows(comparison: Comparison) -> list[FramingRow]:
    """Shared quotes and how each outlet frames them: the compare stage's framing entries,
    plus any same_quote link no framing entry covers (cue verb read from the quote layer)."""
    analyses = comparison.analyses
    rows: list[FramingRow] = []
    covered_links: set[int] = set()
    for entry in comparison.framing:
        cells: list[FramingCell | None] = [None] * len(analyses)
        for side in entry.get("sides", []):
            cell = _cell_from_side(side)
            if 0 <= cell.article < len(analyses) and cells[cell.article] is None:
                cells[cell.article] = cell
        # "links" lists every same_quote link of the entry's group; "link" is the first.
        covered_links.update(i for i in [entry.get("link"), *entry.get("links", [])] if isinstance(i, int))
        rows.append(FramingRow(entry.get("quote", ""), entry.get("speaker"), cells))
    for index, link in enumerate(comparison.links):
        if link.relation != "same_quote" or index in covered_links:
            continue
        cells = [None] * len(analyses)
        for ref in (link.a, link.b):
            cells[ref.article] = _cell_from_quote(analyses, ref.article, ref.start, ref.end)
        quote = quote_at(analyses[link.a.article], link.a.start, link.a.end)
        text = analyses[link.a.article].text[link.a.start:link.a.end]
        rows.append(FramingRow(text, speaker_name(quote) if quote else None, cells))
    return rows

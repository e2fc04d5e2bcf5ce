"""View models of the HTML report's panels: plain dicts the template renders.

Panels that point into the texts (conflicts, framing, omissions, unique passages) register
their passages with the Marker, so each row can jump to its passage and vice versa.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from parallax.comparison.conflict_text import credit, qualifier_notes, verdict_label
from parallax.model import NUMBER, Analysis, Comparison, Conflict, ConflictSide, Coverage, OutletSummary
from parallax.report.marks import Marker
from parallax.report.summary import framing_cells, pretty_technique, ranked, short, side_value, speaker_totals
from parallax.techniques.definitions import DEFINITIONS
from parallax.text import per_thousand_words

PANEL_SNIPPET = 220  # characters of a passage quoted in a panel
PANEL_SENTENCE = 400  # characters of a conflict side's sentence (nearly all are shorter: shown whole)
MAX_BARS = 10  # speakers drawn per outlet; the rest are summed into one "others" bar
# One colour per speaker, the same in every outlet's chart (Okabe-Ito-like, colour-blind safe).
SPEAKER_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a6fbd", "#8c8c3a",
                   "#b8860b", "#4b8b8b")
OTHERS_COLOUR = "#b0b0b0"
FRAMING_MARKS = (("hedges", "Hedge"), ("scare_quotes", "Scare quote"), ("loaded", "Loaded term"))


def _conflict_side(marker: Marker, conflict: Conflict, side: ConflictSide, names: list[str],
                   key: str) -> dict[str, Any]:
    placed = marker.add(side.article, side.start, side.end, key, "conf")
    number = conflict.kind == NUMBER
    return {"article": side.article, "name": names[side.article], "text": short(side.text, PANEL_SNIPPET),
            "value": side_value(conflict, side), "key": key if placed else None,
            "sentence": short(side.sentence.text, PANEL_SENTENCE) if number else None,
            "says": credit(side.attribution) if number else "",
            "qualifiers": [{"label": label, "text": text} for label, text in qualifier_notes(side)]}


def _verdict(conflict: Conflict) -> dict[str, str] | None:
    """A number conflict's verdict, its words and its reason (cause conflicts have none)."""
    if conflict.kind != NUMBER:
        return None
    return {"verdict": conflict.verdict, "label": verdict_label(conflict.verdict), "reason": conflict.verdict_reason}


def conflicts_view(marker: Marker, comparison: Comparison, names: list[str]) -> list[dict[str, Any]]:
    """One card per conflict; both passages carry the key X<n> (hover one, see the other).
    A number conflict's card gives its verdict and, per side, the sentence, who says so and
    the figure's time, place and population qualifiers."""
    cards = []
    for number, conflict in enumerate(comparison.conflicts):
        key = f"X{number}"
        sides = [_conflict_side(marker, conflict, side, names, key) for side in (conflict.a, conflict.b)]
        verdict = _verdict(conflict)
        marker.info[key] = {
            "kind": "conflict", "title": f"Conflict ({conflict.kind}): {conflict.topic}",
            "lines": ([f"Verdict: {verdict['label']} ({verdict['reason']})"] if verdict else [])
                     + [conflict.explanation] + [f"{s['name']}: {s['value']}" for s in sides if s["value"]],
            "articles": [side["article"] for side in sides],
        }
        cards.append({"kind": conflict.kind, "topic": conflict.topic, "score": conflict.score,
                      "explanation": conflict.explanation, "sides": sides, "verdict": verdict})
    return cards


def _mark_framing_words(marker: Marker, comparison: Comparison) -> None:
    """Hedges, scare quotes and loaded terms the framing analysis found, marked in the text."""
    for row in comparison.framing:
        info_line = f"Framing of {row.speaker or 'a'} quote: \u201c{short(row.quote, 80)}\u201d"
        for side in row.sides:
            for field, title in FRAMING_MARKS:
                for item in getattr(side, field):
                    marker.ref(side.article, item.start, item.end, "hedge",
                               {"kind": "framing", "title": title, "lines": [info_line]})


def loaded_terms_view(marker: Marker, outlets: list[OutletSummary]) -> list[list[str]]:
    """Per article, the loaded words the outlet uses in its own voice; each is marked in the text."""
    terms: list[list[str]] = [[] for _ in outlets]
    for summary in outlets:
        for term in summary.loaded_terms:
            marker.ref(summary.article, term.start, term.end, "hedge", {
                "kind": "framing", "title": "Loaded term",
                "lines": ["An evaluative word in the outlet's own voice, outside any quote."]})
            if term.text not in terms[summary.article]:
                terms[summary.article].append(term.text)
    return terms


def framing_view(marker: Marker, comparison: Comparison, names: list[str]) -> dict[str, Any]:
    """Shared quote x outlet: the cue verb, hedges, scare quotes and loaded terms."""
    _mark_framing_words(marker, comparison)
    rows = []
    for row in comparison.framing:
        cells: list[dict[str, Any] | None] = []
        for cell in framing_cells(row, len(names)):
            if cell is None:
                cells.append(None)
                continue
            cells.append({"article": cell.article, "key": marker.ref(cell.article, cell.start, cell.end),
                          "cue": cell.cue.text if cell.cue else None, "cue_note": cell.cue_note,
                          "hedges": [h.text for h in cell.hedges],
                          "scare_quotes": [q.text for q in cell.scare_quotes],
                          "loaded": [t.text for t in cell.loaded]})
        rows.append({"speaker": row.speaker, "quote": short(row.quote, 140), "cells": cells})
    return {"names": names, "rows": rows}


def speaker_colours(per_article: list[dict[str, int]]) -> dict[str, str]:
    """The most quoted speakers overall get distinct colours; the same name, the same colour."""
    return {name: SPEAKER_COLOURS[rank] if rank < len(SPEAKER_COLOURS) else OTHERS_COLOUR
            for rank, name in enumerate(ranked(speaker_totals(per_article)))}


def who_quoted_view(outlets: list[OutletSummary], coverage: Coverage | None, names: list[str]) -> list[dict[str, Any]]:
    """Per outlet, a bar per speaker (quotes credited to them, unattributed ones included),
    longest bar = 100%; the chart's total is the outlet's quote count."""
    per_article = [summary.speakers for summary in outlets]
    quoted_chars = coverage.speaker_chars if coverage else {}
    colours = speaker_colours(per_article)
    widest = max((count for counts in per_article for count in counts.values()), default=1)
    charts = []
    for index, (name, summary) in enumerate(zip(names, outlets)):
        items = list(summary.speakers.items())
        cut = len(items) if len(items) <= MAX_BARS + 1 else MAX_BARS  # an "others" bar for one speaker hides a name
        shown, rest = items[:cut], sum(count for _, count in items[cut:])
        bars = [{"speaker": speaker, "count": count, "pct": round(100 * count / widest, 1), "colour": colours[speaker],
                 "chars": quoted_chars[speaker][index] if speaker in quoted_chars else None}
                for speaker, count in shown]
        if rest:
            bars.append({"speaker": f"{len(items) - cut} other speakers", "count": rest,
                         "pct": round(100 * min(rest, widest) / widest, 1), "colour": OTHERS_COLOUR, "chars": None})
        charts.append({"name": name, "total": summary.quotes, "bars": bars})
    return charts


def unique_view(marker: Marker, comparison: Comparison, names: list[str]) -> dict[str, Any]:
    """Omissions (what one outlet leaves out) and each article's passages no other carries."""
    omissions: dict[str, list[dict[str, Any]]] = {}  # outlet that lacks the material -> what it lacks
    for omission in comparison.omissions:
        source = omission.source
        omissions.setdefault(names[omission.article], []).append({
            "carrier": names[source.article], "article": source.article, "kind": omission.kind,
            "key": marker.ref(source.article, source.start, source.end),
            "label": short(omission.summary or source.text, PANEL_SNIPPET),
        })
    passages = []
    unique = comparison.coverage.unique if comparison.coverage else []
    for article, items in enumerate(unique):
        info = {"kind": "unique", "title": f"Only in {names[article]}", "lines": []}
        entries = [{"text": short(item.text, PANEL_SNIPPET),
                    "key": marker.ref(article, item.start, item.end, "uniq", info)} for item in items]
        passages.append({"name": names[article], "article": article, "entries": entries})
    groups = [{"lacking": lacking, "entries": entries} for lacking, entries in omissions.items()]
    return {"omissions": groups, "passages": passages}


def technique_counts(analyses: list[Analysis], threshold: float) -> list[Counter[str]]:
    """Per article, its technique spans scored at or above `threshold`, by technique."""
    return [Counter(span.label for span in analysis.techniques if span.score >= threshold) for analysis in analyses]


def techniques_view(analyses: list[Analysis], outlets: list[OutletSummary], names: list[str],
                    threshold: float) -> dict[str, Any]:
    """Technique spans per 1,000 words, technique x outlet, counting spans at or above the
    threshold (the page's script recounts them as the slider moves, with the same rounding);
    every technique found at any score gets a row, hidden while it has no span shown."""
    counts = technique_counts(analyses, threshold)
    words = [summary.words for summary in outlets]
    techniques = sorted({span.label for analysis in analyses for span in analysis.techniques})
    rates = [{name: per_thousand_words(per_article[name], count) for name in techniques}
             for per_article, count in zip(counts, words)]
    top = max((rate for per_article in rates for rate in per_article.values()), default=0.0) or 1.0
    rows = [{"label": name, "technique": pretty_technique(name), "definition": DEFINITIONS.get(name, ""),
             "on": any(per_article[name] for per_article in counts),
             "cells": [{"article": index, "rate": per_article[name], "pct": round(100 * per_article[name] / top, 1)}
                       for index, per_article in enumerate(rates)]}
            for name in techniques]
    totals = [per_thousand_words(sum(per_article.values()), count) for per_article, count in zip(counts, words)]
    return {"names": names, "rows": rows, "totals": totals, "shown": sum(row["on"] for row in rows)}


def overview_view(analyses: list[Analysis], comparison: Comparison | None, outlets: list[OutletSummary],
                  names: list[str], loaded_terms: list[list[str]], threshold: float) -> dict[str, Any]:
    """Headline figures per outlet (with its loaded words), and the overall share of content
    shared; the technique count is of the spans at or above the threshold, as the slider's."""
    counts = technique_counts(analyses, threshold)
    cards = []
    for index, (name, analysis, summary) in enumerate(zip(names, analyses, outlets)):
        share = summary.shared_share
        cards.append({"name": name, "words": summary.words, "quotes": summary.quotes,
                      "claims": len(analysis.claims), "techniques": sum(counts[index].values()),
                      "shared": share, "shared_pct": None if share is None else round(100 * share),
                      "loaded_terms": loaded_terms[index]})
    coverage = comparison.coverage if comparison else None
    return {"shared_score": coverage.shared_score if coverage else None, "outlets": cards,
            "conflicts": len(comparison.conflicts) if comparison else 0,
            "links": len(comparison.links) if comparison else 0}

"""View models of the HTML report's panels: plain dicts the template renders.

Panels that point into the texts (conflicts, framing, omissions, unique passages) register
their passages with the Marker, so each row can jump to its passage and vice versa.
"""
from __future__ import annotations

from typing import Any

from parallax.model import Analysis, Comparison
from parallax.report.marks import Marker
from parallax.report.summary import (
    all_technique_rates,
    format_value,
    framing_rows,
    name_at,
    pretty_technique,
    short,
    who_is_quoted,
    word_count,
)
from parallax.techniques.definitions import DEFINITIONS

PANEL_SNIPPET = 220  # characters of a passage quoted in a panel
MAX_BARS = 10  # speakers drawn per outlet; the rest are summed into one "others" bar
# One colour per speaker, the same in every outlet's chart (Okabe-Ito-like, colour-blind safe).
SPEAKER_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a6fbd", "#8c8c3a",
                   "#b8860b", "#4b8b8b")
OTHERS_COLOUR = "#b0b0b0"
FRAMING_MARKS = (("hedges", "Hedge"), ("scare_quotes", "Scare quote"), ("loaded", "Loaded term"))


def conflicts_view(marker: Marker, comparison: Comparison, names: list[str]) -> list[dict[str, Any]]:
    """One card per conflict; both passages carry the key X<n> (hover one, see the other)."""
    cards = []
    for number, conflict in enumerate(comparison.conflicts):
        key = f"X{number}"
        sides = []
        for label in ("a", "b"):
            side = conflict.get(label) or {}
            article = side.get("article")
            placed = marker.add(article, side.get("start"), side.get("end"), key, "conf")
            value, text = format_value(side.get("value")), side.get("text", "")
            sides.append({"article": article, "name": name_at(names, article), "text": short(text, PANEL_SNIPPET),
                          "value": value if value != text else "",  # a cause's value is often its text
                          "key": key if placed else None})
        topic = conflict.get("topic", "")
        marker.info[key] = {
            "kind": "conflict", "title": f"Conflict ({conflict.get('kind', '?')}): {topic}",
            "lines": [conflict.get("explanation", "")] + [f"{s['name']}: {s['value']}" for s in sides if s["value"]],
            "articles": [side["article"] for side in sides],
        }
        cards.append({"kind": conflict.get("kind", "conflict"), "topic": topic, "score": conflict.get("score"),
                      "explanation": conflict.get("explanation", ""), "sides": sides})
    return cards


def _mark_framing_words(marker: Marker, comparison: Comparison) -> None:
    """Hedges, scare quotes and loaded terms the framing analysis found, marked in the text."""
    for entry in comparison.framing:
        for side in entry.get("sides", []):
            for field, title in FRAMING_MARKS:
                for item in side.get(field) or []:
                    if isinstance(item, dict):
                        marker.ref({"article": side.get("article"), **item}, "hedge",
                                   {"kind": "framing", "title": title, "lines": [
                                       f"Framing of {entry.get('speaker') or 'a'} quote: "
                                       f"\u201c{short(entry.get('quote', ''), 80)}\u201d"]})


def loaded_terms_view(marker: Marker, comparison: Comparison, names: list[str]) -> list[list[str]]:
    """Per article, the loaded words the outlet uses in its own voice; each is marked in the text."""
    terms: list[list[str]] = [[] for _ in names]
    for summary in comparison.outlets:
        article = summary.get("article")
        if not isinstance(article, int) or not 0 <= article < len(names):
            continue
        for term in summary.get("loaded_terms") or []:
            if isinstance(term, dict):
                marker.ref({"article": article, **term}, "hedge", {
                    "kind": "framing", "title": "Loaded term",
                    "lines": ["An evaluative word in the outlet's own voice, outside any quote."]})
                term = term.get("text", "")
            if term and term not in terms[article]:
                terms[article].append(str(term))
    return terms


def framing_view(marker: Marker, comparison: Comparison, names: list[str]) -> dict[str, Any]:
    """Shared quote x outlet: the cue verb, hedges, scare quotes and loaded terms."""
    _mark_framing_words(marker, comparison)
    rows = []
    for row in framing_rows(comparison):
        cells = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            key = marker.ref({"article": cell.article, "start": cell.start, "end": cell.end})
            cells.append({"article": cell.article, "key": key, "cue": cell.cue, "cue_note": cell.cue_note,
                          "hedges": cell.hedges,
                          "scare_quotes": cell.scare_quotes, "loaded": cell.loaded})
        rows.append({"speaker": row.speaker, "quote": short(row.quote, 140), "cells": cells})
    return {"names": names, "rows": rows}


def speaker_colours(per_article: list[dict[str, int]]) -> dict[str, str]:
    """The most quoted speakers overall get distinct colours; the same name, the same colour."""
    totals: dict[str, int] = {}
    for counts in per_article:
        for name, count in counts.items():
            totals[name] = totals.get(name, 0) + count
    ranked = sorted(totals, key=lambda name: (-totals[name], name))
    return {name: SPEAKER_COLOURS[rank] if rank < len(SPEAKER_COLOURS) else OTHERS_COLOUR
            for rank, name in enumerate(ranked)}


def _at(values: Any, index: int) -> Any:
    return values[index] if isinstance(values, list) and index < len(values) else None


def who_quoted_view(analyses: list[Analysis], comparison: Comparison | None, names: list[str]) -> list[dict[str, Any]]:
    """Per outlet, a bar per speaker (quotes attributed to them), longest bar = 100%."""
    per_article = who_is_quoted(analyses, comparison)
    quoted_chars = (comparison.coverage.get("speaker_chars") if comparison else None) or {}
    colours = speaker_colours(per_article)
    widest = max((count for counts in per_article for count in counts.values()), default=1)
    charts = []
    for index, (name, counts) in enumerate(zip(names, per_article)):
        items = list(counts.items())
        cut = len(items) if len(items) <= MAX_BARS + 1 else MAX_BARS  # an "others" bar for one speaker hides a name
        shown, rest = items[:cut], sum(count for _, count in items[cut:])
        bars = [{"speaker": speaker, "count": count, "pct": round(100 * count / widest, 1),
                 "colour": colours[speaker], "chars": _at(quoted_chars.get(speaker), index)}
                for speaker, count in shown]
        if rest:
            bars.append({"speaker": f"{len(items) - cut} other speakers", "count": rest,
                         "pct": round(100 * min(rest, widest) / widest, 1), "colour": OTHERS_COLOUR, "chars": None})
        charts.append({"name": name, "total": sum(counts.values()), "bars": bars})
    return charts


def unique_view(marker: Marker, comparison: Comparison, names: list[str]) -> dict[str, Any]:
    """Omissions (what one outlet leaves out) and each article's passages no other carries."""
    omissions: dict[str, list[dict[str, Any]]] = {}  # outlet that lacks the material -> what it lacks
    for omission in comparison.omissions:
        source = omission.get("source") or {}
        lacking = name_at(names, omission.get("article"))
        omissions.setdefault(lacking, []).append({
            "carrier": name_at(names, source.get("article")), "article": source.get("article"),
            "kind": omission.get("kind", "material"), "key": marker.ref(source),
            "label": short(omission.get("summary") or source.get("text", ""), PANEL_SNIPPET),
        })
    passages = []
    unique = comparison.coverage.get("unique") or []
    for article, items in enumerate(unique[: len(names)]):
        entries = []
        for item in items or []:
            info = {"kind": "unique", "title": f"Only in {names[article]}", "lines": []}
            key = marker.ref({"article": article, **item}, "uniq", info) if isinstance(item, dict) else None
            entries.append({"text": short(item.get("text", "") if isinstance(item, dict) else str(item),
                                          PANEL_SNIPPET), "key": key})
        passages.append({"name": names[article], "article": article, "entries": entries})
    groups = [{"lacking": lacking, "entries": entries} for lacking, entries in omissions.items()]
    return {"omissions": groups, "passages": passages}


def techniques_view(analyses: list[Analysis], comparison: Comparison | None, names: list[str]) -> dict[str, Any]:
    """Technique spans per 1,000 words, technique x outlet, with the largest rate = a full bar."""
    rates = all_technique_rates(analyses, comparison)
    techniques = sorted({name for per_article in rates for name in per_article})
    top = max((rate for per_article in rates for rate in per_article.values()), default=0.0) or 1.0
    rows = [{"technique": pretty_technique(name), "definition": DEFINITIONS.get(name, ""),
             "cells": [{"rate": per_article.get(name, 0.0), "pct": round(100 * per_article.get(name, 0.0) / top, 1)}
                       for per_article in rates]}
            for name in techniques]
    totals = [sum(per_article.values()) for per_article in rates]
    return {"names": names, "rows": rows, "totals": totals}


def overview_view(analyses: list[Analysis], comparison: Comparison | None, names: list[str],
                  loaded_terms: list[list[str]]) -> dict[str, Any]:
    """Headline figures per outlet (with its loaded words), and the overall share of content shared."""
    coverage = comparison.coverage if comparison else {}
    shares = coverage.get("shared_share")
    outlets = []
    for index, (name, analysis) in enumerate(zip(names, analyses)):
        share = _at(shares, index)
        outlets.append({"name": name, "words": word_count(analysis.text), "quotes": len(analysis["quotes"]),
                        "claims": len(analysis["claims"]), "techniques": len(analysis["techniques"]),
                        "shared": share, "shared_pct": None if share is None else round(100 * share),
                        "loaded_terms": loaded_terms[index]})
    return {"shared_score": coverage.get("shared_score"), "outlets": outlets,
            "conflicts": len(comparison.conflicts) if comparison else 0,
            "links": len(comparison.links) if comparison else 0}

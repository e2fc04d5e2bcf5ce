"""View models of the article columns, the legend and the embedded data of the HTML report.

Every figure the page's script changes (technique spans shown, link strength dimming) is
rendered here at the page's starting thresholds too, so the page reads the same with or
without its script, and the script only redoes what a slider changes.
"""
from __future__ import annotations

import re
from typing import Any

from parallax.model import QUOTE_KINDS, RELATED, SAME_QUOTE, Analysis, Comparison, OutletSummary
from parallax.report.json_out import document
from parallax.report.marks import LINK_STRENGTHS, Marker, is_linking, strength
from parallax.report.segments import Segment, split_segments
from parallax.report.summary import base_name, outlet_name

# Links scored below this start dimmed (the toolbar's link slider moves it): under the
# aligner's same-fact bar (SAME_FACT_SCORE, 0.5) a pair is only topically related (seeds:
# 0.44-0.50) or a weak conflict, worth a look but not the reader's first attention.
DEFAULT_LINK_THRESHOLD = 0.5
# Strings in an article's metadata that name a place on the author's disk: an absolute or
# home-relative POSIX path, a Windows drive path, or a file: URL.
_LOCAL_PATH = re.compile(r"^(?:/|~[\\/]|[A-Za-z]:[\\/]|file:)", re.IGNORECASE)


def _scrub(value: Any) -> Any:
    """Metadata with every local path cut to its base name (a page may be shared: the
    folders of whoever made it are not the reader's business)."""
    if isinstance(value, str):
        return base_name(value) if _LOCAL_PATH.match(value) else value
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    return value


def public_url(url: str) -> str:
    return base_name(url) if _LOCAL_PATH.match(url) else url


def public_document(obj: Analysis | list[Analysis] | Comparison) -> dict[str, Any]:
    """`document(obj)`, same shape, minus local paths: `source` keeps only its base name,
    a file: `url` and path-like metadata too."""
    doc = document(obj)
    for article in doc["articles"]:
        article["source"] = base_name(article["source"])
        article["url"] = public_url(article["url"])
        article["meta"] = _scrub(article["meta"])
    return doc


def _tags(segment: Segment, info: dict[str, dict[str, Any]], threshold: float) -> list[dict[str, Any]]:
    """Technique name badges shown after the last segment of each technique span."""
    tags = []
    for mark in segment.closing:
        entry = info.get(mark.key, {})
        if entry.get("kind") == "technique":
            tags.append({"key": mark.key, "name": entry["name"], "score": entry["score"],
                         "on": entry["score"] >= threshold})
    return tags


def _segment_view(segment: Segment, info: dict[str, dict[str, Any]], threshold: float,
                  link_threshold: float) -> dict[str, Any]:
    classes = [segment.css]
    technique_scores = [info[m.key]["score"] for m in segment.marks if info.get(m.key, {}).get("kind") == "technique"]
    if technique_scores and max(technique_scores) >= threshold:
        classes.append("tech-on")
    # A segment under several links shows the strongest (its thickest underline).
    link_scores = [info[m.key]["score"] for m in segment.marks if info.get(m.key, {}).get("kind") == "link"]
    link_score = max(link_scores) if link_scores else None
    if link_score is not None:
        classes.append(f"lnk-s{strength(link_score)[0]}")
        if link_score < link_threshold:
            classes.append("lnk-dim")
    # One tab stop per linked passage: its first segment (the others light up with it).
    focusable = any(is_linking(m.key) and m.start == segment.start for m in segment.marks)
    return {"text": segment.text, "css": " ".join(classes), "k": segment.keys, "tags": _tags(segment, info, threshold),
            "ls": None if link_score is None else f"{link_score:.2f}", "focus": focusable}


def article_view(marker: Marker, index: int, figures: OutletSummary, threshold: float,
                 link_threshold: float) -> dict[str, Any]:
    analysis = marker.analyses[index]
    article = analysis.article
    paragraphs = [[_segment_view(segment, marker.info, threshold, link_threshold) for segment in paragraph]
                  for paragraph in split_segments(analysis.text, marker.marks[index])]
    techniques = sum(span.score >= threshold for span in analysis.techniques)
    return {
        "index": index, "name": outlet_name(analysis, index), "title": article.title, "url": public_url(article.url),
        "authors": article.authors, "published": article.published, "original_source": article.original_source,
        "paragraphs": paragraphs,
        "counts": {"quotes": figures.quotes, "claims": len(analysis.claims), "techniques": techniques},
    }


def legend(compared: bool) -> list[dict[str, str]]:
    quotes = [{"css": f"q q-{kind}", "label": f"{kind} quote"} for kind in QUOTE_KINDS]
    items = quotes + [
        {"css": "spk", "label": "speaker"}, {"css": "cue", "label": "cue verb"},
        {"css": "claim", "label": "claim"}, {"css": "tech tech-on", "label": "technique"},
        {"css": "hedge", "label": "hedge / loaded word"},
    ]
    if not compared:
        return items
    strongest = LINK_STRENGTHS[0][1]
    return items + [
        {"css": f"lnk lnk-{SAME_QUOTE} lnk-s{strongest}", "label": "same quote / fact (thicker: stronger)"},
        {"css": f"lnk lnk-{SAME_QUOTE} lnk-s1 lnk-dim", "label": "weak link (dimmed)"},
        {"css": f"lnk lnk-{RELATED} lnk-s1", "label": "related passage"},
        {"css": "lnk lnk-conflict lnk-s2", "label": "conflicting passages"},
        {"css": "conf", "label": "conflicting figure"},
    ]


def embedded_data(obj: Analysis | list[Analysis] | Comparison, marker: Marker, names: list[str],
                  outlets: list[OutletSummary], threshold: float, link_threshold: float) -> dict[str, Any]:
    """What the page's script reads (`px-data`): the JSON document (minus local paths), the
    tooltip of every key (technique and link scores included) and what the figures need."""
    return {"document": public_document(obj), "info": marker.info, "threshold": threshold,
            "link_threshold": link_threshold, "names": names, "words": [summary.words for summary in outlets]}

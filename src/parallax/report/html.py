"""One self-contained HTML report: articles side by side with highlights, and the panels.

Works offline: CSS and JS are inlined from `templates/`, there are no external URLs, and the
JSON document is embedded with Jinja's `tojson` (which escapes <, >, & and ' as \\u003c ...),
so no text can close the script element. Every piece of user text goes through Jinja
autoescaping.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from parallax.comparison.outlets import outlet_figures
from parallax.errors import UsageError
from parallax.model import QUOTE_KINDS, RELATED, Analysis, Comparison, OutletSummary
from parallax.report.json_out import document
from parallax.report.marks import Marker, mark_layers, mark_links
from parallax.report.panels import (
    conflicts_view,
    framing_view,
    loaded_terms_view,
    overview_view,
    techniques_view,
    unique_view,
    who_quoted_view,
)
from parallax.report.segments import split_segments
from parallax.report.summary import outlet_name, plural, unpack

DEFAULT_THRESHOLD = 0.5  # technique spans below this confidence start hidden (slider can change it)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("parallax.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["plural"] = plural
    return environment


@lru_cache(maxsize=None)
def _asset(name: str) -> Markup:
    """A static CSS/JS file of ours, inlined as-is (it is not user text)."""
    return Markup(resources.files("parallax.report").joinpath("templates", name).read_text(encoding="utf-8"))


def _tags(segment, info: dict[str, dict[str, Any]], threshold: float) -> list[dict[str, Any]]:
    """Technique name badges shown after the last segment of each technique span."""
    tags = []
    for mark in segment.closing:
        entry = info.get(mark.key, {})
        if entry.get("kind") == "technique":
            tags.append({"key": mark.key, "name": entry["name"], "score": entry["score"],
                         "on": entry["score"] >= threshold})
    return tags


def _segment_view(segment, info: dict[str, dict[str, Any]], threshold: float) -> dict[str, Any]:
    css = segment.css
    technique_scores = [info[m.key]["score"] for m in segment.marks if info.get(m.key, {}).get("kind") == "technique"]
    if technique_scores and max(technique_scores) >= threshold:
        css += " tech-on"
    return {"text": segment.text, "css": css, "k": segment.keys, "tags": _tags(segment, info, threshold)}


def _article_view(marker: Marker, index: int, figures: OutletSummary, threshold: float) -> dict[str, Any]:
    analysis = marker.analyses[index]
    article = analysis.article
    paragraphs = [[_segment_view(segment, marker.info, threshold) for segment in paragraph]
                  for paragraph in split_segments(analysis.text, marker.marks[index])]
    return {
        "index": index, "name": outlet_name(analysis, index), "title": article.title, "url": article.url,
        "authors": article.authors, "published": article.published, "original_source": article.original_source,
        "paragraphs": paragraphs,
        "counts": {"quotes": figures.quotes, "claims": len(analysis.claims), "techniques": figures.techniques},
    }


def _legend() -> list[dict[str, str]]:
    quotes = [{"css": f"q q-{kind}", "label": f"{kind} quote"} for kind in QUOTE_KINDS]
    return quotes + [
        {"css": "spk", "label": "speaker"}, {"css": "cue", "label": "cue verb"},
        {"css": "claim", "label": "claim"}, {"css": "tech tech-on", "label": "technique"},
        {"css": "hedge", "label": "hedge / loaded word"}, {"css": "lnk", "label": "same quote / fact"},
        {"css": f"lnk lnk-{RELATED}", "label": "related passage"},
        {"css": "conf", "label": "conflict"},
    ]


def build_page(obj: Analysis | list[Analysis] | Comparison, threshold: float) -> dict[str, Any]:
    """The whole view model of the report; panels first, since they add marks to the texts."""
    analyses, comparison = unpack(obj)
    outlets = outlet_figures(analyses, comparison)
    names = [outlet_name(analysis, index) for index, analysis in enumerate(analyses)]
    marker = Marker(analyses)
    for index in range(len(analyses)):
        mark_layers(marker, index)
    page: dict[str, Any] = {"comparison": comparison is not None, "threshold": threshold}
    if comparison is not None:
        mark_links(marker, comparison.links, names)
        page["conflicts"] = conflicts_view(marker, comparison, names)
        page["framing"] = framing_view(marker, comparison, names)
        page["unique"] = unique_view(marker, comparison, names)
    # Loaded words are marked in the text of compared articles, beside their framing.
    loaded_terms = loaded_terms_view(marker, outlets) if comparison else [[] for _ in names]
    page["overview"] = overview_view(analyses, comparison, outlets, names, loaded_terms)
    page["quoted"] = who_quoted_view(outlets, comparison.coverage if comparison else None, names)
    page["techniques"] = techniques_view(outlets, names)
    page["articles"] = [_article_view(marker, index, outlets[index], threshold) for index in range(len(analyses))]
    page["legend"] = _legend()
    scores = [span.score for analysis in analyses for span in analysis.techniques]
    page["techniques_total"] = len(scores)
    page["techniques_shown"] = sum(score >= threshold for score in scores)
    titles = [analysis.article.title for analysis in analyses if analysis.article.title]
    page["title"] = titles[0] if titles else " vs ".join(names)
    page["data"] = {"document": document(obj), "info": marker.info, "threshold": threshold}
    return page


def render_html(obj: Analysis | list[Analysis] | Comparison, threshold: float = DEFAULT_THRESHOLD) -> str:
    """The report as one HTML string that works offline."""
    if not 0.0 <= threshold <= 1.0:
        raise UsageError(f"technique threshold {threshold} is outside 0..1; valid: a confidence from 0 to 1")
    page = build_page(obj, threshold)
    template = _environment().get_template("report.html.j2")
    return template.render(page=page, css=_asset("report.css"), js=_asset("report.js"))

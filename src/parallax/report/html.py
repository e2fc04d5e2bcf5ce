"""The HTML report: articles side by side with highlights, and the panels.

Two renderings of one view model:

* `render_html(obj, threshold)`: one self-contained file that works offline: CSS and JS
  are inlined from `templates/` in <style>/<script>, there are no external URLs.
* `render_body(obj, threshold)`: the report's body only (`report_body.html.j2`), for a web
  page that serves ASSETS itself (<link rel=stylesheet> and <script src>) under a strict
  Content-Security-Policy: the body has no style attributes, no inline script and no
  event-handler attributes; the JSON data block is not script, so CSP leaves it alone.

The JSON document is embedded with Jinja's `tojson` (which escapes <, >, & and ' as
\\u003c ...), so no text can close the script element. Every piece of user text goes
through Jinja autoescaping, and the script sets text with textContent only.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from parallax.comparison.outlets import outlet_figures
from parallax.errors import UsageError
from parallax.model import Analysis, Comparison
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
from parallax.report.summary import outlet_name, plural, unpack
from parallax.report.view import DEFAULT_LINK_THRESHOLD, article_view, embedded_data, legend

DEFAULT_THRESHOLD = 0.5  # technique spans below this confidence start hidden (slider can change it)
# The static files a page that shows `render_body` must serve and link (CSS first, JS at the
# end of the body or with `defer`); `asset_text(name)` gives their content.
ASSETS = ("report.css", "report.js")
BODY_TEMPLATE = "report_body.html.j2"
# Filters the report templates use: a web app that {% include %}s BODY_TEMPLATE from its
# own Environment (with this package's templates on its loader) adds these.
TEMPLATE_FILTERS = {"plural": plural}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("parallax.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(TEMPLATE_FILTERS)
    return environment


@lru_cache(maxsize=None)
def asset_text(name: str) -> str:
    """The text of one of ASSETS (our own CSS/JS, not user text)."""
    if name not in ASSETS:
        raise UsageError(f"no report asset {name!r}; valid: {', '.join(ASSETS)}")
    return resources.files("parallax.report").joinpath("templates", name).read_text(encoding="utf-8")


def build_page(obj: Analysis | list[Analysis] | Comparison, threshold: float,
               link_threshold: float = DEFAULT_LINK_THRESHOLD) -> dict[str, Any]:
    """The whole view model of the report; panels first, since they add marks to the texts."""
    for name, value in (("technique threshold", threshold), ("link threshold", link_threshold)):
        if not 0.0 <= value <= 1.0:
            raise UsageError(f"{name} {value} is outside 0..1; valid: a confidence from 0 to 1")
    analyses, comparison = unpack(obj)
    outlets = outlet_figures(analyses, comparison)
    names = [outlet_name(analysis, index) for index, analysis in enumerate(analyses)]
    marker = Marker(analyses)
    for index in range(len(analyses)):
        mark_layers(marker, index)
    page: dict[str, Any] = {"comparison": comparison is not None, "threshold": threshold,
                            "link_threshold": link_threshold}
    if comparison is not None:
        mark_links(marker, comparison.links, names)
        page["conflicts"] = conflicts_view(marker, comparison, names)
        page["framing"] = framing_view(marker, comparison, names)
        page["unique"] = unique_view(marker, comparison, names)
    # Loaded words are marked in the text of compared articles, beside their framing.
    loaded_terms = loaded_terms_view(marker, outlets) if comparison else [[] for _ in names]
    page["overview"] = overview_view(analyses, comparison, outlets, names, loaded_terms, threshold)
    page["quoted"] = who_quoted_view(outlets, comparison.coverage if comparison else None, names)
    page["techniques"] = techniques_view(analyses, outlets, names, threshold)
    page["articles"] = [article_view(marker, index, outlets[index], threshold, link_threshold)
                        for index in range(len(analyses))]
    page["legend"] = legend(comparison is not None)
    scores = [span.score for analysis in analyses for span in analysis.techniques]
    page["techniques_total"] = len(scores)
    page["techniques_shown"] = sum(score >= threshold for score in scores)
    link_scores = [entry["score"] for entry in marker.info.values() if entry["kind"] == "link"]
    page["links_total"] = len(link_scores)
    page["links_shown"] = sum(score >= link_threshold for score in link_scores)
    titles = [analysis.article.title for analysis in analyses if analysis.article.title]
    page["title"] = titles[0] if titles else " vs ".join(names)
    page["data"] = embedded_data(obj, marker, names, outlets, threshold, link_threshold)
    return page


def report_context(obj: Analysis | list[Analysis] | Comparison, threshold: float = DEFAULT_THRESHOLD,
                   link_threshold: float = DEFAULT_LINK_THRESHOLD) -> dict[str, Any]:
    """The context BODY_TEMPLATE renders from ({"page": ...}), for a web app that includes it."""
    return {"page": build_page(obj, threshold, link_threshold)}


def render_body(obj: Analysis | list[Analysis] | Comparison, threshold: float = DEFAULT_THRESHOLD,
                link_threshold: float = DEFAULT_LINK_THRESHOLD) -> Markup:
    """The report's body (header, toolbar, panels, columns, data block), CSP-safe: the page
    around it links ASSETS (e.g. /static/report.css and /static/report.js)."""
    template = _environment().get_template(BODY_TEMPLATE)
    return Markup(template.render(report_context(obj, threshold, link_threshold)))


def render_html(obj: Analysis | list[Analysis] | Comparison, threshold: float = DEFAULT_THRESHOLD,
                link_threshold: float = DEFAULT_LINK_THRESHOLD) -> str:
    """The report as one HTML string that works offline (CSS and JS inlined)."""
    context = report_context(obj, threshold, link_threshold)
    template = _environment().get_template("report.html.j2")
    return template.render(context, css=Markup(asset_text("report.css")), js=Markup(asset_text("report.js")))

"""The web pages' templates and view models: the report's comparison view, the corpus pages'
tables and their charts (inline SVG, drawn from plain numbers, no script).

Templates are Jinja2 with autoescaping on for every template, so user text (titles,
outlets, quotes) is always escaped; the only Markup is our own rendered report body.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from parallax.corpus.outlets import OutletProfile
from parallax.report.html import asset_text

# Bars drawn in a chart: the top ones; the rest are in the JSON.
CHART_BARS = 10
# Width in SVG user units of a chart's bar area (the SVG scales to its column).
CHART_WIDTH = 300
BAR_HEIGHT, BAR_GAP = 18, 6


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Web templates first, then the report's (its comparison body partial)."""
    env = Environment(
        loader=ChoiceLoader([PackageLoader("parallax.web", "templates"), PackageLoader("parallax.report", "templates")]),
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["percent"] = lambda value: "-" if value is None else f"{100 * value:.0f}%"
    return env


def page(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def standalone_report(body: str, title: str) -> str:
    """A stored comparison body as the offline report file `--format html` writes: the
    report's CSS and JS inlined (a downloaded file has no server to load them from)."""
    return page("download.html.j2", body=Markup(body), title=title, css=Markup(asset_text("report.css")),
                js=Markup(asset_text("report.js")))


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the chart prints it
    y: int
    width: float  # in CHART_WIDTH units


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    note: str  # what the figures rest on

    @property
    def width(self) -> int:
        return CHART_WIDTH


def bar_chart(title: str, items: list[tuple[str, float]], fmt: str, note: str) -> Chart:
    """A horizontal bar chart of the largest `items`, bars scaled to the largest."""
    top = sorted(items, key=lambda item: -item[1])[:CHART_BARS]
    largest = max((value for _, value in top), default=0.0) or 1.0
    bars = [Bar(label, value, fmt.format(value), i * (BAR_HEIGHT + BAR_GAP), round(CHART_WIDTH * value / largest, 1))
            for i, (label, value) in enumerate(top)]
    return Chart(title, bars, max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP), note)


def profile_charts(profile: OutletProfile) -> list[Chart]:
    """The charts of an outlet's page; each says how many articles it rests on."""
    deep = f"from {profile.deep_articles} deep-analysed articles"
    charts = [
        bar_chart("Propaganda techniques per 1,000 words", list(profile.techniques_per_1000_words.items()),
                  "{:.2f}", deep),
        bar_chart("Most quoted speakers", [(name, float(count)) for name, count in profile.top_speakers],
                  "{:.0f}", deep),
        bar_chart("Cue verbs of its attributions", list(profile.cue_mix.items()), "{:.0%}", deep),
    ]
    return [chart for chart in charts if chart.bars]


__all__ = ["Bar", "Chart", "bar_chart", "environment", "page", "profile_charts",
           "standalone_report"]

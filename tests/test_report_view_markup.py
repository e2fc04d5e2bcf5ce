"""The comparison view's markup, checked server-side: conflict and strength classes of links,
keyboard reach, technique figures at the page's threshold, the CSP-safe body partial, no
local paths in the embedded data, and user text that stays inert."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest
from jsonschema import Draft202012Validator

from parallax.model import Analysis, Article, Quote, Speaker, Technique
from parallax.report.html import ASSETS, asset_text, render_body, render_html
from parallax.report.json_out import document
from parallax.report.schema import json_schema
from parallax.text import per_thousand_words, word_count
from report_fixtures import analysis_a, analysis_b, comparison

SEGMENT = re.compile(r'<span class="seg ([^"]*)" data-k="([^"]*)"([^>]*)>')
ATTACKS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def _data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="px-data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def _segments(page: str, column: int) -> list[tuple[set[str], set[str], str]]:
    """(classes, keys, other attributes) of each highlighted segment in article column `column`."""
    part = page.split(f'<article class="col" id="col-{column}"')[1].split("</article>")[0]
    return [(set(css.split()), set(keys.split()), rest) for css, keys, rest in SEGMENT.findall(part)]


def _with_key(page: str, column: int, key: str) -> list[tuple[set[str], set[str], str]]:
    return [seg for seg in _segments(page, column) if key in seg[1]]


# --- conflicts and link strength ---------------------------------------------------------

def test_a_conflict_link_gets_its_own_class_style_and_legend_entry():
    page = render_html(comparison())
    for column in (0, 1):  # L2 is the fixture's conflict link
        assert all("lnk-conflict" in css for css, _, _ in _with_key(page, column, "L2"))
        assert not any("lnk-conflict" in css for css, _, _ in _with_key(page, column, "L0"))
    assert '<span class="swatch lnk lnk-conflict lnk-s2">Aa</span> conflicting passages' in page
    css = asset_text("report.css")
    rule = re.search(r"\.lnk\.lnk-conflict \{([^}]*)\}", css).group(1)
    assert "dashed" in rule and "var(--link-conflict)" in rule


@pytest.mark.parametrize("key, score, level", [("L0", "0.97", 3), ("L1", "0.71", 2), ("L2", "0.80", 3)])
def test_link_segments_carry_their_strength(key, score, level):
    page = render_html(comparison())
    info = _data(page)["info"][key]
    assert info["strength"] == level and info["kind"] == "link" and info["articles"] == [0, 1]
    for column in (0, 1):
        segments = _with_key(page, column, key)
        assert segments, (key, column)
        # a segment under one link only shows that link's strength
        alone = [(css, rest) for css, keys, rest in segments if len({k for k in keys if k[0] == "L"}) == 1]
        assert alone and all(f"lnk-s{level}" in css and f'data-ls="{score}"' in rest for css, rest in alone)


@pytest.mark.parametrize("link_threshold, dimmed, counter", [
    (0.5, set(), "3 of 3 links at full strength"),
    (0.75, {"L1"}, "2 of 3 links at full strength"),
    (0.9, {"L1", "L2"}, "1 of 3 links at full strength"),
])
def test_links_under_the_link_threshold_start_dimmed(link_threshold, dimmed, counter):
    page = render_html(comparison(), link_threshold=link_threshold)
    for key in ("L0", "L1", "L2"):
        for css, keys, _ in _with_key(page, 0, key):
            strongest = max(float(_data(page)["info"][k]["score"]) for k in keys if k[0] == "L")
            assert ("lnk-dim" in css) == (strongest < link_threshold), (key, css)
    assert {key for key in ("L0", "L1", "L2") if all("lnk-dim" in css for css, _, _ in _with_key(page, 0, key))} == dimmed
    assert counter in page
    assert f'id="link-threshold" min="0" max="1" step="0.05" value="{link_threshold}"' in page
    assert _data(page)["link_threshold"] == link_threshold


# --- keyboard ----------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["L0", "L1", "L2", "X0"])
def test_every_linked_passage_has_one_tab_stop_in_each_column(key):
    page = render_html(comparison())
    for column in (0, 1):
        stops = [rest for _, _, rest in _with_key(page, column, key) if 'tabindex="0"' in rest]
        assert stops and all('role="button"' in rest for rest in stops), (key, column)


def test_passages_without_a_partner_are_not_tab_stops_and_focus_is_visible():
    page = render_html(analysis_a())
    assert 'tabindex="0" role="button"' not in page
    assert re.search(r"\.seg\[tabindex\]:focus-visible \{[^}]*outline: 3px solid", asset_text("report.css"))


# --- technique figures follow the threshold ----------------------------------------------

def _expected_figures(threshold: float) -> tuple[list[int], dict[str, list[str]]]:
    analyses = [analysis_a(), analysis_b()]
    shown = [[span for span in a.techniques if span.score >= threshold] for a in analyses]
    labels = sorted({span.label for a in analyses for span in a.techniques})
    rates = {label: [f"{per_thousand_words(sum(s.label == label for s in spans), word_count(a.text)):.1f}"
                     for spans, a in zip(shown, analyses)] for label in labels}
    return [len(spans) for spans in shown], rates


@pytest.mark.parametrize("threshold", [0.0, 0.5, 0.75, 0.9])
def test_every_technique_figure_counts_the_spans_at_the_threshold(threshold):
    page = render_html(comparison(), threshold=threshold)
    counts, rates = _expected_figures(threshold)
    noun = lambda n: f"{n} technique span{'' if n == 1 else 's'}"  # noqa: E731
    for article, count in enumerate(counts):  # overview card and column header
        assert page.count(f'<span class="tech-count" data-article="{article}">{noun(count)}</span>') == 2
    assert f'data-shown="{sum(counts)}" data-total="3">{sum(counts)} of 3 technique spans shown' in page
    rows = dict(re.findall(r'<tr class="tech-row[^"]*" data-technique="([^"]+)">(.*?)</tr>', page, re.S))
    assert set(rows) == set(rates)
    for label, expected in rates.items():
        assert re.findall(r'<span class="rate-value">([\d.]+)</span>', rows[label]) == expected
        on = f'<tr class="tech-row" data-technique="{label}">' in page
        assert on == any(value != "0.0" for value in expected)


def test_the_embedded_data_lets_the_script_recount_techniques():
    data = _data(render_html(comparison()))
    entries = {key: entry for key, entry in data["info"].items() if entry["kind"] == "technique"}
    assert {(e["article"], e["label"], e["score"]) for e in entries.values()} == {
        (0, "Name_Calling,Labeling", 0.83), (0, "Loaded_Language", 0.31), (1, "Doubt", 0.72)}
    assert data["words"] == [word_count(analysis_a().text), word_count(analysis_b().text)]
    assert data["names"] == ["ZeroHedge", "Global Research"]


# --- CSP-safe body, assets ---------------------------------------------------------------

BODIES = [comparison(), [analysis_a(), analysis_b()], analysis_a()]
BODY_IDS = ["comparison", "list", "analysis"]


@pytest.mark.parametrize("obj", BODIES, ids=BODY_IDS)
def test_the_body_partial_has_no_style_attribute_inline_script_or_handler(obj):
    body = str(render_body(obj))
    assert "style=" not in body.lower()
    assert "<html" not in body and "<style" not in body
    assert re.findall(r"<script[^>]*>", body) == ['<script type="application/json" id="px-data">']
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", body), "an event-handler attribute"
    assert "javascript:" not in body.lower()
    assert 'id="tip"' in body and 'id="partners"' in body and 'id="toolbar-toggle"' in body


@pytest.mark.parametrize("obj", BODIES, ids=BODY_IDS)
def test_the_standalone_file_is_the_body_with_inlined_assets(obj):
    page = render_html(obj)
    assert str(render_body(obj)) in page
    assert "style=" not in page.lower()
    for name in ASSETS:
        assert asset_text(name) in page


@pytest.mark.parametrize("pattern", [r"\binnerHTML\b", r"\bouterHTML\b", r"\beval\(", r"new Function",
                                     r"document\.write", r"insertAdjacentHTML", r"setAttribute\(\"style\"",
                                     r"setAttribute\(\"on"])
def test_the_script_builds_no_html_from_text_and_evaluates_nothing(pattern):
    assert not re.search(pattern, asset_text("report.js"))


def test_wide_tables_scroll_in_a_box_with_a_hint_and_names_stay_in_view():
    page = render_html(comparison())
    assert page.count("<table") == 2
    for table in re.findall(r'<div class="scroll-box">\s*<div class="scroll-hint" aria-hidden="true">scroll →</div>\s*'
                            r'<div class="scroll-x" tabindex="0" role="region"[^>]*>\s*<table class="(\w+)">', page):
        assert table in ("framing", "rates")
    assert len(re.findall(r'<div class="scroll-box">', page)) == 2
    for column, name in enumerate(["ZeroHedge", "Global Research"]):
        assert f'<div class="col-name outlet" id="col-name-{column}">{name}</div>' in page
    assert re.search(r"\.col-name \{ position: sticky;", asset_text("report.css"))


# --- no local paths, inert user text -----------------------------------------------------

@pytest.mark.parametrize("source, url, kept", [
    ("/home/jdoe-private/hidden-dir/a.txt", "", "a.txt"),
    ("C:\\Users\\jdoe-private\\hidden-dir\\a.txt", "file:///home/jdoe-private/hidden-dir/a.html", "a.txt"),
    ("/home/jdoe-private/hidden-dir/corpus.jsonl#12", "https://example.org/a", "corpus.jsonl#12"),
    ("jdoe-private/hidden-dir/a.md", "", "a.md"),
])
def test_no_local_path_reaches_the_page(source, url, kept):
    analysis = analysis_a()
    analysis.article.source, analysis.article.url = source, url
    analysis.article.meta = {"saved_as": "/home/jdoe-private/hidden-dir/raw.html", "region": ["Middle East"]}
    for page in (render_html(analysis), str(render_body([analysis, analysis_b()]))):
        assert "jdoe-private" not in page and "hidden-dir" not in page
        article = _data(page)["document"]["articles"][0]
        assert article["source"] == kept and article["meta"] == {"saved_as": "raw.html", "region": ["Middle East"]}
        assert Draft202012Validator(json_schema()).is_valid(_data(page)["document"])
    assert document(analysis)["articles"][0]["source"] == source  # the JSON output itself is unchanged


def _hostile(attack: str) -> Analysis:
    text = f'Power said "{attack} is barbarism" on Sunday. It was {attack} again.'
    analysis = Analysis(Article(text=text, title=attack, outlet=f"Outlet {attack}", url=attack, authors=[attack],
                                published=attack, original_source=attack, source=f"/tmp/{attack}"))
    start = text.index(attack)
    analysis["quotes"] = [Quote(start, start + len(attack) + 13, "direct", 0.9, speaker=Speaker(attack, 0, 5))]
    analysis["techniques"] = [Technique(start, start + len(attack), "Doubt", 0.9)]
    return analysis


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("render", [render_html, render_body], ids=["standalone", "body"])
def test_hostile_text_appears_only_escaped(attack, render):
    other = analysis_b()
    other.article.title = attack
    page = str(render([_hostile(attack), other]))
    assert attack not in page
    tag = attack[1:].split(">")[0].split(" ")[0]  # "script" or "img"
    assert f"<{tag}" not in page.replace('<script type="application/json" id="px-data">', "").replace(
        "<script>\n", "")
    assert "&lt;" + attack[1:].replace("<", "&lt;").replace(">", "&gt;") in page
    assert unescape(page).count(attack) >= 3
    data = _data(page)  # the data block parses and holds the text as data
    assert data["document"]["articles"][0]["title"] == attack


def test_the_literal_home_path_of_the_brief_is_absent():
    analysis = analysis_a()
    analysis.article.source = "/home/someone/secret/a.txt"
    for page in (render_html(analysis), str(render_body(analysis))):
        assert "/home/someone/secret/a.txt" not in page and "/home/" not in page
        assert _data(page)["document"]["articles"][0]["source"] == "a.txt"

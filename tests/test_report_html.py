"""The self-contained HTML report: escaping, no external references, every text shown."""
from __future__ import annotations

import json
import re

import pytest

from parallax.errors import InputError, UsageError
from parallax.model import UNATTRIBUTED, Analysis, Article, Comparison, Link, Quote, Ref, Speaker
from parallax.report.html import render_html
from parallax.report.json_out import document
from parallax.text import paragraph_bounds
from report_fixtures import ColumnText, analysis_a, analysis_b, comparison

ATTACK = "<script>alert(1)</script>"
URL_ATTRIBUTE = re.compile(r"""\b(?:src|href|action|poster|data)\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)


def _embedded_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="px-data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def _hostile() -> Comparison:
    """A comparison whose title, outlet and quoted text carry a script tag."""
    comp = comparison()
    comp.analyses[0].article.title = f"Title {ATTACK}"
    comp.analyses[1].article.outlet = f"Outlet {ATTACK}"
    text = f'Power said "{ATTACK} is barbarism" on Sunday.'
    hostile = Analysis(Article(text=text, title=ATTACK, outlet="X"))
    start = text.index(ATTACK)
    hostile["quotes"] = [Quote(start, start + len(ATTACK) + 13, "direct", speaker=Speaker(ATTACK, 0, 5))]
    comp.analyses.append(hostile)
    comp.coverage, comp.outlets = None, []  # figures built again from the layers, for the three articles
    comp.conflicts[0].topic = ATTACK
    return comp


@pytest.mark.parametrize("obj", [_hostile(), _hostile().analyses, _hostile().analyses[2]],
                         ids=["comparison", "list", "analysis"])
def test_user_text_is_escaped_everywhere(obj):
    page = render_html(obj)
    assert ATTACK not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 2  # our data block and our code, nothing else
    assert page.count("</script>") == 2


@pytest.mark.parametrize("obj", [comparison(), [analysis_a(), analysis_b()], analysis_a()],
                         ids=["comparison", "list", "analysis"])
def test_no_external_references(obj):
    page = render_html(obj)
    for url in URL_ATTRIBUTE.findall(page):
        assert not url.lower().startswith(("http:", "https:", "//")), url
    assert "@import" not in page
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)


@pytest.mark.parametrize("obj", [comparison(), [analysis_a(), analysis_b()], analysis_b()],
                         ids=["comparison", "list", "analysis"])
def test_every_paragraph_of_every_article_is_shown(obj):
    analyses = obj.analyses if isinstance(obj, Comparison) else obj if isinstance(obj, list) else [obj]
    parser = ColumnText()
    parser.feed(render_html(obj))
    assert parser.columns == [[a.text[s:e] for s, e in paragraph_bounds(a.text)] for a in analyses]


def test_embedded_json_is_the_document():
    comp = comparison()
    data = _embedded_data(render_html(comp))
    assert data["document"] == json.loads(json.dumps(document(comp)))
    assert data["threshold"] == 0.5


@pytest.mark.parametrize("threshold, hidden", [(0.5, {"a0t0"}), (0.2, set()), (0.8, {"a0t0", "a1t0"}),
                                               (0.9, {"a0t0", "a0t1", "a1t0"})])
def test_technique_badges_under_the_threshold_start_hidden(threshold, hidden):
    page = render_html(comparison(), threshold=threshold)
    assert set(re.findall(r'<span class="tag off" data-key="(\w+)"', page)) == hidden
    assert f'value="{threshold}"' in page


def test_technique_tooltip_has_name_score_and_definition():
    info = _embedded_data(render_html(comparison()))["info"]
    assert info["a1t0"]["title"] == "Doubt \u00b7 0.72"
    assert info["a1t0"]["lines"] == ["Questions the credibility of someone or something without substantiation."]


def test_overlapping_spans_give_one_segment_with_all_classes():
    page = render_html(analysis_a())
    assert re.search(r'class="seg q q-direct tech tech-on" data-k="a0q0 a0t1">it is barbarism</span>', page)


def test_linked_passages_share_a_key_in_both_columns():
    page = render_html(comparison())
    columns = page.split('<article class="col"')[1:]
    for key in ("L0", "L1", "X0"):
        assert all(re.search(rf'data-k="[^"]*\b{key}\b', column) for column in columns), key


def test_panels_show_conflicts_framing_speakers_and_omissions():
    page = render_html(comparison())
    for expected in ("civilians killed in Aleppo", "200\u2013999", "26\u201343", ">claimed</a>", ">told</a>",
                     "loaded verb: casts doubt on the statement",
                     ">unsubstantiated</span>", "\u201crebels\u201d", "unattributed", "Left out by <strong>Global Research</strong>",
                     "the headline&#39;s charge of barbarism", "Originally published by World Socialist Web Site"):
        assert expected in page, expected


def test_comparison_without_coverage_or_outlets_renders_from_the_layers():
    a, b = analysis_a(), analysis_b()
    qa, qb = a.quotes[0], b.quotes[0]
    comp = Comparison([a, b], [Link("same_quote", Ref(0, qa.start, qa.end, a.snippet(qa)),
                                    Ref(1, qb.start, qb.end, b.snippet(qb)), 0.9)])
    page = render_html(comp)
    assert "Conflicts" in page and "No conflicting numbers or causes found." in page
    assert "2 quotes" in page and "of the content is shared" not in page


def test_empty_ranges_are_left_out_of_the_view():
    comp = comparison()
    comp.conflicts[0].a.end = comp.conflicts[0].a.start  # nothing to mark: the card is still listed
    page = render_html(comp)
    assert "civilians killed in Aleppo" in page
    assert 'data-jump="X0" data-article="1"' in page and 'data-jump="X0" data-article="0"' not in page


def test_a_range_outside_the_text_is_an_input_error():
    comp = comparison()
    comp.conflicts[0].a.end = 10_000
    with pytest.raises(InputError, match="does not index the article text"):
        render_html(comp)


def test_quote_counts_agree_between_card_column_and_chart():
    """The overview card, the column header and the who-is-quoted chart give one count per
    outlet: scare quotes are not speech, a quote nobody is credited with is (a bar of its own)."""
    page = render_html(comparison())
    card = re.findall(r'<div class="figures">[^<]*?(\d+) quotes? \u00b7', page)
    column = re.findall(r'<div class="counts">(\d+) quotes? \u00b7', page)
    chart = re.findall(r'<span class="count">(\d+) quotes?</span>', page)
    assert card == column == chart == ["1", "2"]
    assert re.findall(r'<span class="bar-label">([^<]*)</span>', page) == ["Samantha Power", "Samantha Power", UNATTRIBUTED]


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_threshold_outside_0_1_is_a_usage_error(threshold):
    with pytest.raises(UsageError, match="0..1"):
        render_html(analysis_a(), threshold=threshold)


@pytest.mark.parametrize("speakers, expected_labels", [
    (11, [f"S{n:02d}" for n in range(11)]),
    (12, [f"S{n:02d}" for n in range(10)] + ["2 other speakers"]),
])
def test_who_is_quoted_bars_fold_only_two_or_more_speakers_into_others(speakers, expected_labels):
    text = " ".join(f"q{n:02d}" for n in range(speakers))
    analysis = Analysis(Article(text=text, outlet="X"))
    analysis["quotes"] = [Quote(4 * n, 4 * n + 3, "direct", speaker=Speaker(f"S{n:02d}", 4 * n, 4 * n + 3))
                          for n in range(speakers)]
    page = render_html(analysis)
    assert re.findall(r'<span class="bar-label">([^<]*)</span>', page) == expected_labels


@pytest.mark.parametrize("threshold, expected", [(0.5, "2 of 3 technique spans shown"),
                                                 (0.9, "0 of 3 technique spans shown")])
def test_toolbar_counts_the_technique_spans_shown(threshold, expected):
    assert expected in render_html(comparison(), threshold=threshold)

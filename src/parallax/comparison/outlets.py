"""Per-outlet figures (quotes, speakers, words, technique rates): the one place they are
computed, so the terminal summary, the JSON and the HTML report show the same numbers.

`outlet_summaries(analyses, cover)` serves a Comparison (speaker names merged across the
articles, shares of shared content) and a plain list of Analyses alike (cover None: each
article's names on their own, no shares).
"""
from __future__ import annotations

from collections import Counter

from parallax.comparison.coverage import speakers, speech
from parallax.comparison.framing import loaded_terms
from parallax.model import Analysis, Comparison, Coverage, OutletSummary
from parallax.text import per_thousand_words, word_count


def techniques_per_1000_words(analysis: Analysis, words: int) -> dict[str, float]:
    """Technique spans per 1,000 words of the article, by technique (A-Z)."""
    counts = Counter(span.label for span in analysis.techniques)
    return {name: per_thousand_words(count, words) for name, count in sorted(counts.items())}


def _per_article(counts: dict[str, list[int]], index: int) -> dict[str, int]:
    """One article's column of a per-speaker table, most quoted first, zeros left out."""
    column = {name: per_article[index] for name, per_article in counts.items() if per_article[index]}
    return dict(sorted(column.items(), key=lambda item: (-item[1], item[0])))


def outlet_summary(analysis: Analysis, index: int, speaker_counts: dict[str, int],
                   shared_share: float | None = None) -> OutletSummary:
    """The figures of article `index`; `speaker_counts`: its quotes per speaker."""
    article = analysis.article
    words = word_count(analysis.text)
    return OutletSummary(
        article=index, outlet=article.outlet, title=article.title,
        quotes=len(speech(analysis)), speakers=speaker_counts,
        loaded_terms=loaded_terms(analysis), words=words, techniques=len(analysis.techniques),
        techniques_per_1000_words=techniques_per_1000_words(analysis, words),
        all_techniques_per_1000_words=per_thousand_words(len(analysis.techniques), words),
        shared_share=shared_share)


def outlet_summaries(analyses: list[Analysis], cover: Coverage | None = None) -> list[OutletSummary]:
    """One OutletSummary per article. With a Coverage (compared articles) speaker names are
    the ones merged across the articles; without, each article's names stand alone."""
    if cover is None:
        return [outlet_summary(analysis, index, _per_article(speakers([analysis])[0], 0))
                for index, analysis in enumerate(analyses)]
    return [outlet_summary(analysis, index, _per_article(cover.speakers, index), cover.shared_share[index])
            for index, analysis in enumerate(analyses)]


def outlet_figures(analyses: list[Analysis], comparison: Comparison | None = None) -> list[OutletSummary]:
    """The OutletSummaries every report shows: the Comparison's, else built from the layers
    with the same function (plain Analyses, or a hand-built Comparison without them)."""
    if comparison is not None and comparison.outlets:
        return comparison.outlets
    return outlet_summaries(analyses, comparison.coverage if comparison else None)

"""What the terminal summary and the HTML report both need: the analyses to show, names,
and formatting. Figures are never computed here: they come from the OutletSummaries
(comparison.outlets.outlet_figures), so every output shows the same numbers.
"""
from __future__ import annotations

import re

from parallax.errors import UsageError
from parallax.model import NUMBER, Analysis, Comparison, Conflict, ConflictSide, FramingRow, FramingSide


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


_SEPARATORS = re.compile(r"[\\/]")


def base_name(path: str) -> str:
    """'/home/u/x.txt' -> 'x.txt'; 'C:\\u\\a.jsonl#3' -> 'a.jsonl#3' (a record keeps its number)."""
    return _SEPARATORS.split(path)[-1]


def outlet_name(analysis: Analysis, index: int) -> str:
    """A short name for column headers: the outlet, else the source file, else "Article N"."""
    article = analysis.article
    return article.outlet or base_name(article.source) or f"Article {index + 1}"


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


def pretty_technique(name: str) -> str:
    """"Name_Calling,Labeling" -> "Name calling, labeling"."""
    words = name.replace("_", " ").replace(",", ", ").replace("-", " ")
    return words[:1].upper() + words[1:].lower() if words else name


def format_range(low: float | None, high: float | None) -> str:
    """A figure's range: 200, 999 -> "200–999"; 500, 500 -> "500"; an open range ends in ∞."""
    low_text, high_text = _number(low), _number(high)
    return low_text if low_text == high_text else f"{low_text}\u2013{high_text}"


def _number(value: float | None) -> str:
    if value is None:
        return "\u221e"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def side_value(conflict: Conflict, side: ConflictSide) -> str:
    """What a conflict side gives, when it is more than its text: a number conflict's range
    (a cause conflict's value is its text, shown once)."""
    return format_range(side.low, side.high) if conflict.kind == NUMBER else ""


def framing_cells(row: FramingRow, articles: int) -> list[FramingSide | None]:
    """One cell per article: its fullest copy of the quote (sides come fullest first), or
    None where the article does not carry it."""
    cells: list[FramingSide | None] = [None] * articles
    for side in row.sides:
        if cells[side.article] is None:
            cells[side.article] = side
    return cells


def ranked(totals: dict[str, int]) -> list[str]:
    """Names by count, most first, ties A-Z."""
    return sorted(totals, key=lambda name: (-totals[name], name))


def speaker_totals(per_article: list[dict[str, int]]) -> dict[str, int]:
    """Quotes per speaker over all articles."""
    totals: dict[str, int] = {}
    for counts in per_article:
        for name, count in counts.items():
            totals[name] = totals.get(name, 0) + count
    return totals

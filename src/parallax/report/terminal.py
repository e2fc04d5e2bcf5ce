"""A concise terminal summary with rich; readable without colour (tests capture it plain).

User text (titles, quotes, names) is always wrapped in `rich.text.Text`, never parsed as rich
markup, so a title like "[bold]" or "<script>" prints as written.
"""
from __future__ import annotations

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from parallax.comparison.conflict_text import side_details, verdict_label
from parallax.comparison.outlets import outlet_figures
from parallax.model import (
    NUMBER, SAME_FACT, VERDICT_CONFLICT, Analysis, Comparison, Conflict, ConflictSide, FramingSide, OutletSummary, Ref,
)
from parallax.report.summary import (
    framing_cells,
    outlet_name,
    plural,
    pretty_technique,
    ranked,
    short,
    side_value,
    speaker_totals,
    unpack,
)

SNIPPET = 90  # characters of a quote or passage shown on one line
SENTENCE = 400  # characters of a conflict side's sentence (nearly all are shorter: shown whole)
FRAMING_QUOTE = 110  # characters of a shared quote in the framing table (wraps in its column)
MAX_SPEAKERS = 12  # rows of the who-is-quoted table; the rest are counted in one line
MAX_FACTS = 12  # same-fact pairs listed; more are counted, the HTML report has them all
MAX_UNIQUE = 3  # unique passages listed per article
MAX_OMISSIONS = 6  # omissions listed per outlet that lacks them; the rest are counted
MAX_QUOTED = 10  # speakers named in an article's "Quoted:" line
ARTICLE_INDENT = 4  # spaces before an article's details, under its title


def render_terminal(obj: Analysis | list[Analysis] | Comparison, console: Console) -> None:
    """Print the summary of an Analysis, several, or a Comparison to `console`."""
    analyses, comparison = unpack(obj)
    outlets = outlet_figures(analyses, comparison)
    console.rule(Text(f"Parallax: {plural(len(analyses), 'article')}"))
    for index, analysis in enumerate(analyses):
        _print_article(console, analysis, index, outlets[index])
    if comparison is None:
        return
    names = [outlet_name(analysis, index) for index, analysis in enumerate(analyses)]
    _print_shared_share(console, comparison, names)
    _print_framing(console, comparison, names)
    _print_same_facts(console, comparison, names)
    _print_conflicts(console, comparison, names)
    _print_who_is_quoted(console, outlets, names)
    _print_unique(console, comparison, names)
    _print_techniques(console, outlets, names)


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(Text(title, style="bold underline"))


def _line(console: Console, text: str, indent: int = 2, style: str = "") -> None:
    """One item; when it wraps, the next lines start under its first character, not at column 0."""
    console.print(Padding(Text(text, style=style), (0, 0, 0, indent), expand=False))


def _print_article(console: Console, analysis: Analysis, index: int, figures: OutletSummary) -> None:
    article = analysis.article
    console.print()
    head = Text(f"[{index + 1}] ", style="bold")
    head.append(outlet_name(analysis, index), style="bold cyan")
    if article.title:
        head.append(" \u2014 ")
        head.append(article.title, style="bold")
    console.print(head)
    lines = []
    byline = [", ".join(article.authors), article.published or "",
              f"originally from {article.original_source}" if article.original_source else ""]
    if any(byline):
        lines.append(Text(" \u00b7 ".join(part for part in byline if part), style="dim"))
    counts = [plural(figures.quotes, "quote"), plural(len(analysis.claims), "claim"),
              plural(figures.techniques, "technique span"), plural(figures.words, "word")]
    lines.append(Text(" \u00b7 ".join(counts)))
    speakers = figures.speakers
    if speakers:
        named = [f"{name} ({count})" for name, count in list(speakers.items())[:MAX_QUOTED]]
        if len(speakers) > MAX_QUOTED:
            named.append(f"{len(speakers) - MAX_QUOTED} more")
        lines.append(Text("Quoted: " + ", ".join(named)))
    # Indented as a block, so long lines wrap under the text, not under the article number.
    console.print(Padding(Text("\n").join(lines), (0, 0, 0, ARTICLE_INDENT), expand=False))


def _print_shared_share(console: Console, comparison: Comparison, names: list[str]) -> None:
    coverage = comparison.coverage
    if coverage is None:
        return
    line = Text("\nShare of content shared: ", style="bold")
    line.append(f"{coverage.shared_score:.0%} overall", style="bold")
    per_outlet = ", ".join(f"{name} {share:.0%}" for name, share in zip(names, coverage.shared_share))
    line.append(f" ({per_outlet})")
    console.print(line)


def _table(*headers: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _framing_cell(cell: FramingSide | None) -> Text:
    if cell is None:
        return Text("\u2014 (not carried)", style="dim")
    text = Text(cell.cue.text if cell.cue else "(no cue)", style="bold")
    if cell.cue_note:
        text.append(" (loaded)", style="red")
    for label, items in (("hedges", cell.hedges), ("scare quotes", cell.scare_quotes), ("loaded", cell.loaded)):
        if items:
            text.append(f"\n{label}: " + ", ".join(f"\u201c{item.text}\u201d" for item in items), style="yellow")
    return text


def _print_framing(console: Console, comparison: Comparison, names: list[str]) -> None:
    rows = comparison.framing
    _heading(console, f"Shared quotes and their FRAMING ({len(rows)}): cue verb, hedges, scare quotes per outlet")
    if not rows:
        _line(console, "No quote appears in more than one article.")
        return
    table = _table("Speaker", "Quote", *names)
    for row in rows:
        table.add_row(Text(row.speaker or "?"), Text(f"\u201c{short(row.quote, FRAMING_QUOTE)}\u201d"),
                      *(_framing_cell(cell) for cell in framing_cells(row, len(names))))
    console.print(table)


def _side(names: list[str], comparison: Comparison, ref: Ref) -> str:
    text = comparison.analyses[ref.article].text[ref.start:ref.end]
    return f"{names[ref.article]}: \u201c{short(text, SNIPPET // 2 + 10)}\u201d"


def _print_same_facts(console: Console, comparison: Comparison, names: list[str]) -> None:
    facts = [link for link in comparison.links if link.relation == SAME_FACT]
    _heading(console, f"Same facts ({len(facts)})")
    for link in sorted(facts, key=lambda item: -item.score)[:MAX_FACTS]:
        _line(console, f"\u2022 {_side(names, comparison, link.a)}")
        _line(console, f"= {_side(names, comparison, link.b)}  (score {link.score:.2f})", indent=4)
    if len(facts) > MAX_FACTS:
        _line(console, f"\u2026 and {len(facts) - MAX_FACTS} more (see the HTML or JSON output)", style="dim")


def _conflict_head(number: int, conflict: Conflict) -> str:
    """"1. number: civilians killed in Aleppo: different scope (different periods: ...)"."""
    head = f"{number}. {conflict.kind}: {conflict.topic}"
    if conflict.kind != NUMBER:
        return head
    reason = f" ({conflict.verdict_reason})" if conflict.verdict != VERDICT_CONFLICT else ""
    return f"{head}: {verdict_label(conflict.verdict)}{reason}"


def _print_conflict_side(console: Console, conflict: Conflict, side: ConflictSide, name: str) -> None:
    value = side_value(conflict, side)
    shown = f"\u201c{short(side.text, SNIPPET)}\u201d"
    _line(console, f"{name}: " + (f"[{value}] {shown}" if value else shown), indent=5)
    if conflict.kind != NUMBER:
        return
    details = side_details(side)
    if details:
        _line(console, details, indent=7)
    _line(console, f"in: \u201c{short(side.sentence.text, SENTENCE)}\u201d", indent=7, style="dim")


def _print_conflicts(console: Console, comparison: Comparison, names: list[str]) -> None:
    _heading(console, f"CONFLICTS ({len(comparison.conflicts)})")
    if not comparison.conflicts:
        _line(console, "No conflicting numbers or causes found.")
    for number, conflict in enumerate(comparison.conflicts, 1):
        real = conflict.kind != NUMBER or conflict.verdict == VERDICT_CONFLICT
        _line(console, _conflict_head(number, conflict), style="bold red" if real else "bold yellow")
        for side in (conflict.a, conflict.b):
            _print_conflict_side(console, conflict, side, names[side.article])
        if conflict.explanation:
            _line(console, f"why: {conflict.explanation}", indent=5, style="dim")


def _print_who_is_quoted(console: Console, outlets: list[OutletSummary], names: list[str]) -> None:
    per_article = [summary.speakers for summary in outlets]
    order = ranked(speaker_totals(per_article))
    _heading(console, "Who is quoted (quotes per outlet)")
    if not order:
        _line(console, "No quotes.")
        return
    table = _table("Speaker", *names)
    for name in order[:MAX_SPEAKERS]:
        table.add_row(Text(name), *(Text(str(counts[name]) if counts.get(name) else "\u00b7")
                                    for counts in per_article))
    console.print(table)
    if len(order) > MAX_SPEAKERS:
        _line(console, f"\u2026 and {len(order) - MAX_SPEAKERS} more speakers", style="dim")


def _print_unique(console: Console, comparison: Comparison, names: list[str]) -> None:
    _heading(console, "Unique material and omissions")
    listed: dict[str, int] = {}
    for omission in comparison.omissions:
        lacking = names[omission.article]
        listed[lacking] = listed.get(lacking, 0) + 1
        if listed[lacking] > MAX_OMISSIONS:
            continue
        summary = short(omission.summary or omission.source.text, SNIPPET + 30)
        _line(console, f"\u2022 {lacking} leaves out ({omission.kind} carried by "
                       f"{names[omission.source.article]}): {summary}")
    for lacking, count in listed.items():
        if count > MAX_OMISSIONS:
            _line(console, f"\u2026 and {count - MAX_OMISSIONS} more left out by {lacking}", style="dim")
    unique = comparison.coverage.unique if comparison.coverage else []
    for index, passages in enumerate(unique):
        if not passages:
            continue
        _line(console, f"Only in {names[index]}: {plural(len(passages), 'passage')}, e.g.", style="bold")
        for passage in passages[:MAX_UNIQUE]:
            _line(console, f"\u201c{short(passage.text, SNIPPET)}\u201d", indent=4)
    if not comparison.omissions and not any(unique):
        _line(console, "Every passage is carried by another article.")


def _print_techniques(console: Console, outlets: list[OutletSummary], names: list[str]) -> None:
    rates = [summary.techniques_per_1000_words for summary in outlets]
    techniques = sorted({name for per_article in rates for name in per_article})
    _heading(console, "Propaganda techniques per 1,000 words")
    if not techniques:
        _line(console, "No technique spans (detector not run, or nothing found).")
        return
    table = _table("Technique", *names)
    for technique in techniques:
        table.add_row(Text(pretty_technique(technique)),
                      *(Text(f"{per_article.get(technique, 0.0):.1f}") for per_article in rates))
    table.add_row(Text("All techniques", style="bold"),
                  *(Text(f"{summary.all_techniques_per_1000_words:.1f}", style="bold") for summary in outlets))
    console.print(table)

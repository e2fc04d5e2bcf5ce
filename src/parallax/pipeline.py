"""The three library entry points: load, analyze, compare."""
from __future__ import annotations

from pathlib import Path

from parallax.model import Analysis, Article, Comparison


def load(source: str | Path, outlet: str | None = None) -> list[Article]:
    """Read a file (.txt .md .html .jsonl) into Articles; a string that is not an
    existing path is taken as the article text itself."""
    from parallax import ingest

    if isinstance(source, Path) or (len(source) < 4096 and "\n" not in source and Path(source).exists()):
        return ingest.read_path(Path(source), outlet=outlet)
    return [ingest.from_text(str(source), outlet=outlet or "")]


def analyze(article: Article | str, techniques: bool = True, threshold: float | None = None) -> Analysis:
    """Annotate one article: sentences, entities, quotes, claims, techniques."""
    from parallax import nlp

    if isinstance(article, str):
        article = load(article)[0]
    analysis = nlp.annotate(article)
    if techniques:
        from parallax.techniques import detect_into

        detect_into(analysis, threshold=threshold)
    return analysis


def compare(items: list[Analysis | Article | str]) -> Comparison:
    """Compare 2..N articles on one story."""
    from parallax.compare import compare_analyses

    analyses = [item if isinstance(item, Analysis) else analyze(item) for item in items]
    return compare_analyses(analyses)

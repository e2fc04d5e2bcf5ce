"""The three library entry points: load, analyze, compare."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from parallax.model import Analysis, Article, Comparison


def load(source: str | Path, outlet: str | None = None) -> list[Article]:
    """Read a file (.txt .md .html .jsonl) into Articles; a string that does not look
    like a file name is taken as the article text itself."""
    from parallax import ingest

    if isinstance(source, Path) or _looks_like_path(source):
        return ingest.read_path(Path(source), outlet=outlet)
    return [ingest.from_pasted(str(source), outlet=outlet or "")]


# File names are one line and short; anything else handed to load() is article text.
MAX_PATH_CHARS = 4096


def _looks_like_path(source: str) -> bool:
    from parallax.ingest import VALID_EXTENSIONS

    if len(source) > MAX_PATH_CHARS or "\n" in source:
        return False
    return Path(source).exists() or source.lower().endswith(VALID_EXTENSIONS)


def analyze(article: Article | str, techniques: bool = True, threshold: float | None = None,
            cache: bool = True) -> Analysis:
    """Annotate one article: sentences, entities, quotes, claims, techniques.
    `cache`: reuse (and keep) the layers computed for the same text before (parallax.cache)."""
    from parallax import cache as store
    from parallax import nlp

    if isinstance(article, str):
        article = load(article)[0]
    name = store.key("layers", article.text, techniques, threshold) if cache else ""
    layers = store.get_layers(name) if cache else None
    if layers is not None:
        return Analysis(article, layers)
    if not techniques:
        analysis = nlp.annotate(article)
    else:
        from parallax.techniques import detect_layer

        # The technique detector reads only the text, and ONNX Runtime releases the GIL:
        # it runs beside spaCy's parse, which keeps one core busy (seeds: 2.0 -> 1.6 s).
        with ThreadPoolExecutor(max_workers=1) as pool:
            found = pool.submit(detect_layer, article.text, threshold)
            analysis = nlp.annotate(article)
            analysis["techniques"] = found.result()
    if cache:
        store.put_layers(name, analysis.layers)
    return analysis


def compare(items: list[Analysis | Article | str], cache: bool = True) -> Comparison:
    """Compare 2..N articles on one story (`cache`: see analyze)."""
    from parallax.comparison import compare_analyses

    analyses = [item if isinstance(item, Analysis) else analyze(item, cache=cache) for item in items]
    return compare_analyses(analyses, cache=cache)

"""The JSON output: the typed values of parallax.model as plain data, plus a small renaming
table for the article layers.

Shape (README "JSON output", schema in report/schema.py): {"schema_version", "articles",
"outlets"}, and for a Comparison also "links", "conflicts", "framing", "coverage",
"omissions". Every object that points into text has "start", "end" and the "text" they
cover: text == that article's text[start:end].
"""
from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from parallax.comparison.outlets import outlet_figures
from parallax.errors import InputError
from parallax.model import LAYERS, SCHEMA_VERSION, Analysis, Comparison, Span
from parallax.report.summary import unpack
from parallax.techniques.definitions import DEFINITIONS


@dataclass(frozen=True)
class LayerFields:
    """How one layer's Span.label and Span.score are written in JSON."""

    label: str | None  # JSON key for Span.label; None: not written
    score: bool  # whether Span.score is written


LAYER_FIELDS: dict[str, LayerFields] = {
    "sentences": LayerFields(label=None, score=False),
    "entities": LayerFields(label="type", score=False),
    "quotes": LayerFields(label="kind", score=True),
    "claims": LayerFields(label=None, score=True),  # the label is always "claim"; `kind` tells which
    "techniques": LayerFields(label="technique", score=True),
}
# A layer nobody declared above (added later by another stage) keeps label and score as such.
GENERIC_FIELDS = LayerFields(label="label", score=True)
# Comparison parts written as they are typed, in this order (after articles and outlets).
COMPARISON_KEYS = ("links", "conflicts", "framing", "coverage", "omissions")


def _check(start: int, end: int, text: str, where: str) -> None:
    if not 0 <= start <= end <= len(text):
        raise InputError(
            where,
            f"span [{start}, {end}) does not index the article text of length {len(text)}; "
            "valid spans have 0 <= start <= end <= len(text)",
        )


def plain(value: Any, texts: list[str], article: int | None, where: str) -> Any:
    """A typed value as data json.dumps accepts in strict mode (like model.to_data; inf and
    NaN become None). Every part with offsets is checked against its article's text, and
    its `text` is that article's text[start:end]: the article is the one named by the
    nearest enclosing `article` field, else `article`."""
    if is_dataclass(value) and not isinstance(value, type):
        names = [f.name for f in fields(value)]
        if "article" in names:
            article = value.article
            if not 0 <= article < len(texts):
                raise InputError(where, f"points at article {article}; valid: 0..{len(texts) - 1}")
        out = {name: plain(getattr(value, name), texts, article, where) for name in names}
        if "start" in out and "end" in out and article is not None:
            _check(value.start, value.end, texts[article], where)
            if "text" in out:
                out["text"] = texts[article][value.start:value.end]
        return out
    if isinstance(value, (list, tuple)):
        return [plain(item, texts, article, where) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item, texts, article, where) for key, item in value.items()}
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item(), texts, article, where)
    return value


def span_to_dict(span: Span, text: str, layer: str, where: str) -> dict[str, Any]:
    """{"start", "end", "text"}, the layer's label and score keys, then the span's own fields."""
    written = LAYER_FIELDS.get(layer, GENERIC_FIELDS)
    _check(span.start, span.end, text, where)
    data = plain(span, [text], 0, where)
    out: dict[str, Any] = {"start": span.start, "end": span.end, "text": text[span.start:span.end]}
    if written.label:
        out[written.label] = data["label"]
    if written.score:
        out["score"] = data["score"]
    out.update((key, value) for key, value in data.items() if key not in ("start", "end", "label", "score"))
    if layer == "techniques":
        out["definition"] = DEFINITIONS.get(span.label, "")
    return out


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """One article object of the JSON document: metadata, text and every span layer."""
    article = analysis.article
    out: dict[str, Any] = plain(article, [], None, article.source or article.id)
    extra_layers = [name for name in analysis.layers if name not in LAYERS]
    for layer in (*LAYERS, *extra_layers):
        where = f"{article.source or article.id} layer {layer!r}"
        out[layer] = [span_to_dict(span, analysis.text, layer, where) for span in analysis[layer]]
    return out


def _comparison_parts(comparison: Comparison) -> dict[str, Any]:
    texts = [analysis.text for analysis in comparison.analyses]
    out = {key: plain(getattr(comparison, key), texts, None, "comparison") for key in COMPARISON_KEYS}
    if comparison.coverage is not None:  # unique passages: one list per article, in order
        out["coverage"]["unique"] = [plain(phrases, texts, index, "comparison")
                                     for index, phrases in enumerate(comparison.coverage.unique)]
    return out


def document(obj: Analysis | list[Analysis] | Comparison) -> dict[str, Any]:
    """The full JSON object: {"schema_version", "articles", "outlets"}; a Comparison adds
    links, conflicts, framing, coverage and omissions."""
    analyses, comparison = unpack(obj)
    texts = [analysis.text for analysis in analyses]
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "articles": [analysis_to_dict(analysis) for analysis in analyses],
        "outlets": plain(outlet_figures(analyses, comparison), texts, None, "outlets"),
    }
    if comparison is not None:
        out.update(_comparison_parts(comparison))
    return out


def dumps(obj: Analysis | list[Analysis] | Comparison) -> str:
    """The JSON text of `document(obj)`: UTF-8 characters kept, indented, strict (no NaN)."""
    return json.dumps(document(obj), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_json(obj: Analysis | list[Analysis] | Comparison, path: str | Path | None = None) -> str:
    """Write the JSON document to `path` (UTF-8), or to stdout when `path` is None; return it."""
    text = dumps(obj)
    if path is None:
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")
    return text

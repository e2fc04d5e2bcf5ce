"""The JSON output: one serializer for every span layer plus a small renaming table.

Shape (see DESIGN.md): {"schema_version", "articles": [...], and for a Comparison also
"links", "conflicts", "framing", "coverage", "omissions", "outlets"}. Every span object is
{"start", "end", "text"} with text == article["text"][start:end], and the Span's attrs merged in.
"""
from __future__ import annotations

import copy
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parallax.errors import InputError, UsageError
from parallax.model import LAYERS, SCHEMA_VERSION, Analysis, Comparison, Link, Span
from parallax.techniques.definitions import DEFINITIONS

# Keys of a Comparison that are already plain dicts/lists: passed through as they are.
COMPARISON_KEYS = ("conflicts", "framing", "coverage", "omissions", "outlets")


@dataclass(frozen=True)
class LayerFields:
    """How one layer's Span.label / Span.score are named in JSON, and attrs that always appear."""

    label: str | None = None  # JSON key for Span.label; None = not written
    score: str | None = None  # JSON key for Span.score; None = not written
    defaults: dict[str, Any] = field(default_factory=dict)  # written when attrs lack them


LAYER_FIELDS: dict[str, LayerFields] = {
    "sentences": LayerFields(),
    "entities": LayerFields(label="type", defaults={"name": None}),
    "quotes": LayerFields(label="kind", score="score", defaults={"speaker": None, "cue": None}),
    "claims": LayerFields(score="score", defaults={"quantities": []}),
    "techniques": LayerFields(label="technique", score="score"),
}
# A layer nobody declared above (added later by another stage) keeps label and score as such.
GENERIC_FIELDS = LayerFields(label="label", score="score")


def jsonable(value: Any) -> Any:
    """A copy of `value` that json.dumps accepts in strict mode: inf/NaN -> None, tuples ->
    lists, Spans -> span dicts without text, other objects -> str."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(item) for item in value]
    if isinstance(value, Span):
        return {"start": value.start, "end": value.end, "label": value.label, "score": value.score}
    if hasattr(value, "item"):  # numpy scalars
        return jsonable(value.item())
    return str(value)


def span_to_dict(span: Span, text: str, fields: LayerFields, where: str) -> dict[str, Any]:
    """{"start", "end", "text"} + renamed label/score + attrs (attrs win over defaults)."""
    if not 0 <= span.start <= span.end <= len(text):
        raise InputError(
            where,
            f"span [{span.start}, {span.end}) does not index the article text of length {len(text)}; "
            "valid spans have 0 <= start <= end <= len(text)",
        )
    out: dict[str, Any] = {"start": span.start, "end": span.end, "text": text[span.start:span.end]}
    if fields.label:
        out[fields.label] = span.label
    if fields.score:
        out[fields.score] = span.score
    out.update(copy.deepcopy(fields.defaults))
    out.update(jsonable(span.attrs))
    # The offsets and text are the contract: an attr of the same name must not replace them.
    out.update(start=span.start, end=span.end, text=text[span.start:span.end])
    return out


def _layer_to_list(analysis: Analysis, layer: str) -> list[dict[str, Any]]:
    fields = LAYER_FIELDS.get(layer, GENERIC_FIELDS)
    where = f"{analysis.article.source or analysis.article.id} layer {layer!r}"
    spans = [span_to_dict(span, analysis.text, fields, where) for span in analysis[layer]]
    if layer == "techniques":
        for item in spans:
            item.setdefault("definition", DEFINITIONS.get(item["technique"], ""))
    return spans


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """One article object of the JSON schema: metadata, text and every span layer."""
    article = analysis.article
    out: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "authors": list(article.authors),
        "published": article.published,
        "original_source": article.original_source,
        "source": article.source,
        "meta": jsonable(article.meta),
        "text": article.text,
    }
    extra_layers = [name for name in analysis.layers if name not in LAYERS]
    for layer in (*LAYERS, *extra_layers):
        out[layer] = _layer_to_list(analysis, layer)
    return out


def _ref_to_dict(ref, analyses: list[Analysis]) -> dict[str, Any]:
    if not 0 <= ref.article < len(analyses):
        raise InputError("comparison", f"link points at article {ref.article}; valid: 0..{len(analyses) - 1}")
    text = analyses[ref.article].text
    return {"article": ref.article, "start": ref.start, "end": ref.end, "text": text[ref.start:ref.end]}


def link_to_dict(link: Link, analyses: list[Analysis]) -> dict[str, Any]:
    """A Link with each side's text added beside its offsets (for readers of the JSON)."""
    return {
        "relation": link.relation,
        "score": jsonable(link.score),
        "evidence": jsonable(link.evidence),
        "a": _ref_to_dict(link.a, analyses),
        "b": _ref_to_dict(link.b, analyses),
    }


def document(obj: Analysis | list[Analysis] | Comparison) -> dict[str, Any]:
    """The full JSON object: analyses give {"schema_version", "articles"}; a Comparison adds
    links, conflicts, framing, coverage, omissions and outlets."""
    if isinstance(obj, Comparison):
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "articles": [analysis_to_dict(analysis) for analysis in obj.analyses],
            "links": [link_to_dict(link, obj.analyses) for link in obj.links],
        }
        for key in COMPARISON_KEYS:
            out[key] = jsonable(getattr(obj, key))
        return out
    analyses = [obj] if isinstance(obj, Analysis) else obj
    if not isinstance(analyses, list) or not all(isinstance(item, Analysis) for item in analyses):
        raise UsageError(
            f"cannot serialise {type(obj).__name__}; valid: an Analysis, a list of Analysis, or a Comparison"
        )
    return {"schema_version": SCHEMA_VERSION, "articles": [analysis_to_dict(item) for item in analyses]}


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

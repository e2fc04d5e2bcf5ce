"""The JSON Schema (draft 2020-12) of the `--format json` document of `analyze` and `compare`.

Generated from the types of parallax.model, so the schema cannot drift from what
report/json_out.py writes: each dataclass becomes a closed object in `$defs` (every field
required, no other keys), Literal kinds become enums. Span layers are written with a few
renames (json_out.LAYER_FIELDS), which the span definitions apply the same way.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, Union

from parallax.model import (
    ENTITY_TYPES, LAYER_TYPES, LAYERS, QUOTE_KINDS, SCHEMA_VERSION, Article, Comparison, OutletSummary, Span,
)
from parallax.report.json_out import GENERIC_FIELDS, LAYER_FIELDS
from parallax.techniques.definitions import DEFINITIONS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
PRIMITIVES = {int: "integer", float: "number", str: "string", bool: "boolean", type(None): "null"}
# The values a layer's label can take, where they are a closed set.
LABELS: dict[str, tuple[str, ...]] = {"entities": ENTITY_TYPES, "quotes": QUOTE_KINDS,
                                      "techniques": tuple(sorted(DEFINITIONS))}
# Span layers of Article, in the document's order; any other key of an article is a layer
# added by another stage, written with GENERIC_FIELDS.
SPAN_NAMES = {"sentences": "Sentence", "entities": "Entity", "quotes": "Quote", "claims": "Claim",
              "techniques": "Technique"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _closed(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    if description:
        out["description"] = description
    out.update(properties=properties, required=list(properties), additionalProperties=False)
    return out


class _Builder:
    """Collects the `$defs` of the dataclasses a type refers to."""

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def of(self, tp: Any) -> dict[str, Any]:
        """The schema of a type annotation."""
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if tp is Any:
            return {}
        if tp in PRIMITIVES:
            return {"type": PRIMITIVES[tp]}
        if origin is Literal:
            return {"enum": list(args)}
        if origin in (Union, types.UnionType):
            return self._union(args)
        if origin is list:
            return {"type": "array", "items": self.of(args[0])}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.of(args[1])}
        if dataclasses.is_dataclass(tp):
            return self.dataclass(tp)
        raise TypeError(f"no JSON Schema for {tp!r}")

    def _union(self, args: tuple[Any, ...]) -> dict[str, Any]:
        if all(arg in PRIMITIVES for arg in args):
            return {"type": [PRIMITIVES[arg] for arg in args]}
        return {"anyOf": [self.of(arg) for arg in args]}

    def properties(self, cls: type, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        return {f.name: self.of(hints[f.name]) for f in dataclasses.fields(cls) if f.name not in leave_out}

    def dataclass(self, cls: type, name: str | None = None) -> dict[str, str]:
        name = name or cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # reserved first: a type may refer to itself
            self.defs[name] = _closed(self.properties(cls), _summary(cls))
        return _ref(name)

    def span(self, layer: str, name: str) -> dict[str, str]:
        """A span as json_out.span_to_dict writes it: offsets and text, the label and score
        under the layer's names, then the span type's own fields."""
        cls = LAYER_TYPES.get(layer, Span)
        written = LAYER_FIELDS.get(layer, GENERIC_FIELDS)
        own = self.properties(cls)
        properties: dict[str, Any] = {"start": own.pop("start"), "end": own.pop("end"), "text": {"type": "string"}}
        label, score = own.pop("label"), own.pop("score")
        if written.label:
            properties[written.label] = {"enum": list(LABELS[layer])} if layer in LABELS else label
        if written.score:
            properties["score"] = score
        properties.update(own)
        if layer == "techniques":
            properties["definition"] = {"type": "string"}
        self.defs[name] = _closed(properties, _summary(cls))
        return _ref(name)


def _summary(cls: type) -> str:
    """The first line of a type's docstring."""
    return (cls.__doc__ or "").strip().split("\n")[0]


def _article(builder: _Builder) -> dict[str, Any]:
    properties = builder.properties(Article)
    for layer in LAYERS:
        properties[layer] = {"type": "array", "items": builder.span(layer, SPAN_NAMES[layer])}
    other_layer = {"type": "array", "items": builder.span("", "OtherSpan")}
    return {**_closed(properties, _summary(Article)), "additionalProperties": other_layer}


def json_schema() -> dict[str, Any]:
    """The schema of both documents: an analysis ({"schema_version", "articles", "outlets"})
    or a comparison (the same plus "links", "conflicts", "framing", "coverage", "omissions")."""
    builder = _Builder()
    builder.defs["Article"] = _article(builder)
    analysis = {"schema_version": {"const": SCHEMA_VERSION},
                "articles": {"type": "array", "items": _ref("Article")},
                "outlets": builder.of(list[OutletSummary])}
    # the analyses are the articles; every other field of a Comparison is written as typed
    comparison = {**analysis, **builder.properties(Comparison, leave_out=("analyses",))}
    builder.defs["AnalysisDocument"] = _closed(analysis, "`parallax analyze --format json`: articles and their figures.")
    builder.defs["ComparisonDocument"] = _closed(
        comparison, "`parallax compare --format json`: the articles, their figures and what relates them.")
    return {
        "$schema": DRAFT,
        "title": f"Parallax JSON output, schema_version {SCHEMA_VERSION}",
        "oneOf": [_ref("AnalysisDocument"), _ref("ComparisonDocument")],
        "$defs": dict(sorted(builder.defs.items())),
    }


__all__ = ["json_schema"]

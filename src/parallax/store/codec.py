"""Typed values <-> the plain columns of the store: JSON text and raw array bytes.

Nothing here can run code while decoding: layers and metadata are JSON, vectors are raw
numbers read with numpy.frombuffer under a fixed list of dtypes (never pickle, never
np.load). A value that does not decode raises CorruptRow, which the store treats as a miss.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from parallax.model import Article, Span, layers_from_data, layers_to_data

# The only dtypes a vectors row may name: floating point, little-endian (SQLite files move
# between machines; the byte order is part of the dtype string, so '>f4' would also read
# right, but nothing writes it). Object dtypes, the one way numpy arrays carry pickles,
# are not on the list.
VECTOR_DTYPES = ("<f2", "<f4", "<f8")


class CorruptRow(ValueError):
    """A stored value that cannot be decoded (truncated, foreign, or tampered with)."""


# --------------------------------------------------------------------------- articles

ARTICLE_COLUMNS = ("id", "outlet", "title", "url", "authors", "published", "original_source",
                   "source", "meta", "text")


def article_row(article: Article) -> tuple[Any, ...]:
    """The values of ARTICLE_COLUMNS for `article`. Metadata values JSON cannot hold
    (dates, paths) are stored as their str()."""
    return (article.id, article.outlet, article.title, article.url,
            _json(list(article.authors)), article.published, article.original_source,
            article.source, _json(article.meta, default=str), article.text)


def article_from_row(row: Sequence[Any]) -> Article:
    """An Article from the values of ARTICLE_COLUMNS."""
    values = dict(zip(ARTICLE_COLUMNS, row))
    try:
        values["authors"] = json.loads(values["authors"])
        values["meta"] = json.loads(values["meta"])
    except (TypeError, ValueError) as exc:
        raise CorruptRow(f"article {values.get('id')}: {exc}") from exc
    return Article(**values)


# ----------------------------------------------------------------------------- layers

def encode_layers(layers: dict[str, list[Span]]) -> str | None:
    """Layers as JSON, or None when they would not read back equal (a span type that is not
    the layer's own, tuples, NaN scores): such layers are not stored rather than stored wrong."""
    try:
        text = _json(layers_to_data(layers))
        same = decode_layers(text) == layers
    except (TypeError, ValueError):  # sets, objects, circular references
        return None
    return text if same else None


def decode_layers(text: str | bytes) -> dict[str, list[Span]]:
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise TypeError(f"layers are a {type(data).__name__}, not an object")
        return layers_from_data(data)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise CorruptRow(f"layers: {exc}") from exc


# ---------------------------------------------------------------------------- vectors

def encode_vectors(texts: Sequence[str], array: np.ndarray) -> tuple[str, bytes, str, int, int]:
    """(texts JSON, data, dtype, rows, cols) for a 2-D float array with one row per text.

    The dtype is kept (float32 stays float32, bit for bit); big-endian input is stored
    little-endian."""
    array = np.asarray(array)
    if array.ndim != 2 or array.shape[0] != len(texts):
        raise ValueError(f"vectors must be a 2-D array with one row per text; got shape "
                         f"{array.shape} for {len(texts)} texts")
    dtype = array.dtype.newbyteorder("<")
    if dtype.str not in VECTOR_DTYPES:
        raise ValueError(f"vectors of dtype {array.dtype} cannot be stored; use float32")
    data = np.ascontiguousarray(array, dtype=dtype).tobytes()
    return _json(list(texts)), data, dtype.str, array.shape[0], array.shape[1]


def decode_vectors(texts: str, data: bytes, dtype: str, rows: int, cols: int) -> tuple[list[str], np.ndarray]:
    """The inverse of encode_vectors; a writable array of its own (not a view of `data`)."""
    if dtype not in VECTOR_DTYPES:
        raise CorruptRow(f"vectors: dtype {dtype!r} is not one of {', '.join(VECTOR_DTYPES)}")
    try:
        names = json.loads(texts)
        array = np.frombuffer(data, dtype=np.dtype(dtype)).reshape(rows, cols).copy()
    except (TypeError, ValueError) as exc:  # wrong length, not JSON
        raise CorruptRow(f"vectors: {exc}") from exc
    if not isinstance(names, list) or len(names) != rows or not all(isinstance(n, str) for n in names):
        raise CorruptRow(f"vectors: texts do not match the {rows} rows")
    return names, array


def _json(value: Any, default: Any = None) -> str:
    # Compact and unescaped: the store holds ~10^4-10^7 of these.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=default)

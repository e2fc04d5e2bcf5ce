"""The rows and columns of the batch tables: `parallax export`'s tables, plus the batch's own.

From parallax.corpus.export (same names, same typed columns): articles, quotes, claims,
techniques (written by `batch analyze`, one row per span, offsets into articles.text),
articles again with their duplicates (`batch ingest`), stories and story_articles
(`batch stories`). Added by batch:

    errors        one row per record or file that could not be read or analysed:
                  file, row (its line or row number; null for a whole file), message
    signatures    the story signature of each ingested article (parallax.corpus.signatures),
                  what `batch stories` groups; `position` is its place in input order
    _fingerprints the duplicate keys of each ingested article (text hash, MinHash, LSH
                  bands): what the duplicate pass reads; internal (a leading "_")

quote_id stays null in batch: it numbers a quote tracked across the corpus in publication
order (`parallax quotes`), which no partition sees. The export's `copies` and `outlets`
tables are not written: passages are traced and outlets profiled against the whole corpus
in order, which `parallax ingest` + `parallax export` do on one machine.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from parallax.corpus.export import article_row, milliseconds, span_rows
from parallax.corpus.sources import published_timestamp

if TYPE_CHECKING:
    import pyarrow as pa

    from parallax.corpus.dedup import Fingerprint
    from parallax.corpus.signatures import StorySignature
    from parallax.corpus.stories import Story
    from parallax.model import Article

# The span tables of `batch analyze`, in the order they are written.
SPAN_TABLES = ("quotes", "claims", "techniques")
ERRORS, SIGNATURES, FINGERPRINTS = "errors", "signatures", "_fingerprints"
# The sparse channels of a signature, kept as JSON objects (key -> count).
SIGNATURE_CHANNELS = ("entities", "terms", "lead_terms", "numbers")


def schemas() -> dict[str, pa.Schema]:
    """Every batch table's typed columns: the export's tables and the batch's own."""
    import pyarrow as pa

    from parallax.corpus.export import schemas as export_schemas

    text, number, real = pa.string(), pa.int64(), pa.float64()
    own = {
        ERRORS: [("partition", text), ("file", text), ("row", number), ("message", text)],
        SIGNATURES: [("position", number), ("article_id", text), ("outlet", text), ("published", text),
                     ("published_at", real), ("title", text), ("vector", pa.list_(pa.float32())),
                     *[(channel, text) for channel in SIGNATURE_CHANNELS]],
        FINGERPRINTS: [("position", number), ("article_id", text), ("published_at", real),
                       ("text_hash", number), ("minhash", pa.binary()), ("bands", pa.list_(number))],
    }
    return {**export_schemas(), **{name: pa.schema(columns) for name, columns in own.items()}}


def error_row(partition: str | None, file: str, row: int | None, message: str) -> dict[str, Any]:
    return {"partition": partition, "file": file, "row": row, "message": message}


def signature_row(position: int, signature: StorySignature) -> dict[str, Any]:
    row: dict[str, Any] = {"position": position, "article_id": signature.article_id, "outlet": signature.outlet,
                           "published": signature.published, "published_at": published_timestamp(signature.published),
                           "title": signature.title, "vector": signature.vector.tolist()}
    for channel in SIGNATURE_CHANNELS:
        row[channel] = json.dumps(getattr(signature, channel), ensure_ascii=False, separators=(",", ":"))
    return row


def signature_from_row(row: dict[str, Any]) -> StorySignature:
    """The StorySignature a `signatures` row holds (float32 vector, exactly as computed)."""
    import numpy as np

    from parallax.corpus.signatures import StorySignature

    return StorySignature(article_id=row["article_id"], outlet=row["outlet"] or "", published=row["published"],
                          title=row["title"] or "", vector=np.asarray(row["vector"], dtype=np.float32),
                          **{channel: json.loads(row[channel]) for channel in SIGNATURE_CHANNELS})


def fingerprint_row(position: int, article: Article, fp: Fingerprint) -> dict[str, Any]:
    import numpy as np

    return {"position": position, "article_id": article.id, "published_at": published_timestamp(article.published),
            "text_hash": fp.text_hash, "minhash": np.ascontiguousarray(fp.minhash, dtype="<u4").tobytes(),
            "bands": fp.bands()}


def story_rows(stories: list[Story]) -> list[dict[str, Any]]:
    """`stories` rows, ids numbered from 1 in the order the stories started (as the store
    numbers them)."""
    return [{"id": str(story.id + 1), "title": story.title,
             "first_seen": milliseconds(published_timestamp(story.first_seen)),
             "last_seen": milliseconds(published_timestamp(story.last_seen)), "size": len(story.articles)}
            for story in stories]


__all__ = ["ERRORS", "FINGERPRINTS", "SIGNATURES", "SIGNATURE_CHANNELS", "SPAN_TABLES", "article_row", "error_row",
           "fingerprint_row", "milliseconds", "schemas", "signature_from_row", "signature_row", "span_rows",
           "story_rows"]

"""`parallax export --store DB --to DIR --format parquet|csv`: the corpus and its results as tables
that pandas, R (arrow) and DuckDB read.

    counts = export(store, Path("out"), "parquet", fingerprint)     rows per table

One file per table, DIR/NAME.parquet or DIR/NAME.csv (names fixed here, never taken from
input), each with a typed schema (SCHEMAS), so an empty table still has its columns:

    articles        one row per ingested article: metadata, text, the original it duplicates,
                    whether it was deep-analysed, its paragraphs and how many are copied
    stories         one row per story (`parallax stories`; empty until it has run)
    story_articles  article -> story, with the order it joined in
    quotes          one row per quote span; quote_id is the tracked quote of `parallax quotes`
    claims          one row per claim span
    techniques      one row per technique span
    copies          one row per copied passage: its source and how many outlets carry it
    outlets         one row per outlet: corpus.outlets profile figures, each as a value
                    and `_n`, the number of articles it rests on

Span rows (quotes, claims, techniques) come from the deep analyses stored under
`fingerprint` and hold offsets into the article's stored text: articles.text[start:end]
is the span's text. Lists are Arrow lists in Parquet and JSON arrays in CSV (which has no
lists); outlet figures per name (techniques, cues, speakers) are JSON objects in both.

The corpus is read once, in publication order, inside one read transaction (the tables
agree with each other whatever is written meanwhile), and rows are written BATCH_ROWS at
a time: memory stays flat at any corpus size. Each file is written under a temporary
name and renamed when complete, so an interrupted export leaves no half-written table.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parallax.errors import InputError, UsageError

if TYPE_CHECKING:  # pyarrow and the corpus modules load on use: `parallax --help` stays fast
    import pyarrow as pa

    from parallax.corpus.dedup import Duplicate
    from parallax.corpus.outlets import ArticleFacts, OutletProfile
    from parallax.corpus.provenance import CopySummary
    from parallax.model import Analysis, Article
    from parallax.store import Store
    from parallax.store.analyses import CorpusArticle

FORMATS = ("parquet", "csv")
TABLES = ("articles", "stories", "story_articles", "quotes", "claims", "techniques", "copies", "outlets")
# Rows held per table before they are written: a batch of articles with their texts is a
# few MB, and Parquet row groups of this size still compress well.
BATCH_ROWS = 1000
# A finished file is renamed from NAME.FORMAT plus this.
PARTIAL_SUFFIX = ".part"


def schemas() -> dict[str, pa.Schema]:
    """The typed columns of each table."""
    import pyarrow as pa

    text, number, real = pa.string(), pa.int64(), pa.float64()
    when, names = pa.timestamp("ms", tz="UTC"), pa.list_(pa.string())
    figure = lambda name: [(name, real), (f"{name}_n", number)]  # noqa: E731
    columns: dict[str, list[tuple[str, pa.DataType]]] = {
        "articles": [("id", text), ("outlet", text), ("title", text), ("url", text), ("published", text),
                     ("published_at", when), ("authors", names), ("original_source", text), ("text", text),
                     ("duplicate_of", text), ("duplicate_kind", text), ("similarity", real),
                     ("deep", pa.bool_()), ("paragraphs", number), ("copied_paragraphs", number)],
        "stories": [("id", text), ("title", text), ("first_seen", when), ("last_seen", when), ("size", number)],
        "story_articles": [("story_id", text), ("article_id", text), ("position", number)],
        "quotes": [("article_id", text), ("quote_id", number), ("start", number), ("end", number), ("text", text),
                   ("kind", text), ("speaker", text), ("speaker_start", number), ("speaker_end", number),
                   ("cue", text), ("cue_lemma", text), ("cue_start", number), ("cue_end", number),
                   ("score", real), ("found_by", text)],
        "claims": [("article_id", text), ("start", number), ("end", number), ("text", text), ("kind", text),
                   ("score", real), ("actors", names)],
        "techniques": [("article_id", text), ("start", number), ("end", number), ("text", text),
                       ("technique", text), ("score", real), ("technique_score", real)],
        "copies": [("article_id", text), ("outlet", text), ("start", number), ("end", number), ("text", text),
                   ("source_article_id", text), ("source_outlet", text), ("source_start", number),
                   ("source_end", number), ("similarity", real), ("kind", text), ("carriers", number)],
        "outlets": [("outlet", text), ("articles", number), ("stories", number), *figure("story_share"),
                    ("blindspots", names), ("deep_articles", number), ("techniques_per_1000_words", text),
                    *figure("all_techniques_per_1000_words"), *figure("loaded_per_1000_words"),
                    ("top_speakers", text), ("cue_mix", text), *figure("copied_share")],
    }
    return {name: pa.schema(columns[name]) for name in TABLES}


# ------------------------------------------------------------------------- export

def export(store: Store, out_dir: Path, fmt: str, fingerprint: str | None) -> dict[str, int]:
    """Write every table of the store's corpus into `out_dir` (created if missing) as `fmt`;
    span tables from the analyses under `fingerprint` (None: they are empty). Returns the
    rows written per table. Raises UsageError for a format it does not write or an
    `out_dir` that exists and is not a folder."""
    if fmt not in FORMATS:
        raise UsageError(f"export format {fmt!r} is not one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--to {out_dir} exists and is not a folder; give a folder (created if missing)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out_dir), f"cannot create the folder ({exc.strerror})") from exc
    from parallax.corpus.outlets import outlet_profiles
    from parallax.store.analyses import iter_corpus, read_snapshot
    from parallax.store.stories import story_titles

    writers: dict[str, _TableWriter] = {}
    try:
        for name, schema in schemas().items():
            writers[name] = _TableWriter(out_dir / f"{name}.{fmt}", schema, fmt)
        with read_snapshot(store):
            _write_stories(store, writers)
            # outlet_profiles pulls one ArticleFacts per article from the pass that writes the
            # other tables: the corpus is read once.
            facts = _article_pass(store, iter_corpus(store, fingerprint), writers)
            for profile in outlet_profiles(facts, story_titles(store)):
                writers["outlets"].add(_outlet_row(profile))
        for writer in writers.values():
            writer.close()
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    return {name: writer.rows for name, writer in writers.items()}


def _write_stories(store: Store, writers: dict[str, _TableWriter]) -> None:
    for story_id, title, first, last, size in store.db.execute(
            "SELECT id, title, first_seen, last_seen, size FROM stories ORDER BY first_seen IS NULL, first_seen, id"):
        writers["stories"].add({"id": story_id, "title": title, "first_seen": milliseconds(first),
                                "last_seen": milliseconds(last), "size": size})
    for story_id, article_id, position in store.db.execute(
            "SELECT story_id, article_id, position FROM story_articles ORDER BY position"):
        writers["story_articles"].add({"story_id": story_id, "article_id": article_id, "position": position})


def _article_pass(store: Store, corpus: Iterator[CorpusArticle], writers: dict[str, _TableWriter]
                  ) -> Iterator[ArticleFacts]:
    """Write each article's rows (article, spans, copies) and yield its outlet facts."""
    from parallax.corpus.outlets import article_facts
    from parallax.corpus.provenance import summarise
    from parallax.corpus.tracking import QuoteTracker
    from parallax.store.provenance import get_copies_with_carriers, is_traced

    tracker = QuoteTracker()  # in publication order, as `parallax quotes` tracks them
    for item in corpus:
        article, analysis = item.article, item.analysis
        mentions = tracker.add(article, item.carried.quotes) if item.carried is not None else []
        copies = get_copies_with_carriers(store, article.id)
        summary = summarise(article.text, [copy for copy, _ in copies]) if is_traced(store, article.id) else None
        writers["articles"].add(_article_row(item, summary))
        if analysis is not None:
            _write_spans(writers, analysis, {(m.start, m.end): m.quote_id for m in mentions})
        for copy, carriers in copies:
            writers["copies"].add({**dataclasses.asdict(copy), "outlet": article.outlet,
                                   "text": article.text[copy.start:copy.end], "carriers": carriers})
        yield article_facts(article.id, article.outlet, item.story_id, analysis, summary)


def _article_row(item: CorpusArticle, summary: CopySummary | None) -> dict[str, Any]:
    return article_row(item.article, item.duplicate, item.analysis is not None, summary, item.published_at)


def article_row(article: Article, duplicate: Duplicate | None = None, deep: bool = False,
                summary: CopySummary | None = None, published_at: float | None = None) -> dict[str, Any]:
    """The `articles` row of an article (also `parallax batch`'s, which traces no passages:
    its paragraph counts stay empty). `published_at` defaults to the article's date as ingest
    keys it."""
    if published_at is None:
        from parallax.corpus.sources import published_timestamp

        published_at = published_timestamp(article.published)
    return {"id": article.id, "outlet": article.outlet, "title": article.title, "url": article.url,
            "published": article.published, "published_at": milliseconds(published_at),
            "authors": list(article.authors), "original_source": article.original_source, "text": article.text,
            "duplicate_of": duplicate.original_id if duplicate else None,
            "duplicate_kind": duplicate.kind if duplicate else None,
            "similarity": duplicate.similarity if duplicate else None, "deep": deep,
            "paragraphs": summary.paragraphs if summary else None,
            "copied_paragraphs": summary.copied if summary else None}


def _write_spans(writers: dict[str, _TableWriter], analysis: Analysis, quote_ids: dict[tuple[int, int], int]) -> None:
    for table, rows in span_rows(analysis, quote_ids).items():
        for row in rows:
            writers[table].add(row)


def span_rows(analysis: Analysis, quote_ids: dict[tuple[int, int], int] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The quotes, claims and techniques rows of one analysis; `quote_ids` gives a quote's
    tracked-quote id by its (start, end) (None: not tracked, as in `parallax batch`)."""
    text, article_id, quote_ids = analysis.text, analysis.article.id, quote_ids or {}
    quotes = []
    for q in analysis.quotes:
        speaker, cue = q.speaker if q.speaker_name else None, q.cue
        quotes.append({
            "article_id": article_id, "quote_id": quote_ids.get((q.start, q.end)), "start": q.start, "end": q.end,
            "text": text[q.start:q.end], "kind": q.kind, "speaker": q.speaker_name,
            "speaker_start": speaker.start if speaker else None, "speaker_end": speaker.end if speaker else None,
            "cue": cue.text if cue else None, "cue_lemma": (cue.lemma or None) if cue else None,
            "cue_start": cue.start if cue else None, "cue_end": cue.end if cue else None,
            "score": q.score, "found_by": q.found_by})
    claims = [{"article_id": article_id, "start": c.start, "end": c.end, "text": text[c.start:c.end],
               "kind": c.kind, "score": c.score, "actors": list(c.actors)} for c in analysis.claims]
    techniques = [{"article_id": article_id, "start": t.start, "end": t.end, "text": text[t.start:t.end],
                   "technique": t.technique, "score": t.score, "technique_score": t.technique_score}
                  for t in analysis.techniques]
    return {"quotes": quotes, "claims": claims, "techniques": techniques}


def _outlet_row(profile: OutletProfile) -> dict[str, Any]:
    row: dict[str, Any] = {"outlet": profile.outlet, "articles": profile.articles, "stories": profile.stories,
                           "blindspots": [spot.story_id for spot in profile.blindspots],
                           "deep_articles": profile.deep_articles,
                           "techniques_per_1000_words": _json(profile.techniques_per_1000_words),
                           "top_speakers": _json(dict(profile.top_speakers)), "cue_mix": _json(profile.cue_mix)}
    for name in ("story_share", "all_techniques_per_1000_words", "loaded_per_1000_words", "copied_share"):
        figure = getattr(profile, name)
        row[name], row[f"{name}_n"] = figure.value, figure.articles
    return row


def milliseconds(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds * 1000)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class _TableWriter:
    """One table's file, written BATCH_ROWS rows at a time under a temporary name."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
        import pyarrow.parquet as pq

        self.path, self.partial = path, path.with_name(path.name + PARTIAL_SUFFIX)
        # CSV has no lists: those columns are JSON text there
        self.lists = [f.name for f in schema if pa.types.is_list(f.type)] if fmt == "csv" else []
        self.schema = pa.schema([pa.field(f.name, pa.string()) if f.name in self.lists else f for f in schema])
        try:
            self.writer = (pq.ParquetWriter(self.partial, self.schema) if fmt == "parquet"
                           else pa_csv.CSVWriter(self.partial, self.schema))
        except OSError as exc:
            raise InputError(str(path), f"cannot write the table ({exc})") from exc
        self.pending: list[dict[str, Any]] = []
        self.rows = 0

    def add(self, row: dict[str, Any]) -> None:
        for name in self.lists:
            row[name] = _json(row[name])
        self.pending.append(row)
        self.rows += 1
        if len(self.pending) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.pending:
            self.writer.write_batch(pa.RecordBatch.from_pylist(self.pending, schema=self.schema))
            self.pending = []

    def close(self) -> None:
        self._flush()
        self.writer.close()
        self.partial.replace(self.path)

    def abort(self) -> None:
        """Close and remove the temporary file (a finished table stays as it is)."""
        try:
            self.writer.close()
        except Exception:  # noqa: BLE001 - the first error is the one to report
            pass
        self.partial.unlink(missing_ok=True)


# ------------------------------------------------------------------------ command

def register(subparsers) -> None:
    """Add the `export` command to the main CLI's sub-commands."""
    parser = subparsers.add_parser("export", help="write a store's corpus and results as Parquet or CSV tables")
    parser.add_argument("--store", type=Path, required=True, help="SQLite store filled by `parallax ingest`")
    parser.add_argument("--to", type=Path, required=True, metavar="DIR", help="folder to write the tables into")
    parser.add_argument("--format", choices=FORMATS, default="parquet", help="table format (default: parquet)")
    parser.add_argument("--config", type=Path, default=None, help="TOML config file the corpus was ingested with")
    parser.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from parallax.config import Config
    from parallax.store import open_existing
    from parallax.store.analyses import deep_fingerprint

    config = Config.resolve(file=args.config)
    with open_existing(args.store, max_bytes=config.store_max_bytes) as store:
        fingerprint = deep_fingerprint(store, config)
        if fingerprint is None:
            print("parallax: no deep analyses in the store: quotes, claims and techniques are empty "
                  f"(`parallax ingest SOURCES --store {args.store} --deep` adds them)", file=sys.stderr)
        counts = export(store, args.to, args.format, fingerprint)
    print(f"exported {args.store} to {args.to} ({args.format})")
    for name, rows in counts.items():
        print(f"  {name:<16} {rows:>9}  {args.to / f'{name}.{args.format}'}")
    return 0


__all__ = ["BATCH_ROWS", "FORMATS", "TABLES", "article_row", "export", "milliseconds", "register", "run_export",
           "schemas", "span_rows"]

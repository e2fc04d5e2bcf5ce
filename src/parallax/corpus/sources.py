"""Corpus sources: JSONL, CSV and Parquet files and folders -> a stream of Article | InputError.

    iter_sources(["corpus/", "more.csv"], column_map=ColumnMap.parse("text=body"))

Each record is one article with `text` verbatim (the plain-text contract: offsets index
exactly that string); its other columns fill the Article fields named like them (id,
title, outlet, url, authors, published, original_source) and `meta` (the rest). A record's
own `id` is kept as the article id, else the stable hash of outlet and text.

Bad records never stop a corpus: each is one InputError naming the file and where in it
("corpus.jsonl:line 7", "corpus.csv:row 3", "corpus.parquet:row 1200"), and the rest are
read. A whole-file problem (missing, empty, binary, not Parquet) is one InputError for the
file. A --map naming a column a file lacks is a UsageError: nothing in that file could
be read right.

Folders are read recursively in name order (a folder's files before its sub-folders): .jsonl .csv .parquet hold many articles, .txt
.md .html one each (cleaned as `parallax analyze` cleans them). Other files are skipped
with one note per folder; hidden files and folders (".git") silently.

Memory: JSONL and CSV are read a line at a time, Parquet a batch of PARQUET_BATCH_ROWS rows
at a time (plus one row group's compressed column chunks, which pyarrow reads whole).
"""
from __future__ import annotations

import csv
import email.utils
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

from parallax.errors import InputError, UsageError
from parallax.ingest.dates import parse_date
from parallax.ingest.files import MAX_RECORD_BYTES, check_file, check_size, decode
from parallax.ingest.readers import read_document, record_to_article
from parallax.model import Article

TABULAR_EXTENSIONS = (".jsonl", ".csv", ".parquet")
DOCUMENT_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm")
FOLDER_EXTENSIONS = TABULAR_EXTENSIONS + DOCUMENT_EXTENSIONS
# Article fields a column can fill (--map FIELD=COLUMN).
TARGET_FIELDS = ("id", "text", "title", "outlet", "url", "authors", "published", "original_source")
# Rows per Parquet batch: ~5 MB of news text, so a batch costs little memory and the
# per-batch overhead of pyarrow stays small.
PARQUET_BATCH_ROWS = 1024
# Enough of a file's start to see NUL bytes (a binary file given as .jsonl or .csv).
SNIFF_BYTES = 8192
# Where an unparseable `published` value is kept (so no metadata is lost).
RAW_DATE_KEY = "published_raw"

Note = Callable[[str], None]


# ------------------------------------------------------------------------- column map

@dataclass(frozen=True)
class ColumnMap:
    """Which column fills which Article field: `--map text=body,published=date`."""

    columns: Mapping[str, str] = field(default_factory=dict)  # field -> column

    @classmethod
    def parse(cls, spec: str | None) -> ColumnMap:
        """A map from "field=column,..."; UsageError for an unknown field or a bad pair."""
        columns: dict[str, str] = {}
        for pair in (spec or "").split(","):
            if not pair.strip():
                continue
            target, sep, column = (part.strip() for part in pair.partition("="))
            if not sep or not target or not column:
                raise UsageError(f"--map {pair.strip()!r}: expected FIELD=COLUMN, e.g. text=body")
            if target not in TARGET_FIELDS:
                raise UsageError(f"--map {target}={column}: unknown field {target!r}; valid: {', '.join(TARGET_FIELDS)}")
            if target in columns:
                raise UsageError(f"--map names the field {target!r} twice ({columns[target]} and {column})")
            columns[target] = column
        return cls(columns)

    def check(self, columns: Iterable[str], source: str) -> None:
        """UsageError naming the field and column when a mapped column is not in `columns`."""
        present = set(columns)
        for target, column in self.columns.items():
            if column not in present:
                raise UsageError(f"{source}: --map {target}={column}: the file has no column {column!r}; "
                                 f"its columns: {', '.join(sorted(present)) or 'none'}")

    def fields(self, columns: Iterable[str]) -> set[str]:
        """The record keys a file with these columns will have once mapped."""
        present = set(columns)
        return (present - set(self.columns)) | {t for t, c in self.columns.items() if c in present}

    def apply(self, record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the record with mapped columns renamed to their fields, the columns that a
        mapped field hides: a `text` column when text=body, kept for `meta`)."""
        if not self.columns:
            return record, {}
        sources = set(self.columns.values())
        mapped = {key: value for key, value in record.items() if key not in sources and key not in self.columns}
        hidden = {key: value for key, value in record.items() if key in self.columns and key not in sources}
        for target, column in self.columns.items():
            if column in record:
                mapped[target] = record[column]
        return mapped, hidden


NO_MAP = ColumnMap()


# ----------------------------------------------------------------------------- dates

def normalise_published(value: Any) -> str | None:
    """An ISO date ("2016-09-26") or date-time ("2016-09-26T10:00:00+00:00") for the
    usual ways corpora write dates; None when there is none or it is not understood."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    iso = parse_date(text)  # "2016-09-26", "September 26, 2016", "26 Sep 2016"
    if iso is not None:
        return iso
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(timespec="seconds")
    except ValueError:
        pass
    try:  # RFC 2822, as RSS feeds write it: "Mon, 26 Sep 2016 10:00:00 GMT"
        return email.utils.parsedate_to_datetime(text).isoformat(timespec="seconds")
    except (TypeError, ValueError, IndexError):
        return None


def published_timestamp(published: str | None) -> float | None:
    """Unix seconds of a normalised `published` (a date is its midnight; no zone: UTC),
    the key "earliest" and publication order sort by."""
    if not published:
        return None
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


# --------------------------------------------------------------------------- records

def record_article(record: Any, where: str, source: str, outlet: str | None, stem: str,
                   column_map: ColumnMap) -> Article:
    """One record (a dict of columns) -> Article; InputError(where, problem) if it is bad
    (also what `parallax batch` reads its partitions' records with)."""
    if not isinstance(record, dict):  # record_to_article names what it got instead
        return _renamed(lambda: record_to_article(record, source, outlet, stem), where)
    record, hidden = column_map.apply(record)
    # A null cell is an absent value (Parquet and JSON nulls); a null text stays, to be named.
    record = {key: value for key, value in record.items() if value is not None or key == "text"}
    raw = record.get("published")
    published = normalise_published(raw)
    record["published"] = published
    if record.get("id") == "":
        del record["id"]  # an empty id cell: the stable hash instead
    article = _renamed(lambda: record_to_article(record, source, outlet, stem), where)
    if raw not in (None, "") and published is None:
        article.meta[RAW_DATE_KEY] = raw if isinstance(raw, (str, int, float)) else str(raw)
    article.meta.update(hidden)
    return article


def _renamed(make: Callable[[], Article], where: str) -> Article:
    try:
        return make()
    except InputError as error:
        raise InputError(where, error.problem) from None


def _check_text_file(path: Path, kind: str) -> None:
    """Whole-file problems of a JSONL or CSV corpus: missing, directory, empty, binary."""
    if check_file(path) == 0:
        raise InputError(str(path), "file is empty")
    with path.open("rb") as handle:
        if b"\x00" in handle.read(SNIFF_BYTES):
            raise InputError(str(path), f"binary file (contains NUL bytes); expected {kind}")


def _require_text(fields: set[str], path: Path, columns: Iterable[str]) -> None:
    if "text" not in fields:
        raise InputError(str(path), f"no \"text\" column (columns: {', '.join(columns)}); name the body "
                                    "column with --map text=COLUMN")


# ----------------------------------------------------------------------------- JSONL

def iter_jsonl(path: Path, column_map: ColumnMap = NO_MAP, outlet: str | None = None) -> Iterator[Article | InputError]:
    """One Article per record, one InputError ("path:line N") per bad one; N counts
    lines from 1, blank ones included, as an editor does. The first object's keys are
    the file's columns for the --map check."""
    _check_text_file(path, "JSON lines")
    checked = not column_map.columns
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:line {number}"
            try:
                check_size(where, len(line), MAX_RECORD_BYTES, what="record")
                record = json.loads(decode(line, where))
            except json.JSONDecodeError as error:
                yield InputError(where, f"invalid JSON ({error.msg} at column {error.colno})")
                continue
            except InputError as error:
                yield InputError(where, error.problem)
                continue
            if not checked and isinstance(record, dict):
                column_map.check(record, str(path))
                checked = True
            try:
                yield record_article(record, where, f"{path}#{number}", outlet, path.stem, column_map)
            except InputError as error:
                yield error


# ------------------------------------------------------------------------------- CSV

def _lines(handle: BinaryIO) -> Iterator[str]:
    """The file's lines as text: UTF-8 (a BOM dropped), a line that is not UTF-8 read as
    cp1252 (Windows exports), so one odd line never stops the file."""
    for number, raw in enumerate(handle):
        try:
            line = raw.decode("utf-8-sig" if number == 0 else "utf-8")
        except UnicodeDecodeError:
            line = raw.decode("cp1252", errors="replace")
        yield line


def iter_csv(path: Path, column_map: ColumnMap = NO_MAP, outlet: str | None = None) -> Iterator[Article | InputError]:
    """One Article per data row, one InputError ("path:row N", N counting data rows from
    1 after the header; the message gives the line) per bad one. The header names the
    columns; quoted fields may hold newlines and be up to the record limit in size."""
    _check_text_file(path, "CSV text")
    csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_BYTES))
    with path.open("rb") as handle:
        reader = csv.reader(_lines(handle))
        try:
            header = next(reader)
        except (StopIteration, csv.Error) as error:
            raise InputError(str(path), f"no header row ({error or 'file holds only blank lines'}); "
                                        "expected column names on the first line") from None
        header = [name.strip() for name in header]
        column_map.check(header, str(path))
        _require_text(column_map.fields(header), path, header)
        yield from _csv_rows(path, reader, header, column_map, outlet)


def _csv_rows(path: Path, reader: Any, header: list[str], column_map: ColumnMap,
              outlet: str | None) -> Iterator[Article | InputError]:
    text_column = column_map.columns.get("text", "text")
    row = 0
    while True:
        row += 1
        where = f"{path}:row {row}"
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield InputError(where, f"not valid CSV ({error}; line {reader.line_num})")
            continue
        if not values or values == [""]:
            row -= 1  # a blank line is no row
            continue
        if len(values) != len(header):
            yield InputError(where, f"has {len(values)} fields; the header has {len(header)} (line {reader.line_num})")
            continue
        size = sum(len(value) for value in values)
        if size > MAX_RECORD_BYTES:
            yield InputError(where, f"record is {size / 2**20:.1f} MB; the limit is {MAX_RECORD_BYTES // 2**20} MB")
            continue
        # CSV has no null: an empty cell is an absent value, except the text (named if empty).
        record = {name: value for name, value in zip(header, values) if value != "" or name == text_column}
        try:
            yield record_article(record, where, f"{path}#{row}", outlet, path.stem, column_map)
        except InputError as error:
            yield error


# --------------------------------------------------------------------------- Parquet

def iter_parquet(path: Path, column_map: ColumnMap = NO_MAP,
                 outlet: str | None = None) -> Iterator[Article | InputError]:
    """One Article per row, one InputError ("path:row N", N counting rows from 1) per bad
    row, read a batch at a time; a row group that cannot be decoded is one InputError
    naming its rows, and the next row group is read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    check_file(path)
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        raise InputError(str(path), f"not a readable Parquet file ({error})") from None
    names = parquet.schema_arrow.names
    column_map.check(names, str(path))
    _require_text(column_map.fields(names), path, names)
    first = 0
    for group in range(parquet.num_row_groups):
        rows = parquet.metadata.row_group(group).num_rows
        try:
            number = first
            for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=[group]):
                for record in batch.to_pylist():
                    number += 1
                    where = f"{path}:row {number}"
                    try:
                        yield record_article(record, where, f"{path}#{number}", outlet, path.stem, column_map)
                    except InputError as error:
                        yield error
        except (pa.ArrowException, OSError) as error:
            yield InputError(f"{path}:rows {number + 1}-{first + rows}", f"row group {group} cannot be read ({error})")
        first += rows


# --------------------------------------------------------------------------- folders

def iter_files(folder: Path, note: Note | None = None) -> Iterator[Path | InputError]:
    """The readable files under `folder`, recursively, in name order; one note for the
    files of other types, an InputError for a sub-folder that cannot be listed."""
    skipped: dict[str, int] = {}
    problems: list[OSError] = []
    for root, folders, files in os.walk(folder, onerror=problems.append):
        while problems:
            error = problems.pop()
            yield InputError(str(error.filename or root), f"cannot list folder ({error.strerror or error})")
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            suffix = Path(name).suffix.lower()
            if suffix in FOLDER_EXTENSIONS:
                yield Path(root) / name
            else:
                skipped[suffix or "(none)"] = skipped.get(suffix or "(none)", 0) + 1
    while problems:
        error = problems.pop()
        yield InputError(str(error.filename or folder), f"cannot list folder ({error.strerror or error})")
    if skipped and note is not None:
        count = sum(skipped.values())
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(skipped.items()))
        note(f"{folder}: skipped {count} file{'s' if count != 1 else ''} of other types ({kinds}); "
             f"read: {' '.join(FOLDER_EXTENSIONS)}")


def iter_path(path: Path, column_map: ColumnMap = NO_MAP, outlet: str | None = None) -> Iterator[Article | InputError]:
    """The articles of one file, by its extension; a whole-file problem is one InputError."""
    readers = {".jsonl": iter_jsonl, ".csv": iter_csv, ".parquet": iter_parquet}
    suffix = path.suffix.lower()
    try:
        if suffix in readers:
            yield from readers[suffix](path, column_map, outlet)
        elif suffix in DOCUMENT_EXTENSIONS or not suffix:
            yield read_document(path, outlet)
        else:
            check_file(path)
            yield InputError(str(path), f"unsupported file type '{suffix}'; valid: {' '.join(FOLDER_EXTENSIONS)} "
                                        "(or a folder of them)")
    except InputError as error:
        yield error


def iter_sources(sources: Iterable[str | Path], column_map: ColumnMap = NO_MAP, outlet: str | None = None,
                 note: Note | None = None) -> Iterator[Article | InputError]:
    """Every article of every source (files and folders, recursively), in order, as it is
    read; bad files and records are InputErrors in the stream and the rest go on. A --map
    column a file lacks raises UsageError."""
    for source in sources:
        path = Path(source)
        if path.is_dir():
            for item in iter_files(path, note):
                if isinstance(item, InputError):
                    yield item
                else:
                    yield from iter_path(item, column_map, outlet)
        else:
            yield from iter_path(path, column_map, outlet)


__all__ = ["ColumnMap", "FOLDER_EXTENSIONS", "NO_MAP", "PARQUET_BATCH_ROWS", "RAW_DATE_KEY", "TARGET_FIELDS",
           "iter_csv", "iter_files", "iter_jsonl", "iter_parquet", "iter_path", "iter_sources",
           "normalise_published", "published_timestamp", "record_article"]

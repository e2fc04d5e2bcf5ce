"""Batch inputs: files and globs (local or any fsspec URL) -> partitions of records.

    files, errors = expand(["corpus/*.jsonl", "s3://bucket/more.parquet"])
    partitions, errors = plan(files, records=1000, column_map=NO_MAP)

A partition is a run of consecutive records of one file, found without parsing them
where the format allows: JSONL by byte range (the client scans line ends once), CSV by
byte range (the client runs the CSV parser once, since a quoted field may hold newlines),
Parquet by row range (from its footer). Each partition knows the number of its first
line or row, so a bad record is named exactly as `parallax ingest` names it
("corpus.jsonl:line 7", "corpus.csv:row 3", "corpus.parquet:row 1200"), and its global
position in input order, which orders duplicates and stories as one machine would.

Whole-file problems (missing, empty, binary, not Parquet, no text column) are InputErrors
for the file; a --map naming a column a file lacks is a UsageError (nothing could be read
right). Compressed files are not split (a byte range of a gzip stream means nothing):
decompress first.
"""
from __future__ import annotations

import csv
import glob
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from parallax.corpus.sources import ColumnMap
from parallax.errors import InputError

# What batch reads: the corpus formats (single documents are `parallax analyze`'s job).
KINDS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
# Enough of a file's start to see NUL bytes (a binary file given as .jsonl or .csv), as
# parallax.corpus.sources sniffs.
SNIFF_BYTES = 8192
# Records per partition by default: a few minutes of the deep tier on one core (~3
# articles/s), so the per-task overhead (milliseconds) is nothing and a lost worker costs
# at most minutes, while 10^7 articles make 10^4 partitions (files per table).
DEFAULT_RECORDS = 1000


@dataclass(frozen=True)
class Partition:
    """Consecutive records of one file: what one task reads, analyses and writes."""

    pid: str  # "00003-000012": the file's number in the plan, the partition's in the file
    url: str  # as fsspec opens it (a local path stays a path)
    kind: str  # "jsonl" | "csv" | "parquet"
    start: int  # JSONL/CSV: byte offset; Parquet: row index (from 0)
    stop: int  # end, exclusive, in the same unit
    first: int  # number of its first line (JSONL) or row (CSV, Parquet), from 1
    position: int  # input-order index of its first record over all files
    records: int
    header: tuple[str, ...] = field(default=())  # CSV: the file's column names
    lines_before: int = 0  # CSV: the file's lines before `start` (messages give file lines)

    def describe(self) -> str:
        unit = "lines" if self.kind == "jsonl" else "rows"
        return f"{self.url} ({unit} from {self.first}, {self.records} records)"


# ---------------------------------------------------------------------------- files

def _has_magic(path: str) -> bool:
    return glob.has_magic(path)


def _fs(url: str) -> tuple[Any, str]:
    import fsspec

    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as error:  # an unknown protocol or a missing backend
        raise InputError(url, f"cannot open this URL ({error}); install the fsspec backend for it "
                              "(s3fs for s3://, gcsfs for gs://)") from None


def _named(fs: Any, path: str) -> str:
    """How a found file is named: local paths as paths, remote ones with their protocol."""
    protocols = fs.protocol if isinstance(fs.protocol, (tuple, list)) else (fs.protocol,)
    return path if "file" in protocols or "local" in protocols else fs.unstrip_protocol(path)


def expand(inputs: list[str]) -> tuple[list[str], list[InputError]]:
    """The files of `inputs` in order (globs and folders sorted by name, hidden files
    skipped), and an InputError for each input that names nothing readable."""
    files: list[str] = []
    errors: list[InputError] = []
    for given in inputs:
        try:
            fs, path = _fs(given)
            if _has_magic(path):
                found = sorted(fs.glob(path))
                if not found:
                    raise InputError(given, "no file matches this pattern")
            elif fs.isdir(path):
                found = sorted(p for p in fs.find(path) if PurePosixPath(p).suffix.lower() in KINDS
                               and not any(part.startswith(".") for part in PurePosixPath(p).parts))
                if not found:
                    raise InputError(given, f"folder holds no {' '.join(KINDS)} file")
            elif fs.exists(path):
                files.append(given)  # a file named as given: errors name it the same way
                continue
            else:
                raise InputError(given, "no such file")
        except OSError as error:
            errors.append(InputError(given, f"cannot list it ({error})"))
            continue
        except InputError as error:
            errors.append(error)
            continue
        files += [_named(fs, p) for p in found]
    return files, errors


def kind_of(url: str) -> str:
    suffix = PurePosixPath(url.split("?", 1)[0]).suffix.lower()
    if suffix not in KINDS:
        raise InputError(url, f"unsupported file type '{suffix or '(none)'}'; batch reads {' '.join(KINDS)} "
                              "(`parallax analyze` reads single .txt .md .html articles)")
    return KINDS[suffix]


def stem_of(url: str) -> str:
    """The file name without its extension: the outlet of records that name none."""
    return PurePosixPath(url.split("?", 1)[0]).stem


def open_binary(url: str) -> BinaryIO:
    fs, path = _fs(url)
    try:
        return fs.open(path, "rb")
    except OSError as error:
        raise InputError(url, f"cannot open it ({error})") from None


# ---------------------------------------------------------------------------- plan

def plan(files: list[str], records: int = DEFAULT_RECORDS, column_map: ColumnMap | None = None
         ) -> tuple[list[Partition], list[InputError]]:
    """Partitions of at most `records` records over `files`, in order, and an InputError
    per file that cannot be read at all. Raises UsageError for a --map column a file lacks."""
    column_map = column_map or ColumnMap()
    partitions: list[Partition] = []
    errors: list[InputError] = []
    position = 0
    for number, url in enumerate(files):
        try:
            found = list(_plan_file(url, number, records, column_map, position))
        except InputError as error:
            errors.append(error)
            continue
        except OSError as error:
            errors.append(InputError(url, f"cannot read it ({error})"))
            continue
        partitions += found
        position += sum(p.records for p in found)
    return partitions, errors


def _plan_file(url: str, number: int, records: int, column_map: ColumnMap, position: int) -> Iterator[Partition]:
    kind = kind_of(url)
    with open_binary(url) as handle:
        if kind == "parquet":
            spans = _parquet_spans(handle, url, records, column_map)
            header: tuple[str, ...] = ()
        else:
            _check_text_file(handle, url, "JSON lines" if kind == "jsonl" else "CSV text")
            if kind == "jsonl":
                spans = _jsonl_spans(handle, url, records, column_map)
                header = ()
            else:
                header, spans = _csv_spans(handle, url, records, column_map)
        for index, (start, stop, first, count, lines) in enumerate(spans):
            yield Partition(f"{number:05d}-{index:06d}", url, kind, start, stop, first, position, count, header, lines)
            position += count


def _check_text_file(handle: BinaryIO, url: str, kind: str) -> None:
    head = handle.read(SNIFF_BYTES)
    if not head:
        raise InputError(url, "file is empty")
    if b"\x00" in head:
        raise InputError(url, f"binary file (contains NUL bytes); expected {kind}")
    handle.seek(0)


def _require_text(fields: set[str], url: str, columns: list[str]) -> None:
    if "text" not in fields:
        raise InputError(url, f"no \"text\" column (columns: {', '.join(columns)}); name the body "
                              "column with --map text=COLUMN")


# Per partition: (start, stop, number of its first line or row, records, lines before it).
Spans = list[tuple[int, int, int, int, int]]


def _jsonl_spans(handle: BinaryIO, url: str, records: int, column_map: ColumnMap) -> Spans:
    """Byte ranges of `records` non-blank lines (records, as parallax.corpus.sources
    counts them)."""
    spans: Spans = []
    checked = not column_map.columns
    offset = start = count = 0
    first = 1
    for number, line in enumerate(handle, start=1):
        if line.strip():
            if not checked:
                checked = _check_first_object(line, url, column_map)
            if count == 0:
                start, first = offset, number
            count += 1
            if count == records:
                spans.append((start, offset + len(line), first, count, first - 1))
                count = 0
        offset += len(line)
    if count:
        spans.append((start, offset, first, count, first - 1))
    return spans


def _check_first_object(line: bytes, url: str, column_map: ColumnMap) -> bool:
    """Check --map against the file's first JSON object; False until one is found."""
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return False
    if not isinstance(record, dict):
        return False
    column_map.check(record, url)
    return True


class CountedLines:
    """The lines of a binary stream as text (UTF-8, a BOM dropped, an odd line read as
    cp1252, as parallax.corpus.sources reads CSV), counting the bytes consumed."""

    def __init__(self, handle: BinaryIO, offset: int = 0, stop: int | None = None, first: bool = True) -> None:
        self.handle, self.offset, self.stop, self.first = handle, offset, stop, first
        self.lines = 0

    def __iter__(self) -> CountedLines:
        return self

    def __next__(self) -> str:
        if self.stop is not None and self.offset >= self.stop:
            raise StopIteration
        raw = self.handle.readline()
        if not raw:
            raise StopIteration
        self.offset += len(raw)
        self.lines += 1
        encoding = "utf-8-sig" if self.first else "utf-8"
        self.first = False
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            return raw.decode("cp1252", errors="replace")


def csv_rows(reader: Any) -> Iterator[list[str] | csv.Error]:
    """The data rows of a CSV reader as parallax.corpus.sources counts them: a blank line is
    no row, a row the parser rejects is one (its csv.Error)."""
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield error
            continue
        if not values or values == [""]:
            continue
        yield values


def _csv_spans(handle: BinaryIO, url: str, records: int, column_map: ColumnMap) -> tuple[tuple[str, ...], Spans]:
    from parallax.ingest.files import MAX_RECORD_BYTES

    csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_BYTES))
    lines = CountedLines(handle)
    reader = csv.reader(lines)
    try:
        header = [name.strip() for name in next(reader)]
    except (StopIteration, csv.Error) as error:
        raise InputError(url, f"no header row ({error or 'file holds only blank lines'}); "
                              "expected column names on the first line") from None
    column_map.check(header, url)
    _require_text(column_map.fields(header), url, header)
    spans: Spans = []
    start, before, row, count = lines.offset, lines.lines, 0, 0
    for _ in csv_rows(reader):
        row += 1
        count += 1
        if count == records:
            spans.append((start, lines.offset, row - count + 1, count, before))
            start, before, count = lines.offset, lines.lines, 0
    if count:
        spans.append((start, lines.offset, row - count + 1, count, before))
    return tuple(header), spans


def _parquet_spans(handle: BinaryIO, url: str, records: int, column_map: ColumnMap) -> Spans:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(handle)
    except (pa.ArrowException, OSError) as error:
        raise InputError(url, f"not a readable Parquet file ({error})") from None
    names = parquet.schema_arrow.names
    column_map.check(names, url)
    _require_text(column_map.fields(names), url, names)
    rows = parquet.metadata.num_rows
    return [(start, min(start + records, rows), start + 1, min(records, rows - start), 0)
            for start in range(0, rows, records)]


def read_range(url: str, start: int, stop: int) -> io.BytesIO:
    """Bytes [start, stop) of a file, in memory (a partition is a few MB)."""
    with open_binary(url) as handle:
        handle.seek(start)
        return io.BytesIO(handle.read(stop - start))


__all__ = ["CountedLines", "DEFAULT_RECORDS", "KINDS", "Partition", "csv_rows", "expand", "kind_of",
           "open_binary", "plan", "read_range", "stem_of"]

"""A partition's records as Articles, read on the worker that analyses them.

    for record in read_partition(partition, column_map, outlet):
        record.position, record.row, record.item      # item: Article | InputError

Each record becomes an Article exactly as parallax.corpus.sources makes it (the same
column map, date normalisation, ids and metadata), so a batch run and `parallax ingest`
or `parallax analyze` of the same file see the same articles; a bad record is an
InputError named "file:line N" / "file:row N" as they name it, and the rest go on.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from parallax.batch.inputs import CountedLines, Partition, csv_rows, open_binary, read_range, stem_of
from parallax.corpus.sources import ColumnMap, record_article
from parallax.errors import InputError
from parallax.ingest.files import MAX_RECORD_BYTES, check_size, decode
from parallax.model import Article

# Rows per Parquet batch, as parallax.corpus.sources reads them: ~5 MB of news text.
PARQUET_BATCH_ROWS = 1024


@dataclass(frozen=True)
class Record:
    """One record of a partition: its input-order position, its line or row number in
    its file, and the Article read from it or why it could not be read."""

    position: int
    row: int
    item: Article | InputError


def read_partition(part: Partition, column_map: ColumnMap, outlet: str | None) -> Iterator[Record]:
    """The partition's records in order; a whole-partition failure (the file went away,
    a row group that cannot be decoded) is one InputError record at its first row."""
    readers = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet}
    reader = _Reader(part, column_map, outlet)
    try:
        yield from readers[part.kind](reader)
    except InputError as error:
        yield Record(part.position + reader.count, part.first, error)
    except OSError as error:
        yield Record(part.position + reader.count, part.first, InputError(part.url, f"cannot read it ({error})"))


class _Reader:
    """What every format's reader shares: the partition, how records become Articles,
    and how many have been read (their positions)."""

    def __init__(self, part: Partition, column_map: ColumnMap, outlet: str | None) -> None:
        self.part, self.column_map, self.outlet = part, column_map, outlet
        self.stem = stem_of(part.url)
        self.count = 0

    def record(self, row: int, where: str, make: Callable[[], Any]) -> Record:
        """The Record of the next record: `make()` gives its parsed value (or raises)."""
        position = self.part.position + self.count
        self.count += 1
        try:
            value = make()
            item: Article | InputError = to_article(value, where, f"{self.part.url}#{row}", self.outlet, self.stem,
                                                     self.column_map)
        except InputError as error:
            item = InputError(where, error.problem)
        return Record(position, row, item)


def to_article(record: Any, where: str, source: str, outlet: str | None, stem: str,
               column_map: ColumnMap) -> Article:
    """One record (a dict of columns) -> Article, exactly as parallax.corpus.sources reads it."""
    return record_article(record, where, source, outlet, stem, column_map)


# ----------------------------------------------------------------------------- JSONL

def _jsonl(reader: _Reader) -> Iterator[Record]:
    part = reader.part
    data = read_range(part.url, part.start, part.stop)
    for number, line in enumerate(data, start=part.first):
        if line.strip():
            where = f"{part.url}:line {number}"
            yield reader.record(number, where, lambda: _json_record(line, where))


def _json_record(line: bytes, where: str) -> Any:
    check_size(where, len(line), MAX_RECORD_BYTES, what="record")
    try:
        return json.loads(decode(line, where))
    except json.JSONDecodeError as error:
        raise InputError(where, f"invalid JSON ({error.msg} at column {error.colno})") from None


# ------------------------------------------------------------------------------- CSV

def _csv(reader: _Reader) -> Iterator[Record]:
    part = reader.part
    csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_BYTES))
    parser = csv.reader(CountedLines(read_range(part.url, part.start, part.stop), first=False))
    text_column = reader.column_map.columns.get("text", "text")
    header = list(part.header)
    for number, values in enumerate(csv_rows(parser), start=part.first):
        if reader.count == part.records:
            return
        where = f"{part.url}:row {number}"
        line = part.lines_before + parser.line_num  # the file's line, as the message gives it
        yield reader.record(number, where, lambda: _csv_record(values, header, text_column, where, line))


def _csv_record(values: list[str] | csv.Error, header: list[str], text_column: str, where: str, line: int
                ) -> dict[str, str]:
    if isinstance(values, csv.Error):
        raise InputError(where, f"not valid CSV ({values}; line {line})")
    if len(values) != len(header):
        raise InputError(where, f"has {len(values)} fields; the header has {len(header)} (line {line})")
    size = sum(len(value) for value in values)
    if size > MAX_RECORD_BYTES:
        raise InputError(where, f"record is {size / 2**20:.1f} MB; the limit is {MAX_RECORD_BYTES // 2**20} MB")
    # CSV has no null: an empty cell is an absent value, except the text (named if empty).
    return {name: value for name, value in zip(header, values) if value != "" or name == text_column}


# --------------------------------------------------------------------------- Parquet

def _parquet(reader: _Reader) -> Iterator[Record]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    part = reader.part
    with open_binary(part.url) as handle:
        parquet = pq.ParquetFile(handle)
        first = 0  # index of the row group's first row in the file
        for group in range(parquet.num_row_groups):
            rows = parquet.metadata.row_group(group).num_rows
            if first + rows > part.start and first < part.stop:
                try:
                    yield from _row_group(reader, parquet, group, first)
                except (pa.ArrowException, OSError) as error:  # the rows read stay; the rest is one error
                    low, high = part.start + reader.count + 1, min(first + rows, part.stop)
                    position = part.position + reader.count
                    reader.count = high - part.start
                    yield Record(position, low, InputError(f"{part.url}:rows {low}-{high}",
                                                           f"row group {group} cannot be read ({error})"))
            first += rows


def _row_group(reader: _Reader, parquet: Any, group: int, first: int) -> Iterator[Record]:
    part = reader.part
    index = first
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=[group]):
        if index + batch.num_rows <= part.start:
            index += batch.num_rows
            continue
        for record in batch.to_pylist():
            index += 1
            if part.start < index <= part.stop:
                yield reader.record(index, f"{part.url}:row {index}", lambda: record)


__all__ = ["PARQUET_BATCH_ROWS", "Record", "read_partition", "to_article"]

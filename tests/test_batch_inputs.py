"""parallax.batch without a cluster: inputs, partitions, records, the output folder."""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parallax.batch.inputs import expand, plan
from parallax.batch.output import Output
from parallax.batch.records import read_partition
from parallax.batch.rows import schemas
from parallax.batch.runner import BatchRequest, run_batch
from parallax.config import Config
from parallax.corpus.export import schemas as export_schemas
from parallax.corpus.sources import ColumnMap, iter_sources
from parallax.errors import InputError, UsageError

TEXT = "The council met on Monday and the envoy said the talks were over. " * 3


def _jsonl(path: Path) -> Path:
    lines = [json.dumps({"id": "a1", "text": TEXT, "published": "26 Sep 2016"}), "",
             "{not json", json.dumps({"id": "a2", "text": ""}),
             json.dumps({"text": TEXT + "Two.", "title": 5}), "   ",
             json.dumps({"text": TEXT + "Three.", "outlet": "Wire", "date": "x"}),
             json.dumps(["a list"]), json.dumps({"id": "a4", "text": TEXT + "Four."})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _csv(path: Path) -> Path:
    path.write_text('id,text,title\nc1,"' + TEXT + '\nwith a newline",One\n\nc2,short\nc3,"' + TEXT
                    + '",Three,extra\n,"' + TEXT + ' five",Five\n', encoding="utf-8")
    return path


def _parquet(path: Path, rows: int = 7) -> Path:
    table = pa.table({"id": [f"p{i}" for i in range(rows)],
                      "text": [None if i == 3 else f"{TEXT} number {i}" for i in range(rows)]})
    pq.write_table(table, path, row_group_size=3)
    return path


def _stream(partitions, column_map=ColumnMap()) -> list[tuple[int, str]]:
    """(position, Article id or InputError text) of every record, partition by partition."""
    found = []
    for part in partitions:
        for record in read_partition(part, column_map, None):
            item = record.item
            found.append((record.position, str(item) if isinstance(item, InputError) else item.id))
    return found


def _reference(path: Path, column_map=ColumnMap()) -> list[str]:
    return [str(item) if isinstance(item, InputError) else item.id for item in iter_sources([path], column_map)]


@pytest.mark.parametrize("make", [_jsonl, _csv, _parquet])
@pytest.mark.parametrize("size", [1, 2, 3, 100])
def test_partitions_read_what_one_machine_reads(tmp_path: Path, make, size: int) -> None:
    """Every record once, in order, with the same articles and the same error names as
    parallax.corpus.sources, whatever the partition size."""
    path = make(tmp_path / f"corpus{ {_jsonl: '.jsonl', _csv: '.csv', _parquet: '.parquet'}[make] }")
    partitions, errors = plan([str(path)], records=size)
    assert errors == []
    found = _stream(partitions)
    assert [text for _, text in found] == _reference(path)
    assert [position for position, _ in found] == list(range(len(found)))
    assert sum(p.records for p in partitions) == len(found)
    assert all(p.records <= size for p in partitions)


def test_positions_run_on_across_files_and_globs_expand_in_name_order(tmp_path: Path) -> None:
    first, second = _jsonl(tmp_path / "b.jsonl"), _parquet(tmp_path / "a.parquet")
    files, errors = expand([str(tmp_path / "*.jsonl"), str(tmp_path / "*.parquet")])
    assert files == [str(first), str(second)] and errors == []
    partitions, _ = plan(files, records=4)
    assert [p.position for p in partitions] == [0, 4, 7, 11]  # 7 records a file
    assert len({p.pid for p in partitions}) == len(partitions)
    folder, _ = expand([str(tmp_path)])
    assert folder == [str(second), str(first)]


def test_files_that_cannot_be_read_are_named(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "binary.csv").write_bytes(b"id,text\x00\x01")
    (tmp_path / "notes.txt").write_text("a document")
    (tmp_path / "bad.parquet").write_text("not parquet")
    (tmp_path / "notext.csv").write_text("id,body\n1,hello\n")
    files, errors = expand([str(tmp_path / "missing.jsonl"), str(tmp_path / "*.none")])
    assert files == [] and [e.problem for e in errors] == ["no such file", "no file matches this pattern"]
    names = ["empty.jsonl", "binary.csv", "notes.txt", "bad.parquet", "notext.csv"]
    partitions, errors = plan([str(tmp_path / name) for name in names])
    assert partitions == []
    problems = [error.problem for error in errors]
    assert problems[0] == "file is empty" and "binary file" in problems[1]
    assert "unsupported file type '.txt'" in problems[2] and "not a readable Parquet file" in problems[3]
    assert 'no "text" column' in problems[4] and "--map text=COLUMN" in problems[4]


def test_a_map_naming_a_missing_column_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no column 'body'"):
        plan([str(_csv(tmp_path / "c.csv"))], column_map=ColumnMap.parse("text=body"))
    with pytest.raises(UsageError, match="no column 'body'"):
        plan([str(_jsonl(tmp_path / "c.jsonl"))], column_map=ColumnMap.parse("text=body"))


def test_the_batch_tables_keep_the_export_columns() -> None:
    batch, export = schemas(), export_schemas()
    for name in ("articles", "quotes", "claims", "techniques", "stories", "story_articles"):
        assert batch[name] == export[name]
    assert batch["errors"].names == ["partition", "file", "row", "message"]


def test_table_files_are_written_whole_and_temporaries_removed(tmp_path: Path) -> None:
    out = Output(str(tmp_path / "out"))
    out.create()
    schema = schemas()["errors"]
    out.write_table("errors", "x", [{"partition": "x", "file": "f", "row": 1, "message": "m"}], schema)
    (tmp_path / "out" / "errors" / ".part-y.parquet.tmp-123").write_bytes(b"half")
    assert [Path(p).name for p in out.table_files("errors")] == ["part-x.parquet"]
    assert pq.read_table(tmp_path / "out" / "errors").num_rows == 1  # the temporary is never data
    out.remove_temporaries()
    assert sorted(p.name for p in (tmp_path / "out" / "errors").iterdir()) == ["part-x.parquet"]
    out.mark_done("analyze", "x", {"records": 1})
    assert out.done("analyze") == {"x": {"records": 1}}


def test_an_out_folder_of_another_run_is_refused(tmp_path: Path, monkeypatch) -> None:
    """Resuming needs the same inputs and settings; checked before any cluster starts."""
    path = _jsonl(tmp_path / "c.jsonl")
    out = tmp_path / "out"
    monkeypatch.setattr("parallax.batch.runner.connect", _no_cluster)
    with pytest.raises(RuntimeError, match="no cluster"):
        run_batch(BatchRequest("analyze", [str(path)], str(out), Config(techniques=False)))
    with pytest.raises(UsageError, match="other settings: techniques"):
        run_batch(BatchRequest("analyze", [str(path)], str(out), Config(techniques=True)))
    with pytest.raises(UsageError, match="other inputs or another --partition-size"):
        run_batch(BatchRequest("analyze", [str(path)], str(out), Config(techniques=False), partition_size=2))
    with pytest.raises(UsageError, match="a `batch analyze` run, not `batch ingest`"):
        run_batch(BatchRequest("ingest", [str(path)], str(out), Config(techniques=False)))
    errors = pq.read_table(out / "errors").to_pylist()
    assert errors == []  # the inputs' files were all readable


def _no_cluster(*args, **kwargs):
    raise RuntimeError("no cluster in this test")


def test_fsspec_urls_are_read_and_named_as_given(tmp_path: Path) -> None:
    """Any fsspec file system: here the in-memory one, as s3:// would be."""
    import fsspec

    fs = fsspec.filesystem("memory")
    local = _jsonl(tmp_path / "x.jsonl")
    fs.pipe("/batch-test/x.jsonl", local.read_bytes())
    fs.pipe("/batch-test/y.parquet", _parquet(tmp_path / "y.parquet").read_bytes())
    files, errors = expand(["memory://batch-test/*.jsonl", "memory://batch-test/y.parquet", "memory://batch-test/no"])
    globbed = fs.unstrip_protocol("/batch-test/x.jsonl")  # a found file: fsspec's full URL
    assert files == [globbed, "memory://batch-test/y.parquet"]  # a named one: as given
    assert [str(e) for e in errors] == ["memory://batch-test/no: no such file"]
    partitions, _ = plan(files, records=3)
    found = [text for _, text in _stream(partitions)]
    assert found[:7] == [text.replace(str(local), globbed) for text in _reference(local)]
    assert f"{globbed}:line 3: invalid JSON" in found[1]
    out = Output("memory://batch-test/out")
    out.create()
    out.mark_done("sketch", "p1", {"records": 3})
    assert out.done("sketch") == {"p1": {"records": 3}} and out.table_url("x") == fs.unstrip_protocol("/batch-test/out/x")
    fs.rm("/batch-test", recursive=True)

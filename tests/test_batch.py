"""`parallax batch` on a 2-worker LocalCluster of processes (one cluster for the module).

The corpus is made of the seed articles' paragraphs (examples/seeds), three to a record:
short texts, so the deep tier of 40 of them takes seconds, with quotes, claims and
technique spans in every one.
"""
from __future__ import annotations

import json
import os
import random
import signal
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from parallax.batch.cluster import connect
from parallax.batch.rows import article_row, schemas, span_rows
from parallax.batch.runner import BatchRequest, run_batch
from parallax.cli import main
from parallax.config import Config
from parallax.corpus.bcubed import bcubed
from parallax.corpus.sources import iter_sources
from parallax.errors import InputError, UsageError
from parallax.pipeline import Pipeline

from conftest import SEEDS

distributed = pytest.importorskip("distributed")

TABLES = ("articles", "quotes", "claims", "techniques")
CONFIG = Config(threads=1)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local, \
            distributed.Client(local) as client:
        yield local, client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """40 records of three seed paragraphs each, dated over four weeks."""
    paragraphs = [block.strip() for path in sorted(SEEDS.iterdir())
                  for block in path.read_text(encoding="utf-8").split("\n\n")
                  if len(block.strip()) > 80 and not block.startswith(("#", "!", "["))]
    rng = random.Random(7)
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(40):
            handle.write(json.dumps({"id": f"a{i:03d}", "title": f"Story {i}", "outlet": f"outlet{i % 5}",
                                     "published": f"2016-09-{1 + i % 28:02d}",
                                     "text": "\n\n".join(rng.sample(paragraphs, 3))}) + "\n")
    return path


@pytest.fixture(scope="module")
def expected(corpus: Path) -> dict[str, list[dict]]:
    """The in-process result: Pipeline.analyze_many over the same records, as rows."""
    articles = list(iter_sources([corpus]))
    rows: dict[str, list[dict]] = {table: [] for table in TABLES}
    with Pipeline(CONFIG.replace(cache=False)) as pipeline:
        for article, analysis in zip(articles, pipeline.analyze_many(articles)):
            rows["articles"].append(article_row(article, deep=True))
            for table, found in span_rows(analysis).items():
                rows[table] += found
    return {table: _canonical(pa.Table.from_pylist(found, schema=schemas()[table])) for table, found in rows.items()}


def _canonical(table: pa.Table | list[dict]) -> list[dict]:
    """Rows as plain Python values, in a fixed order (partitions finish in any order)."""
    rows = table if isinstance(table, list) else table.to_pylist()
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=str))


def _read(out: Path, table: str) -> list[dict]:
    return _canonical(ds.dataset(out / table, format="parquet").to_table())


def _batch(cluster, tier: str, inputs: list[Path], out: Path, **options) -> object:
    local, _ = cluster
    request = BatchRequest(tier, [str(path) for path in inputs], str(out), CONFIG,
                           scheduler=local.scheduler_address, **options)
    return run_batch(request)


def test_batch_analyze_equals_the_in_process_analysis(cluster, corpus: Path, expected, tmp_path: Path) -> None:
    report = _batch(cluster, "analyze", [corpus], tmp_path / "out", partition_size=8)
    assert report.partitions == 5 and report.records == 40 and report.exit_code == 0
    for table in TABLES:
        assert _read(tmp_path / "out", table) == expected[table], table
    assert _read(tmp_path / "out", "errors") == []
    import dask.dataframe as dd
    import pandas as pd

    assert len(pd.read_parquet(tmp_path / "out" / "quotes")) == len(expected["quotes"]) > 0
    assert len(dd.read_parquet(str(tmp_path / "out" / "claims"))) == len(expected["claims"]) > 0


def test_a_rerun_skips_finished_partitions(cluster, corpus: Path, expected, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _batch(cluster, "analyze", [corpus], out, partition_size=10)
    stamps = {path: path.stat().st_mtime_ns for path in out.rglob("part-0*.parquet")}
    report = _batch(cluster, "analyze", [corpus], out, partition_size=10)
    assert report.skipped == 4 and report.records == 40
    assert {path: path.stat().st_mtime_ns for path in out.rglob("part-0*.parquet")} == stamps
    (out / "_done" / "analyze" / "00000-000002.json").unlink()  # as if killed before its marker
    report = _batch(cluster, "analyze", [corpus], out, partition_size=10)
    assert report.skipped == 3
    changed = [path.name for path, stamp in stamps.items() if path.stat().st_mtime_ns != stamp]
    assert set(changed) == {"part-00000-000002.parquet"} and len(changed) == 5  # one file a table
    for table in TABLES:
        assert _read(out, table) == expected[table]


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(cluster, corpus: Path, expected, tmp_path: Path) -> None:
    _, client = cluster
    out = tmp_path / "out"
    result: dict = {}
    runner = threading.Thread(target=lambda: result.update(report=_batch(cluster, "analyze", [corpus], out,
                                                                         partition_size=4)))
    runner.start()
    victim = _kill_a_busy_worker(client, out / "_done" / "analyze")
    runner.join(timeout=240)
    assert not runner.is_alive()
    assert victim not in client.run(os.getpid).values()  # it died and the nanny started another
    report = result["report"]
    assert report.exit_code == 0 and report.partitions == 10 and report.failed == []
    assert len(list((out / "_done" / "analyze").iterdir())) == 10
    for table in TABLES:
        found = _read(out, table)
        assert len(found) == len({json.dumps(row, sort_keys=True, default=str) for row in found}), table
        assert found == expected[table], table


def _kill_a_busy_worker(client, done: Path) -> int:
    """SIGKILL a worker that is running a partition, once one partition is finished."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        busy = [worker for worker, keys in client.processing().items()
                if any(str(key).startswith("parallax-analyze") for key in keys)]
        if busy and done.is_dir() and any(done.iterdir()):
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            return pid
        time.sleep(0.02)
    raise AssertionError("no partition was finished within 120 s")


def test_bad_records_go_to_the_errors_table_and_the_rest_is_analysed(cluster, corpus: Path, tmp_path: Path) -> None:
    good = corpus.read_text(encoding="utf-8").splitlines()[:3]
    jsonl = tmp_path / "bad.jsonl"
    jsonl.write_text("\n".join([good[0], "{not json", json.dumps({"id": "x", "text": ""}), "",
                                json.dumps({"text": "Some text", "title": 3}), good[1]]) + "\n", encoding="utf-8")
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text('id,text\nc1,"' + json.loads(good[2])["text"].replace('"', '""') + '"\nc2,a,b\n',
                        encoding="utf-8")
    missing = tmp_path / "missing.jsonl"
    report = _batch(cluster, "analyze", [jsonl, csv_file, missing], tmp_path / "out", partition_size=2)
    assert report.exit_code == 1 and report.errors == 5
    expected = sorted((error.source.rsplit(":", 1)[0] if ":" in error.source else error.source, error.problem)
                      for error in iter_sources([jsonl, csv_file]) if isinstance(error, InputError))
    rows = _read(tmp_path / "out", "errors")
    assert sorted((row["file"], row["message"]) for row in rows if row["row"] is not None) == expected
    assert {(row["file"], row["row"]) for row in rows} == {
        (str(jsonl), 2), (str(jsonl), 3), (str(jsonl), 5), (str(csv_file), 2), (str(missing), None)}
    assert sorted(row["id"] for row in _read(tmp_path / "out", "articles")) == ["a000", "a001", "c1"]


def test_ingest_and_stories_equal_one_machine(cluster, corpus: Path, tmp_path: Path) -> None:
    """Duplicates (exact, near, a repeated id) and stories as `parallax ingest` + `stories`
    + `export` give them on one machine."""
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()][:24]
    rng = random.Random(3)
    rows = []
    for i, record in enumerate(records):
        rows.append(record)
        if i % 6 == 1:
            rows.append({**record, "id": record["id"] + "-copy", "outlet": "copier"})
        if i % 6 == 3:
            words = record["text"].split(" ")
            for k in rng.sample(range(len(words)), len(words) // 30):
                words[k] = "changed"
            rows.append({**record, "id": record["id"] + "-near", "text": " ".join(words), "outlet": "nearby"})
        if i % 8 == 5:
            rows.append({key: value for key, value in record.items() if key != "published"} | {"id": f"u{i}"})
    rows.append(records[2])
    path = tmp_path / "dupes.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    store, exported = tmp_path / "one.db", tmp_path / "one"
    assert main(["ingest", str(path), "--store", str(store), "--threads", "1"]) == 0
    assert main(["stories", "--store", str(store)]) == 0
    assert main(["export", "--store", str(store), "--to", str(exported)]) == 0
    out = tmp_path / "out"
    assert main(["batch", "stories", str(path), "--out", str(out), "--scheduler", cluster[0].scheduler_address,
                 "--partition-size", "5"]) == 0
    columns = ["id", "outlet", "published_at", "text", "duplicate_of", "duplicate_kind", "similarity"]
    one = pq.read_table(exported / "articles.parquet", columns=columns)
    assert _read(out, "articles") and _canonical(ds.dataset(out / "articles").to_table(columns=columns)) \
        == _canonical(one)
    assert _canonical(ds.dataset(out / "story_articles").to_table()) \
        == _canonical(pq.read_table(exported / "story_articles.parquet"))
    assert _read(out, "stories") == _canonical(pq.read_table(exported / "stories.parquet"))
    mine = {row["article_id"]: row["story_id"] for row in _read(out, "story_articles")}
    theirs = {row["article_id"]: row["story_id"] for row in _read(exported, "story_articles.parquet")}
    assert bcubed(mine, theirs).f1 == 1.0


def test_batch_span_rows_are_the_export_rows(cluster, corpus: Path, expected, tmp_path: Path) -> None:
    """`parallax ingest --deep` + `parallax export` of a few records gives the rows batch writes."""
    few = tmp_path / "few.jsonl"
    few.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:4]), encoding="utf-8")
    store, exported = tmp_path / "deep.db", tmp_path / "deep"
    assert main(["ingest", str(few), "--store", str(store), "--deep", "--threads", "1"]) == 0
    assert main(["export", "--store", str(store), "--to", str(exported)]) == 0
    ids = {json.loads(line)["id"] for line in few.read_text(encoding="utf-8").splitlines()}
    for table in ("quotes", "claims", "techniques"):
        theirs = [row | {"quote_id": None} if table == "quotes" else row
                  for row in _canonical(pq.read_table(exported / f"{table}.parquet"))]
        assert _canonical(theirs) == [row for row in expected[table] if row["article_id"] in ids]


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot reach a Dask scheduler there") as caught:
        with connect("tcp://127.0.0.1:9", timeout=1):
            pass
    assert "--scheduler local" in str(caught.value)


def test_the_command_starts_a_local_cluster_and_prints_its_report(corpus: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["batch", "ingest", str(corpus), "--out", str(out), "--workers", "1", "--partition-size", "20"]) == 0
    printed = capsys.readouterr()
    assert "dask: local cluster of 1 workers x 1 threads; dashboard http" in printed.err
    assert "batch ingest into" in printed.out and "records                 40" in printed.out
    assert pq.read_table(out / "signatures").num_rows == 40
    assert main(["batch", "ingest", str(corpus), "--out", str(out), "--partition-size", "0"]) == 2
    assert "--partition-size must be at least 1" in capsys.readouterr().err

"""The store across processes: a writer killed with SIGKILL leaves whole articles only, a
re-run resumes to the same rows as an uninterrupted run, and readers read while it writes.

This file is also the writer and reader the tests start:
    python tests/test_store_processes.py write STORE START END
    python tests/test_store_processes.py read STORE SECONDS
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from parallax.store import Store
from test_store import FP, make_analysis

HERE = Path(__file__).resolve()
ARTICLES = 600
BUSY_ARTICLES = 2000  # about a second of writing: long enough for the readers to overlap it
POLL_S = 0.005


def vectors(i: int) -> tuple[list[str], np.ndarray]:
    analysis = make_analysis(i)
    texts = [analysis.snippet(s) for s in analysis.sentences]
    return texts, np.random.default_rng(i).standard_normal((len(texts), 384)).astype(np.float32)


def write(path: Path, start: int, end: int) -> tuple[int, int]:
    """Analyse-and-store articles start..end-1 as a pipeline run would, skipping those
    already stored; (written, skipped)."""
    written = skipped = 0
    with Store(path) as store:
        for i in range(start, end):
            analysis = make_analysis(i)
            if store.has_analysis(analysis.article.id, FP):
                skipped += 1
                continue
            store.put_analysis(analysis, FP, vectors=vectors(i))
            written += 1
    return written, skipped


def read(path: Path, seconds: float) -> int:
    """Read counts, articles, layers and vectors for `seconds`; the distinct counts seen.
    Its clock runs an hour ahead, so every read also marks its row used (a write)."""
    seen = set()
    deadline = time.monotonic() + seconds
    with Store(path, clock=lambda: time.time() + 3600) as store:
        while time.monotonic() < deadline:
            count = store.count_articles()
            seen.add(count)
            for article in list(store.iter_articles())[-5:]:
                assert store.get_layers(article.id, FP) is not None
                assert store.get_vectors(article.id, FP) is not None
    return len(seen)


def _start(*args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HERE), *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _wait_for(store: Store, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while store.count_articles() < count:
        assert process.poll() is None, f"the writer ended early: {process.communicate()}"
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(POLL_S)


def _rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of the store except timestamps, in a fixed order."""
    queries = {
        "articles": "SELECT id, outlet, title, url, authors, published, original_source, source, meta, text "
                    "FROM articles ORDER BY id",
        "analyses": "SELECT article_id, fingerprint, layers, bytes FROM analyses ORDER BY article_id",
        "vectors": "SELECT article_id, fingerprint, texts, data, dtype, rows, cols, bytes FROM vectors "
                   "ORDER BY article_id",
        "cache_size": "SELECT bytes FROM cache_size",
    }
    with Store(path) as store:
        return {table: store.db.execute(sql).fetchall() for table, sql in queries.items()}


def _check_whole(path: Path, articles: int = ARTICLES) -> int:
    """The store opens, passes integrity_check, and every article has exactly the layers and
    vectors it was written with; the number of articles."""
    with Store(path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
        ids = {analysis.article.id: i for i in range(articles) for analysis in [make_analysis(i)]}
        count = 0
        for article in store.iter_articles():
            i = ids[article.id]
            assert article == make_analysis(i).article
            assert store.get_layers(article.id, FP) == make_analysis(i).layers
            texts, array = store.get_vectors(article.id, FP)
            assert texts == vectors(i)[0] and array.tobytes() == vectors(i)[1].tobytes()
            count += 1
        tables = [store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("analyses", "vectors")]
        assert tables == [count, count]  # no layers or vectors without their article either
        return count


def test_a_killed_writer_leaves_whole_articles_and_a_rerun_resumes_to_the_same_rows(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    stored = 0
    for target in (50, 250, 450):  # three runs killed part way, each resuming the last
        writer = _start("write", path, 0, ARTICLES)
        with Store(path) as watcher:
            _wait_for(watcher, target, writer)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        assert writer.returncode == -signal.SIGKILL
        now = _check_whole(path)
        assert target <= now < ARTICLES and now >= stored
        stored = now
    final = _start("write", path, 0, ARTICLES)
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    assert out.split() == ["written", str(ARTICLES - stored), "skipped", str(stored)]
    assert _check_whole(path) == ARTICLES

    reference = tmp_path / "uninterrupted.db"
    write(reference, 0, ARTICLES)
    assert _rows(path) == _rows(reference)


def test_readers_in_other_processes_read_while_one_writer_writes(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    write(path, 0, 20)  # something to read from the start
    writer = _start("write", path, 20, BUSY_ARTICLES)
    readers = [_start("read", path, 1.5) for _ in range(2)]
    results = [process.communicate(timeout=120) for process in (writer, *readers)]
    for process, (out, err) in zip((writer, *readers), results):
        assert process.returncode == 0, err
        assert "locked" not in err
    counts_seen = [int(out) for out, _ in results[1:]]
    assert min(counts_seen) > 1  # each reader saw the store grow as it read
    assert _check_whole(path, BUSY_ARTICLES) == BUSY_ARTICLES


if __name__ == "__main__":
    command, store_path = sys.argv[1], Path(sys.argv[2])
    if command == "write":
        done, passed = write(store_path, int(sys.argv[3]), int(sys.argv[4]))
        print("written", done, "skipped", passed)
    else:
        print(read(store_path, float(sys.argv[3])))

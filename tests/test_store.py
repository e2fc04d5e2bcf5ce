"""The SQLite store: typed round trips, misses, LRU eviction, migrations, and refusals.

Analyses are built by hand (no model is loaded); `make_analysis(i)` is shared with
tests/test_store_processes.py, whose writer subprocess imports it.
"""
from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from parallax.errors import InputError, UsageError
from parallax.model import (Analysis, Article, Causal, Claim, Cue, Entity, Phrase, Quantity, Quote, Span,
                            Speaker, Technique)
from parallax.store import Store, schema
from parallax.store import store as store_module
from parallax.store.codec import VECTOR_DTYPES

FP = "fp-one"
OTHER_FP = "fp-two"


def make_analysis(i: int = 0) -> Analysis:
    """Article number `i` with one span of every layer type and their typed parts."""
    text = (f'Article {i}: Samantha Power said "Russia is sponsoring barbarism". '
            f"Shelling killed hundreds of civilians, officials said, because talks failed.")
    article = Article(text=text, title=f"Title {i}", outlet=f"outlet-{i % 3}", url=f"https://example.org/{i}",
                      authors=["A. Writer", "B. Editor"], published="2016-09-25", original_source=None,
                      meta={"section": "world", "rank": i, "tags": ["un", "syria"]}, source=f"corpus.jsonl#{i}")
    quote_start = text.index('"') + 1
    quote_end = text.index('"', quote_start)
    said = text.index("said")
    figure = text.index("hundreds")
    second = text.index("Shelling")
    because = text.index("because")
    layers: dict[str, list[Span]] = {
        "sentences": [Span(0, second - 1, "", 1.0), Span(second, len(text))],
        "entities": [Entity(text.index("Samantha"), text.index("Samantha") + 13, "PERSON", 0.99,
                            name="Samantha Power", entity_id="e1"),
                     Entity(text.index("Russia"), text.index("Russia") + 6, "GPE", name="Russia", entity_id="e2")],
        "quotes": [Quote(quote_start, quote_end, "direct", 0.9,
                         speaker=Speaker("Samantha Power", text.index("Samantha"), text.index("Samantha") + 13),
                         cue=Cue("said", said, said + 4, lemma="say"), clause=None)],
        "claims": [Claim(second, len(text), "numeric", 0.75, kind="causal",
                         quantities=[Quantity(figure, figure + 21, "hundreds of civilians", 200.0, 999.0,
                                              approximate=True, unit="civilians")],
                         actors=["officials"],
                         causal=Causal("because", Phrase(because + 8, len(text) - 1, "talks failed"),
                                       Phrase(second, figure + 21, "Shelling killed hundreds of civilians"),
                                       attributed=True))],
        "techniques": [Technique(text.index("barbarism"), text.index("barbarism") + 9, "Loaded_Language",
                                 0.8125, technique_score=0.625)],
    }
    return Analysis(article, layers)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "store.db") as opened:
        yield opened


class Clock:
    """A settable clock for added_at / used_at."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# ------------------------------------------------------------------ round trips

def test_an_article_and_its_typed_layers_read_back_equal(store: Store) -> None:
    analysis = make_analysis(7)
    assert store.put_analysis(analysis, FP)
    assert store.get_article(analysis.article.id) == analysis.article
    layers = store.get_layers(analysis.article.id, FP)
    assert layers == analysis.layers
    assert isinstance(layers["quotes"][0], Quote) and isinstance(layers["quotes"][0].speaker, Speaker)
    assert isinstance(layers["claims"][0].causal.cause, Phrase)
    assert isinstance(layers["claims"][0].quantities[0], Quantity)
    assert isinstance(layers["techniques"][0], Technique) and isinstance(layers["entities"][0], Entity)
    assert store.get_analysis(analysis.article, FP) == analysis


def test_a_different_fingerprint_or_id_is_a_miss(store: Store) -> None:
    analysis = make_analysis()
    store.put_analysis(analysis, FP)
    assert store.get_layers(analysis.article.id, OTHER_FP) is None
    assert store.get_layers("no-such-id", FP) is None
    assert not store.has_analysis(analysis.article.id, OTHER_FP)
    assert store.has_analysis(analysis.article.id, FP)
    assert store.get_article("no-such-id") is None


def test_articles_are_counted_listed_and_their_metadata_refreshed(store: Store) -> None:
    for i in range(3):
        store.put_article(make_analysis(i).article)
    renamed = make_analysis(1).article
    renamed.title = "A better title"
    store.put_article(renamed)
    assert store.count_articles() == 3
    assert [a.title for a in store.iter_articles()] == ["Title 0", "A better title", "Title 2"]
    assert store.has_article(renamed.id)


def test_a_new_text_under_the_same_id_drops_layers_computed_on_the_old_one(store: Store) -> None:
    analysis = make_analysis()
    store.put_analysis(analysis, FP, vectors=(["a"], np.zeros((1, 4), np.float32)))
    shouted = Article(**{**analysis.article.__dict__, "text": analysis.article.text.upper()})
    assert shouted.id == analysis.article.id  # ids hash the normalised (lower-cased) text
    assert store.get_analysis(shouted, FP) is None  # those offsets index another text
    store.put_article(shouted)
    assert store.get_layers(shouted.id, FP) is None and store.get_vectors(shouted.id, FP) is None
    assert store.size_bytes() == 0


def test_layers_that_would_not_read_back_equal_are_not_stored(store: Store) -> None:
    analysis = make_analysis()
    analysis.layers["sentences"] = [Quote(0, 5, "direct")]  # a Quote where Spans are read back
    assert not store.put_analysis(analysis, FP)
    assert store.count_articles() == 0


def test_an_unreadable_layers_row_is_a_miss(store: Store) -> None:
    analysis = make_analysis()
    store.put_analysis(analysis, FP)
    for broken in ('{"quotes": [{"start": 1', '["a list"]', '{"quotes": [{"nonsense": 1}]}'):
        store.db.execute("UPDATE analyses SET layers = ?", (broken,))
        assert store.get_layers(analysis.article.id, FP) is None


# ---------------------------------------------------------------------- vectors

def test_vectors_round_trip_bit_for_bit(store: Store) -> None:
    analysis = make_analysis()
    store.put_article(analysis.article)
    array = np.random.default_rng(0).standard_normal((2, 384)).astype(np.float32)
    texts = [analysis.snippet(s) for s in analysis.sentences]
    store.put_vectors(analysis.article.id, FP, texts, array)
    got_texts, got = store.get_vectors(analysis.article.id, FP)
    assert got_texts == texts
    assert got.dtype == np.float32 and got.shape == (2, 384)
    assert got.tobytes() == array.tobytes()
    got[0, 0] = 5.0  # a writable copy, not a view of the row
    assert store.get_vectors(analysis.article.id, FP)[1].tobytes() == array.tobytes()
    assert store.get_vectors(analysis.article.id, OTHER_FP) is None


def test_vectors_are_checked_on_the_way_in(store: Store) -> None:
    store.put_article(make_analysis().article)
    article_id = make_analysis().article.id
    with pytest.raises(ValueError, match="one row per text"):
        store.put_vectors(article_id, FP, ["only one"], np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match="dtype"):
        store.put_vectors(article_id, FP, ["x"], np.array([[object()]]))
    with pytest.raises(UsageError, match="not in the store"):
        store.put_vectors("unknown", FP, ["x"], np.zeros((1, 3), np.float32))


class _Payload:
    """Unpickling this writes a file: the proof that a pickle was executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "executed"))


def _pickled(marker: Path) -> bytes:
    payload = pickle.dumps(_Payload(marker))
    pickle.loads(payload)  # the payload works: loading it writes the marker ...
    assert marker.exists()
    marker.unlink()
    return payload + b"\0" * (-len(payload) % 8)  # a whole number of float32s and float64s


@pytest.mark.parametrize("dtype", ["|O", "object", "<i8", "bogus"])
def test_a_vectors_row_naming_another_dtype_is_a_miss(store: Store, tmp_path: Path, dtype: str) -> None:
    analysis = make_analysis()
    store.put_article(analysis.article)
    payload = _pickled(tmp_path / "unpickled")
    store.db.execute("INSERT INTO vectors VALUES (?, ?, '[\"x\"]', ?, ?, 1, ?, 1, 0)",
                     (analysis.article.id, FP, payload, dtype, len(payload) // 8))
    assert store.get_vectors(analysis.article.id, FP) is None
    assert not (tmp_path / "unpickled").exists()  # ... but the store never unpickles


def test_pickled_bytes_in_a_float_row_are_only_ever_numbers(store: Store, tmp_path: Path) -> None:
    analysis = make_analysis()
    store.put_article(analysis.article)
    payload = _pickled(tmp_path / "unpickled")
    store.db.execute("INSERT INTO vectors VALUES (?, ?, '[\"x\"]', ?, '<f4', 1, ?, 1, 0)",
                     (analysis.article.id, FP, payload, len(payload) // 4))
    texts, array = store.get_vectors(analysis.article.id, FP)
    assert array.dtype == np.float32 and array.tobytes() == payload
    assert not (tmp_path / "unpickled").exists()
    store.db.execute("UPDATE vectors SET cols = cols + 1")  # a size that does not match: a miss
    assert store.get_vectors(analysis.article.id, FP) is None


# ---------------------------------------------------------------- size and LRU

def _entries(store: Store, table: str) -> list[str]:
    rows = store.db.execute(f"SELECT title FROM {table} JOIN articles ON id = article_id ORDER BY title")
    return [title for (title,) in rows]


def test_eviction_removes_the_least_recently_used_analyses_and_never_articles(tmp_path: Path) -> None:
    clock = Clock()
    with Store(tmp_path / "lru.db", clock=clock) as store:
        for i in range(5):
            clock.now = 1000.0 + i * 100
            store.put_analysis(make_analysis(i), FP, vectors=([f"s{i}"], np.full((1, 8), i, np.float32)))
        clock.now = 5000.0
        assert store.get_layers(make_analysis(0).article.id, FP) is not None  # 0 is now the newest
        assert store.get_vectors(make_analysis(1).article.id, FP) is not None  # and 1's vectors
        total = store.size_bytes()
        assert total == store.db.execute(
            "SELECT (SELECT sum(bytes) FROM analyses) + (SELECT sum(bytes) FROM vectors)").fetchone()[0]
        freed = store.evict(max_bytes=int(total * 0.7))  # down to 0.8 * 0.7 = 56%
        assert freed > 0 and store.size_bytes() == total - freed <= total * 0.56
        assert store.count_articles() == 5
        kept = _entries(store, "analyses")
        assert "Title 0" in kept and "Title 1" not in kept and "Title 2" not in kept
        assert _entries(store, "vectors")[0] == "Title 1"  # its vectors were used, its layers not
        assert store.evict(max_bytes=total) == 0  # under the cap: nothing to do


def test_the_cache_size_follows_every_insert_replace_and_delete(store: Store) -> None:
    def counted() -> int:
        return store.db.execute("SELECT coalesce(sum(bytes), 0) FROM (SELECT bytes FROM analyses "
                                "UNION ALL SELECT bytes FROM vectors)").fetchone()[0]

    analysis = make_analysis()
    store.put_analysis(analysis, FP, vectors=(["a", "b"], np.ones((2, 16), np.float32)))
    store.put_analysis(analysis, OTHER_FP)
    analysis.layers["entities"] = []
    store.put_analysis(analysis, FP)  # replaces the first layers with smaller ones
    store.put_vectors(analysis.article.id, FP, ["a"], np.ones((1, 16), np.float32))
    assert store.size_bytes() == counted() > 0
    store.evict(max_bytes=1)
    assert store.size_bytes() == counted() == 0


def test_writes_evict_on_their_own_past_the_cap(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store_module, "EVICT_EVERY", 2)
    with Store(tmp_path / "capped.db", max_bytes=5000) as store:
        for i in range(9):
            store.put_analysis(make_analysis(i), FP)
            if i % 2 == 0:  # writes 0, 2, 4, ... check the cap after writing
                assert store.size_bytes() <= 5000
        assert store.count_articles() == 9
        assert store.db.execute("SELECT count(*) FROM analyses").fetchone()[0] < 9


def test_a_read_marks_its_row_used_at_most_once_a_minute(tmp_path: Path) -> None:
    clock = Clock()
    with Store(tmp_path / "touch.db", clock=clock) as store:
        analysis = make_analysis()
        store.put_analysis(analysis, FP)
        used = "SELECT used_at FROM analyses"
        clock.now += 30
        store.get_layers(analysis.article.id, FP)
        assert store.db.execute(used).fetchone()[0] == 1000.0
        clock.now += 60
        store.get_layers(analysis.article.id, FP)
        assert store.db.execute(used).fetchone()[0] == 1090.0


# ----------------------------------------------------------------- migrations

def test_a_new_store_is_at_the_latest_version_in_wal_mode(store: Store) -> None:
    versions = [v for (v,) in store.db.execute("SELECT version FROM schema_version")]
    assert versions == [m.version for m in schema.MIGRATIONS] == list(range(1, len(schema.MIGRATIONS) + 1))
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID


def test_an_older_store_is_upgraded_on_open_and_keeps_its_rows(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.db"
    with Store(path) as old:
        old.put_analysis(make_analysis(), FP)
    newer = schema.Migration(schema.latest_version() + 1, "a later table", (
        "CREATE TABLE later_table (id INTEGER PRIMARY KEY, title TEXT NOT NULL)",
        "INSERT INTO later_table (title) SELECT title FROM articles",
    ))
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, newer))
    with Store(path) as upgraded:
        assert upgraded.db.execute("SELECT max(version) FROM schema_version").fetchone()[0] == newer.version
        assert upgraded.db.execute("SELECT title FROM later_table").fetchall() == [("Title 0",)]
        assert upgraded.get_layers(make_analysis().article.id, FP) == make_analysis().layers
    with Store(path) as again:  # applied once only
        assert again.db.execute("SELECT count(*) FROM later_table").fetchone()[0] == 1


def test_a_failing_migration_leaves_the_store_at_its_old_version(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "old.db"
    Store(path).close()
    broken = schema.Migration(schema.latest_version() + 1, "broken",
                              ("CREATE TABLE half (x)", "INSERT INTO nowhere VALUES (1)"))
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    with pytest.raises(InputError, match="no such table"):
        Store(path)
    monkeypatch.undo()
    with Store(path) as store:
        assert store.db.execute("SELECT max(version) FROM schema_version").fetchone()[0] == schema.latest_version()
        assert store.db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0


def test_a_store_from_a_newer_parallax_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with Store(path) as store:
        store.db.execute("INSERT INTO schema_version VALUES (99, 'from the future', 0)")
    with pytest.raises(InputError, match=r"newer Parallax \(store schema version 99") as error:
        Store(path)
    assert str(path) in str(error.value)


# ------------------------------------------------------------------- refusals

def test_files_that_are_not_stores_are_refused_with_their_path(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_bytes(b"not a database at all, just some words " * 50)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE things (x)").connection.commit()
    for path, problem in ((text_file, "not a database"), (other, "not a Parallax store"),
                          (tmp_path, "cannot open"), (text_file / "store.db", "cannot open")):
        with pytest.raises(InputError, match=problem) as error:
            Store(path)
        assert str(path) in str(error.value)


def test_a_failed_transaction_writes_nothing(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction() as db:
            db.execute("INSERT INTO schema_version VALUES (50, 'fine on its own', 0)")
            db.execute("INSERT INTO analyses VALUES ('no such article', 'fp', '{}', 2, 0)")  # ... not this
    assert store.db.execute("SELECT count(*) FROM schema_version WHERE version = 50").fetchone()[0] == 0
    assert not store.db.in_transaction


def test_parent_folders_are_created_and_a_closed_store_says_so(tmp_path: Path) -> None:
    store = Store(tmp_path / "a" / "b" / "store.db")
    assert (tmp_path / "a" / "b" / "store.db").is_file()
    store.close()
    store.close()  # twice is fine
    with pytest.raises(UsageError, match="closed"):
        store.count_articles()
    with pytest.raises(UsageError, match="max_bytes"):
        Store(tmp_path / "x.db", max_bytes=0)


def test_version_6_fills_in_the_headline_of_comparisons_stored_before_it(tmp_path: Path, monkeypatch) -> None:
    import json

    from parallax.store.comparisons import get_comparison

    path = tmp_path / "v5.db"
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:5])
    with Store(path) as old:
        with old.transaction() as db:
            for permalink, titles in (("a" * 16, ["", "Second headline", "Third"]), ("b" * 16, [""])):
                document = json.dumps({"articles": [{"title": t} for t in titles]})
                db.execute("INSERT INTO comparisons (id, created_at, fingerprint, article_ids, document, body) "
                           "VALUES (?, 0, 'fp', '[]', ?, '<p>')", (permalink, document))
    monkeypatch.undo()
    with Store(path) as upgraded:
        assert get_comparison(upgraded, "a" * 16).title == "Second headline"  # the first one there is
        assert get_comparison(upgraded, "b" * 16).title == ""

"""Store: the SQLite file that keeps articles, their analyses and their sentence vectors.

    with Store(config.store_path(), max_bytes=config.store_max_bytes) as store:
        layers = store.get_layers(article.id, fp)           # None: not stored yet
        if layers is None:
            store.put_analysis(analysis, fp, vectors=(texts, array))

Concurrency: any number of processes may open the same file; WAL mode lets readers read
while one writer writes, and writers wait for each other up to BUSY_TIMEOUT_S. A Store
object holds one connection and must be used by the thread that opened it (sqlite3
raises ProgrammingError otherwise); open one Store per thread, and after a fork open a
new one in the child (an inherited connection is refused).

Durability: every write is one transaction, so a process killed at any moment (kill -9)
leaves each article either fully stored (row, layers, vectors) or absent. With
synchronous=NORMAL a power cut may lose the last few commits, never consistency.

Size: the articles table is the corpus and is never evicted. Analyses and vectors are a
cache of what the models compute; past `max_bytes` the least recently used go first.
"""
from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType

import numpy as np

from parallax.config import DEFAULT_STORE_MAX_BYTES
from parallax.errors import InputError, UsageError
from parallax.model import Analysis, Article, Span
from parallax.store import codec, schema
from parallax.store.codec import CorruptRow

# Writers hold the lock for one article's rows (milliseconds), an eviction for longer; a
# waiting writer or a reader's last-used update gives up after this many seconds.
BUSY_TIMEOUT_S = 30.0
# Check the size cap on the first write and every this many writes after it: a check is
# one row read, but an eviction sorts the cache, so it should be rare.
EVICT_EVERY = 100
# Evict down to this share of max_bytes, so the next eviction is many writes away.
EVICT_TO = 0.8
# A read marks its row used only if the mark is older than this: recency to the minute is
# plenty for LRU, and readers then rarely need the write lock.
TOUCH_EVERY_S = 60.0
# Rows fetched per query by iter_articles (keyset pages keep no statement open long).
PAGE_ROWS = 500

_ARTICLE_FIELDS = ", ".join(codec.ARTICLE_COLUMNS)
_ARTICLE_SELECT = f"SELECT {_ARTICLE_FIELDS} FROM articles"
# An upsert that keeps added_at: re-reading an article refreshes its metadata only.
_ARTICLE_UPSERT = (
    f"INSERT INTO articles ({_ARTICLE_FIELDS}, added_at) "
    f"VALUES ({', '.join('?' * (len(codec.ARTICLE_COLUMNS) + 1))}) "
    "ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in codec.ARTICLE_COLUMNS if c != "id"))


def _cache_upsert(table: str, columns: tuple[str, ...]) -> str:
    """INSERT ... ON CONFLICT DO UPDATE, not INSERT OR REPLACE: a replace deletes the old row
    without firing its delete trigger, and cache_size would drift."""
    return (f"INSERT INTO {table} (article_id, fingerprint, {', '.join(columns)}) "
            f"VALUES ({', '.join('?' * (len(columns) + 2))}) ON CONFLICT(article_id, fingerprint) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in columns))


_ANALYSIS_UPSERT = _cache_upsert("analyses", ("layers", "bytes", "used_at"))
_VECTORS_UPSERT = _cache_upsert("vectors", ("texts", "data", "dtype", "rows", "cols", "bytes", "used_at"))
_CACHED = ("analyses", "vectors")  # the tables the size cap applies to

Vectors = tuple[list[str], np.ndarray]


class Store:
    """One connection to a Parallax store file; see the module docstring."""

    def __init__(self, path: str | Path, max_bytes: int = DEFAULT_STORE_MAX_BYTES, *,
                 clock: Callable[[], float] = time.time) -> None:
        """Open (or create, with its parent folders) the store at `path`.

        `clock` gives the time written to added_at / used_at (tests pass their own).
        Raises InputError naming `path` when it cannot be opened, is not a Parallax
        store, or was written by a newer Parallax."""
        if max_bytes < 1:
            raise UsageError(f"store max_bytes = {max_bytes} is invalid; it must be a positive number")
        self.path = Path(path).expanduser()
        self.max_bytes = max_bytes
        self._clock = clock
        self._writes = 0
        self._pid = os.getpid()
        self._conn: sqlite3.Connection | None = _open(self.path)

    # ------------------------------------------------------------------ lifetime

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}{'' if self._conn else ', closed'})"

    @property
    def db(self) -> sqlite3.Connection:
        """The connection, in autocommit mode: group writes with `transaction()`."""
        if self._conn is None:
            raise UsageError(f"the store {self.path} is closed; open a new Store")
        if os.getpid() != self._pid:  # SQLite forbids carrying a connection across fork
            raise UsageError(f"the store {self.path} was opened by another process; open a new Store after fork")
        return self._conn

    def transaction(self) -> _transaction:
        """`with store.transaction() as db:` one write transaction (BEGIN IMMEDIATE ...
        COMMIT, or ROLLBACK on an exception)."""
        return _transaction(self.db)

    # ------------------------------------------------------------------ articles

    def put_article(self, article: Article) -> None:
        """Store `article` (metadata refreshed if its id is stored already)."""
        with self.transaction():
            self._put_article(article)
        self._wrote()

    def get_article(self, article_id: str) -> Article | None:
        row = self.db.execute(f"{_ARTICLE_SELECT} WHERE id = ?", (article_id,)).fetchone()
        try:
            return codec.article_from_row(row) if row else None
        except CorruptRow:
            return None

    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def count_articles(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def iter_articles(self) -> Iterator[Article]:
        """Every stored article, oldest first, read a page at a time (rows that cannot
        be decoded are skipped)."""
        last = 0
        while True:
            rows = self.db.execute(f"SELECT rowid, {_ARTICLE_FIELDS} FROM articles WHERE rowid > ? "
                                   f"ORDER BY rowid LIMIT {PAGE_ROWS}", (last,)).fetchall()
            for row in rows:
                last = row[0]
                try:
                    yield codec.article_from_row(row[1:])
                except CorruptRow:
                    continue
            if len(rows) < PAGE_ROWS:
                return

    def put_article_in_transaction(self, article: Article) -> None:
        """`put_article` inside a transaction the caller holds (`with store.transaction():`),
        so that rows of other tables (the corpus tables) commit with the article or not at all."""
        if not self.db.in_transaction:
            raise UsageError("put_article_in_transaction needs an open transaction; use store.transaction()")
        self._put_article(article)

    def _put_article(self, article: Article) -> None:
        """The upsert, inside the caller's transaction. If the id's stored text differs
        (ids hash the normalised text, so case or spacing may differ) its analyses and
        vectors are dropped: their offsets index the old text."""
        row = self.db.execute("SELECT text FROM articles WHERE id = ?", (article.id,)).fetchone()
        if row is not None and row[0] != article.text:
            for table in _CACHED:
                self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article.id,))
        self.db.execute(_ARTICLE_UPSERT, (*codec.article_row(article), self._clock()))

    # ------------------------------------------------------------------ analyses

    def put_analysis(self, analysis: Analysis, fingerprint: str, vectors: Vectors | None = None) -> bool:
        """Store the article, its layers under `fingerprint` and optionally its sentence
        vectors `(texts, array)`, all in one transaction. False (nothing written) when the
        layers would not read back equal to `analysis.layers`."""
        layers = codec.encode_layers(analysis.layers)
        if layers is None:
            return False
        encoded = codec.encode_vectors(*vectors) if vectors is not None else None
        article_id = analysis.article.id
        with self.transaction():
            self._put_article(analysis.article)
            now = self._clock()
            self.db.execute(_ANALYSIS_UPSERT, (article_id, fingerprint, layers, len(layers.encode()), now))
            if encoded is not None:
                self._put_vectors(article_id, fingerprint, encoded, now)
        self._wrote()
        return True

    def get_layers(self, article_id: str, fingerprint: str) -> dict[str, list[Span]] | None:
        """The layers stored for the article under `fingerprint`, or None (not stored, or
        unreadable). Their offsets index the stored text; `get_analysis` checks it."""
        row = self.db.execute("SELECT layers, used_at FROM analyses WHERE article_id = ? AND fingerprint = ?",
                              (article_id, fingerprint)).fetchone()
        if row is None:
            return None
        try:
            layers = codec.decode_layers(row[0])
        except CorruptRow:
            return None
        self._touch("analyses", article_id, fingerprint, row[1])
        return layers

    def get_analysis(self, article: Article, fingerprint: str) -> Analysis | None:
        """`article` with its stored layers, or None unless they were computed on exactly
        this text."""
        stored = self.db.execute("SELECT text FROM articles WHERE id = ?", (article.id,)).fetchone()
        if stored is None or stored[0] != article.text:
            return None
        layers = self.get_layers(article.id, fingerprint)
        return None if layers is None else Analysis(article, layers)

    def has_analysis(self, article_id: str, fingerprint: str) -> bool:
        """Whether layers are stored (a cheap check for resuming a run; no last-used update)."""
        return self.db.execute("SELECT 1 FROM analyses WHERE article_id = ? AND fingerprint = ?",
                               (article_id, fingerprint)).fetchone() is not None

    # ------------------------------------------------------------------- vectors

    def put_vectors(self, article_id: str, fingerprint: str, texts: Sequence[str], array: np.ndarray) -> None:
        """Store the sentence vectors of a stored article: row i of `array` encodes
        texts[i]. Raises UsageError if the article is not stored."""
        encoded = codec.encode_vectors(texts, array)
        with self.transaction():
            if not self.has_article(article_id):
                raise UsageError(f"article {article_id} is not in the store {self.path}; put it first")
            self._put_vectors(article_id, fingerprint, encoded, self._clock())
        self._wrote()

    def get_vectors(self, article_id: str, fingerprint: str) -> Vectors | None:
        """(texts, array) as stored, bit for bit, or None (not stored, or unreadable)."""
        row = self.db.execute("SELECT texts, data, dtype, rows, cols, used_at FROM vectors "
                              "WHERE article_id = ? AND fingerprint = ?", (article_id, fingerprint)).fetchone()
        if row is None:
            return None
        try:
            vectors = codec.decode_vectors(*row[:5])
        except CorruptRow:
            return None
        self._touch("vectors", article_id, fingerprint, row[5])
        return vectors

    def _put_vectors(self, article_id: str, fingerprint: str, encoded: tuple[str, bytes, str, int, int],
                     now: float) -> None:
        texts, data, dtype, rows, cols = encoded
        size = len(texts.encode()) + len(data)
        self.db.execute(_VECTORS_UPSERT, (article_id, fingerprint, texts, data, dtype, rows, cols, size, now))

    # -------------------------------------------------------------- size and LRU

    def size_bytes(self) -> int:
        """Bytes of cached analyses and vectors: what `max_bytes` caps (articles not counted)."""
        return self.db.execute("SELECT bytes FROM cache_size").fetchone()[0]

    def evict(self, max_bytes: int | None = None) -> int:
        """If the cache holds more than `max_bytes` (default: the Store's), delete the least
        recently used analyses and vectors down to EVICT_TO of it. Never deletes articles.
        Returns the bytes freed."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        if self.size_bytes() <= limit:
            return 0
        with self.transaction():
            victims = self._least_recently_used(self.size_bytes() - limit * EVICT_TO)
            for table in _CACHED:
                self.db.executemany(f"DELETE FROM {table} WHERE rowid = ?",
                                    [(rowid,) for name, rowid, _ in victims if name == table])
        try:  # hand the freed pages back to the file system (auto_vacuum is INCREMENTAL)
            self.db.execute("PRAGMA incremental_vacuum").fetchall()
        except sqlite3.OperationalError:  # another writer is busy: SQLite reuses the pages anyway
            pass
        return sum(size for _, _, size in victims)

    def _least_recently_used(self, excess: float) -> list[tuple[str, int, int]]:
        """(table, rowid, bytes) of the oldest-used cached rows whose bytes add up to `excess`."""
        cursor = self.db.execute(" UNION ALL ".join(
            f"SELECT '{table}', rowid, bytes, used_at FROM {table}" for table in _CACHED) + " ORDER BY used_at")
        victims, freed = [], 0
        for table, rowid, size, _ in cursor:
            if freed >= excess:
                break
            victims.append((table, rowid, size))
            freed += size
        cursor.close()
        return victims

    def _wrote(self) -> None:
        if self._writes % EVICT_EVERY == 0:
            self.evict()
        self._writes += 1

    def _touch(self, table: str, article_id: str, fingerprint: str, used_at: float) -> None:
        """Mark a row used now. Best effort: a read never fails because a writer held the
        lock past BUSY_TIMEOUT_S."""
        now = self._clock()
        if now - used_at < TOUCH_EVERY_S:
            return
        try:
            self.db.execute(f"UPDATE {table} SET used_at = ? WHERE article_id = ? AND fingerprint = ?",
                            (now, article_id, fingerprint))
        except sqlite3.OperationalError:  # "database is locked"
            pass


class _transaction:
    """`with _transaction(conn):` one write transaction, taken with BEGIN IMMEDIATE: the
    write lock is acquired up front (waiting up to BUSY_TIMEOUT_S), so a transaction never
    fails half way because another writer got there first."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:  # SQLite may have rolled back already (disk full)
            self.conn.execute("ROLLBACK")


def open_existing(path: str | Path, max_bytes: int = DEFAULT_STORE_MAX_BYTES) -> Store:
    """The store `parallax ingest` wrote at `path`. A missing one is a UsageError: opening it
    would create an empty store for a command that only reads one."""
    if not Path(path).is_file():
        raise UsageError(f"store {path} not found; create it with `parallax ingest SOURCES --store {path}`")
    return Store(path, max_bytes=max_bytes)


def _open(path: Path) -> sqlite3.Connection:
    """A connection to the store at `path`, created and migrated as needed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise InputError(str(path), f"cannot open the store ({exc}); give a writable --store path") from exc
    try:
        _configure(conn, path)
        schema.migrate(conn, str(path))
    except sqlite3.DatabaseError as exc:  # "file is not a database", a read-only file, ...
        conn.close()
        raise InputError(str(path), f"cannot open as a Parallax store ({exc}); "
                                    "give another --store path") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection, path: Path) -> None:
    if schema.is_new(conn, str(path)):
        schema.prepare_new_file(conn)
    # WAL: readers never block the writer nor it them. It is a property of the file, so
    # setting it again is a no-op; it fails where shared memory does not work (NFS).
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise InputError(str(path), f"the store needs WAL mode, which this file system does not "
                                    f"support (got {mode!r}); put the store on a local disk")
    # NORMAL is safe in WAL mode: a crash loses no committed transaction, a power cut at most
    # the last few, and the file is never left inconsistent.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")

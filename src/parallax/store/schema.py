"""The store's tables, and the numbered migrations that create and upgrade them.

A store records every migration applied to it in `schema_version`; opening a store applies
the ones it lacks, in order, in one transaction (a crash mid-upgrade leaves the old
version). To change the schema, append a `Migration` with the next number to MIGRATIONS;
never edit one that has shipped, since stores in the wild already ran it.

Tables of version 1:
    articles        one row per article: metadata and text, never evicted
    analyses        layers per (article, pipeline fingerprint), as JSON; an LRU cache
    vectors         sentence texts and vectors per (article, fingerprint); an LRU cache
    cache_size      one row: the bytes held by analyses + vectors, kept by triggers so the
                    size cap is checked in O(1) however large the store grows
    schema_version  the migrations applied

Tables of version 2 (corpus mode: `parallax ingest`; SQL in parallax.store.corpus):
    corpus_articles one row per ingested article: its exact-duplicate key, MinHash (originals
                    only), publication time as a sort key, English share
    near_buckets    the LSH index of near duplicates: (band key, original), on disk so memory
                    stays flat at any corpus size
    duplicates      article -> the original it copies: kind exact|near and similarity
    signatures      the story signature of each ingested article (plain data + vector bytes)

Tables of version 3 (corpus results: provenance, stories):
    passages        every indexed passage (corpus.provenance.PassageRow): the copy index is
                    rebuilt from these rows, so a new ingest extends it
    copies          passage of an article -> the earliest other outlet's passage it copies
    stories         one row per story: representative title, first and last publication time
    story_articles  article -> its story, with the order it joined in
    corpus_state    named plain-data states (JSON) of incremental stages, e.g. the story
                    grouper's, so new ingests extend a result without recomputing it

Version 4: an index of passages by group, so a passage's carriers are found without a scan.

Version 5 (the web app, parallax.web):
    comparisons     a comparison's JSON document and rendered view, under its permalink id
    story_search    FTS5 index of each story's headlines, kept by store.stories.group_new

Version 6: comparisons.title, the headline a permalink page shows (it was parsed out of the
~250 KB JSON document on every view); filled in for the comparisons already stored.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from parallax.errors import InputError

# Stamped into the SQLite header (PRAGMA application_id) so `file` and Parallax itself can
# tell a Parallax store from any other SQLite database: "PRLX" in ASCII.
APPLICATION_ID = 0x50524C58


@dataclass(frozen=True)
class Migration:
    """Schema version `version`: the statements that turn version - 1 into it."""

    version: int
    description: str
    statements: tuple[str, ...]


# articles keeps SQLite's integer rowid (no WITHOUT ROWID) so a later FTS5 index can use it
# as its content_rowid. Timestamps are Unix seconds (REAL).
_V1 = Migration(1, "articles, analyses, vectors, cache size", (
    f"PRAGMA application_id = {APPLICATION_ID}",
    """CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        outlet TEXT NOT NULL,
        title TEXT NOT NULL,
        url TEXT NOT NULL,
        authors TEXT NOT NULL,          -- JSON list of names
        published TEXT,
        original_source TEXT,
        source TEXT NOT NULL,           -- where it was read from
        meta TEXT NOT NULL,             -- JSON object
        text TEXT NOT NULL,
        added_at REAL NOT NULL
    )""",
    """CREATE TABLE analyses (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        layers TEXT NOT NULL,           -- JSON of model.layers_to_data
        bytes INTEGER NOT NULL,
        used_at REAL NOT NULL,
        PRIMARY KEY (article_id, fingerprint)
    )""",
    "CREATE INDEX analyses_used_at ON analyses(used_at)",
    """CREATE TABLE vectors (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        texts TEXT NOT NULL,            -- JSON list: the sentence each row encodes
        data BLOB NOT NULL,             -- the array's raw bytes, C order, little-endian
        dtype TEXT NOT NULL,            -- numpy dtype string, e.g. '<f4'
        rows INTEGER NOT NULL,
        cols INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        used_at REAL NOT NULL,
        PRIMARY KEY (article_id, fingerprint)
    )""",
    "CREATE INDEX vectors_used_at ON vectors(used_at)",
    "CREATE TABLE cache_size (id INTEGER PRIMARY KEY CHECK (id = 0), bytes INTEGER NOT NULL)",
    "INSERT INTO cache_size VALUES (0, 0)",
    *(trigger
      for table in ("analyses", "vectors")
      for trigger in (
          f"""CREATE TRIGGER {table}_added AFTER INSERT ON {table}
              BEGIN UPDATE cache_size SET bytes = bytes + new.bytes; END""",
          f"""CREATE TRIGGER {table}_removed AFTER DELETE ON {table}
              BEGIN UPDATE cache_size SET bytes = bytes - old.bytes; END""",
          f"""CREATE TRIGGER {table}_resized AFTER UPDATE OF bytes ON {table}
              BEGIN UPDATE cache_size SET bytes = bytes - old.bytes + new.bytes; END""",
      )),
))

# Corpus tables refer to articles by id (ON DELETE CASCADE), except near_buckets, which
# holds the compact corpus_articles.key: a bucket left by a deleted article only adds a
# candidate that the MinHash check then drops.
_V2 = Migration(2, "corpus: ingest bookkeeping, duplicates, near-duplicate buckets, story signatures", (
    """CREATE TABLE corpus_articles (
        key INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
        text_hash INTEGER NOT NULL,     -- 64 bits of SHA-1 of model.normalise_text(text)
        minhash BLOB,                   -- MinHash values, uint32 little-endian; NULL for exact copies
        published_at REAL,              -- Unix seconds of published (UTC); NULL: undated
        english REAL NOT NULL,          -- share of English function words (corpus.language)
        ingested_at REAL NOT NULL
    )""",
    "CREATE INDEX corpus_articles_text_hash ON corpus_articles(text_hash)",
    """CREATE TABLE near_buckets (
        bucket INTEGER NOT NULL,        -- key of one LSH band of a MinHash (corpus.dedup)
        key INTEGER NOT NULL,           -- corpus_articles.key of an original
        PRIMARY KEY (bucket, key)
    ) WITHOUT ROWID""",
    """CREATE TABLE duplicates (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        original_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('exact', 'near')),
        similarity REAL NOT NULL
    )""",
    "CREATE INDEX duplicates_original ON duplicates(original_id)",
    """CREATE TABLE signatures (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        published_at REAL,              -- as in corpus_articles: publication order
        data TEXT NOT NULL,             -- JSON: the signature's fields but its vector
        vector BLOB NOT NULL,           -- little-endian floats, `dtype`, `dims` of them
        dtype TEXT NOT NULL,
        dims INTEGER NOT NULL
    )""",
    "CREATE INDEX signatures_published_at ON signatures(published_at)",
))

_V3 = Migration(3, "corpus results: passages and copies (provenance), stories and their articles, stage states", (
    """CREATE TABLE passages (
        ord INTEGER PRIMARY KEY,        -- PassageRow.order: the order passages were indexed in
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        outlet TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text_hash INTEGER NOT NULL,
        grp INTEGER NOT NULL,           -- PassageRow.group: ord of the first passage of its group
        shingles BLOB NOT NULL          -- sorted uint32 word-bigram hashes, little-endian
    )""",
    "CREATE INDEX passages_article ON passages(article_id)",
    """CREATE TABLE copies (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        source_article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        source_outlet TEXT NOT NULL,
        source_start INTEGER NOT NULL,
        source_end INTEGER NOT NULL,
        similarity REAL NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('exact', 'near')),
        PRIMARY KEY (article_id, start)
    ) WITHOUT ROWID""",
    "CREATE INDEX copies_source ON copies(source_article_id)",
    """CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        first_seen REAL,                -- Unix seconds; NULL: undated articles only
        last_seen REAL,
        size INTEGER NOT NULL
    )""",
    """CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        position INTEGER NOT NULL       -- the order the article joined the grouping in
    )""",
    "CREATE INDEX story_articles_story ON story_articles(story_id)",
    """CREATE TABLE corpus_state (
        name TEXT PRIMARY KEY,
        data TEXT NOT NULL,             -- JSON, never pickle
        updated_at REAL NOT NULL
    )""",
))

# Carriers of a passage are the outlets of its group: counted through this index, not a scan.
_V4 = Migration(4, "passages by group (provenance carriers)", (
    "CREATE INDEX passages_group ON passages(grp)",
))

# The web app's tables: comparisons kept for their permalinks (never evicted: a shared link
# keeps working), and a full-text index of each story's headlines for /stories?q=.
_V5 = Migration(5, "web: stored comparisons (permalinks), story headline search (FTS5)", (
    """CREATE TABLE comparisons (
        id TEXT PRIMARY KEY,            -- hash of the fingerprint and the article ids, in order
        created_at REAL NOT NULL,
        fingerprint TEXT NOT NULL,
        article_ids TEXT NOT NULL,      -- JSON list
        document TEXT NOT NULL,         -- the JSON document of `parallax compare --format json`
        body TEXT NOT NULL              -- the rendered HTML body of the comparison view
    )""",
    "CREATE VIRTUAL TABLE story_search USING fts5(story_id UNINDEXED, headlines)",
    """INSERT INTO story_search (story_id, headlines)
       SELECT s.story_id, group_concat(a.title, ' | ') FROM story_articles s JOIN articles a ON a.id = s.article_id
       GROUP BY s.story_id""",
))

# A permalink page needs only the first headline: a column of its own, filled in from the
# stored documents (the first article with a title, as the page chose before).
_V6 = Migration(6, "web: the headline of each stored comparison", (
    "ALTER TABLE comparisons ADD COLUMN title TEXT NOT NULL DEFAULT ''",
    """UPDATE comparisons SET title = coalesce((
           SELECT json_extract(value, '$.title') FROM json_each(document, '$.articles')
           WHERE coalesce(json_extract(value, '$.title'), '') != '' ORDER BY key LIMIT 1), '')""",
))

MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3, _V4, _V5, _V6)

_CREATE_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at REAL NOT NULL
)"""


def latest_version(migrations: tuple[Migration, ...] | None = None) -> int:
    """The schema version this Parallax writes."""
    return (MIGRATIONS if migrations is None else migrations)[-1].version


def prepare_new_file(conn: sqlite3.Connection) -> None:
    """Settings that must precede the first table. Incremental auto-vacuum lets eviction
    hand freed pages back to the file system (see Store.evict)."""
    conn.execute("PRAGMA auto_vacuum = INCREMENTAL")


def is_new(conn: sqlite3.Connection, source: str) -> bool:
    """True for an empty SQLite file, which becomes a store; raises InputError for a
    database that is not a Parallax store."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id == APPLICATION_ID:
        return False
    if app_id == 0 and tables == 0:
        return True
    raise InputError(source, "is an SQLite database but not a Parallax store; "
                             "give another --store path")


def migrate(conn: sqlite3.Connection, source: str, migrations: tuple[Migration, ...] | None = None) -> int:
    """Apply the migrations the store lacks, all in one write transaction; the version now.

    Two processes opening a new store at once are serialised by BEGIN IMMEDIATE, and the
    second sees the first's work. `source` names the file in errors. `conn` must be in autocommit mode (isolation_level=None)."""
    migrations = MIGRATIONS if migrations is None else migrations
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = _version(conn)
        newest = latest_version(migrations)
        if current > newest:
            raise InputError(source, f"was written by a newer Parallax (store schema version {current}; "
                                     f"this one knows up to {newest}); upgrade Parallax or give "
                                     "another --store path")
        for migration in migrations:
            if migration.version > current:
                _apply(conn, migration)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (disk full)
            conn.execute("ROLLBACK")
        raise
    return max(current, newest)


def _version(conn: sqlite3.Connection) -> int:
    conn.execute(_CREATE_VERSION_TABLE)
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def _apply(conn: sqlite3.Connection, migration: Migration) -> None:
    for statement in migration.statements:
        conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                 (migration.version, migration.description, time.time()))


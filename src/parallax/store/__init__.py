"""The store: one SQLite file with the articles Parallax has read, their analyses and their
sentence vectors, so a re-run (or a resumed, killed run) skips what is done.

    parallax.store.Store(path, max_bytes=...)           the file (API: parallax.store.store)
    parallax.store.open_existing(path)                  the same, for commands that only read a store
    parallax.store.fingerprint.fingerprint(config)      the key analyses are stored under
    parallax.store.schema                               tables and numbered migrations

(`fingerprint` is not re-exported here: the name would hide its module.)
"""
from parallax.store.store import Store, open_existing

__all__ = ["Store", "open_existing"]

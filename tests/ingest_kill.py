"""What the ingest tests share: killing an ingest mid-way with SIGKILL, and the words their
synthetic records are made of."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

# Words of the synthetic records (news-like, English: they pass the language check).
WORDS = ("council minister police report budget river school court market vote harbour storm village "
         "hospital contract airport election museum factory protest railway senator union bridge said announced "
         "rejected approved delayed questioned welcomed opened closed funded the of and to that for with was "
         "on by at from has have new its their after would could about").split()

_INGEST = ("import sys\nfrom parallax.config import Config\nfrom parallax.corpus.ingest import ingest\n"
           "from parallax.store import Store\n"
           "with Store(sys.argv[1]) as store:\n    ingest([sys.argv[2]], store, config=Config(threads=1))\n")


def ingested_count(path: Path) -> int:
    """Articles ingest has stored in `path` so far (0 before the store exists)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM corpus_articles").fetchone()[0]
    except sqlite3.Error:  # not created or not migrated yet
        return 0


def kill_ingest_after(corpus: Path, store: Path, articles: int, timeout: float = 60) -> None:
    """Ingest `corpus` into `store` in a subprocess and SIGKILL it once `articles` are stored."""
    child = subprocess.Popen([sys.executable, "-c", _INGEST, str(store), str(corpus)])
    try:
        deadline = time.monotonic() + timeout
        while ingested_count(store) < articles and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()

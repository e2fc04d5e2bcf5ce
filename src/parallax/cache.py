"""On-disk cache of what the models compute, so a re-run on the same articles skips them.

Re-running `parallax compare` on a set of articles (after adding one, or to write another
format) re-read the same texts through spaCy, the technique detector and the sentence
encoder: 3-5 s for the seeds. The cache keeps, per article text, the analysis layers, and
per comparison, the sentence vectors; a warm re-run then takes about a second.

- Where: $PARALLAX_CACHE, else $XDG_CACHE_HOME/parallax, else ~/.cache/parallax.
  PARALLAX_CACHE=off (or the CLI's --no-cache) turns it off.
- Keys: SHA-256 of the inputs plus a fingerprint of the code and models (the package
  version, the model files' sizes and times), so a new model or release never sees
  old entries.
- Entries are plain data, never code: layers as JSON, vectors as .npy read with
  allow_pickle=False. One that cannot be read (truncated, from another version) is
  ignored and recomputed; a folder that cannot be written just means no caching.
- Size: an article's layers take ~50 KB, a comparison's vectors ~250 KB. Past MAX_BYTES
  the least recently used entries are deleted (checked on the first write of a process and
  every PRUNE_EVERY writes after it).
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from parallax.model import Span

CACHE_ENV = "PARALLAX_CACHE"
OFF = ("off", "0", "no", "false")
MAX_BYTES = 500 * 2**20  # about 10,000 articles
PRUNE_TO = 0.8  # prune down to this share of MAX_BYTES, so pruning is rare
PRUNE_EVERY = 100
TEMPORARY = ".tmp"
_writes = 0


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() in OFF:
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "parallax"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """What the cached results depend on besides their inputs: code version and model files."""
    import parallax
    from parallax import embeddings
    from parallax.techniques import model_dir

    parts = [parallax.__version__, os.environ.get("PARALLAX_SPACY_MODEL", "")]
    for folder in (model_dir(), embeddings.encoder_path()):
        try:
            stats = [(f.name, f.stat()) for f in sorted(Path(folder).iterdir())]
            parts += [f"{name}:{info.st_size}:{info.st_mtime_ns}" for name, info in stats]
        except OSError:
            parts.append(f"{folder}: missing")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def key(kind: str, *inputs: Any) -> str:
    """A cache key for `kind` ("layers", "vectors") computed from JSON-able inputs."""
    digest = hashlib.sha256(json.dumps([kind, fingerprint(), *inputs], ensure_ascii=False).encode("utf-8"))
    return f"{kind}-{digest.hexdigest()}"


def _decode_layers(data: str | bytes) -> dict[str, list[Span]]:
    return {layer: [Span(**span) for span in spans] for layer, spans in json.loads(data).items()}


def get_layers(name: str) -> dict[str, list[Span]] | None:
    """The analysis layers stored under `name`, or None (missing, unreadable, caching off)."""
    data = _read(f"{name}.json")
    try:
        return _decode_layers(data)
    except Exception:  # None, truncated or foreign content: all a miss
        return None


def put_layers(name: str, layers: dict[str, list[Span]]) -> None:
    """Store analysis layers as JSON. Layers whose attributes would not come back equal
    (tuples, non-string keys) are not cached rather than cached wrong."""
    try:
        data = json.dumps({layer: [dataclasses.asdict(span) for span in spans] for layer, spans in layers.items()},
                          ensure_ascii=False)
        same = _decode_layers(data) == layers
    except (TypeError, ValueError):  # sets, objects, circular references
        return
    if same:
        _write(f"{name}.json", data.encode("utf-8"))


def get_vectors(name: str) -> np.ndarray | None:
    """The array stored under `name`, or None."""
    data = _read(f"{name}.npy")
    try:
        return np.load(io.BytesIO(data), allow_pickle=False)
    except Exception:  # None, truncated or foreign content: all a miss
        return None


def put_vectors(name: str, vectors: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, vectors, allow_pickle=False)
    _write(f"{name}.npy", buffer.getvalue())


def _read(file_name: str) -> bytes | None:
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / file_name
    try:
        data = path.read_bytes()
        os.utime(path)  # recently used: pruned last
        return data
    except OSError:
        return None


def _write(file_name: str, data: bytes) -> None:
    """Store `data`; silently does nothing if caching is off or the folder is not writable."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=folder, suffix=TEMPORARY, delete=False)
    except OSError:
        return
    try:  # write then rename, so a reader in another process never sees half a file
        with handle:
            handle.write(data)
        os.replace(handle.name, folder / file_name)
    except OSError:
        Path(handle.name).unlink(missing_ok=True)
        return
    global _writes
    if _writes % PRUNE_EVERY == 0:
        prune(folder)
    _writes += 1


def prune(folder: Path, max_bytes: int | None = None) -> None:
    """Delete the least recently used entries while the folder holds more than `max_bytes`
    (default MAX_BYTES), down to PRUNE_TO of it."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    entries = []
    for path in folder.iterdir():
        if path.suffix == TEMPORARY:  # being written by another process
            continue
        try:
            info = path.stat()
        except OSError:  # deleted by another process meanwhile
            continue
        entries.append((info.st_mtime, info.st_size, path))
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return
    for _, size, path in sorted(entries, key=lambda entry: entry[0]):
        if total <= limit * PRUNE_TO:
            break
        path.unlink(missing_ok=True)
        total -= size

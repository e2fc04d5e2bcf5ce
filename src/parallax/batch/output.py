"""The --out folder of a batch run (local or any fsspec URL): tables, done markers, manifest.

    DIR/_batch.json                  what was run: tier, settings, the partition plan
    DIR/<table>/part-<pid>.parquet   one file per table and partition (a Parquet dataset
                                     per table: pandas, DuckDB and Dask read DIR/<table>)
    DIR/_done/<step>/<pid>.json      the partition is finished: every file above is whole

A task writes each file under a hidden temporary name (".part-<pid>.parquet.tmp-<uuid>",
which no Parquet reader lists) and renames it when complete, and writes its done marker
last. So a task killed at any moment leaves either nothing or whole files that its rerun
replaces under the same names: no partial and no duplicate rows, and a re-run skips the
partitions with a marker.
"""
from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from typing import Any

from parallax.errors import InputError, UsageError

MANIFEST = "_batch.json"
DONE = "_done"
TEMP_MARK = ".tmp-"
# The manifest's layout; a folder written by another layout is refused rather than mixed.
MANIFEST_VERSION = 1


@dataclass
class Output:
    """The output folder, opened through fsspec (so s3:// works like a local path)."""

    url: str

    def __post_init__(self) -> None:
        import fsspec

        try:
            self.fs, self.root = fsspec.core.url_to_fs(self.url)
        except (ImportError, ValueError) as error:
            raise UsageError(f"--out {self.url}: cannot open this URL ({error})") from None
        protocols = self.fs.protocol if isinstance(self.fs.protocol, (tuple, list)) else (self.fs.protocol,)
        self.local = "file" in protocols or "local" in protocols
        self.root = self.root.rstrip("/")

    def path(self, *parts: str) -> str:
        return "/".join([self.root, *parts])

    def create(self) -> None:
        if self.fs.exists(self.root) and not self.fs.isdir(self.root):
            raise UsageError(f"--out {self.url} exists and is not a folder; give a folder (created if missing)")
        try:
            self.fs.makedirs(self.root, exist_ok=True)
        except OSError as error:
            raise InputError(self.url, f"cannot create the folder ({error})") from None

    # --------------------------------------------------------------- atomic files

    def _replace(self, temp: str, final: str) -> None:
        if self.local:
            os.replace(temp, final)  # atomic on one file system
        else:
            self.fs.mv(temp, final)  # object stores publish an object whole

    def write_bytes(self, final: str, data: bytes) -> None:
        folder, name = final.rsplit("/", 1)
        self.fs.makedirs(folder, exist_ok=True)
        temp = f"{folder}/.{name}{TEMP_MARK}{uuid.uuid4().hex[:12]}"
        with self.fs.open(temp, "wb") as handle:
            handle.write(data)
        self._replace(temp, final)

    def write_table(self, table: str, name: str, rows: list[dict[str, Any]], schema: Any) -> int:
        """Write `rows` as DIR/table/part-NAME.parquet (replacing it whole); returns the rows."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        sink = pa.BufferOutputStream()
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), sink)
        self.write_bytes(self.path(table, f"part-{name}.parquet"), sink.getvalue().to_pybytes())
        return len(rows)

    def remove_temporaries(self) -> None:
        """Delete what killed writers left under temporary names (never listed as data)."""
        for pattern in (self.path("*", f".*{TEMP_MARK}*"), self.path(DONE, "*", f".*{TEMP_MARK}*")):
            for path in self.fs.glob(pattern):
                self.fs.rm(path)

    # --------------------------------------------------------------- done markers

    def mark_done(self, step: str, pid: str, summary: dict[str, Any]) -> None:
        self.write_bytes(self.path(DONE, step, f"{pid}.json"), json.dumps(summary).encode("utf-8"))

    def done(self, step: str) -> dict[str, dict[str, Any]]:
        """The finished partitions of `step` with the summaries their tasks wrote."""
        folder = self.path(DONE, step)
        if not self.fs.exists(folder):
            return {}
        found = {}
        for path in self.fs.glob(f"{folder}/*.json"):
            try:
                found[path.rsplit("/", 1)[1][:-len(".json")]] = json.loads(self.fs.cat_file(path))
            except (OSError, ValueError):
                continue  # an unreadable marker: the partition runs again
        return found

    def table_files(self, table: str) -> list[str]:
        return sorted(self.fs.glob(self.path(table, "part-*.parquet")))

    def table_url(self, table: str) -> str:
        return self.path(table) if self.local else self.fs.unstrip_protocol(self.path(table))

    # --------------------------------------------------------------- manifest

    def check_manifest(self, manifest: dict[str, Any]) -> bool:
        """Whether DIR already holds this run (True: resume it), after refusing a folder
        that holds another (mixing two runs' rows would duplicate or contradict them)."""
        path = self.path(MANIFEST)
        if not self.fs.exists(path):
            if self.fs.exists(self.path(DONE)):
                raise UsageError(f"--out {self.url} holds batch output without its {MANIFEST}; give a new folder")
            return False
        try:
            found = json.loads(self.fs.cat_file(path))
        except (OSError, ValueError) as error:
            raise UsageError(f"--out {self.url}: cannot read {MANIFEST} ({error}); give a new folder") from None
        for key in ("version", "family", "settings", "partitions"):
            if found.get(key) != manifest.get(key):
                raise UsageError(f"--out {self.url} holds another batch run ({_difference(key, found, manifest)}); "
                                 "re-run with the same inputs and settings to resume it, or give a new folder")
        return True

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        self.write_bytes(self.path(MANIFEST), json.dumps(manifest, indent=1).encode("utf-8"))


def _difference(key: str, found: dict[str, Any], wanted: dict[str, Any]) -> str:
    if key == "family":
        return f"a `batch {found.get(key)}` run, not `batch {wanted.get(key)}`"
    if key == "partitions":
        return "other inputs or another --partition-size"
    if key == "settings":
        old, new = found.get(key) or {}, wanted.get(key) or {}
        changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        return f"other settings: {', '.join(changed)}"
    return f"layout {found.get(key)}, this version writes {wanted.get(key)}"


__all__ = ["DONE", "MANIFEST", "MANIFEST_VERSION", "Output", "TEMP_MARK"]

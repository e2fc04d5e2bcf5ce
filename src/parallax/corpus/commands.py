"""`parallax ingest SOURCES... --store DB`: a thin command over parallax.corpus.ingest.

Exit codes as the rest of the CLI: 0 every record ingested or skipped on purpose, 1 some
records or files failed (each named on stderr as it is found; the rest were ingested),
2 usage error, 130 interrupted (what was stored stays; the counts are printed).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # ingest imports datasketch (0.6 s): only the ingest command pays for it
    from parallax.corpus.ingest import IngestReport

# Notes of one kind printed before they are only counted: a corpus in two languages would
# otherwise print a line per record.
NOTE_LIMIT = 20
INTERRUPTED_EXIT = 130


def register(subparsers) -> None:
    """Add the corpus commands to the main CLI's sub-commands: `ingest`, and `quotes` and
    `export` (parallax.corpus.quotes_command, parallax.corpus.export)."""
    parser = subparsers.add_parser(
        "ingest", help="read a corpus (JSONL, CSV, Parquet, folders) into a store, skipping duplicates' work")
    parser.add_argument("sources", nargs="+", type=Path, metavar="SOURCE",
                        help=".jsonl .csv .parquet files, single articles (.txt .md .html) or folders of them")
    parser.add_argument("--store", type=Path, required=True, help="SQLite store to ingest into (created if new)")
    parser.add_argument("--map", dest="column_map", metavar="FIELD=COLUMN,...", default=None,
                        help="columns for Article fields under other names, e.g. text=body,published=date")
    parser.add_argument("--outlet", default=None, help="outlet name for every record (default: its own, or the file name)")
    parser.add_argument("--deep", action="store_true", help="also run the full analysis of every article and store it")
    parser.add_argument("--no-techniques", action="store_true", help="with --deep: skip propaganda technique detection")
    parser.add_argument("--threads", type=int, default=None, help="threads per encoder (default: every core)")
    parser.add_argument("--config", type=Path, default=None, help="TOML config file (see README, Configuration)")
    parser.set_defaults(run=run_ingest)
    from parallax.corpus import export, quotes_command

    quotes_command.register(subparsers)
    export.register(subparsers)


def run_ingest(args: argparse.Namespace) -> int:
    from parallax.config import Config
    from parallax.corpus.ingest import ingest
    from parallax.corpus.sources import ColumnMap
    from parallax.progress import Progress
    from parallax.store import Store

    column_map = ColumnMap.parse(args.column_map)
    config = Config.resolve(file=args.config, techniques=False if args.no_techniques else None,
                            store=str(args.store), threads=args.threads)
    with Store(args.store, max_bytes=config.store_max_bytes) as store, Progress("ingested") as progress:
        notes = _Notes(progress.log)
        report = ingest(args.sources, store, config=config, column_map=column_map, outlet=args.outlet,
                        deep=args.deep, progress=progress,
                        on_error=lambda error: progress.log(f"parallax: error: {error}"), on_note=notes)
        notes.close()
    print_report(report, args.store, deep=args.deep)
    if report.interrupted:
        return INTERRUPTED_EXIT
    return 1 if report.errors else 0


class _Notes:
    """Prints notes, the first NOTE_LIMIT of the non-English ones, then counts the rest."""

    def __init__(self, write) -> None:
        self.write = write
        self.not_english = 0

    def __call__(self, note: str) -> None:
        from parallax.corpus.ingest import NOT_ENGLISH_NOTE

        if NOT_ENGLISH_NOTE in note:
            self.not_english += 1
            if self.not_english > NOTE_LIMIT:
                return
        self.write(f"parallax: {note}")

    def close(self) -> None:
        if self.not_english > NOTE_LIMIT:
            self.write(f"parallax: {self.not_english - NOTE_LIMIT} more non-English records skipped")


def print_report(report: IngestReport, store: Path, deep: bool = False, stream: TextIO | None = None) -> None:
    """The counts, one per line: what was read, stored (copies among them), skipped, failed."""
    stream = stream if stream is not None else sys.stdout
    state = "interrupted" if report.interrupted else "ingested"
    lines = [f"{state} into {store} in {report.seconds:.1f} s ({report.rate:.1f} records/s)",
             f"  read             {report.read:>9}",
             f"  stored           {report.stored:>9}",
             f"    exact copies   {report.exact:>9}",
             f"    near copies    {report.near:>9}",
             f"  already stored   {report.known:>9}",
             f"  not English      {report.non_english:>9}",
             f"  errors           {report.errors:>9}"]
    if deep:
        lines.append(f"  fully analysed   {report.analysed:>9}")
    print("\n".join(lines), file=stream, flush=True)


__all__ = ["print_report", "register", "run_ingest"]

"""`parallax batch analyze|ingest|stories INPUT... --out DIR`: thin commands over batch.runner.

    parallax batch analyze corpus/*.jsonl --out tables/ --workers 8
    parallax batch stories s3://bucket/news/*.parquet --out s3://bucket/tables --scheduler tcp://head:8786

Exit codes as the rest of the CLI: 0 every record processed, 1 some records, files or
partitions failed (each named on stderr; the rest were processed, and running the same
command again redoes only the unfinished partitions), 2 usage error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from parallax.batch.runner import BatchReport

HELP = {"analyze": "the full analysis (deep tier) of every record: articles, quotes, claims, techniques",
        "ingest": "the cheap tier of every record: story signatures and duplicates",
        "stories": "ingest, then group the corpus into stories"}


def register(subparsers) -> None:
    """Add `batch` and its tiers to the main CLI's sub-commands."""
    batch = subparsers.add_parser("batch", help="run analyze, ingest or stories over a corpus on a Dask cluster")
    tiers = batch.add_subparsers(dest="tier", metavar="TIER", parser_class=type(batch))
    for tier, text in HELP.items():
        parser = tiers.add_parser(tier, help=text)
        _add_arguments(parser, deep=tier == "analyze")
        parser.set_defaults(run=run_batch_command)
    batch.set_defaults(run=lambda args: _usage(batch))


def _add_arguments(parser: argparse.ArgumentParser, deep: bool) -> None:
    from parallax.batch.inputs import DEFAULT_RECORDS

    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help=".jsonl .csv .parquet files, folders or globs; local or any fsspec URL (s3://, gs://)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder (or URL) for the Parquet tables")
    parser.add_argument("--scheduler", default="local", metavar="local|ADDRESS",
                        help="`local` (default) starts a cluster here; an address (tcp://HOST:8786) joins one")
    parser.add_argument("--workers", type=int, default=None, help="local cluster: worker processes (default: cores)")
    parser.add_argument("--threads-per-worker", type=int, default=1, metavar="T",
                        help="local cluster: tasks a worker runs at once (default 1: spaCy holds the GIL)")
    parser.add_argument("--partition-size", type=int, default=DEFAULT_RECORDS, metavar="N",
                        help=f"records per task (default {DEFAULT_RECORDS})")
    parser.add_argument("--map", dest="column_map", metavar="FIELD=COLUMN,...", default=None,
                        help="columns for Article fields under other names, e.g. text=body,published=date")
    parser.add_argument("--outlet", default=None, help="outlet name for every record (default: its own, or the file name)")
    parser.add_argument("--threads", type=int, default=None, help="threads per encoder in a task (default 1)")
    parser.add_argument("--config", type=Path, default=None, help="TOML config file (see README, Configuration)")
    if deep:
        parser.add_argument("--no-techniques", action="store_true", help="skip propaganda technique detection")
        parser.add_argument("--threshold", type=float, default=None, help="hide technique spans scored below this")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_batch_command(args: argparse.Namespace) -> int:
    from parallax.batch.runner import BatchRequest, run_batch
    from parallax.config import Config
    from parallax.corpus.sources import ColumnMap

    config = Config.resolve(file=args.config, techniques=False if getattr(args, "no_techniques", False) else None,
                            threshold=getattr(args, "threshold", None), threads=args.threads)
    request = BatchRequest(args.tier, list(args.inputs), args.out, config, ColumnMap.parse(args.column_map),
                           args.outlet, args.partition_size, args.scheduler, args.workers, args.threads_per_worker)
    report = run_batch(request, log=lambda message: print(message, file=sys.stderr, flush=True))
    print_report(report)
    return report.exit_code


def print_report(report: BatchReport, stream: TextIO | None = None) -> None:
    """The counts, one per line: partitions, records, errors, then rows per table."""
    stream = stream if stream is not None else sys.stdout
    lines = [f"batch {report.tier} into {report.out} in {report.seconds:.1f} s",
             f"  partitions       {report.partitions:>9}  ({report.skipped} finished before)",
             f"  records          {report.records:>9}",
             f"  errors           {report.errors:>9}  (table: errors)"]
    if report.failed:
        lines.append(f"  failed tasks     {len(report.failed):>9}  (run the same command again to redo them)")
    if report.tier != "analyze":
        lines += [f"  not English      {report.not_english:>9}  (skipped)",
                  f"  exact copies     {report.exact:>9}", f"  near copies      {report.near:>9}"]
    lines += [f"  {table:<16} {rows:>9} rows" for table, rows in sorted(report.rows.items())
              if not table.startswith("_")]  # internal tables are not the user's
    print("\n".join(lines), file=stream, flush=True)


__all__ = ["print_report", "register", "run_batch_command"]

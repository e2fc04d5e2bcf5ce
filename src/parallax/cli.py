"""Thin command-line interface: each command parses arguments and calls one library function.

Exit codes: 0 all inputs processed, 1 some inputs failed (each named; the rest still
processed), 2 usage error.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from parallax.errors import InputError, ParallaxError, UsageError

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # models are packaged; never reach for a hub
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

FORMATS = ("text", "json", "html")


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so commands test in-process."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("-o", "--output", type=Path, help="write to FILE instead of standard output")
    parser.add_argument("--no-techniques", action="store_true", help="skip propaganda technique detection")
    parser.add_argument(
        "--threshold", type=float, default=None,
        help="hide technique spans scored below this (0..1; default: the model's own threshold)",
    )
    parser.add_argument("--no-cache", action="store_true",
                        help="recompute everything instead of reusing earlier results (see PARALLAX_CACHE)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="parallax", description="Show how news outlets cover the same story differently.")
    parser.add_argument("--version", action="version", version=f"parallax {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    compare = commands.add_parser("compare", help="compare 2..N articles on one story")
    compare.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".txt .md .html .jsonl")
    _add_output_options(compare)
    compare.set_defaults(run=run_compare)

    analyze = commands.add_parser("analyze", help="analyse articles one by one")
    analyze.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".txt .md .html .jsonl")
    analyze.add_argument("--outlet", help="outlet name for every input (default: from metadata or file name)")
    _add_output_options(analyze)
    analyze.set_defaults(run=run_analyze)

    from parallax.techniques.commands import register

    register(commands)
    return parser


def _version() -> str:
    from parallax import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if not getattr(args, "run", None):
            build_parser().print_help()
            return 2
        return args.run(args)
    except ParallaxError as exc:
        _error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


def _error(message: str) -> None:
    print(f"parallax: error: {message}", file=sys.stderr)


def _report_failures(failures: list[InputError]) -> None:
    for failure in failures:
        _error(str(failure))


def _analyze_all(args: argparse.Namespace, outlet: str | None = None) -> tuple[list, list[InputError]]:
    """Load and analyse every input; a failing input is reported and the rest go on."""
    from parallax.ingest import load_many
    from parallax.output import progress_map
    from parallax.pipeline import analyze

    articles, failures = load_many(list(args.files), outlet=outlet)
    analyses = []

    def one(article):
        try:
            analyses.append(analyze(article, techniques=not args.no_techniques, threshold=args.threshold,
                                    cache=not args.no_cache))
        except InputError as exc:
            failures.append(exc)

    progress_map(one, articles, label="analysing")
    return analyses, failures


def run_analyze(args: argparse.Namespace) -> int:
    analyses, failures = _analyze_all(args, outlet=args.outlet)
    _report_failures(failures)
    if analyses:
        _emit(analyses, args)
    return 1 if failures else 0


def run_compare(args: argparse.Namespace) -> int:
    from parallax.pipeline import compare

    analyses, failures = _analyze_all(args)
    _report_failures(failures)
    if len(analyses) < 2:
        _error(f"compare needs at least 2 readable articles; got {len(analyses)}")
        return 1
    _emit(compare(analyses, cache=not args.no_cache), args)
    return 1 if failures else 0


def _emit(obj, args: argparse.Namespace) -> None:
    """Render `obj` (Comparison or list of Analysis) in the chosen format to stdout or -o FILE."""
    from parallax.output import render

    text = render(obj, args.format, threshold=args.threshold)
    if args.output is None:
        sys.stdout.write(text)
        return
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(str(args.output), f"cannot write output: {exc.strerror}") from exc
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

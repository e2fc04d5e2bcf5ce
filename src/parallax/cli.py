"""Thin command-line interface: each command parses arguments and calls one library function.

Exit codes: 0 all inputs processed, 1 some inputs failed (each named; the rest still
processed), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from parallax.errors import InputError, ParallaxError, UsageError
from parallax.output import write_output

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # models are packaged; never reach for a hub
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

FORMATS = ("text", "json", "html")
ANALYZE_FORMATS = ("text", "json", "jsonl", "html")


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so commands test in-process."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _add_pipeline_options(parser: argparse.ArgumentParser) -> None:
    """The settings of the Pipeline (see parallax.config: flags win over environment and file)."""
    parser.add_argument("--no-techniques", action="store_true", help="skip propaganda technique detection")
    parser.add_argument("--threshold", type=float, default=None,
                        help="hide technique spans scored below this (0..1; default: the model's own threshold)")
    parser.add_argument("--store", type=Path, default=None,
                        help="SQLite store of analyses (default: $XDG_CACHE_HOME/parallax/parallax.db)")
    parser.add_argument("--no-cache", action="store_true",
                        help="recompute everything instead of reusing stored analyses, and store nothing")
    parser.add_argument("--threads", type=int, default=None, help="threads per encoder (default: every core)")
    parser.add_argument("--config", type=Path, default=None, help="TOML config file (see README, Configuration)")


def _add_output_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument("--format", choices=formats, default="text", help="output format (default: text)")
    parser.add_argument("-o", "--output", type=Path, help="write to FILE instead of standard output")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="parallax", description="Show how news outlets cover the same story differently.")
    parser.add_argument("--version", action="version", version=f"parallax {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    compare = commands.add_parser("compare", help="compare 2..N articles on one story")
    compare.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".txt .md .html .jsonl")
    _add_output_options(compare, FORMATS)
    _add_pipeline_options(compare)
    compare.set_defaults(run=run_compare)

    analyze = commands.add_parser("analyze", help="analyse articles one by one")
    analyze.add_argument("files", nargs="+", type=Path, metavar="FILE", help=".txt .md .html .jsonl")
    analyze.add_argument("--outlet", help="outlet name for every input (default: from metadata or file name)")
    _add_output_options(analyze, ANALYZE_FORMATS)
    _add_pipeline_options(analyze)
    analyze.set_defaults(run=run_analyze)

    schema = commands.add_parser("schema", help="print the JSON Schema of the --format json output")
    schema.add_argument("-o", "--output", type=Path, help="write to FILE instead of standard output")
    schema.set_defaults(run=run_schema)

    from parallax.batch import commands as batch_commands
    from parallax.corpus import commands as corpus_commands, story_commands
    from parallax.techniques import commands as technique_commands
    from parallax.web import command as web_command

    technique_commands.register(commands)
    corpus_commands.register(commands)
    story_commands.register(commands)
    batch_commands.register(commands)
    web_command.register(commands)
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
    print(f"parallax: error: {message}", file=sys.stderr, flush=True)


def pipeline_from(args: argparse.Namespace):
    """The Pipeline the command's flags ask for (flags > environment > config file > defaults)."""
    from parallax.config import Config
    from parallax.pipeline import Pipeline

    config = Config.resolve(
        file=args.config, techniques=False if args.no_techniques else None, threshold=args.threshold,
        store=str(args.store) if args.store else None, cache=False if args.no_cache else None,
        threads=args.threads)
    return Pipeline(config)


def _total(paths: list[Path]) -> int:
    """How many articles the inputs hold (JSONL: non-blank lines), for the progress count."""
    total = 0
    for path in paths:
        if path.suffix.lower() != ".jsonl":
            total += 1
            continue
        try:
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        except OSError:
            total += 1  # reported as an error when it is read
    return total


def analyses_of(args: argparse.Namespace, pipeline, outlet: str | None = None) -> Iterator:
    """Each input's Analysis as it is finished; each bad file or record is reported on
    stderr when it happens (and counted in `args.failures`), and the rest go on."""
    from parallax.ingest import iter_paths
    from parallax.progress import Progress

    args.failures = 0
    with Progress("analyzed", total=_total(list(args.files))) as progress:
        for result in pipeline.analyze_many(iter_paths(args.files, outlet=outlet)):
            failed = isinstance(result, InputError)
            progress.advance(ok=not failed)
            if failed:
                args.failures += 1
                progress.log(f"parallax: error: {result}")
            else:
                yield result


def run_analyze(args: argparse.Namespace) -> int:
    with pipeline_from(args) as pipeline:
        analyses = analyses_of(args, pipeline, outlet=args.outlet)
        if args.format == "jsonl":
            _write_lines(analyses, args.output)
        else:
            found = list(analyses)
            if found:
                _emit(found, args)
    return 1 if args.failures else 0


def run_compare(args: argparse.Namespace) -> int:
    with pipeline_from(args) as pipeline:
        analyses = list(analyses_of(args, pipeline))
        if len(analyses) < 2:
            _error(f"compare needs at least 2 readable articles; got {len(analyses)}")
            return 1
        stories = pipeline.story_groups(analyses)
        _warn_if_not_one_story(analyses, stories)
        _emit(pipeline.compare(analyses, stories=stories), args)
    return 1 if args.failures else 0


def _warn_if_not_one_story(analyses: list, stories: list[list[int]]) -> None:
    from parallax.corpus.same_story import split_warning

    names = [a.article.source.rsplit("/", 1)[-1] or a.article.outlet or a.article.id for a in analyses]
    warning = split_warning(analyses, stories, names)
    if warning:
        print(f"parallax: warning: {warning}", file=sys.stderr, flush=True)


def run_schema(args: argparse.Namespace) -> int:
    from parallax.report.schema import json_schema

    write_output(json.dumps(json_schema(), indent=2) + "\n", args.output)
    return 0


def _emit(obj, args: argparse.Namespace) -> None:
    """Render `obj` (Comparison or list of Analysis) in the chosen format to stdout or -o FILE."""
    from parallax.output import render

    write_output(render(obj, args.format, threshold=args.threshold), args.output)


def _write_lines(analyses: Iterator, output: Path | None) -> None:
    """One JSON object per line, each written (and flushed) as its article is finished, so
    a killed run keeps every finished line. Each line is an article object of the JSON
    schema (`parallax schema`, $defs/article)."""
    from parallax.report.json_out import analysis_to_dict

    from parallax.output import opened

    with opened(output) as stream:
        for analysis in analyses:
            stream.write(json.dumps(analysis_to_dict(analysis), ensure_ascii=False, allow_nan=False) + "\n")
            stream.flush()


if __name__ == "__main__":
    sys.exit(main())

"""Rendering a result in the format the user asked for, and writing it to stdout or -o FILE
(progress lives in parallax.progress)."""
from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from parallax.errors import InputError, UsageError

TERMINAL_WIDTH = 120


def render(obj, fmt: str, threshold: float | None = None) -> str:
    """`obj` is an Analysis, a list of them, or a Comparison; `fmt` is text, json or html."""
    if fmt == "json":
        from parallax.report.json_out import dumps

        return dumps(obj)
    if fmt == "html":
        from parallax.report.html import render_html

        return render_html(obj) if threshold is None else render_html(obj, threshold=threshold)
    if fmt == "text":
        from rich.console import Console

        from parallax.report.terminal import render_terminal

        buffer = io.StringIO()
        tty = sys.stdout.isatty()
        console = Console(file=buffer, width=None if tty else TERMINAL_WIDTH, force_terminal=tty, no_color=not tty)
        render_terminal(obj, console)
        return buffer.getvalue()
    raise UsageError(f"unknown format {fmt!r}; valid formats: text, json, html")


@contextmanager
def opened(output: Path | None) -> Iterator[TextIO]:
    """Standard output, or the file `output` (its folder created); "wrote FILE" on stderr
    once it is written. A file that cannot be written is an InputError naming it."""
    if output is None:
        yield sys.stdout
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        stream = output.open("w", encoding="utf-8")
    except OSError as exc:
        raise InputError(str(output), f"cannot write output: {exc.strerror}") from exc
    with stream:
        yield stream
    print(f"wrote {output}", file=sys.stderr)


def write_output(text: str, output: Path | None) -> None:
    with opened(output) as stream:
        stream.write(text)

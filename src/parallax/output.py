"""Rendering a result in the format the user asked for, and progress on long work."""
from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable
from typing import TypeVar

from parallax.errors import UsageError

T = TypeVar("T")

# Below this many items a progress bar is noise: the work finishes before it can be read.
PROGRESS_MIN_ITEMS = 3
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


def progress_map(fn: Callable[[T], None], items: Iterable[T], label: str) -> None:
    """Call `fn` on each item, with a progress bar on a terminal's stderr for longer runs."""
    items = list(items)
    if len(items) < PROGRESS_MIN_ITEMS or not sys.stderr.isatty():
        for item in items:
            fn(item)
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task(label, total=len(items))
        for item in items:
            fn(item)
            progress.advance(task)

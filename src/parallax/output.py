"""Rendering a result in the format the user asked for (progress lives in parallax.progress)."""
from __future__ import annotations

import io
import sys

from parallax.errors import UsageError

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

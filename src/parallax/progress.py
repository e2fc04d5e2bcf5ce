"""Progress on long work: a bar on a terminal, a periodic one-line count anywhere else.

    with Progress("analyzed", total=5000) as progress:
        for result in results:
            progress.advance(ok=...)
            progress.log("a message")       # printed above the bar, never through it

On a non-terminal (a log file, CI, `2> log`) every EVERY_SECONDS it writes a line such as
`analyzed 1200/5000, 8.1/s, 2 errors` to standard error, and a last one at the end.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

# Below this many items progress is noise: the work finishes before it can be read.
MIN_ITEMS = 3
# A count line this often: frequent enough to see a run move, rare enough for a log file.
EVERY_SECONDS = 10.0


class Progress:
    def __init__(self, verb: str, total: int | None = None, stream: TextIO | None = None,
                 every: float | None = None) -> None:
        self.verb, self.total = verb, total
        self.stream = stream if stream is not None else sys.stderr
        self.every = EVERY_SECONDS if every is None else every
        self.done = self.errors = 0
        self.started = self.last_line = time.monotonic()
        self.shown = total is None or total >= MIN_ITEMS
        self._bar = None
        if self.shown and self.stream.isatty():
            from rich.console import Console
            from rich.progress import Progress as Bar

            self._bar = Bar(console=Console(file=self.stream), transient=True)
            self._task = self._bar.add_task(verb, total=total)
            self._bar.start()

    def advance(self, ok: bool = True) -> None:
        self.done += 1
        self.errors += 0 if ok else 1
        if self._bar is not None:
            self._bar.advance(self._task)
        elif self.shown and time.monotonic() - self.last_line >= self.every:
            self._line()

    def log(self, message: str) -> None:
        if self._bar is not None:
            self._bar.console.print(message, markup=False, highlight=False)
        else:
            print(message, file=self.stream, flush=True)

    def line(self) -> str:
        """`analyzed 1200/5000, 8.1/s, 2 errors`"""
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        count = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        errors = f", {self.errors} error{'' if self.errors == 1 else 's'}" if self.errors else ""
        return f"{self.verb} {count}, {rate:.1f}/s{errors}"

    def _line(self) -> None:
        self.last_line = time.monotonic()
        print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        elif self.shown and self.last_line > self.started:  # a count was shown: show the last
            self._line()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["EVERY_SECONDS", "MIN_ITEMS", "Progress"]

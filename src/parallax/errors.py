"""One exception hierarchy. Each message says what was found and what is valid."""
from __future__ import annotations


class ParallaxError(Exception):
    """Base class of every error Parallax raises on purpose."""

    exit_code = 1
    http_status = 400  # what the web app answers when a request raises it


class InputError(ParallaxError):
    """An input (file, record, text) cannot be read or analysed."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class UsageError(ParallaxError):
    """The command or call was given arguments that do not fit together."""

    exit_code = 2


class ModelError(ParallaxError):
    """A model (spaCy pipeline, encoder, technique detector) is missing or broken."""

    http_status = 500

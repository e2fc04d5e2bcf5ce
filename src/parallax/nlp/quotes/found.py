"""The record every stage of quote extraction produces: an attribution before names.

A `Found` holds the content offsets, the kind and confidence, and the spaCy tokens of
the cue and of the speaker's head word; `speakers.to_quotes` turns the list into
`Quote` spans once every stage has run and names can be resolved.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from parallax.model import QuoteKind, QuoteSource


@dataclass(frozen=True)
class Found:
    """An attribution before names are resolved: content [start, end), kind, score."""

    start: int
    end: int
    kind: QuoteKind
    score: float
    cue: Token | None = None
    subject: Token | None = None
    # The reported clause [start, end) when the cue reports more than the quoted words.
    clause: tuple[int, int] | None = None
    # The speaker's exact character range when a label gives it ("Roger Stone: ..."),
    # so the parse of the line cannot stretch it.
    label: tuple[int, int] | None = None
    found_by: QuoteSource = "rules"

    @property
    def extent(self) -> tuple[int, int]:
        """What the attribution reports: its clause when it has one, else its content."""
        return self.clause or (self.start, self.end)


def overlapping(found: list[Found], start: int, end: int) -> list[Found]:
    """The attributions of `found` whose content overlaps [start, end)."""
    return [f for f in found if f.start < end and start < f.end]


__all__ = ["Found", "overlapping"]

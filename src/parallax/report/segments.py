"""Cut an article's text into paragraphs of segments for overlapping highlights.

Spans overlap (a technique inside a quote inside a claim; a link over part of a claim). HTML
elements must nest, so instead of nesting we cut the text at every span boundary: each
segment is a run of text covered by one fixed set of marks, and gets all their classes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from parallax.text import paragraph_bounds


@dataclass(frozen=True)
class Mark:
    """Something to show over [start, end) of the text: `key` names it (tooltip, linking,
    jump target; several marks may share one key), `css` is the classes the text gets."""

    start: int
    end: int
    key: str
    css: str = ""


@dataclass
class Segment:
    """A run of text with the marks covering all of it, and the marks that end with it."""

    start: int
    end: int
    text: str
    marks: list[Mark] = field(default_factory=list)
    closing: list[Mark] = field(default_factory=list)  # marks whose last segment this is

    @property
    def keys(self) -> str:
        return " ".join(dict.fromkeys(mark.key for mark in self.marks))

    @property
    def css(self) -> str:
        classes = (name for mark in self.marks for name in mark.css.split())
        return " ".join(dict.fromkeys(classes))


def split_segments(text: str, marks: list[Mark]) -> list[list[Segment]]:
    """Paragraphs of segments covering the text; marks outside the text or empty are dropped.

    A sweep over the sorted boundaries keeps the set of open marks, so this is
    O((boundaries + marks) log) rather than marks x segments.
    """
    usable = [mark for mark in marks if 0 <= mark.start < mark.end <= len(text)]
    paragraphs = paragraph_bounds(text)
    opening: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for index, mark in enumerate(usable):
        opening.setdefault(mark.start, []).append(index)
        ending.setdefault(mark.end, []).append(index)
    points = sorted({0, len(text), *opening, *ending, *(p for bounds in paragraphs for p in bounds)})

    result: list[list[Segment]] = []
    active: dict[int, Mark] = {}
    last_segment: dict[int, Segment] = {}
    paragraph = 0
    for start, end in zip(points, points[1:]):
        for index in ending.get(start, []):
            active.pop(index, None)
        for index in opening.get(start, []):
            active[index] = usable[index]
        while paragraph < len(paragraphs) and paragraphs[paragraph][1] <= start:
            paragraph += 1
        if paragraph == len(paragraphs) or start < paragraphs[paragraph][0]:
            continue  # the blank text between paragraphs is not shown
        if not result or result[-1][0].start < paragraphs[paragraph][0]:
            result.append([])
        segment = Segment(start, end, text[start:end], [active[i] for i in sorted(active)])
        result[-1].append(segment)
        for index in active:
            last_segment[index] = segment
    for index in sorted(last_segment):
        last_segment[index].closing.append(usable[index])
    return result

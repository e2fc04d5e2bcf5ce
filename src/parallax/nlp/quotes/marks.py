"""Stage 1 of quote extraction: find double quotation marks and pair them.

    find_quote_runs(text) -> list[QuoteRun]

Works on the raw text, before any parsing, so it also copes with the quirks of
pasted news text: straight and curly marks mixed in one quote (`"... Zor,”`), a
quote continued in the next paragraph (the paragraph ends without a closing mark
and the next one opens again), and a paragraph break inside a quote (a wrapped
line in a captured web page, where the next paragraph holds the closing mark).

Single quotes are not used: in news text ’ and ' are overwhelmingly apostrophes,
and the nested 'quote within a quote' stays inside its outer double quote anyway.
Two apostrophes in a row stand for a double quotation mark (an archive convention).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.text import paragraph_bounds

OPENING = "“"
CLOSING = "”"
STRAIGHT = '"'
MARKS = OPENING + CLOSING + STRAIGHT

# Two apostrophes standing for a double quotation mark (the New York Times archive
# convention). In three in a row the first closes a nested single quote:
# ''We are told, 'Kosovo is a special case,''' he said.
TWO_APOSTROPHES = re.compile(r"''(?!')")

# A markup tag left in pasted text (PolNeAR keeps `<tweet author="realDonaldTrump" ...>`):
# the marks of its attribute values delimit values, not quotes. Bounded, so linear.
MARKUP_TAG = re.compile(r"</?[A-Za-z][\w:-]{0,30}(?:\s[^<>\n]{0,500})?/?>")

# An unclosed quote longer than this is a stray mark, not a quote: no real quote in
# news text runs on for more than a few paragraphs without closing.
MAX_UNCLOSED_CHARS = 3000


@dataclass(frozen=True)
class QuoteRun:
    """The content of one quotation, [start, end) inside its marks.

    `closed` is False when no closing mark was found (the quote ran to the end of a
    paragraph that the next paragraph does not continue).
    """

    start: int
    end: int
    closed: bool = True


def _marks_in(text: str, start: int, end: int) -> list[int]:
    return [i for i in range(start, end) if text[i] in MARKS]


def _can_open(text: str, i: int) -> bool:
    """A mark opens when a curly “ or a straight " not glued to the word before it."""
    if text[i] == OPENING:
        return True
    if text[i] == CLOSING:
        return False
    return i == 0 or not text[i - 1].isalnum() or text[i - 1] in "([{"


def _can_close(text: str, i: int) -> bool:
    if text[i] == CLOSING:
        return True
    if text[i] == OPENING:
        return False
    return i + 1 == len(text) or not text[i + 1].isalnum()


def _starts_with_open_mark(text: str, start: int, end: int) -> bool:
    stripped = text[start:end].lstrip()
    return bool(stripped) and stripped[0] in (OPENING, STRAIGHT)


def _continues_into(text: str, para: tuple[int, int]) -> bool:
    """Does an unclosed quote carry on into paragraph `para`?

    Yes when the paragraph opens with a quote mark (the news convention for a
    multi-paragraph quote), or when its first mark can only close (a paragraph break
    inside the quote, e.g. a wrapped line of a captured web page).
    """
    start, end = para
    if _starts_with_open_mark(text, start, end):
        return True
    marks = _marks_in(text, start, end)
    return bool(marks) and _can_close(text, marks[0]) and not _can_open(text, marks[0])


_MARKS_BLANKED = str.maketrans(MARKS, " " * len(MARKS))


def _tags_blanked(text: str) -> str:
    """`text` with the quotation marks inside markup tags turned into spaces (same offsets)."""
    return MARKUP_TAG.sub(lambda match: match.group().translate(_MARKS_BLANKED), text)


def _two_apostrophes_as_marks(text: str) -> str:
    """`text` with each pair of apostrophes that stands for a double quotation mark
    (''We need Chapter 9,'' he said.) turned into a straight mark plus a space, so
    offsets stay the same and the mark sits next to the content: ' "We' opening,
    '9," ' closing."""
    def replace(match: re.Match) -> str:
        start, end = match.start(), match.end()
        opening = end < len(text) and not text[end].isspace() \
            and (start == 0 or text[start - 1].isspace() or text[start - 1] in "([—-")
        return ' "' if opening else '" '
    return TWO_APOSTROPHES.sub(replace, text)


def find_quote_runs(text: str) -> list[QuoteRun]:
    """Pair the double quotation marks of `text` into quotes (content offsets)."""
    if "<" in text:
        text = _tags_blanked(text)
    if "''" in text:
        text = _two_apostrophes_as_marks(text)
    runs: list[QuoteRun] = []
    # Every line break ends a paragraph (parallax.text): many corpora, PolNeAR among
    # them, separate paragraphs by a single newline. A hard-wrapped line inside a quote
    # is recognised by `_continues_into`, so wrapping does not break quotes.
    paragraphs = paragraph_bounds(text)
    open_at: int | None = None  # offset just after the opening mark of the current quote
    for index, (p_start, p_end) in enumerate(paragraphs):
        marks = _marks_in(text, p_start, p_end)
        if open_at is not None and marks and _starts_with_open_mark(text, p_start, p_end):
            marks = marks[1:]  # the continuation mark re-opens the running quote
        for i in marks:
            if open_at is None:
                if _can_open(text, i):
                    open_at = i + 1
            elif _can_close(text, i):
                runs.append(QuoteRun(open_at, i))
                open_at = None
            elif text[i] == OPENING:
                # A new opening mark inside an open quote: the previous one was never
                # closed; end it before this mark and start again.
                runs.append(QuoteRun(open_at, i, closed=False))
                open_at = i + 1
        if open_at is None:
            continue
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if following is None or not _continues_into(text, following) \
                or p_end - open_at > MAX_UNCLOSED_CHARS:
            runs.append(QuoteRun(open_at, p_end, closed=False))
            open_at = None
    return [_trim(text, run) for run in runs if text[run.start:run.end].strip()]


def _trim(text: str, run: QuoteRun) -> QuoteRun:
    """Drop whitespace at the edges of the content."""
    start, end = run.start, run.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return QuoteRun(start, end, run.closed)

__all__ = ["QuoteRun", "find_quote_runs"]

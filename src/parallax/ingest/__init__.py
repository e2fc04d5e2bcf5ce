"""Ingest: files and strings -> Articles with clean text and metadata.

    load_path(path, outlet=None)   one file -> [Article]  (a .jsonl gives one per record)
    iter_paths(paths, outlet=None) many files -> a stream of Article or InputError (one per bad
                                   file or record); never stops at a bad one, never holds a corpus
    load_many(paths, outlet=None)  many files -> ([Article], [InputError])
    from_text(text, outlet, title) a string -> Article, text verbatim
    from_pasted(text, outlet)      a pasted page (plain text, Markdown or HTML) -> Article, cleaned
    iter_jsonl(path, outlet=None)  stream a JSONL corpus: Article or InputError per record

File readers clean (.txt, .md, .html: boilerplate out, paragraphs "\\n\\n"-separated);
JSONL `text` and from_text are verbatim, so offsets index exactly the given string.
Outlet precedence: the `outlet` argument, then the page's own metadata, then the file stem.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from parallax.errors import InputError
from parallax.ingest.files import MAX_FILE_BYTES
from parallax.ingest.readers import VALID_EXTENSIONS, iter_jsonl, parse_document, read_document
from parallax.model import Article

__all__ = ["MAX_FILE_BYTES", "VALID_EXTENSIONS", "from_pasted", "from_text", "iter_jsonl", "iter_paths", "load_many",
           "load_path", "read_path"]


def _iter(path: Path, outlet: str | None) -> Iterator[Article | InputError]:
    if path.suffix.lower() != ".jsonl":
        yield read_document(path, outlet)
        return
    yield from iter_jsonl(path, outlet)


def load_path(path: str | Path, outlet: str | None = None) -> list[Article]:
    """Read one file into Articles (a .jsonl gives one per record).

    Raises InputError for a whole-file problem, and for the first bad JSONL record
    (iter_paths keeps a corpus's good records and yields the bad ones).
    """
    articles = []
    for item in _iter(Path(path), outlet):
        if isinstance(item, InputError):
            raise item
        articles.append(item)
    return articles


read_path = load_path  # the name before 0.2


def iter_paths(paths: Iterable[str | Path], outlet: str | None = None) -> Iterator[Article | InputError]:
    """Every article of every path, in order, as it is read; each bad file or record is
    one InputError in the stream, and the rest go on."""
    for path in paths:
        try:
            yield from _iter(Path(path), outlet)
        except InputError as error:
            yield error


def load_many(paths: list[Path], outlet: str | None = None) -> tuple[list[Article], list[InputError]]:
    """Read every path in order; each bad file or bad JSONL record is one collected error."""
    articles: list[Article] = []
    errors: list[InputError] = []
    for item in iter_paths(paths, outlet):
        (errors if isinstance(item, InputError) else articles).append(item)
    return articles, errors


_ARTICLE_FIELDS = {f.name for f in fields(Article)} - {"text", "outlet", "title", "meta"}


def from_text(text: str, outlet: str = "", title: str = "", **meta: Any) -> Article:
    """An Article whose `text` is exactly `text` (no cleaning: offsets index this string).

    Keyword arguments named like Article fields (url, authors, published,
    original_source, source, id) fill those fields; any other goes to `meta`.
    """
    if not isinstance(text, str):
        raise InputError("text", f"got a {type(text).__name__}; expected the article text as a string")
    if not text.strip():
        raise InputError("text", "the text is empty; expected an article body")
    known = {key: value for key, value in meta.items() if key in _ARTICLE_FIELDS}
    extra = {key: value for key, value in meta.items() if key not in _ARTICLE_FIELDS}
    return Article(text=text, outlet=outlet or "", title=title, meta=extra, **known)


def from_pasted(text: str, outlet: str = "", source: str = "pasted text") -> Article:
    """A pasted page cleaned like a file of its kind (title line, Markdown capture or HTML)."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(source, "the text is empty; expected an article body")
    return parse_document(text, "", source, outlet or None)

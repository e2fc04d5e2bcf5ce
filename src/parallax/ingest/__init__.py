"""Ingest: files and strings -> Articles with clean text and metadata.

    read_path(path, outlet=None)   one file -> [Article]  (a .jsonl gives one per record)
    load_many(paths, outlet=None)  many files -> ([Article], [InputError]); never stops at a bad one
    from_text(text, outlet, title) a string -> Article, text verbatim
    from_pasted(text, outlet)      a pasted page (plain text, Markdown or HTML) -> Article, cleaned
    iter_jsonl(path, outlet=None)  stream a JSONL corpus: Article or InputError per record

File readers clean (.txt, .md, .html: boilerplate out, paragraphs "\\n\\n"-separated);
JSONL `text` and from_text are verbatim, so offsets index exactly the given string.
Outlet precedence: the `outlet` argument, then the page's own metadata, then the file stem.
"""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from parallax.errors import InputError
from parallax.ingest.files import MAX_FILE_BYTES
from parallax.ingest.readers import VALID_EXTENSIONS, iter_jsonl, parse_document, read_document
from parallax.model import Article

__all__ = ["MAX_FILE_BYTES", "VALID_EXTENSIONS", "from_pasted", "from_text", "iter_jsonl", "load_many", "read_path"]


def _read(path: Path, outlet: str | None) -> tuple[list[Article], list[InputError]]:
    if path.suffix.lower() != ".jsonl":
        return [read_document(path, outlet)], []
    articles: list[Article] = []
    errors: list[InputError] = []
    for item in iter_jsonl(path, outlet):
        (errors if isinstance(item, InputError) else articles).append(item)
    return articles, errors


def read_path(path: Path, outlet: str | None = None) -> list[Article]:
    """Read one file into Articles (a .jsonl gives one per record).

    Raises InputError for a whole-file problem, and for the first bad JSONL record
    (use load_many to keep a corpus's good records and collect the bad ones).
    """
    articles, errors = _read(Path(path), outlet)
    if errors:
        raise errors[0]
    return articles


def load_many(paths: list[Path], outlet: str | None = None) -> tuple[list[Article], list[InputError]]:
    """Read every path in order; each bad file or bad JSONL record is one collected error."""
    articles: list[Article] = []
    errors: list[InputError] = []
    for path in paths:
        try:
            good, bad = _read(Path(path), outlet)
        except InputError as error:
            errors.append(error)
            continue
        articles.extend(good)
        errors.extend(bad)
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

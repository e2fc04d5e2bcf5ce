"""One reader per format: .txt, .md/.markdown, .html/.htm (cleaned) and .jsonl (verbatim)."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from parallax.errors import InputError
from parallax.ingest.boilerplate import is_boilerplate, join_body, normalise_whitespace, split_blocks
from parallax.ingest.files import MAX_RECORD_BYTES, check_file, check_size, decode, read_text
from parallax.ingest.html import parse_html
from parallax.ingest.markdown import looks_like_markdown_capture, parse_markdown
from parallax.ingest.page import Page, choose_outlet, to_article
from parallax.model import Article

# A headline is rarely over ~150 characters; a longer first line is a body paragraph.
MAX_TITLE_CHARS = 200
# Enough of a file's start to see NUL bytes or an <html> tag without reading it all.
SNIFF_BYTES = 8192
_HTML_START = re.compile(r"\s*(<!doctype\s+html|<html[\s>])", re.IGNORECASE)


def parse_txt(text: str) -> Page:
    """Plain text: the first line is the title when a blank line follows it.

    A `.txt` that is really a Markdown page capture is read as Markdown.
    """
    if looks_like_markdown_capture(text):
        return parse_markdown(text)
    blocks = split_blocks(text)
    title = ""
    if len(blocks) > 1 and "\n" not in blocks[0] and len(blocks[0]) <= MAX_TITLE_CHARS:
        title, blocks = normalise_whitespace(blocks[0]), blocks[1:]
    body = [[block] for block in blocks if not is_boilerplate(normalise_whitespace(block))]
    return Page(text=join_body(body), title=title)


HTML_EXTENSIONS = (".html", ".htm")
MARKDOWN_EXTENSIONS = (".md", ".markdown")
VALID_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")


def check_extension(path: Path) -> str:
    """The lower-cased extension of `path`; InputError listing the valid ones if unknown."""
    suffix = path.suffix.lower()
    if suffix and suffix not in VALID_EXTENSIONS:
        raise InputError(
            str(path),
            f"unsupported file type '{suffix}'; valid: {' '.join(VALID_EXTENSIONS)} (or no extension for plain text)",
        )
    return suffix


def read_document(path: Path, outlet: str | None) -> Article:
    """One single-article file (.txt .md .markdown .html .htm or no extension) -> Article."""
    suffix = check_extension(path)
    return parse_document(read_text(path), suffix, str(path), outlet, path.stem)


def parse_document(text: str, suffix: str, source: str, outlet: str | None, stem: str = "") -> Article:
    """Clean a document's text by its format (`suffix`, or "" to sniff HTML) -> Article."""
    if suffix in HTML_EXTENSIONS or (not suffix and _HTML_START.match(text)):
        page = parse_html(text, source)
    elif suffix in MARKDOWN_EXTENSIONS:
        page = parse_markdown(text)
    else:  # .txt, or no extension and not HTML
        page = parse_txt(text)
    if not page.text:
        raise InputError(source, "no article text found (only a title, metadata or page furniture)")
    return to_article(page, source, outlet, stem)


# ---- JSONL: the plain-text contract, one article per line, `text` verbatim ----

# Record keys that fill Article fields; every other key goes to Article.meta.
_STRING_FIELDS = ("title", "outlet", "url", "published", "original_source")
_ARTICLE_KEYS = {"id", "text", "authors", "author", *_STRING_FIELDS}

_JSON_TYPES = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array",
               dict: "an object", type(None): "null"}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _authors(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return list(value)
    return None


def joined_paragraphs(paragraphs: list) -> str | list:
    """A text given as paragraphs (BASIL: each a list of sentences) as one string: paragraphs
    joined with a blank line, a paragraph's sentences with a space. Anything else in the
    list leaves it a list (reported as the wrong type)."""
    parts = []
    for paragraph in paragraphs:
        if isinstance(paragraph, list) and all(isinstance(s, str) for s in paragraph):
            paragraph = " ".join(s.strip() for s in paragraph if s.strip())
        if not isinstance(paragraph, str):
            return paragraphs
        if paragraph.strip():
            parts.append(paragraph.strip())
    return "\n\n".join(parts)


def record_to_article(record: Any, source: str, outlet: str | None, stem: str) -> Article:
    """One parsed JSONL record -> Article with `text` exactly as given (a list of paragraphs
    is joined first, see joined_paragraphs)."""
    if not isinstance(record, dict):
        raise InputError(source, f"record is {_json_type(record)}; expected an object with \"text\"")
    text = record.get("text")
    if isinstance(text, list):
        text = joined_paragraphs(text)
    if not isinstance(text, str):
        found = "missing" if "text" not in record else _json_type(text)
        raise InputError(source, f"\"text\" is {found}; expected a non-empty string (or a list of paragraphs)")
    if not text.strip():
        raise InputError(source, "\"text\" is empty; expected the article body")
    fields = {key: record[key] for key in _STRING_FIELDS if record.get(key) is not None}
    wrong = [key for key, value in fields.items() if not isinstance(value, str)]
    if wrong:
        raise InputError(source, f"\"{wrong[0]}\" is {_json_type(fields[wrong[0]])}; expected a string")
    authors_key = "authors" if "authors" in record else "author"
    authors = _authors(record.get(authors_key, []))
    if authors is None:
        raise InputError(source, f"\"{authors_key}\" must be a string or a list of strings")
    record_id = record.get("id")
    return Article(
        text=text,
        title=fields.get("title", ""),
        outlet=choose_outlet(outlet, fields.get("outlet", ""), stem),
        url=fields.get("url", ""),
        authors=authors,
        published=fields.get("published"),
        original_source=fields.get("original_source"),
        meta={key: value for key, value in record.items() if key not in _ARTICLE_KEYS},
        source=source,
        id="" if record_id is None else str(record_id),
    )


def _check_jsonl_file(path: Path) -> None:
    """Whole-file problems of a JSONL corpus: missing, directory, binary, empty."""
    size = check_file(path)
    if size == 0:
        raise InputError(str(path), "file is empty")
    with path.open("rb") as handle:
        if b"\x00" in handle.read(SNIFF_BYTES):
            raise InputError(str(path), "binary file (contains NUL bytes); expected JSON lines")


def iter_jsonl(path: Path, outlet: str | None = None) -> Iterator[Article | InputError]:
    """Stream a JSONL corpus: an Article per good record, an InputError per bad one.

    Bad records are yielded, not raised, so one bad line never stops a corpus. A
    whole-file problem (missing, binary, empty) is raised before the first record.
    Each record's `source` is "path#N" and its errors name "path:line N" (N counts lines
    from 1, blank lines included, so both point at the line in an editor).
    """
    _check_jsonl_file(path)
    records = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            records += 1
            where = f"{path}:line {number}"
            try:
                check_size(where, len(raw), MAX_RECORD_BYTES, what="record")
                record = json.loads(decode(raw, where))
                yield record_to_article(record, f"{path}#{number}", outlet, path.stem)
            except json.JSONDecodeError as error:
                yield InputError(where, f"invalid JSON ({error.msg} at column {error.colno})")
            except InputError as error:
                yield InputError(where, error.problem)
    if records == 0:
        raise InputError(str(path), "file holds only whitespace; expected one JSON object per line")

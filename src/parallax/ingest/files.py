"""Open one input file safely: it exists, is a file, is not too big, is text; decode it.

Every problem becomes an InputError(path, problem) with a one-line message, never a traceback.
"""
from __future__ import annotations

import re
from pathlib import Path

from parallax.errors import InputError

MB = 1024 * 1024
# One news article is 5-100 KB even as saved HTML with inline scripts; a page with
# embedded images stays under a few MB. A bigger single-article file is a wrong file (a
# dump, a video, a corpus that should be .jsonl) and would take minutes to parse.
MAX_FILE_BYTES = 20 * MB
# A JSONL record is one article: the same reasoning bounds each line of a corpus file
# (the corpus file itself may be any size: it is read line by line).
MAX_RECORD_BYTES = MAX_FILE_BYTES
# Text files hold almost no control characters (tab, newline, form feed aside); more than
# this share of them means a binary file that happened to decode.
MAX_CONTROL_CHAR_SHARE = 0.01
# The C0 and C1 control characters (Unicode category Cc) minus tab, newline, vt, ff, cr.
_CONTROL_CHAR = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def check_file(path: Path) -> int:
    """The size in bytes of `path`; InputError when it is missing, a directory or unreadable."""
    try:
        if not path.exists():
            raise InputError(str(path), "file not found")
        if path.is_dir():
            raise InputError(str(path), "is a directory; give the article files inside it")
        return path.stat().st_size
    except OSError as error:
        raise InputError(str(path), f"cannot open file ({error.strerror or error})") from error


def check_size(source: str, size: int, limit: int = MAX_FILE_BYTES, what: str = "file") -> None:
    """InputError when `size` bytes exceed `limit` ("file is 50.0 MB; the limit is 20 MB")."""
    if size > limit:
        raise InputError(source, f"{what} is {size / MB:.1f} MB; the limit is {limit // MB} MB")


def _looks_binary(text: str) -> bool:
    return len(_CONTROL_CHAR.findall(text)) > MAX_CONTROL_CHAR_SHARE * len(text)


def decode(data: bytes, source: str) -> str:
    """Bytes -> text: UTF-8 (with or without BOM), UTF-16 with a BOM, else cp1252.

    cp1252 is the fallback because Windows-saved articles are the common non-UTF-8 input
    (curly quotes as bytes 0x93/0x94). Binary data is an InputError.
    """
    if data.startswith(_UTF16_BOMS):  # UTF-16 is full of NUL bytes, so it goes first
        text = _decode_first(data, ("utf-16",))
        problem = "starts like UTF-16 text but does not decode as UTF-16"
    elif b"\x00" in data:
        raise InputError(source, "binary file (contains NUL bytes); expected UTF-8 text")
    else:
        text = _decode_first(data, ("utf-8-sig", "cp1252"))
        problem = "binary file: neither UTF-8 nor cp1252 text"
    if text is None:
        raise InputError(source, problem)
    if _looks_binary(text):
        raise InputError(source, "binary file (control characters); expected UTF-8 text")
    return text


def _decode_first(data: bytes, encodings: tuple[str, ...]) -> str | None:
    """`data` decoded with the first encoding that fits, or None."""
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_text(path: Path) -> str:
    """The decoded, non-empty text of a single-article file (size capped at MAX_FILE_BYTES)."""
    check_size(str(path), check_file(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot read file ({error.strerror or error})") from error
    text = decode(data, str(path))
    if not text.strip():
        raise InputError(str(path), "file is empty" if not data else "file holds only whitespace")
    return text

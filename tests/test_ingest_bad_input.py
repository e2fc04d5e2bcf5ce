"""Bad input: every case is one InputError with a one-line message naming the file."""
from __future__ import annotations

from pathlib import Path

import pytest

from parallax.errors import InputError
from parallax.ingest import MAX_FILE_BYTES, load_many, read_path
from parallax.ingest.files import MB

SCRIPTS_ONLY_HTML = (
    "<html><head><script>var SCRIPT_TEXT = 1;</script><style>p {color: red}</style></head>"
    "<body><script>document.write('SCRIPT_TEXT')</script></body></html>"
)


def _write(path: Path, content: bytes | str | None) -> Path:
    if content is None:
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("adir", None, "is a directory"),
        ("empty.txt", b"", "file is empty"),
        ("blank.md", " \n\n\t \n", "only whitespace"),
        ("nul.txt", b"Title\n\nBody\x00\x01\x02", r"binary file \(contains NUL bytes\)"),
        ("undecodable.txt", b"\x81\x8d\x8f\x90\x9d" * 10, "neither UTF-8 nor cp1252"),
        ("controls.txt", "Title\n\n" + "\x07\x1b" * 50 + " text", r"binary file \(control characters\)"),
        ("scripts.html", SCRIPTS_ONLY_HTML, "no article text found in HTML"),
        ("empty.html", "<html><body></body></html>", "no article text found in HTML"),
        ("furniture.md", "# Title\n\nCopyright © 2016 X\n\n---\n\nBecome a Member of X", "no article text found"),
        ("doc.pdf", b"%PDF-1.4", r"unsupported file type '\.pdf'; valid: \.txt \.md \.markdown \.html \.htm \.jsonl"),
        ("empty.jsonl", b"", "file is empty"),
        ("blank.jsonl", "\n  \n", "only whitespace"),
        ("binary.jsonl", b'{"text": "a"}\n\x00\x00', "binary file"),
    ],
)
def test_bad_file_is_one_line_input_error(tmp_path, name, content, problem):
    path = _write(tmp_path / name, content)
    with pytest.raises(InputError, match=problem) as caught:
        read_path(path)
    assert caught.value.source == str(path)
    assert "\n" not in str(caught.value) and str(caught.value).startswith(str(path))


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_path(tmp_path / "nowhere.txt")


def test_file_over_the_size_cap(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 50 MB on paper, nothing written
        handle.truncate(50 * MB)
    with pytest.raises(InputError, match=r"file is 50\.0 MB; the limit is 20 MB"):
        read_path(path)
    assert MAX_FILE_BYTES == 20 * MB


def test_cp1252_file_with_curly_quotes_loads(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes("Headline\r\n\r\nHe said \u201cbarbarism\u201d \u2013 twice.\r\n".encode("cp1252"))
    [article] = read_path(path)
    assert (article.title, article.text) == ("Headline", "He said \u201cbarbarism\u201d \u2013 twice.")


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffTitle\n\nBody \u00e9t\u00e9.".encode("utf-8"),  # UTF-8 with BOM
        "Title\n\nBody \u00e9t\u00e9.".encode("utf-16"),  # UTF-16 with BOM (has NUL bytes)
    ],
)
def test_other_text_encodings_load(tmp_path, data):
    path = tmp_path / "encoded.txt"
    path.write_bytes(data)
    [article] = read_path(path)
    assert (article.title, article.text) == ("Title", "Body \u00e9t\u00e9.")


def test_script_text_never_reaches_the_article(tmp_path):
    html = (
        "<html><head><script>var SCRIPT_TEXT = 1;</script></head><body>"
        "<script>document.write('SCRIPT_TEXT')</script><style>.STYLE_TEXT {}</style>"
        "<p>The council met on Sunday to discuss the aid convoy attack near Aleppo.</p>"
        "<script>track('SCRIPT_TEXT')</script></body></html>"
    )
    [article] = read_path(_write(tmp_path / "mixed.htm", html))
    assert article.text == "The council met on Sunday to discuss the aid convoy attack near Aleppo."


@pytest.mark.parametrize(
    "content, title, text",
    [
        ("Plain title\n\nPlain body.", "Plain title", "Plain body."),
        ("<!DOCTYPE html><html><body><p>An HTML body without a file extension.</p></body></html>",
         "", "An HTML body without a file extension."),
    ],
)
def test_file_without_extension_is_sniffed(tmp_path, content, title, text):
    [article] = read_path(_write(tmp_path / "ARTICLE", content))
    assert (article.title, article.text, article.outlet) == (title, text, "ARTICLE")


@pytest.mark.parametrize(
    "line, problem",
    [
        ("{not json", "invalid JSON"),
        ('{"id": "x"}', '"text" is missing'),
        ('{"text": ""}', '"text" is empty'),
        ('{"text": "   "}', '"text" is empty'),
        ('{"text": 42}', '"text" is a number'),
        ('{"text": null}', '"text" is null'),
        ('["text"]', "record is an array"),
        ('{"text": "ok", "title": ["T"]}', '"title" is an array'),
        ('{"text": "ok", "authors": [1]}', '"authors" must be a string or a list of strings'),
    ],
)
def test_bad_jsonl_record_is_one_error_naming_the_line(tmp_path, line, problem):
    path = tmp_path / "corpus.jsonl"
    path.write_text(f'{{"text": "good one"}}\n{line}\n{{"text": "good two"}}\n', encoding="utf-8")
    articles, errors = load_many([path])
    assert [a.text for a in articles] == ["good one", "good two"]
    assert [e.source for e in errors] == [f"{path}:line 2"]
    assert problem in errors[0].problem


def test_load_many_never_stops_at_a_bad_file(tmp_path):
    good = _write(tmp_path / "good.txt", "Title\n\nBody.")
    bad = [tmp_path / "missing.txt", _write(tmp_path / "x.pdf", "pdf"), _write(tmp_path / "e.txt", "")]
    articles, errors = load_many([bad[0], good, bad[1], bad[2], good])
    assert [a.source for a in articles] == [str(good), str(good)]
    assert [e.source for e in errors] == [str(p) for p in bad]

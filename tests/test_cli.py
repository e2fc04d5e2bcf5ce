"""The CLI, in-process: exit codes, formats, and bad input that never loses the batch."""
from __future__ import annotations

import json

import pytest

from parallax.cli import main

GOOD_TEXT = "A Title\n\nThe council met on Sunday. \"We will act,\" the ambassador said.\n"


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    return path


def _bad_inputs(tmp_path):
    """name -> path of an input that must be reported as an error naming the file."""
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    unknown = tmp_path / "table.xlsx"
    unknown.write_bytes(b"PK\x03\x04 not an article")
    folder = tmp_path / "folder"
    folder.mkdir()
    return {
        "missing": tmp_path / "missing.txt",
        "directory": folder,
        "empty": empty,
        "binary": binary,
        "50 MB": big,
        "unknown extension": unknown,
    }


def test_usage_errors_exit_2(capsys):
    assert main([]) == 2
    assert main(["compare"]) == 2
    assert main(["analyze", "x.txt", "--format", "xml"]) == 2
    assert main(["frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary", "50 MB", "unknown extension"])
def test_bad_input_is_named_and_the_rest_still_processed(case, good, tmp_path, capsys):
    bad = _bad_inputs(tmp_path)[case]
    out = tmp_path / "out.json"
    code = main(["analyze", str(bad), str(good), "--no-techniques", "--format", "json", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("parallax: error:")]
    assert len(lines) == 1 and bad.name in lines[0]
    assert "Traceback" not in err
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [a["title"] for a in document["articles"]] == ["A Title"]


def test_cp1252_text_is_read_not_rejected(tmp_path, capsys):
    path = tmp_path / "windows.txt"
    path.write_bytes("Title\n\n\u201cWe will act,\u201d the envoy said. Caf\u00e9 closed.\n".encode("cp1252"))
    out = tmp_path / "out.json"
    assert main(["analyze", str(path), "--no-techniques", "--format", "json", "-o", str(out)]) == 0
    text = json.loads(out.read_text(encoding="utf-8"))["articles"][0]["text"]
    assert "\u201cWe will act,\u201d" in text and "Caf\u00e9" in text


def test_html_full_of_scripts_keeps_only_the_article(tmp_path):
    body = "<p>" + " ".join(["The council met on Sunday to discuss the offensive in Aleppo."] * 8) + "</p>"
    page = f"<html><head><title>Council meets</title><script>alert('x')</script></head><body>"
    page += "<script>document.write('evil')</script>" * 50 + f"<article>{body}</article></body></html>"
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["analyze", str(path), "--no-techniques", "--format", "json", "-o", str(out)]) == 0
    text = json.loads(out.read_text(encoding="utf-8"))["articles"][0]["text"]
    assert "council met on Sunday" in text and "alert" not in text and "evil" not in text


def test_compare_needs_two_readable_articles(good, tmp_path, capsys):
    assert main(["compare", str(good), str(tmp_path / "nope.txt"), "--no-techniques"]) == 1
    assert "at least 2" in capsys.readouterr().err


def test_script_in_title_and_quote_is_escaped_in_html(tmp_path):
    evil = '<script>alert("t")</script>'
    path = tmp_path / "evil.txt"
    path.write_text(f"{evil} News\n\n\"{evil} is here,\" the minister said on Monday.\n", encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["analyze", str(path), "--no-techniques", "--format", "html", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html


def test_jsonl_records_are_analysed_verbatim(tmp_path):
    records = [
        {"id": "r1", "text": "  Power said the talks failed.  ", "outlet": "A"},
        {"id": "r2", "text": "Churkin told the council that peace was \"almost impossible\".", "outlet": "B"},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["analyze", str(path), "--no-techniques", "--format", "json", "-o", str(out)]) == 0
    articles = json.loads(out.read_text(encoding="utf-8"))["articles"]
    assert [a["text"] for a in articles] == [r["text"] for r in records]
    for article in articles:
        for layer in ("sentences", "entities", "quotes", "claims"):
            for span in article[layer]:
                assert article["text"][span["start"]:span["end"]] == span["text"]


def test_schema_prints_the_json_schema_of_the_json_output(capsys):
    import jsonschema

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)

"""Corpus sources: JSONL, CSV, Parquet and folders -> Article | InputError, column maps, dates."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parallax.corpus import sources
from parallax.corpus.sources import (
    ColumnMap,
    iter_csv,
    iter_jsonl,
    iter_parquet,
    iter_sources,
    normalise_published,
    published_timestamp,
)
from parallax.errors import InputError, UsageError
from parallax.model import Article, article_id

BODY = "The council said on Tuesday that the new bridge would open in the spring."


def split(items) -> tuple[list[Article], list[InputError]]:
    items = list(items)
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputError)])


def write_jsonl(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
                    encoding="utf-8")
    return path


# ------------------------------------------------------------------------- column map

def test_column_map_parses_pairs():
    assert ColumnMap.parse("text=body, published=date").columns == {"text": "body", "published": "date"}
    assert ColumnMap.parse(None).columns == {} and ColumnMap.parse("").columns == {}


@pytest.mark.parametrize("spec, problem", [
    ("body=text", r"unknown field 'body'; valid: id, text, title"),
    ("text", r"expected FIELD=COLUMN"),
    ("text=", r"expected FIELD=COLUMN"),
    ("text=a,text=b", r"names the field 'text' twice"),
])
def test_a_bad_column_map_is_a_usage_error(spec, problem):
    with pytest.raises(UsageError, match=problem):
        ColumnMap.parse(spec)


def test_a_mapped_column_the_file_lacks_is_a_usage_error_naming_both(tmp_path):
    csv_file = tmp_path / "c.csv"
    csv_file.write_text("body,date\nText one here.,2016-09-26\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"c\.csv: --map published=day: the file has no column 'day'; "
                                         r"its columns: body, date"):
        list(iter_csv(csv_file, ColumnMap.parse("text=body,published=day")))
    parquet = tmp_path / "p.parquet"
    pq.write_table(pa.table({"body": ["x"]}), parquet)
    with pytest.raises(UsageError, match=r"--map title=headline: the file has no column 'headline'"):
        list(iter_parquet(parquet, ColumnMap.parse("text=body,title=headline")))
    jsonl = write_jsonl(tmp_path / "j.jsonl", ["not json", {"body": "x"}])
    with pytest.raises(UsageError, match=r"--map text=content: the file has no column 'content'; its columns: body"):
        list(iter_jsonl(jsonl, ColumnMap.parse("text=content")))


def test_mapping_renames_columns_and_keeps_a_hidden_one_in_meta(tmp_path):
    path = write_jsonl(tmp_path / "m.jsonl", [{"body": BODY, "text": "a teaser", "date": "26 September 2016",
                                               "source_name": "Daily", "extra": 1}])
    [article] = iter_jsonl(path, ColumnMap.parse("text=body,published=date,outlet=source_name"))
    assert (article.text, article.published, article.outlet) == (BODY, "2016-09-26", "Daily")
    assert article.meta == {"text": "a teaser", "extra": 1}


# ----------------------------------------------------------------------------- JSONL

def test_jsonl_bad_rows_are_named_by_line_and_the_rest_read(tmp_path):
    path = write_jsonl(tmp_path / "corpus.jsonl", [
        {"id": "a1", "text": BODY, "published": "2016-09-26T10:00:00Z"},
        "{broken",
        {"text": ""},
        "",
        {"text": BODY + " Two.", "title": 5},
        [1, 2],
        {"text": BODY + " Three.", "outlet": "Wire", "authors": None},
    ])
    articles, errors = split(iter_jsonl(path))
    assert [a.id for a in articles] == ["a1", article_id("Wire", BODY + " Three.")]
    assert articles[0].published == "2016-09-26T10:00:00+00:00"
    assert articles[0].source == f"{path}#1"
    assert [(e.source, e.problem) for e in errors] == [
        (f"{path}:line 2", "invalid JSON (Expecting property name enclosed in double quotes at column 2)"),
        (f"{path}:line 3", '"text" is empty; expected the article body'),
        (f"{path}:line 5", '"title" is a number; expected a string'),
        (f"{path}:line 6", 'record is an array; expected an object with "text"'),
    ]


def test_a_record_id_is_kept_and_a_numeric_one_becomes_text(tmp_path):
    path = write_jsonl(tmp_path / "ids.jsonl", [{"id": 7, "text": BODY}, {"id": "", "text": BODY + " x"}])
    articles, _ = split(iter_jsonl(path))
    assert [a.id for a in articles] == ["7", article_id("ids", BODY + " x")]


# ------------------------------------------------------------------------------- CSV

def test_csv_bad_rows_are_named_by_row_and_the_rest_read(tmp_path):
    path = tmp_path / "corpus.csv"
    big = "word " * 40_000  # 200 KB: over the csv module's default field limit of 128 KB
    path.write_bytes(
        "\ufeffid,text,title,published\n"
        f"r1,{BODY},First,2016-09-26\n"
        "r2,,Empty body,\n"
        "r3,only,three,fields,here\n"
        "\n"
        f'r4,"{BODY}\nSecond line, with a comma.",Multi,"Sep 27, 2016"\n'
        f"r5,{big},Big,\n".encode("utf-8")
        + "r6,Café owners said the “new” rules were unfair.,cp1252,\n".encode("cp1252"))
    articles, errors = split(iter_csv(path))
    assert [a.id for a in articles] == ["r1", "r4", "r5", "r6"]
    assert articles[1].text == f"{BODY}\nSecond line, with a comma." and articles[1].published == "2016-09-27"
    assert len(articles[2].text) == len(big)
    assert articles[3].text == "Café owners said the “new” rules were unfair."
    assert articles[0].title == "First" and articles[2].published is None
    assert [(e.source, e.problem) for e in errors] == [
        (f"{path}:row 2", '"text" is empty; expected the article body'),
        (f"{path}:row 3", "has 5 fields; the header has 4 (line 4)"),
    ]


def test_a_csv_without_a_text_column_is_one_file_error(tmp_path):
    path = tmp_path / "no_text.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    articles, errors = split(sources.iter_path(path))
    assert not articles and [str(e) for e in errors] == [
        f'{path}: no "text" column (columns: id, body); name the body column with --map text=COLUMN']


# --------------------------------------------------------------------------- Parquet

def test_parquet_bad_rows_are_named_by_row_across_batches_and_row_groups(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "PARQUET_BATCH_ROWS", 2)
    path = tmp_path / "corpus.parquet"
    texts = [f"{BODY} Number {i}." for i in range(7)]
    texts[3], texts[5] = None, "  "
    table = pa.table({
        "doc": list(range(100, 107)),
        "body": texts,
        "when": [datetime(2016, 9, 26, 10, tzinfo=timezone.utc)] * 6 + [None],
        "authors": [["A. Writer", "B. Writer"]] * 7,
        "section": ["world"] * 7,
    })
    pq.write_table(table, path, row_group_size=3)
    assert pq.ParquetFile(path).num_row_groups == 3
    articles, errors = split(iter_parquet(path, ColumnMap.parse("id=doc,text=body,published=when")))
    assert [a.id for a in articles] == ["100", "101", "102", "104", "106"]
    assert articles[0].published == "2016-09-26T10:00:00+00:00" and articles[-1].published is None
    assert articles[0].authors == ["A. Writer", "B. Writer"] and articles[0].meta == {"section": "world"}
    assert [(e.source, e.problem) for e in errors] == [
        (f"{path}:row 4", '"text" is null; expected a non-empty string (or a list of paragraphs)'),
        (f"{path}:row 6", '"text" is empty; expected the article body'),
    ]


def test_a_file_that_is_not_parquet_is_one_error(tmp_path):
    path = tmp_path / "fake.parquet"
    path.write_bytes(b"this is not parquet at all")
    [error] = iter_sources([path])
    assert isinstance(error, InputError) and error.source == str(path) and "not a readable Parquet file" in error.problem


# --------------------------------------------------------------------------- folders

def test_folders_are_read_recursively_and_other_files_skipped_with_one_note(tmp_path):
    root = tmp_path / "corpus"
    (root / "b" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    write_jsonl(root / "a.jsonl", [{"id": "j1", "text": BODY}])
    (root / "b" / "c.csv").write_text(f"id,text\nc1,{BODY}\n", encoding="utf-8")
    pq.write_table(pa.table({"id": ["p1"], "text": [BODY]}), root / "b" / "deeper" / "d.parquet")
    (root / "b" / "deeper" / "e.txt").write_text(f"A headline\n\n{BODY}\n", encoding="utf-8")
    (root / "b" / "f.md").write_text(f"# Markdown title\n\n{BODY}\n", encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF")
    (root / "b" / "image.png").write_bytes(b"\x89PNG")
    (root / ".git" / "config").write_text("[core]\n")
    (root / ".hidden.jsonl").write_text("{}\n")
    notes: list[str] = []
    articles, errors = split(iter_sources([root], note=notes.append))
    assert not errors
    # In name order, a folder's own files before its sub-folders'.
    assert [a.id for a in articles][:2] == ["j1", "c1"] and articles[3].id == "p1"
    assert [articles[2].title, articles[4].title] == ["Markdown title", "A headline"]
    assert notes == [f"{root}: skipped 2 files of other types (.pdf 1, .png 1); "
                     "read: .jsonl .csv .parquet .txt .md .markdown .html .htm"]


@pytest.mark.parametrize("name, content, problem", [
    ("missing.jsonl", None, "file not found"),
    ("empty.csv", b"", "file is empty"),
    ("binary.jsonl", b"{\x00\x01}", r"binary file \(contains NUL bytes\)"),
    ("doc.pdf", b"%PDF", r"unsupported file type '\.pdf'; valid: \.jsonl \.csv \.parquet"),
])
def test_whole_file_problems_are_one_error_each(tmp_path, name, content, problem):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    [error] = iter_sources([path])
    assert isinstance(error, InputError) and error.source == str(path)
    assert re.search(problem, error.problem)


# ----------------------------------------------------------------------------- dates

@pytest.mark.parametrize("value, expected", [
    ("2016-09-26", "2016-09-26"),
    ("September 26, 2016", "2016-09-26"),
    ("26 Sep 2016", "2016-09-26"),
    ("2016-09-26T10:00:00Z", "2016-09-26T10:00:00+00:00"),
    ("2016-09-26 10:00:00", "2016-09-26T10:00:00"),
    ("Mon, 26 Sep 2016 10:00:00 GMT", "2016-09-26T10:00:00+00:00"),
    (datetime(2016, 9, 26, 10, 30), "2016-09-26T10:30:00"),
    (date(2016, 9, 26), "2016-09-26"),
    ("yesterday", None),
    ("", None),
    (1474884000, None),
    (None, None),
])
def test_published_dates_are_normalised(value, expected):
    assert normalise_published(value) == expected


def test_an_unparsed_date_is_kept_in_meta(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"text": BODY, "published": "the other day"}])
    [article] = iter_jsonl(path)
    assert article.published is None and article.meta == {sources.RAW_DATE_KEY: "the other day"}


def test_published_timestamps_order_dates_and_times():
    assert published_timestamp("2016-09-26") == datetime(2016, 9, 26, tzinfo=timezone.utc).timestamp()
    assert published_timestamp("2016-09-26T12:00:00+02:00") == published_timestamp("2016-09-26T10:00:00")
    assert published_timestamp(None) is None and published_timestamp("junk") is None

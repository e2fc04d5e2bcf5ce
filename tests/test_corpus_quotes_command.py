"""`parallax quotes`: one quote carried by two outlets with different cue verbs (and an exact copy
republishing it), over a store built by `parallax ingest --deep --no-techniques`; table and
JSON, --speaker, --min-outlets, and a store with nothing deep-analysed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.cli import main

QUOTE = "We will not accept any ultimatum from Washington, and we will respond to every provocation"
OTHER = "The ceasefire can only hold if the other side keeps its promises"
WIRE = ("The United Nations Security Council met on Tuesday to discuss the attack on the aid convoy near Aleppo, "
        "which killed at least 20 people and destroyed 18 trucks.")
REUTERS = (f"Russia's foreign minister rejected American demands on Syria after the convoy strike.\n\n{WIRE}\n\n"
           f"\"{QUOTE},\" Lavrov said at a news conference in New York.\n\n"
           "Diplomats said the meeting was called at the request of France and Britain after days of talks.")
ARTICLES = [
    {"id": "reuters-1", "outlet": "Reuters", "published": "2016-09-20", "title": "Lavrov rejects ultimatum",
     "text": REUTERS},
    {"id": "fox-1", "outlet": "Fox", "published": "2016-09-21", "title": "Russia defiant",
     "text": "Moscow struck a defiant tone on Wednesday as pressure grew over the bombing of the convoy.\n\n"
             f"\"{QUOTE},\" Lavrov claimed in a combative appearance.\n\n"
             "Residents of the eastern districts described long queues for bread and water on Wednesday morning."},
    {"id": "yahoo-1", "outlet": "Yahoo", "published": "2016-09-22", "title": "Lavrov rejects ultimatum",
     "text": REUTERS},  # republished word for word: an exact copy, which carries the quote too
    {"id": "rt-1", "outlet": "RT", "published": "2016-09-22", "title": "Lavrov speaks",
     "text": "Russian Foreign Minister Sergei Lavrov addressed reporters on the Syrian ceasefire.\n\n"
             f"\"{OTHER},\" Lavrov told reporters.\n\n"
             "The talks will continue next week in Geneva, officials said on Thursday."},
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def deep_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("quotes")
    corpus = write_jsonl(folder / "c.jsonl", ARTICLES)
    db = folder / "s.db"
    assert main(["ingest", str(corpus), "--store", str(db), "--deep", "--no-techniques", "--threads", "1"]) == 0
    return db


def quotes(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["quotes", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_table_lists_the_shared_quote_with_each_outlets_cue_verb(deep_store, capsys):
    capsys.readouterr()
    code, out, _ = quotes(capsys, "--store", str(deep_store))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "1 quote carried by 2+ outlets (2 tracked in the corpus; --min-outlets 1 lists every one)"
    assert lines[2] == f"1. Lavrov: \u201c{QUOTE}\u201d"
    assert lines[3] == "   first: 2016-09-20  Reuters  (article reuters-1)"
    assert lines[4] == "   3 outlets, 3 articles:"
    assert [line.split() for line in lines[5:]] == [["Reuters", "say"], ["Fox", "claim"], ["Yahoo", "say"]]
    assert OTHER not in out  # one outlet only: not listed by default


def test_json_is_a_list_of_quotes_with_their_fields(deep_store, capsys):
    code, out, _ = quotes(capsys, "--store", str(deep_store), "--format", "json", "--min-outlets", "1")
    assert code == 0
    shared, single = json.loads(out)
    assert shared["speaker"] == "Lavrov" and shared["text"].startswith(QUOTE)
    assert (shared["first_article_id"], shared["first_outlet"], shared["first_published"]) == (
        "reuters-1", "Reuters", "2016-09-20")
    assert shared["outlets"] == [{"outlet": "Reuters", "cues": ["say"], "articles": 1},
                                 {"outlet": "Fox", "cues": ["claim"], "articles": 1},
                                 {"outlet": "Yahoo", "cues": ["say"], "articles": 1}]
    assert (shared["articles"], shared["mentions"]) == (3, 3)
    assert single["speaker"] == "Sergei Lavrov" and single["outlets"] == [
        {"outlet": "RT", "cues": ["tell"], "articles": 1}]
    assert set(shared) == {"id", "speaker", "text", "first_article_id", "first_outlet", "first_published",
                           "articles", "mentions", "outlets"}


def test_speaker_lists_every_quote_of_that_speaker_by_last_name(deep_store, capsys):
    code, out, _ = quotes(capsys, "--store", str(deep_store), "--speaker", "Lavrov", "--format", "json")
    assert code == 0 and [q["speaker"] for q in json.loads(out)] == ["Lavrov", "Sergei Lavrov"]
    code, out, _ = quotes(capsys, "--store", str(deep_store), "--speaker", "Zakharova")
    assert code == 0 and out.startswith("0 quotes of Zakharova (2 tracked in the corpus)")


def test_min_outlets_below_one_is_a_usage_error(deep_store, capsys):
    code, _, err = quotes(capsys, "--store", str(deep_store), "--min-outlets", "0")
    assert code == 2 and "--min-outlets 0 is invalid" in err


def test_a_store_without_deep_analyses_points_at_ingest_deep(tmp_path, capsys):
    db = tmp_path / "cheap.db"
    assert main(["ingest", str(write_jsonl(tmp_path / "c.jsonl", ARTICLES[:2])), "--store", str(db),
                 "--threads", "1"]) == 0
    capsys.readouterr()
    code, out, err = quotes(capsys, "--store", str(db))
    assert code == 2 and out == ""
    assert "no deep analyses by this Parallax" in err and f"--store {db} --deep" in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_store_is_named_and_not_created(tmp_path, capsys):
    code, _, err = quotes(capsys, "--store", str(tmp_path / "none.db"))
    assert code == 2 and "none.db not found" in err and not (tmp_path / "none.db").exists()

"""`parallax stories`, `story` and `outlets` over a small ingested corpus, and BASIL-shaped
records (text given as paragraphs of sentences)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.cli import main
from parallax.corpus.story_commands import representatives
from parallax.ingest.readers import joined_paragraphs
from parallax.model import Article
from parallax.store import Store
from parallax.store.stories import group_new, list_stories, story_members
from tests.web_support import QUAKE, STRIKE


def _record(id_: str, outlet: str, title: str, body: str, day: str) -> str:
    return json.dumps({"id": id_, "outlet": outlet, "title": title, "text": body, "published": day})


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join([
        _record("q1", "Wire", "Chile earthquake kills 12 near Valparaiso", QUAKE, "2024-03-05"),
        _record("q2", "Daily", "Deadly quake hits Chile's Valparaiso coast", QUAKE.replace("Tuesday", "Tuesday night"), "2024-03-05"),
        _record("q3", "Globe", "Chile quake: rescuers search rubble in Valparaiso", QUAKE[:300], "2024-03-06"),
        _record("s1", "Wire", "Rotterdam dock workers strike over pay", STRIKE, "2024-03-05"),
        _record("s2", "Globe", "Strike halts Europe's largest port in Rotterdam", STRIKE, "2024-03-05"),
    ]) + "\n")
    path = tmp_path / "corpus.db"
    assert main(["ingest", str(corpus), "--store", str(path)]) == 0
    return path


def test_stories_groups_the_events_and_lists_them_as_json(store_path: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["stories", "--store", str(store_path), "--format", "json"]) == 0
    stories = json.loads(capsys.readouterr().out)
    groups = sorted(sorted(s["articles"]) for s in stories)
    assert groups == [["q1", "q2", "q3"], ["s1", "s2"]]
    quake = next(s for s in stories if "q1" in s["articles"])
    assert set(quake) == {"id", "title", "first_seen", "last_seen", "outlets", "articles"}
    assert quake["outlets"] == ["Daily", "Globe", "Wire"]
    assert (quake["first_seen"], quake["last_seen"]) == ("2024-03-05", "2024-03-06")


def test_new_ingests_extend_the_grouping_without_recomputing_it(store_path: Path, tmp_path: Path) -> None:
    with Store(store_path) as store:
        assert group_new(store) == 5
        before = {row.id: story_members(store, row.id) for row in list_stories(store)}
        assert group_new(store) == 0  # nothing new: nothing done
    more = tmp_path / "more.jsonl"
    more.write_text(_record("q4", "Times", "Chile counts the dead after Valparaiso quake", QUAKE, "2024-03-07") + "\n")
    assert main(["ingest", str(more), "--store", str(store_path)]) == 0
    with Store(store_path) as store:
        assert group_new(store) == 1
        after = {row.id: story_members(store, row.id) for row in list_stories(store)}
    quake = next(story for story, members in before.items() if "q1" in members)
    assert after[quake] == before[quake] + ["q4"]
    assert {k: v for k, v in after.items() if k != quake} == {k: v for k, v in before.items() if k != quake}


def test_since_and_until_filter_by_date(store_path: Path) -> None:
    with Store(store_path) as store:
        group_new(store)
        assert len(list_stories(store, since="2024-03-06")) == 1  # only the quake lasted into the 6th
        assert len(list_stories(store, until="2024-03-04")) == 0


def test_story_compares_one_article_per_outlet(store_path: Path, capsys, tmp_path: Path) -> None:
    main(["stories", "--store", str(store_path)])
    with Store(store_path) as store:
        strike = next(r.id for r in list_stories(store) if "s1" in story_members(store, r.id))
    out = tmp_path / "story.json"
    assert main(["story", strike, "--store", str(store_path), "--format", "json", "-o", str(out),
                 "--no-techniques"]) == 0
    document = json.loads(out.read_text())
    assert sorted(a["outlet"] for a in document["articles"]) == ["Globe", "Wire"]
    assert any(link["relation"] == "same_quote" for link in document["links"])


def test_an_unknown_story_is_a_usage_error(store_path: Path, capsys) -> None:
    main(["stories", "--store", str(store_path)])
    assert main(["story", "999", "--store", str(store_path)]) == 2
    assert "no story '999'" in capsys.readouterr().err


def test_outlets_profiles_every_outlet(store_path: Path, capsys) -> None:
    main(["stories", "--store", str(store_path)])
    capsys.readouterr()
    assert main(["outlets", "--store", str(store_path), "--format", "json"]) == 0
    profiles = {p["outlet"]: p for p in json.loads(capsys.readouterr().out)}
    assert set(profiles) == {"Wire", "Globe", "Daily"}
    assert profiles["Wire"]["articles"] == 2 and profiles["Wire"]["stories"] == 2
    assert profiles["Daily"]["story_share"] == {"value": 0.5, "articles": 1}
    assert main(["outlets", "--store", str(store_path), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("outlet,articles,stories")


def test_a_missing_store_is_named(tmp_path: Path, capsys) -> None:
    assert main(["stories", "--store", str(tmp_path / "none.db")]) == 2
    assert "none.db not found" in capsys.readouterr().err


@pytest.mark.parametrize("paragraphs, expected", [
    ([["One.", "Two."], ["Three."]], "One. Two.\n\nThree."),
    (["First paragraph.", "", "Second."], "First paragraph.\n\nSecond."),
    ([["ok"], 3], [["ok"], 3]),  # not text: left as it is, reported as the wrong type
])
def test_text_given_as_paragraphs_is_joined(paragraphs, expected) -> None:
    assert joined_paragraphs(paragraphs) == expected


def test_representatives_keep_the_longest_article_per_outlet() -> None:
    articles = [Article("short", outlet="A", id="1"), Article("much longer text", outlet="A", id="2"),
                Article("b", outlet="B", id="3")]
    assert [a.id for a in representatives(articles)] == ["2", "3"]
    assert [a.id for a in representatives(articles, all_articles=True)] == ["1", "2", "3"]


def test_story_text_says_how_much_each_outlet_copied(store_path: Path, capsys) -> None:
    main(["stories", "--store", str(store_path)])
    with Store(store_path) as store:
        strike = next(r.id for r in list_stories(store) if "s1" in story_members(store, r.id))
    capsys.readouterr()
    assert main(["story", strike, "--store", str(store_path), "--no-techniques"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Story {strike}: 2 articles, 2 compared")
    assert "Globe: 1 of 1 paragraphs copied from Wire" in out and "Wire: 0 of 1 paragraphs copied" in out

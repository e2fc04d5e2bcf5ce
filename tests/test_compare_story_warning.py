"""`parallax compare` warns, and says how it split them, when its inputs are not one story."""
from __future__ import annotations

import json
from pathlib import Path

from parallax.cli import main
from parallax.corpus.same_story import split_warning
from parallax.model import Article

from conftest import SHARED

BASIL = SHARED / "data" / "basil" / "basil_articles.jsonl"


def _basil_events(tmp_path: Path, events: int) -> Path:
    """The articles of the first `events` BASIL events (three outlets each) as JSONL."""
    records, seen = [], []
    for line in BASIL.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["triplet_uuid"] not in seen:
            seen.append(record["triplet_uuid"])
        if len(seen) > events:
            break
        records.append(json.dumps({"id": record["uuid"], "outlet": record["source"], "title": record["title"],
                                   "published": record["date"], "text": record["paragraphs"]}))
    path = tmp_path / "basil.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    return path


def test_two_events_in_one_compare_are_named_in_a_warning(tmp_path: Path, capsys) -> None:
    corpus = _basil_events(tmp_path, 2)
    assert main(["compare", str(corpus), "--no-techniques", "--no-cache", "--format", "json",
                 "-o", str(tmp_path / "out.json")]) == 0
    err = capsys.readouterr().err
    assert "warning: these 6 articles look like 2 stories, not one: [1] basil.jsonl#1, basil.jsonl#2, " \
           "basil.jsonl#3; [2] basil.jsonl#4, basil.jsonl#5, basil.jsonl#6" in err


def test_the_seeds_are_one_story_and_get_no_warning(seed_paths, tmp_path: Path, capsys) -> None:
    assert main(["compare", *map(str, seed_paths), "--no-techniques", "--no-cache", "--format", "json",
                 "-o", str(tmp_path / "out.json")]) == 0
    assert "warning" not in capsys.readouterr().err


def test_split_warning_is_none_for_one_group() -> None:
    articles = [Article("a"), Article("b")]
    assert split_warning(articles, [[0, 1]], ["a", "b"]) is None
    assert "[2] b" in split_warning(articles, [[0], [1]], ["a", "b"])


def test_story_groups_keep_input_indices_and_store_their_vectors(tmp_path: Path, monkeypatch) -> None:
    from parallax.config import Config
    from parallax.ingest import load_path
    from parallax.pipeline import Pipeline

    articles = load_path(_basil_events(tmp_path, 2))
    config = Config(techniques=False, store=str(tmp_path / "s.db"), threads=1)
    with Pipeline(config) as pipeline:
        analyses = list(pipeline.analyze_many(articles[3:] + articles[:3]))
        assert sorted(pipeline.story_groups(analyses)) == [[0, 1, 2], [3, 4, 5]]
    with Pipeline(config) as pipeline:  # a re-run encodes nothing: the vectors are stored
        monkeypatch.setattr(pipeline, "encode", lambda texts: (_ for _ in ()).throw(AssertionError(texts)))
        analyses = list(pipeline.analyze_many(articles[3:] + articles[:3]))
        assert sorted(pipeline.story_groups(analyses)) == [[0, 1, 2], [3, 4, 5]]

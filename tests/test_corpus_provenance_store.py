"""Provenance at ingest: passages and copies stored with their article in one transaction, the
earliest source and the carriers found after ingest, re-ingest adding nothing, kill -9 then
resume giving the copies of a clean run, and a second writer's passages caught up."""
from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from ingest_kill import WORDS, kill_ingest_after
from parallax.config import Config
from parallax.corpus.ingest import ingest
from parallax.corpus.provenance import EXACT, NEAR
from parallax.model import Article
from parallax.store import Store
from parallax.store import corpus as tables
from parallax.store import provenance

CONFIG = Config(threads=1, techniques=False)
KILL_RECORDS = 150

WIRE = ("The United Nations Security Council met on Tuesday to discuss the attack on the aid convoy near Aleppo, "
        "which killed at least 20 people and destroyed 18 trucks.")
WIRE_EDITED = ("The UN Security Council met on Tuesday to discuss the strike on the aid convoy near Aleppo, "
               "which killed at least 20 people and destroyed 18 lorries.")


def paragraph(seed: int) -> str:
    """Two sentences of random words: paragraphs of two seeds share almost no word bigram."""
    rng = random.Random(seed)
    return " ".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 14))).capitalize() + "."
                    for _ in range(2))


def record(i: int, *paragraphs: str, outlet: str | None = None, published: str | None = None) -> dict:
    own = [paragraph(1000 * i + k) for k in range(3 - len(paragraphs))]
    return {"id": f"r{i}", "text": "\n\n".join([*own, *paragraphs]), "title": f"Headline {i}",
            "outlet": outlet or f"outlet{i % 4}", "published": published or f"2016-09-{1 + i % 28:02d}"}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def run(sources: list[Path], store: Store) -> None:
    errors: list = []
    ingest(sources, store, config=CONFIG, on_error=errors.append)
    assert errors == []


def provenance_rows(store: Store) -> dict[str, list]:
    query = lambda sql: store.db.execute(sql).fetchall()  # noqa: E731
    return {"passages": query("SELECT ord, article_id, outlet, start, end, text_hash, grp, shingles FROM passages "
                              "ORDER BY ord"),
            "copies": query("SELECT * FROM copies ORDER BY article_id, start")}


def assert_whole(store: Store) -> None:
    """Passages only of stored articles, and every stored article traced (each has passages)."""
    traced = {row[0] for row in store.db.execute("SELECT DISTINCT article_id FROM passages")}
    ingested = {row[0] for row in store.db.execute("SELECT article_id FROM corpus_articles")}
    assert traced == ingested
    assert provenance.next_order(store) == provenance.count_passages(store)  # numbered 0, 1, 2, ...


# --------------------------------------------------------------------- after ingest

def test_a_planted_paragraph_is_found_with_its_earliest_source_and_carriers(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [
        record(1, WIRE, outlet="Reuters", published="2016-09-20"),
        record(2, outlet="AP", published="2016-09-20"),
        record(3, WIRE, outlet="AP", published="2016-09-21"),  # AP copies Reuters ...
        record(4, WIRE_EDITED, outlet="CNN", published="2016-09-22"),  # ... CNN edits AP's copy: still Reuters'
        record(5, WIRE, outlet="Reuters", published="2016-09-23"),  # Reuters repeating itself copies nobody
    ])
    with Store(tmp_path / "s.db") as store:
        run([corpus], store)
        reuters = store.get_article("r1")
        source = (reuters.text.index(WIRE), reuters.text.index(WIRE) + len(WIRE))
        [ap] = provenance.get_copies(store, "r3")
        [cnn] = provenance.get_copies(store, "r4")
        assert provenance.get_copies(store, "r5") == [] and provenance.get_copies(store, "r2") == []
        for copy, kind in ((ap, EXACT), (cnn, NEAR)):
            assert (copy.source_article_id, copy.source_outlet, copy.kind) == ("r1", "Reuters", kind)
            assert (copy.source_start, copy.source_end) == source
        text = store.get_article("r4").text
        assert text[cnn.start:cnn.end] == WIRE_EDITED and cnn.similarity < 1.0
        assert provenance.carriers(store, "r1", source[0]) == 3  # Reuters, AP, CNN
        assert provenance.carriers(store, "r4", cnn.start) == 3
        assert provenance.carriers(store, "r2", 0) == 1 and provenance.carriers(store, "r2", 1) == 0
        assert [c for c, _ in provenance.get_copies_with_carriers(store, "r4")] == [cnn]
        assert provenance.copy_summary(store, store.get_article("r3")).line() == "1 of 3 paragraphs copied from Reuters"
        assert_whole(store)


def test_reingesting_adds_no_passage_and_no_copy(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [record(1, WIRE, outlet="Reuters"), record(2, WIRE, outlet="AP")])
    with Store(tmp_path / "s.db") as store:
        run([corpus], store)
        before = provenance_rows(store)
        run([corpus], store)
        assert provenance_rows(store) == before and len(before["copies"]) == 1


def test_a_later_ingest_finds_sources_in_what_an_earlier_one_stored(tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", [record(1, WIRE, outlet="Reuters")])
    second = write_jsonl(tmp_path / "b.jsonl", [record(2, WIRE, outlet="AP")])
    with Store(tmp_path / "s.db") as store:
        run([first], store)
        run([second], store)  # a new run: its copy index is rebuilt from the stored passages
        [copy] = provenance.get_copies(store, "r2")
        assert (copy.source_article_id, copy.kind) == ("r1", EXACT)
        assert_whole(store)


def test_exact_copies_are_traced_too(tmp_path):
    original = record(1, WIRE, outlet="Reuters")
    corpus = write_jsonl(tmp_path / "c.jsonl", [original, {**original, "id": "copy", "outlet": "Yahoo"}])
    with Store(tmp_path / "s.db") as store:
        run([corpus], store)
        assert tables.get_duplicate(store, "copy").kind == EXACT
        copies = provenance.get_copies(store, "copy")
        assert len(copies) == 3 and {c.source_article_id for c in copies} == {"r1"}
        summary = provenance.copy_summary(store, store.get_article("copy"))
        assert summary.line() == "3 of 3 paragraphs copied from Reuters"


# ----------------------------------------------------------------- one transaction

def test_a_failed_article_leaves_no_passage_behind(tmp_path, monkeypatch):
    corpus = write_jsonl(tmp_path / "c.jsonl", [record(1, WIRE, outlet="Reuters"), record(2, WIRE, outlet="AP")])
    real = tables._put_signature

    def failing(store, signature, published_at):
        if signature.article_id == "r2":  # after r2's other rows, before its passages
            raise sqlite3.OperationalError("disk I/O error")
        real(store, signature, published_at)

    monkeypatch.setattr(tables, "_put_signature", failing)
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(sqlite3.OperationalError):
            run([corpus], store)
        assert not store.has_article("r2") and provenance.get_copies(store, "r2") == []
        assert_whole(store)
        monkeypatch.setattr(tables, "_put_signature", real)
        run([corpus], store)  # the next run traces r2 against what is stored
        assert [c.source_article_id for c in provenance.get_copies(store, "r2")] == ["r1"]
        assert_whole(store)


def test_kill_9_then_resume_gives_the_copies_of_a_clean_run(tmp_path):
    records = [record(i) for i in range(KILL_RECORDS)]
    for i in range(3, KILL_RECORDS, 5):  # a paragraph of an earlier article of another outlet
        source = records[i - 2]["text"].split("\n\n")[0]
        records[i] = record(i, source, published=records[i]["published"])
    corpus = write_jsonl(tmp_path / "c.jsonl", records)
    killed_db = tmp_path / "killed.db"
    kill_ingest_after(corpus, killed_db, 40)
    with Store(killed_db) as store:
        kept = tables.count_ingested(store)
        assert 40 <= kept < KILL_RECORDS, "the run should have been killed mid-way"
        assert_whole(store)
        run([corpus], store)
        assert_whole(store)
        killed = provenance_rows(store)
    with Store(tmp_path / "clean.db") as store:
        run([corpus], store)
        clean = provenance_rows(store)
    assert killed == clean
    assert len(clean["copies"]) == len(range(3, KILL_RECORDS, 5))


# ------------------------------------------------------------------ two writers

def test_an_index_behind_the_store_catches_up_before_tracing(tmp_path):
    with Store(tmp_path / "s.db") as store:
        ours, theirs = provenance.StoreCopyIndex(store), provenance.StoreCopyIndex(store)
        _store(store, ours, BBC)  # ours is built, level with the store
        _store(store, theirs, REUTERS)  # another writer stores Reuters meanwhile
        passages, copies = ours.trace(AP)
        assert passages[0].order == provenance.next_order(store)
        assert [c.source_article_id for c in copies] == ["reuters"]


def test_passages_numbered_before_another_writer_wrote_are_refused(tmp_path):
    with Store(tmp_path / "s.db") as store:
        ours, theirs = provenance.StoreCopyIndex(store), provenance.StoreCopyIndex(store)
        passages, copies = ours.trace(AP)
        _store(store, theirs, REUTERS)
        with pytest.raises(provenance.StaleIndex, match="passage 0 to write, but the store holds 2 passages"):
            _store(store, None, AP, passages, copies)
        assert not store.has_article("ap")


REUTERS = Article(text="\n\n".join([WIRE, paragraph(1)]), outlet="Reuters", id="reuters")
AP = Article(text="\n\n".join([paragraph(2), WIRE]), outlet="AP", id="ap")
BBC = Article(text=paragraph(3), outlet="BBC", id="bbc")


def _store(store: Store, index: provenance.StoreCopyIndex | None, article: Article, passages=None, copies=None) -> None:
    if index is not None:
        passages, copies = index.trace(article)
    with store.transaction():
        store.put_article_in_transaction(article)
        provenance.put_provenance_in_transaction(store, passages, copies)

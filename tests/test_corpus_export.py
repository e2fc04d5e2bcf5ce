"""`parallax export`: every table written as Parquet and CSV and read back (pyarrow, csv): row
counts, typed columns (empty tables too), span offsets into the stored text, quote ids shared
across outlets, batches, the output folder refused when it is a file, no half-written file."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from parallax.cli import main
from parallax.config import Config
from parallax.corpus import export as export_module
from parallax.corpus.export import TABLES, export, schemas
from parallax.corpus.ingest import ingest
from parallax.errors import UsageError
from parallax.model import Analysis, Claim, Cue, Quote, Speaker, Span, Technique
from parallax.store import Store
from parallax.store.stories import group_new

FINGERPRINT = "test-fingerprint"  # analyses are written by hand under it: no model runs
QUOTE = "We will not accept any ultimatum from Washington, and we will respond to every provocation"
WIRE = ("The United Nations Security Council met on Tuesday to discuss the attack on the aid convoy near Aleppo, "
        "which killed at least 20 people and destroyed 18 trucks.")
REUTERS = ("Russia's foreign minister rejected American demands on Syria after the convoy strike.\n\n"
           f"{WIRE}\n\n\"{QUOTE},\" Lavrov said at a news conference in New York.")
FOX = ("Moscow struck a defiant tone on Wednesday as pressure grew over the bombing of the convoy.\n\n"
       f"\"{QUOTE},\" Lavrov claimed in a combative appearance.\n\n{WIRE}")
ARTICLES = [
    {"id": "reuters", "outlet": "Reuters", "published": "2016-09-20", "title": "Lavrov rejects ultimatum",
     "text": REUTERS, "authors": ["Jane Doe"]},
    {"id": "fox", "outlet": "Fox", "published": "2016-09-21", "title": "Russia defiant", "text": FOX},
    {"id": "yahoo", "outlet": "Yahoo", "published": "2016-09-22", "title": "Lavrov rejects ultimatum", "text": REUTERS},
    {"id": "bbc", "outlet": "BBC", "title": "Storm closes harbour",
     "text": "A storm closed the harbour and the railway on Friday, and the council delayed the vote on the bridge."},
]


def layers(text: str, cue: str) -> dict[str, list[Span]]:
    """A quote, a claim and a technique at their real offsets in `text`."""
    q = text.index(QUOTE)
    speaker = text.index("Lavrov", q)
    verb = text.index(cue, speaker)
    w = text.index(WIRE)
    loaded = text.index("defiant") if "defiant" in text else text.index("rejected")
    return {"sentences": [Span(0, len(text))],
            "quotes": [Quote(q, q + len(QUOTE), "direct", speaker=Speaker("Lavrov", speaker, speaker + 6),
                             cue=Cue(cue, verb, verb + len(cue), {"said": "say", "claimed": "claim"}[cue]))],
            "claims": [Claim(w, w + len(WIRE), "", 0.8, kind="numeric", actors=["United Nations Security Council"])],
            "techniques": [Technique(loaded, loaded + 7, "Loaded_Language", 0.9, technique_score=0.7)]}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    corpus = folder / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in ARTICLES), encoding="utf-8")
    db = folder / "s.db"
    with Store(db) as store:
        ingest([corpus], store, config=Config(threads=1, techniques=False))
        group_new(store)
        for article_id, cue in (("reuters", "said"), ("fox", "claimed")):
            article = store.get_article(article_id)
            assert store.put_analysis(Analysis(article, layers(article.text, cue)), FINGERPRINT)
    return db


def read_parquet(folder: Path) -> dict[str, list[dict]]:
    tables = {name: pq.read_table(folder / f"{name}.parquet") for name in TABLES}
    for name, table in tables.items():
        assert table.schema.names == schemas()[name].names and table.schema.equals(schemas()[name]), name
    return {name: table.to_pylist() for name, table in tables.items()}


def read_csv(folder: Path) -> dict[str, list[dict]]:
    found = {}
    for name in TABLES:
        with (folder / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            found[name] = list(reader)
            assert reader.fieldnames == schemas()[name].names, name
    return found


def assert_spans_index_the_stored_text(tables: dict[str, list[dict]]) -> None:
    texts = {row["id"]: row["text"] for row in tables["articles"]}
    for name in ("quotes", "claims", "techniques", "copies"):
        assert tables[name], name
        for row in tables[name]:
            assert texts[row["article_id"]][int(row["start"]):int(row["end"])] == row["text"], (name, row)


# ------------------------------------------------------------------------ round trip

def test_parquet_round_trip(store_path, tmp_path):
    with Store(store_path) as store:
        counts = export(store, tmp_path / "out", "parquet", FINGERPRINT)
    tables = read_parquet(tmp_path / "out")
    assert counts == {name: len(rows) for name, rows in tables.items()}
    assert counts == {"articles": 4, "stories": counts["stories"], "story_articles": 4, "quotes": 2, "claims": 2,
                      "techniques": 2, "copies": 5, "outlets": 4}
    assert 2 <= counts["stories"] <= 3
    assert_spans_index_the_stored_text(tables)
    articles = {row["id"]: row for row in tables["articles"]}
    assert articles["reuters"]["authors"] == ["Jane Doe"] and articles["reuters"]["deep"] is True
    assert (articles["yahoo"]["duplicate_of"], articles["yahoo"]["duplicate_kind"]) == ("reuters", "exact")
    assert articles["yahoo"]["deep"] is False and articles["bbc"]["published_at"] is None
    assert articles["reuters"]["published_at"].isoformat() == "2016-09-20T00:00:00+00:00"
    # Fox: the wire paragraph, and the quote's paragraph (most of it is the quote Reuters carried)
    assert (articles["fox"]["paragraphs"], articles["fox"]["copied_paragraphs"]) == (3, 2)
    # the quote is one tracked quote, as `parallax quotes` numbers it
    [reuters_quote, fox_quote] = sorted(tables["quotes"], key=lambda row: row["article_id"], reverse=True)
    assert reuters_quote["quote_id"] == fox_quote["quote_id"] is not None
    assert (fox_quote["cue"], fox_quote["cue_lemma"], fox_quote["speaker"]) == ("claimed", "claim", "Lavrov")
    assert (fox_quote["found_by"], fox_quote["score"]) == ("rules", 1.0)  # a hand-built quote: the default score
    wire = [row for row in tables["copies"] if row["text"] == WIRE]
    assert {(row["article_id"], row["source_article_id"], row["carriers"]) for row in wire} == {
        ("fox", "reuters", 3), ("yahoo", "reuters", 3)}
    outlets = {row["outlet"]: row for row in tables["outlets"]}
    assert outlets["Fox"]["copied_share"] == round(2 / 3, 3) and outlets["Fox"]["copied_share_n"] == 1
    assert outlets["Yahoo"]["copied_share"] == 1.0 and json.loads(outlets["Fox"]["cue_mix"]) == {"claim": 1.0}


def test_csv_round_trip(store_path, tmp_path):
    with Store(store_path) as store:
        counts = export(store, tmp_path / "out", "csv", FINGERPRINT)
    tables = read_csv(tmp_path / "out")
    assert counts == {name: len(rows) for name, rows in tables.items()}
    assert_spans_index_the_stored_text(tables)
    reuters = next(row for row in tables["articles"] if row["id"] == "reuters")
    assert json.loads(reuters["authors"]) == ["Jane Doe"] and reuters["text"] == REUTERS
    assert json.loads(tables["claims"][0]["actors"]) == ["United Nations Security Council"]


def test_empty_tables_keep_their_columns(store_path, tmp_path):
    with Store(store_path) as store:
        parquet = export(store, tmp_path / "p", "parquet", None)
        plain = export(store, tmp_path / "c", "csv", None)
    assert parquet == plain and parquet["quotes"] == parquet["claims"] == parquet["techniques"] == 0
    assert parquet["articles"] == 4 and parquet["copies"] == 5
    assert read_parquet(tmp_path / "p")["quotes"] == [] and read_csv(tmp_path / "c")["techniques"] == []


def test_small_batches_write_the_same_rows(store_path, tmp_path, monkeypatch):
    with Store(store_path) as store:
        whole = export(store, tmp_path / "whole", "parquet", FINGERPRINT)
        monkeypatch.setattr(export_module, "BATCH_ROWS", 1)
        batched = export(store, tmp_path / "batched", "parquet", FINGERPRINT)
    assert whole == batched and read_parquet(tmp_path / "whole") == read_parquet(tmp_path / "batched")
    assert pq.ParquetFile(tmp_path / "batched" / "articles.parquet").num_row_groups == 4


# ----------------------------------------------------------------------- the folder

def test_a_path_that_is_a_file_is_refused(store_path, tmp_path, capsys):
    target = tmp_path / "taken"
    target.write_text("not a folder")
    with Store(store_path) as store, pytest.raises(UsageError, match="exists and is not a folder"):
        export(store, target, "parquet", FINGERPRINT)
    assert main(["export", "--store", str(store_path), "--to", str(target)]) == 2
    assert "exists and is not a folder" in capsys.readouterr().err and target.read_text() == "not a folder"


def test_a_failed_export_leaves_no_file(store_path, tmp_path, monkeypatch):
    def broken(profile):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_module, "_outlet_row", broken)
    with Store(store_path) as store, pytest.raises(RuntimeError):
        export(store, tmp_path / "out", "csv", FINGERPRINT)
    assert list((tmp_path / "out").iterdir()) == []


def test_the_command_prints_the_rows_per_table(store_path, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", "--store", str(store_path), "--to", str(out), "--format", "csv"]) == 0
    printed, err = capsys.readouterr()
    assert printed.splitlines()[0] == f"exported {store_path} to {out} (csv)"
    assert f"  articles                 4  {out / 'articles.csv'}" in printed.splitlines()
    assert "no deep analyses in the store" in err  # the hand-written ones are under another fingerprint
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{name}.csv" for name in TABLES)

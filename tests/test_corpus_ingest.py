"""`parallax ingest`: corpus files into the store with the cheap tier. Idempotent re-runs, kill -9
then resume, bad rows named per format, column maps, duplicates, non-English records, folders,
Ctrl-C, story signatures in publication order, --deep; and the English check itself."""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest_kill import WORDS, kill_ingest_after
from parallax.config import Config
from parallax.corpus.commands import register
from parallax.corpus.dedup import BANDS, EXACT, NEAR
from parallax.corpus.ingest import IngestReport, ingest
from parallax.corpus.language import check_language
from parallax.errors import InputError, ParallaxError, UsageError
from parallax.store import Store
from parallax.store import corpus as tables

# One encoder thread: the encoder session is loaded once for every test in this process.
CONFIG = Config(threads=1, techniques=False)
KILL_RECORDS = 240


FRENCH = ("Le président de la République a annoncé mardi soir une série de mesures destinées à soutenir le "
          "pouvoir d'achat des ménages. Selon le ministre de l'Économie, ces aides coûteront près de dix "
          "milliards d'euros à l'État cette année. Les syndicats ont salué un premier pas, mais ils estiment "
          "que les salaires doivent encore augmenter.")
GERMAN = ("Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung erneuerbarer Energien beschlossen. "
          "Nach Angaben des Wirtschaftsministeriums sollen bis zum Jahr 2030 doppelt so viele Windräder gebaut "
          "werden wie bisher. Umweltverbände begrüßten die Pläne.")


def story(seed: int, sentences: int = 6) -> str:
    """English-looking sentences of random words: two seeds share almost no word 3-grams."""
    rng = random.Random(seed)
    return " ".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 14))).capitalize() + "."
                    for _ in range(sentences))


def record(seed: int, **fields) -> dict:
    return {"id": f"r{seed}", "text": story(seed), "title": f"Headline {seed}", "outlet": f"outlet{seed % 3}",
            "published": f"2016-09-{1 + seed % 28:02d}", **fields}


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def run(sources, store: Store, **options) -> tuple[IngestReport, list[InputError], list[str]]:
    errors: list[InputError] = []
    notes: list[str] = []
    report = ingest(sources, store, config=CONFIG, on_error=errors.append, on_note=notes.append, **options)
    return report, errors, notes


def snapshot(store: Store) -> dict:
    """Every corpus row a run leaves, without timestamps or row numbers; vectors apart."""
    query = lambda sql: sorted(store.db.execute(sql).fetchall())  # noqa: E731
    return {
        "articles": query("SELECT id, outlet, title, url, authors, published, source, meta, text FROM articles"),
        "corpus": query("SELECT article_id, text_hash, minhash, published_at, english FROM corpus_articles"),
        "buckets": query("SELECT b.bucket, c.article_id FROM near_buckets b JOIN corpus_articles c USING (key)"),
        "duplicates": query("SELECT article_id, original_id, kind, similarity FROM duplicates"),
        "signatures": query("SELECT article_id, published_at, data, dims FROM signatures"),
    }


def vectors(store: Store) -> dict[str, np.ndarray]:
    return {s.article_id: s.vector for s in tables.iter_signatures(store)}


def assert_whole(store: Store) -> None:
    """No partial article: each has its corpus row and signature; each original its buckets."""
    db = store.db
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == tables.count_ingested(store) \
        == tables.count_signatures(store)
    originals = db.execute("SELECT count(*) FROM corpus_articles WHERE minhash IS NOT NULL").fetchone()[0]
    copies = db.execute("SELECT count(*) FROM duplicates").fetchone()[0]
    assert originals + copies == tables.count_ingested(store)
    assert db.execute("SELECT count(*) FROM near_buckets").fetchone()[0] == BANDS * originals


# ------------------------------------------------------------------- idempotent, resumable

def test_reingesting_skips_known_articles_and_changes_nothing(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [record(i) for i in range(20)])
    with Store(tmp_path / "s.db") as store:
        first, errors, _ = run([corpus], store)
        before = snapshot(store)
        second, _, _ = run([corpus], store)
        assert (first.read, first.stored, first.known, errors) == (20, 20, 0, [])
        assert (second.read, second.stored, second.known) == (20, 0, 20)
        assert snapshot(store) == before
        assert_whole(store)


def test_kill_9_during_ingest_then_a_rerun_gives_the_rows_of_a_clean_run(tmp_path):
    records = [record(i) for i in range(KILL_RECORDS)]
    for i in range(0, KILL_RECORDS, 40):  # copies among them, so duplicates are resumed too
        records[i + 1] = {**records[i], "id": f"copy{i}", "outlet": "copier"}
    corpus = write_jsonl(tmp_path / "c.jsonl", records)
    killed_db = tmp_path / "killed.db"
    kill_ingest_after(corpus, killed_db, 70)
    with Store(killed_db) as store:
        kept = tables.count_ingested(store)
        assert 70 <= kept < KILL_RECORDS, "the run should have been killed mid-way"
        assert_whole(store)
        resumed, _, _ = run([corpus], store)
        assert (resumed.known, resumed.stored) == (kept, KILL_RECORDS - kept)
        killed_rows, killed_vectors = snapshot(store), vectors(store)
    with Store(tmp_path / "clean.db") as store:
        clean, _, _ = run([corpus], store)
        assert clean.exact == KILL_RECORDS // 40
        clean_rows, clean_vectors = snapshot(store), vectors(store)
    assert killed_rows == clean_rows
    assert killed_vectors.keys() == clean_vectors.keys()
    assert all(np.allclose(killed_vectors[k], clean_vectors[k], atol=1e-5) for k in clean_vectors)


def test_ctrl_c_keeps_what_is_done_and_reports_the_counts(tmp_path):
    class Interrupting:
        def __init__(self) -> None:
            self.done = 0

        def advance(self, ok: bool = True) -> None:
            self.done += 1
            if self.done == 10:
                raise KeyboardInterrupt

    corpus = write_jsonl(tmp_path / "c.jsonl", [record(i) for i in range(30)])
    with Store(tmp_path / "s.db") as store:
        report, _, _ = run([corpus], store, progress=Interrupting())
        assert report.interrupted and report.stored == 10 == tables.count_ingested(store)
        assert_whole(store)
        rest, _, _ = run([corpus], store)
        assert (rest.known, rest.stored, rest.interrupted) == (10, 20, False)


# ------------------------------------------------------------------------- bad rows

def test_bad_rows_in_each_format_are_named_by_file_and_row_and_the_rest_ingested(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    jsonl = write_jsonl(folder / "a.jsonl", [record(1), '{"text": "unterminated', record(2)])
    csv_path = folder / "b.csv"
    csv_path.write_text(f"id,text,outlet\nc1,{story(3)},csv\nc2,,csv\nc3,{story(4)},csv\n", encoding="utf-8")
    parquet = folder / "c.parquet"
    pq.write_table(pa.table({"id": ["p1", "p2", "p3"], "text": [story(5), None, story(6)]}), parquet)
    with Store(tmp_path / "s.db") as store:
        report, errors, _ = run([folder], store)
        assert [(e.source, e.problem.split(" (")[0]) for e in errors] == [
            (f"{jsonl}:line 2", "invalid JSON"),
            (f"{csv_path}:row 2", '"text" is empty; expected the article body'),
            (f"{parquet}:row 2", '"text" is null; expected a non-empty string'),
        ]
        assert (report.read, report.stored, report.errors) == (6, 6, 3)
        assert sorted(a.id for a in store.iter_articles()) == ["c1", "c3", "p1", "p3", "r1", "r2"]


def test_the_command_maps_columns_and_exits_1_naming_each_bad_row(tmp_path, capsys):
    corpus = tmp_path / "news.csv"
    corpus.write_text(f"doc,body,date,paper\nd1,{story(1)},26 September 2016,Daily\nd2,,,Daily\n"
                      f"d3,{story(2)},2016-09-27,Weekly\n", encoding="utf-8")
    db = tmp_path / "s.db"
    code = command(["ingest", str(corpus), "--store", str(db), "--map", "id=doc,text=body,published=date,outlet=paper"])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"{corpus}:row 2: \"text\" is empty" in err
    assert "  stored                   2" in out and "  errors                   1" in out
    with Store(db) as store:
        article = store.get_article("d1")
        assert (article.outlet, article.published) == ("Daily", "2016-09-26")
        assert tables.get_signature(store, "d3").published == "2016-09-27"


def test_the_command_exits_0_when_all_is_ingested_and_2_on_a_usage_error(tmp_path, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl", [record(1)])
    assert command(["ingest", str(corpus), "--store", str(tmp_path / "s.db")]) == 0
    assert command(["ingest", str(corpus), "--store", str(tmp_path / "s.db"), "--map", "body=text"]) == 2
    assert command(["ingest", str(corpus), "--store", str(tmp_path / "s.db"), "--map", "text=body"]) == 2
    err = capsys.readouterr().err
    assert "unknown field 'body'" in err and "--map text=body: the file has no column 'body'" in err


# ------------------------------------------------------------------- what is stored

def test_exact_and_near_copies_are_stored_with_their_original_and_similarity(tmp_path):
    words = story(1).split()
    near = " ".join("changed" if i % 25 == 0 else word for i, word in enumerate(words))
    corpus = write_jsonl(tmp_path / "c.jsonl", [
        record(1, published="2016-09-02"),
        record(2),
        {"id": "exact", "text": story(1).upper(), "outlet": "wire"},
        {"id": "near", "text": near, "outlet": "wire", "published": "2016-09-05"},
    ])
    with Store(tmp_path / "s.db") as store:
        report, _, _ = run([corpus], store)
        assert (report.stored, report.exact, report.near) == (4, 1, 1)
        assert tables.get_duplicate(store, "exact") == tables.Duplicate("r1", EXACT, 1.0)
        near_copy = tables.get_duplicate(store, "near")
        assert (near_copy.original_id, near_copy.kind) == ("r1", NEAR) and 0.5 <= near_copy.similarity < 1
        assert tables.get_duplicate(store, "r2") is None
        assert [article_id for article_id, _ in tables.iter_duplicates(store)] == ["exact", "near"]
        assert_whole(store)


def test_non_english_records_are_counted_and_skipped_with_a_note(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [record(1), {"text": FRENCH}, {"text": GERMAN}, record(2)])
    with Store(tmp_path / "s.db") as store:
        report, _, notes = run([corpus], store)
        assert (report.read, report.stored, report.non_english) == (4, 2, 2)
        assert notes[0].startswith(f"{corpus}#2: skipped, not English (English function words are 0%")
        assert len(notes) == 2 and tables.count_ingested(store) == 2


def test_folders_are_ingested_recursively(tmp_path):
    root = tmp_path / "corpus"
    (root / "2016" / "september").mkdir(parents=True)
    write_jsonl(root / "2016" / "a.jsonl", [record(1)])
    (root / "2016" / "september" / "b.txt").write_text(f"A headline\n\n{story(2)}\n", encoding="utf-8")
    (root / "readme.pdf").write_bytes(b"%PDF")
    with Store(tmp_path / "s.db") as store:
        report, errors, notes = run([root], store)
        assert (report.stored, errors) == (2, [])
        assert [a.title for a in store.iter_articles()] == ["Headline 1", "A headline"]
        assert notes == [f"{root}: skipped 1 file of other types (.pdf 1); "
                         "read: .jsonl .csv .parquet .txt .md .markdown .html .htm"]


def test_signatures_are_stored_and_read_in_publication_order(tmp_path):
    dates = ["2016-09-03", None, "2016-09-01T12:00:00+00:00", "2016-09-02", None]
    corpus = write_jsonl(tmp_path / "c.jsonl", [record(i, published=d) for i, d in enumerate(dates)])
    with Store(tmp_path / "s.db") as store:
        run([corpus], store)
        order = [s.article_id for s in tables.iter_signatures(store)]
        assert order == ["r2", "r3", "r0", "r1", "r4"]  # dated by time, then undated in ingest order
        signature = tables.get_signature(store, "r0")
        assert signature.vector.dtype == np.float32 and abs(np.linalg.norm(signature.vector) - 1) < 1e-4
        assert signature.title == "Headline 0" and signature.published == "2016-09-03" and signature.terms


def test_deep_also_stores_the_full_analysis(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [record(1), {**record(1), "id": "copy", "outlet": "x"}, record(2)])
    with Store(tmp_path / "s.db") as store:
        report, errors, _ = run([corpus], store, deep=True)
        assert errors == [] and (report.stored, report.exact, report.analysed) == (3, 1, 2)
        layers = dict(store.db.execute("SELECT article_id, layers FROM analyses").fetchall())
        assert set(layers) == {"r1", "r2"} and "sentences" in json.loads(layers["r1"])


# ------------------------------------------------------------------- the English check

@pytest.mark.parametrize("text", [
    FRENCH, GERMAN,
    "El Gobierno aprobó este martes un nuevo paquete de medidas para frenar la subida de los precios de la "
    "energía. Según fuentes del Ministerio de Hacienda, las ayudas llegarán a más de tres millones de familias "
    "antes del verano. Los sindicatos consideran que el plan es insuficiente.",
    "Il governo ha approvato ieri sera il decreto che introduce nuove regole per il lavoro a distanza nella "
    "pubblica amministrazione. Secondo il ministro, i dipendenti potranno lavorare da casa fino a due giorni "
    "alla settimana. I sindacati hanno espresso soddisfazione.",
    "Rząd przyjął we wtorek projekt ustawy, który ma obniżyć ceny energii dla gospodarstw domowych. Według "
    "ministra finansów nowe przepisy wejdą w życie jeszcze przed zimą. Opozycja twierdzi, że rozwiązanie jest "
    "tymczasowe i nie rozwiązuje problemu wysokiej inflacji.",
    "Правительство во вторник одобрило новый пакет мер по поддержке малого бизнеса.",
    "政府周二宣布了一项新的经济刺激计划，旨在支持中小企业并稳定就业。",
    "Le président a démissionné ce matin après la défaite de son parti aux élections.",
    "Der Präsident ist heute Morgen nach der Niederlage seiner Partei zurückgetreten.",
])
def test_other_languages_are_not_english(text):
    assert not check_language(text).english


@pytest.mark.parametrize("text", [
    "PHILADELPHIA 76ERS Fired Jim O'Brien , coach . Named Maurice Cheeks coach .",
    "Le Pen wins the first round of the French election",
    "The minister said on Tuesday that the budget would be cut by a third, and that the police would have "
    "to find the money for new officers from their own reserves after the election.",
    "Vladimir Putin (Владимир Путин) said the talks with the delegation had been useful.",
])
def test_english_passes_even_short_or_with_foreign_names(text):
    assert check_language(text).english


def test_every_english_article_of_the_shared_corpora_passes():
    from conftest import SHARED

    path = SHARED / "data" / "basil" / "basil_articles.jsonl"
    if not path.is_file():
        pytest.skip("the shared BASIL corpus is not here")
    with path.open(encoding="utf-8") as lines:
        texts = [" ".join(" ".join(p) for p in json.loads(line)["paragraphs"]) for line in lines]
    assert all(check_language(text).english for text in texts)


# ------------------------------------------------------------------------- helpers

class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def command(argv: list[str]) -> int:
    """Run `parallax ARGV` with only the ingest command registered, as cli.main does."""
    parser = _Parser(prog="parallax")
    register(parser.add_subparsers(dest="command", parser_class=_Parser))
    try:
        args = parser.parse_args(argv)
        return args.run(args)
    except ParallaxError as error:
        print(f"parallax: error: {error}", file=sys.stderr)
        return error.exit_code

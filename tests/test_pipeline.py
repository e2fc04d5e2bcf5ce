"""The Pipeline: components, analyze_many streaming, rebuilding from a Config, safe text input."""
from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import parallax
from parallax import chunks
from parallax.config import Config
from parallax.errors import InputError, UsageError
from parallax.model import Article, Quote
from parallax.pipeline import COMPONENTS, Pipeline

from conftest import SHARED

PTC = SHARED / "data" / "ptc" / "train-articles"
TWO_QUOTES = ('"The talks are over," the envoy told the council on Sunday.\n\n'
              'Officials said 26 people were killed in the city.')


@pytest.fixture(scope="module")
def fast_pipeline() -> Pipeline:
    """Every layer but techniques, nothing stored: fast enough for many articles."""
    return Pipeline(Config(techniques=False, cache=False, threads=1))


def test_components_declare_what_they_need_and_add() -> None:
    pipeline = Pipeline(Config(cache=False))
    assert pipeline.component_names == ["sentences", "entities", "claims", "quotes", "techniques"]
    assert COMPONENTS["quotes"].needs == ("entities",)
    assert Pipeline(Config(cache=False, vectors=True)).component_names[-1] == "vectors"


@pytest.mark.parametrize("names, message", [
    (["quotes"], "component 'quotes' needs entities"),
    (["sentences", "claims"], "needs entities"),
    (["sentences", "grammar"], "unknown component grammar"),
])
def test_a_component_order_that_cannot_work_is_refused(names: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        Pipeline(Config(cache=False), components=names)


@pytest.mark.parametrize("text", ["/etc/hostname", "/etc/passwd", "README.md", "../shared/DESIGN.md"])
def test_a_string_is_always_text_never_a_file(fast_pipeline: Pipeline, text: str) -> None:
    assert parallax.from_text(text).text == text
    analysis = fast_pipeline.analyze(text)
    assert analysis.text == text
    assert parallax.analyze(text, techniques=False, cache=False).text == text


def test_analyze_fills_every_layer(fast_pipeline: Pipeline) -> None:
    analysis = fast_pipeline.analyze(parallax.from_text(TWO_QUOTES, title="Envoy"))
    assert set(analysis.layers) == {"sentences", "entities", "quotes", "claims"}
    [quote] = [q for q in analysis.quotes if q.kind == "direct"]
    assert isinstance(quote, Quote) and analysis.snippet(quote).startswith("The talks are over")
    assert quote.cue is not None and quote.cue.text == "told"


def test_analyze_many_yields_errors_in_place_and_goes_on(fast_pipeline: Pipeline) -> None:
    items = ["First text. It is short.", "", InputError("a.jsonl:line 3", "invalid JSON"), "Last text here."]
    results = list(fast_pipeline.analyze_many(items))
    assert [type(r).__name__ for r in results] == ["Analysis", "InputError", "InputError", "Analysis"]
    assert results[0].text.startswith("First") and results[3].text == "Last text here."
    assert "empty" in str(results[1]) and str(results[2]) == "a.jsonl:line 3: invalid JSON"


def test_a_text_over_the_limit_is_one_clear_error(fast_pipeline: Pipeline, monkeypatch) -> None:
    monkeypatch.setattr(chunks, "MAX_TEXT_CHARS", 100)
    monkeypatch.setattr("parallax.pipeline.MAX_TEXT_CHARS", 100)
    [result, ok] = fast_pipeline.analyze_many([Article("word " * 40, source="big.txt"), "short text"])
    assert isinstance(result, InputError) and "big.txt: text is 200 characters; the limit is 100" in str(result)
    assert not isinstance(ok, InputError)


def test_long_texts_are_analysed_in_chunks_with_offsets_into_the_whole(fast_pipeline: Pipeline,
                                                                        monkeypatch) -> None:
    text = "\n\n".join([TWO_QUOTES] * 6)
    whole = fast_pipeline.analyze(text)
    monkeypatch.setattr("parallax.pipeline.chunk_bounds", lambda t: chunks.chunk_bounds(t, max_chars=300))
    assert len(chunks.chunk_bounds(text, max_chars=300)) > 2
    chunked = fast_pipeline.analyze(text)
    assert [(q.start, q.end, q.kind) for q in chunked.quotes] == [(q.start, q.end, q.kind) for q in whole.quotes]
    assert [(s.start, s.end) for s in chunked.sentences] == [(s.start, s.end) for s in whole.sentences]
    for quote in chunked.quotes:
        assert chunked.snippet(quote) == whole.snippet(quote)
        assert quote.cue is None or text[quote.cue.start:quote.cue.end] == quote.cue.text


@pytest.mark.parametrize("size", [10, 299, 300, 5000])
def test_chunk_bounds_cover_the_text_in_order(size: int) -> None:
    text = ("A sentence of words. " * 7 + "\n\n") * (size // 150 + 1)
    bounds = chunks.chunk_bounds(text[:size], max_chars=300)
    assert bounds[0][0] == 0 and bounds[-1][1] == min(size, len(text))
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(0 < end - start <= 300 for start, end in bounds)


def test_analyze_many_keeps_memory_flat_over_300_articles(fast_pipeline: Pipeline) -> None:
    """Streaming: memory after 300 articles is about what it was after 60."""
    paths = sorted(PTC.glob("*.txt"))[:300]
    assert len(paths) == 300
    articles = (parallax.from_text(p.read_text(encoding="utf-8")[:2500], source=str(p)) for p in paths)
    marks = {}
    for number, result in enumerate(fast_pipeline.analyze_many(articles), start=1):
        assert not isinstance(result, InputError)
        if number in (60, 300):
            marks[number] = _rss_mb()
    assert marks[300] - marks[60] < 60, marks


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * 4096 / 2**20


def test_a_pipeline_pickles_as_its_config_and_rebuilds_elsewhere(seed_paths: list[Path]) -> None:
    """What Dask and web workers do: the same output in another process."""
    pipeline = Pipeline(Config(cache=False, threads=1))
    payload = pickle.dumps(pipeline)
    assert len(payload) < 2000  # the Config and component names, never the models
    from parallax.report.json_out import document

    here = document(pipeline.compare([parallax.load_path(p)[0] for p in seed_paths]))
    code = ("import pickle, sys, json, parallax\n"
            "from parallax.report.json_out import document\n"
            "pipeline = pickle.loads(sys.stdin.buffer.read())\n"
            f"paths = {[str(p) for p in seed_paths]!r}\n"
            "print(json.dumps(document(pipeline.compare([parallax.load_path(p)[0] for p in paths]))))\n")
    result = subprocess.run([sys.executable, "-c", code], input=payload, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert json.loads(result.stdout) == json.loads(json.dumps(here))


def test_stored_analyses_are_reused_and_an_edited_fingerprint_misses(tmp_path: Path, monkeypatch) -> None:
    from parallax.nlp import sentences

    config = Config(techniques=False, store=str(tmp_path / "p.db"), threads=1)
    with Pipeline(config) as first:
        analysis = first.analyze(TWO_QUOTES)
    calls = []
    real = sentences.sentence_spans
    monkeypatch.setattr(sentences, "sentence_spans", lambda doc: calls.append(1) or real(doc))
    with Pipeline(config) as second:
        assert second.analyze(TWO_QUOTES).layers == analysis.layers
        assert calls == []  # from the store
        second._fingerprint = "after-an-edit"
        assert second.analyze(TWO_QUOTES).layers == analysis.layers
        assert calls == [1]  # another fingerprint: computed again


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    with Pipeline(Config(techniques=False, cache=False, store=str(tmp_path / "p.db"))) as pipeline:
        pipeline.analyze(TWO_QUOTES)
        assert pipeline.store is None
    assert not (tmp_path / "p.db").exists()


def test_compare_reuses_stored_sentence_vectors(tmp_path: Path, seed_paths: list[Path], monkeypatch) -> None:
    config = Config(store=str(tmp_path / "p.db"), threads=1)
    articles = [parallax.load_path(p)[0] for p in seed_paths]
    with Pipeline(config) as pipeline:
        first = pipeline.compare(articles)
    encoded: list[int] = []
    with Pipeline(config) as pipeline:
        real = pipeline.encode
        monkeypatch.setattr(pipeline, "encode", lambda texts: encoded.append(len(texts)) or real(texts))
        second = pipeline.compare(articles)
    assert sum(encoded) == 0
    assert [(l.relation, l.a, l.b) for l in second.links] == [(l.relation, l.a, l.b) for l in first.links]


def test_a_default_store_that_cannot_be_opened_means_no_storing(tmp_path: Path, monkeypatch, caplog) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with Pipeline(Config(techniques=False, threads=1)) as pipeline:
        assert pipeline.analyze(TWO_QUOTES).quotes
        assert pipeline.store is None
    assert "analyses are not stored" in caplog.text


def test_a_named_store_that_cannot_be_opened_is_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with Pipeline(Config(techniques=False, store=str(blocker / "p.db"))) as pipeline:
        with pytest.raises(InputError, match="p.db"):
            pipeline.analyze(TWO_QUOTES)

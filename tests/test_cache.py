"""The on-disk result cache: a re-run reuses layers and vectors, and a bad cache never breaks a run."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import parallax
from parallax import cache, nlp
from parallax.cli import main
from parallax.model import Span

TEXT = ('Samantha Power told the council that "what Russia is sponsoring is barbarism". '
        "Vitaly Churkin said peace was now almost impossible.")


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


def _forbid(monkeypatch, module, name: str) -> None:
    def fail(*args, **kwargs):
        raise AssertionError(f"{name} ran although its result was cached")

    monkeypatch.setattr(module, name, fail)


def test_a_second_analysis_of_the_same_text_comes_from_the_cache(cache_folder: Path, monkeypatch) -> None:
    first = parallax.analyze(TEXT, techniques=False)
    assert len(list(cache_folder.glob("layers-*.json"))) == 1
    _forbid(monkeypatch, nlp, "annotate")
    again = parallax.analyze(TEXT, techniques=False)
    assert again.layers == first.layers
    assert again.article.text == TEXT


@pytest.mark.parametrize("first, second", [
    ({"techniques": False}, {"techniques": False, "threshold": 0.9}),   # another threshold
    ({"techniques": False}, {"techniques": True}),                      # techniques asked for
])
def test_other_settings_are_other_entries(cache_folder: Path, first: dict, second: dict) -> None:
    parallax.analyze(TEXT, **first)
    parallax.analyze(TEXT, **second)
    assert len(list(cache_folder.glob("layers-*.json"))) == 2


def test_cache_false_neither_reads_nor_writes(cache_folder: Path) -> None:
    parallax.analyze(TEXT, techniques=False, cache=False)
    assert not cache_folder.exists()


@pytest.mark.parametrize("setting", ["off", "OFF", "0", "no", "false"])
def test_the_environment_turns_the_cache_off(monkeypatch, setting: str) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, setting)
    assert cache.cache_dir() is None
    cache.put_vectors("vectors-x", np.zeros(3))  # a no-op, not an error
    assert cache.get_vectors("vectors-x") is None


def test_default_folder_follows_xdg(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "parallax"


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05\x95truncated"])
def test_regression_a_damaged_entry_is_recomputed(cache_folder: Path, garbage: bytes) -> None:
    first = parallax.analyze(TEXT, techniques=False)
    for entry in cache_folder.glob("layers-*.json"):
        entry.write_bytes(garbage)
    assert parallax.analyze(TEXT, techniques=False).layers == first.layers


def test_an_unwritable_cache_folder_means_no_caching(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    assert parallax.analyze(TEXT, techniques=False)["sentences"]


def test_compare_reuses_the_sentence_vectors(cache_folder: Path, monkeypatch, seed_paths) -> None:
    from parallax import embeddings

    analyses = [parallax.analyze(parallax.load(p)[0], techniques=False) for p in seed_paths]
    first = parallax.compare(analyses)
    assert len(list(cache_folder.glob("vectors-*.npy"))) == 1
    _forbid(monkeypatch, embeddings, "encode")
    again = parallax.compare(analyses)
    assert [(l.relation, l.a, l.b) for l in again.links] == [(l.relation, l.a, l.b) for l in first.links]


def test_cli_no_cache_writes_nothing(cache_folder: Path, tmp_path: Path, seed_paths) -> None:
    out = tmp_path / "out.json"
    assert main(["analyze", str(seed_paths[0]), "--no-techniques", "--no-cache", "--format", "json",
                 "-o", str(out)]) == 0
    assert out.is_file() and not cache_folder.exists()


def test_the_least_recently_used_entries_go_first_when_the_cache_is_full(cache_folder: Path) -> None:
    for number in range(5):
        cache.put_vectors(f"vectors-{number}", np.zeros(120))  # 1,088 bytes each
        os.utime(cache_folder / f"vectors-{number}.npy", (number, number))  # written in this order
    assert cache.get_vectors("vectors-0") is not None  # reading 0 makes it the most recently used
    cache.prune(cache_folder, max_bytes=3500)  # room for 3 entries; prunes down to 80% of that: 2
    assert sorted(path.stem for path in cache_folder.glob("*.npy")) == ["vectors-0", "vectors-4"]


def test_pruning_leaves_a_small_cache_alone(cache_folder: Path) -> None:
    cache.put_vectors("vectors-a", np.arange(3.0))
    cache.prune(cache_folder)
    assert cache.get_vectors("vectors-a").tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("attrs", [{"range": (1, 2)}, {1: "number key"}, {"value": {1.5}}])
def test_regression_layers_that_json_would_change_are_not_cached(cache_folder: Path, attrs: dict) -> None:
    cache.put_layers("layers-odd", {"claims": [Span(0, 4, "claim", 1.0, attrs)]})
    assert cache.get_layers("layers-odd") is None


def test_layers_come_back_equal(cache_folder: Path) -> None:
    layers = {"quotes": [Span(3, 9, "quote", 0.5, {"speaker": {"name": "Power", "start": 0}, "kind": "direct"})]}
    cache.put_layers("layers-q", layers)
    assert cache.get_layers("layers-q") == layers


def test_a_planted_pickle_is_never_loaded(cache_folder: Path) -> None:
    import pickle

    cache_folder.mkdir()
    (cache_folder / "vectors-p.npy").write_bytes(pickle.dumps(np.zeros(2)))  # an object array needs pickle
    np.save(cache_folder / "vectors-o.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    assert cache.get_vectors("vectors-p") is None and cache.get_vectors("vectors-o") is None

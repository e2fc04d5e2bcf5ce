"""The pipeline fingerprint follows the code's content, the models' content and the settings,
never file times (an edit in an editable install must not serve stale layers)."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from parallax.config import Config
from parallax.store import fingerprint as fp
from parallax.store.fingerprint import fingerprint


@pytest.fixture(autouse=True)
def fresh_caches():
    """The hashes are cached per process; each test starts from none."""
    fp._fingerprint.cache_clear()
    fp.folder_hash.cache_clear()
    yield
    fp._fingerprint.cache_clear()
    fp.folder_hash.cache_clear()


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the installed package's source (not its 23 MB technique model)."""
    copy = tmp_path / "parallax"
    shutil.copytree(fp.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "model"))
    return copy


def _quote_rules(package: Path) -> Path:
    """The quote finder's source (the file of the stale-layers defect), wherever it now lives."""
    return sorted(p for p in package.glob("nlp/**/*.py") if "quote" in p.relative_to(package).as_posix())[0]


@pytest.fixture
def models(tmp_path: Path) -> Config:
    """Small stand-in model folders, so no test hashes the real ~110 MB."""
    for name in ("techniques", "encoder"):
        (tmp_path / name / "sub").mkdir(parents=True)
        (tmp_path / name / "weights.bin").write_bytes(b"\x00\x01" * 1000)
        (tmp_path / name / "sub" / "config.json").write_text('{"layers": 6}')
    return Config(technique_model=str(tmp_path / "techniques"), encoder=str(tmp_path / "encoder"))


def test_editing_a_source_file_changes_the_fingerprint(package: Path, models: Config, monkeypatch) -> None:
    monkeypatch.setattr(fp, "PACKAGE_DIR", package)
    before = fingerprint(models)
    quotes = _quote_rules(package)
    quotes.write_text(quotes.read_text() + "\n# a changed rule\n")
    fp._fingerprint.cache_clear()  # a new process
    assert fingerprint(models) != before


def test_the_source_hash_reads_content_not_times(package: Path) -> None:
    before = fp.source_hash(package)
    quotes = _quote_rules(package)
    os.utime(quotes, (0, 0))  # a new time, the same bytes
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "stale.cpython-311.pyc").write_bytes(b"compiled")
    assert fp.source_hash(package) == before
    template = package / "report" / "templates" / "report.css"
    template.write_text(template.read_text() + "\nbody { color: red }\n")
    assert fp.source_hash(package) != before


def test_hashing_the_installed_source_is_fast() -> None:
    start = time.perf_counter()
    fp.source_hash(fp.PACKAGE_DIR)
    assert time.perf_counter() - start < 0.1


@pytest.mark.parametrize("change", [{"threshold": 0.7}, {"techniques": False}, {"spacy_model": "en_core_web_md"}])
def test_settings_that_change_layers_change_the_fingerprint(models: Config, change: dict) -> None:
    assert fingerprint(models.replace(**change)) != fingerprint(models)


def test_settings_that_do_not_change_layers_keep_it(models: Config) -> None:
    same = models.replace(threads=1, batch_size=4, cache=False, store="/elsewhere.db", vectors=True)
    assert fingerprint(same) == fingerprint(models)
    assert len(fingerprint(models)) == 32


@pytest.mark.parametrize("folder", ["techniques", "encoder"])
def test_new_model_weights_change_it(models: Config, tmp_path: Path, folder: str) -> None:
    before = fingerprint(models)
    (tmp_path / folder / "weights.bin").write_bytes(b"\x00\x02" * 1000)  # same size, new content
    fp._fingerprint.cache_clear()
    fp.folder_hash.cache_clear()
    assert fingerprint(models) != before


def test_the_technique_model_counts_only_when_techniques_run(models: Config, tmp_path: Path) -> None:
    off = models.replace(techniques=False)
    before = fingerprint(off)
    (tmp_path / "techniques" / "weights.bin").write_bytes(b"retrained")
    fp._fingerprint.cache_clear()
    fp.folder_hash.cache_clear()
    assert fingerprint(off) == before


def test_a_spacy_pipeline_given_as_a_folder_is_hashed_by_content(models: Config, tmp_path: Path) -> None:
    pipeline = tmp_path / "my_pipeline"
    pipeline.mkdir()
    (pipeline / "meta.json").write_text('{"version": "1"}')
    config = models.replace(spacy_model=str(pipeline))
    before = fingerprint(config)
    (pipeline / "meta.json").write_text('{"version": "2"}')
    fp._fingerprint.cache_clear()
    fp.folder_hash.cache_clear()
    assert fingerprint(config) != before


def test_missing_model_folders_still_give_a_fingerprint(tmp_path: Path) -> None:
    config = Config(technique_model=str(tmp_path / "none"), encoder=str(tmp_path / "nothing"))
    assert len(fingerprint(config)) == 32

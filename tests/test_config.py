"""Config: defaults < config file < environment < explicit values, resolved in one place."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from parallax.config import Config
from parallax.errors import UsageError

NO_ENV: dict[str, str] = {}


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    config = Config.resolve(env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert config == Config()
    assert config.techniques and config.cache and config.threads == 0


@pytest.mark.parametrize("file_value, env_value, flag_value, expected", [
    (None, None, None, 0),
    (3, None, None, 3),
    (3, "2", None, 2),
    (3, "2", 1, 1),
    (None, None, 4, 4),
])
def test_precedence_file_env_flag(tmp_path: Path, file_value, env_value, flag_value, expected) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text("" if file_value is None else f"threads = {file_value}\n")
    env = {} if env_value is None else {"PARALLAX_THREADS": env_value}
    assert Config.resolve(file=config_file, env=env, threads=flag_value).threads == expected


def test_the_default_config_file_is_read_from_xdg_config_home(tmp_path: Path) -> None:
    (tmp_path / "parallax").mkdir()
    (tmp_path / "parallax" / "config.toml").write_text('store = "/data/p.db"\ntechniques = false\n')
    config = Config.resolve(env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert config.store == "/data/p.db" and config.techniques is False


@pytest.mark.parametrize("variable, value, field, expected", [
    ("PARALLAX_CACHE", "off", "cache", False),
    ("PARALLAX_CACHE", "on", "cache", True),
    ("PARALLAX_TECHNIQUES", "no", "techniques", False),
    ("PARALLAX_SPACY_MODEL", "en_core_web_md", "spacy_model", "en_core_web_md"),
    ("PARALLAX_STORE", "/tmp/x.db", "store", "/tmp/x.db"),
])
def test_environment_variables(variable: str, value: str, field: str, expected) -> None:
    assert getattr(Config.resolve(env={variable: value}), field) == expected


@pytest.mark.parametrize("env, message", [
    ({"PARALLAX_THREADS": "many"}, "threads = 'many' is not a valid int"),
    ({"PARALLAX_TECHNIQUES": "perhaps"}, "techniques = 'perhaps' is not a valid bool"),
    ({"PARALLAX_THREADS": "-1"}, "threads = -1 is invalid"),
])
def test_bad_values_name_the_setting(env: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        Config.resolve(env=env)


def test_unknown_keys_in_a_file_are_named(tmp_path: Path) -> None:
    config_file = tmp_path / "c.toml"
    config_file.write_text("thread = 2\n")
    with pytest.raises(UsageError, match="unknown setting thread; valid: spacy_model"):
        Config.resolve(file=config_file, env=NO_ENV)


def test_a_broken_file_is_a_usage_error(tmp_path: Path) -> None:
    config_file = tmp_path / "c.toml"
    config_file.write_text("threads = \n")
    with pytest.raises(UsageError, match="cannot read it as TOML"):
        Config.resolve(file=config_file, env=NO_ENV)
    with pytest.raises(UsageError, match="not found"):
        Config.resolve(file=tmp_path / "missing.toml", env=NO_ENV)


def test_threshold_outside_zero_one_is_refused() -> None:
    with pytest.raises(UsageError, match="outside"):
        Config(threshold=1.5)


def test_store_path_follows_xdg_cache_home(tmp_path: Path) -> None:
    assert Config().store_path({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "parallax" / "parallax.db"
    assert Config(store="~/p.db").store_path() == Path("~/p.db").expanduser()


def test_a_config_is_a_plain_picklable_value() -> None:
    config = Config(threads=2, techniques=False)
    assert pickle.loads(pickle.dumps(config)) == config
    assert Config.from_dict(config.to_dict()) == config

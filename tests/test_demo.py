"""`make demo` end to end, in-process: the seed comparison in the terminal, JSON and HTML."""
from __future__ import annotations

import json
import re

import pytest

from parallax.cli import main


@pytest.fixture(scope="module")
def terminal(seed_paths) -> str:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["compare", *map(str, seed_paths)]) == 0
    return buffer.getvalue()


def test_demo_names_shared_quotes_conflicts_and_framing(terminal):
    flat = re.sub(r"\s+", " ", terminal)
    assert "What Russia is sponsoring and doing is not" in flat
    assert "Instead of pursuing peace, Russia and Assad" in flat
    assert "civilians killed" in flat and "hundreds" in flat and "Between 26 and 43" in flat
    assert "an aid convoy was bombed" in flat
    assert "the deliberate bombing of Syrian army positions by US aircraft" in flat
    assert "told" in flat and "claimed" in flat


def test_demo_json_and_html(seed_paths, tmp_path):
    out_json, out_html = tmp_path / "seeds.json", tmp_path / "seeds.html"
    assert main(["compare", *map(str, seed_paths), "--format", "json", "-o", str(out_json)]) == 0
    assert main(["compare", *map(str, seed_paths), "--format", "html", "-o", str(out_html)]) == 0
    document = json.loads(out_json.read_text(encoding="utf-8"))
    assert document["schema_version"] == "4"
    assert {link["relation"] for link in document["links"]} >= {"same_quote", "same_fact", "conflict"}
    assert {c["kind"] for c in document["conflicts"]} == {"number", "cause"}
    for article in document["articles"]:
        assert article["techniques"], f"no technique spans in {article['outlet']}"
    html = out_html.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)

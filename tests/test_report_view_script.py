"""The report script, run by Node where one is installed (skipped otherwise): it parses, and
its Python-compatible number formatting gives exactly the figures the server renders."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from parallax.report.html import asset_text
from parallax.text import per_thousand_words

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")
NODE_TIMEOUT = 60  # seconds; each run is a few hundred ms on a laptop


def _node(source: str) -> str:
    done = subprocess.run([NODE, "-e", source], capture_output=True, text=True, timeout=NODE_TIMEOUT, check=True)
    return done.stdout


def _functions(*names: str) -> str:
    """The source of the script's top-level helpers `names` (they use nothing of the page)."""
    script = asset_text("report.js")
    return "\n".join(re.search(rf"\n  function {name}\(.*?\n  \}}\n", script, re.S).group(0) for name in names)


def test_the_script_parses():
    subprocess.run([NODE, "--check", "-"], input=asset_text("report.js"), text=True, timeout=NODE_TIMEOUT, check=True)


# Ties that Python rounds to even and a plain toFixed rounds up (0.25, 2.25, 0.125), values
# just under and over a tie (0.35 is 0.34999...), and zero.
EDGE_VALUES = [0.0, 0.25, 0.75, 1.25, 2.25, 0.125, 0.375, 0.35, 0.45, 1.05, 2.675, 9.95, 99.95, 0.05, 15.8, 25.9,
               1e-7, 123456.785]


@pytest.mark.parametrize("digits", [1, 2])
def test_py_fixed_matches_python_formatting(digits):
    values = EDGE_VALUES + [count * 1000 / words for count in range(0, 40, 3) for words in range(7, 3000, 97)]
    script = _functions("pyFixed") + f"console.log(JSON.stringify({json.dumps(values)}.map(x => pyFixed(x, {digits}))));"
    assert json.loads(_node(script)) == [f"{value:.{digits}f}" for value in values]


def test_rates_match_per_thousand_words():
    pairs = [(count, words) for count in range(0, 60, 7) for words in (0, 1, 8, 80, 333, 1203, 1352, 2999)]
    script = (_functions("pyFixed", "perThousand") + "var RATE_WORDS = 1000;"
              f"console.log(JSON.stringify({json.dumps(pairs)}.map(p => pyFixed(perThousand(p[0], p[1]), 1))));")
    assert json.loads(_node(script)) == [f"{per_thousand_words(count, words):.1f}" for count, words in pairs]

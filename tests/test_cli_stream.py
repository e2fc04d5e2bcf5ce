"""Streaming `parallax analyze`: a JSON line per article as it finishes, errors when they
happen, a progress count on a non-terminal, and a killed run resumed from the store."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parallax import progress
from parallax.cli import main

from conftest import SHARED

PTC = SHARED / "data" / "ptc" / "train-articles"


def _corpus(path: Path, count: int, bad_line: int | None = None) -> Path:
    lines = []
    for number, article in enumerate(sorted(PTC.glob("*.txt"))[:count], start=1):
        if number == bad_line:
            lines.append('{"text": "unterminated')
        lines.append(json.dumps({"id": article.stem, "text": article.read_text(encoding="utf-8")[:1500],
                                 "outlet": "ptc"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_out_has_one_line_per_good_record_and_names_the_bad_one(tmp_path: Path, capsys) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl", 4, bad_line=3)
    out = tmp_path / "out.jsonl"
    code = main(["analyze", str(corpus), "--format", "jsonl", "-o", str(out), "--no-techniques", "--no-cache"])
    assert code == 1
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == [p.stem for p in sorted(PTC.glob("*.txt"))[:4]]
    assert all(line["text"][q["start"]:q["end"]] == q["text"] for line in lines for q in line["quotes"])
    assert f"{corpus}:line 3: invalid JSON" in capsys.readouterr().err


def test_a_non_terminal_gets_a_periodic_count_line(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(progress, "EVERY_SECONDS", 0.0)
    corpus = _corpus(tmp_path / "corpus.jsonl", 3, bad_line=2)
    main(["analyze", str(corpus), "--format", "jsonl", "-o", str(tmp_path / "o.jsonl"), "--no-techniques",
          "--no-cache"])
    err = capsys.readouterr().err
    assert "analyzed 4/4, " in err and "/s, 1 error" in err


@pytest.mark.parametrize("done, total, errors, expected", [
    (1200, 5000, 2, "analyzed 1200/5000, "),
    (3, None, 0, "analyzed 3, "),
])
def test_the_count_line_reads_like_the_readme(done: int, total: int | None, errors: int, expected: str) -> None:
    line = progress.Progress("analyzed", total=total, stream=open(os.devnull, "w"))
    line.done, line.errors = done, errors
    text = line.line()
    assert text.startswith(expected) and text.endswith("/s" + (f", {errors} errors" if errors else ""))


def _analyze_command(corpus: Path, out: Path, store: Path) -> list[str]:
    return [sys.executable, "-m", "parallax.cli", "analyze", str(corpus), "--format", "jsonl", "-o", str(out),
            "--no-techniques", "--store", str(store), "--threads", "1"]


def test_kill_9_during_analyze_then_a_rerun_gives_the_clean_output(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl", 40)
    clean = tmp_path / "clean.jsonl"
    subprocess.run(_analyze_command(corpus, clean, tmp_path / "clean.db"), check=True, capture_output=True)

    out, store = tmp_path / "out.jsonl", tmp_path / "killed.db"
    run = subprocess.Popen(_analyze_command(corpus, out, store), stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None:
        if out.exists() and out.read_text(encoding="utf-8").count("\n") >= 8:
            break
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    kept = out.read_text(encoding="utf-8").splitlines()
    assert 8 <= len(kept) < 40, "the run should have been killed mid-way"
    for line in kept[:-1]:  # every finished line is whole (the last may be cut mid-write)
        json.loads(line)

    subprocess.run(_analyze_command(corpus, out, store), check=True, capture_output=True)
    assert out.read_bytes() == clean.read_bytes()

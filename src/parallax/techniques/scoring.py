"""PTC (SemEval-2020 Task 11) readers, prediction files and the official scorers.

Formats (all offsets are Python string indices into the article file as read, end exclusive):
- articles:      ``articleNNN.txt``                      -> id ``NNN``
- SI labels:     ``article_id<TAB>start<TAB>end``
- TC labels:     ``article_id<TAB>technique<TAB>start<TAB>end``

Scoring follows the organisers' published rules:
- SI: spans are character sets; overlapping gold spans of one article are merged first.
  For every (predicted s, gold t) pair of the same article precision gains |s&t|/|s| and
  recall gains |s&t|/|t|; precision is divided by the number of predicted spans, recall by
  the number of gold spans, over the whole set.
- TC: gold spans are given; one technique per span; micro-averaged F1.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from parallax.errors import InputError

ARTICLE_NAME = re.compile(r"^article(\w+)\.txt$")


@dataclass(frozen=True)
class Label:
    """One line of a PTC label or prediction file. `technique` is "" for SI lines."""

    article_id: str
    start: int
    end: int
    technique: str = ""


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def article_id_from_path(path: str | Path) -> str:
    """``.../article123.txt`` -> ``"123"``; any other name -> the file stem."""
    match = ARTICLE_NAME.match(Path(path).name)
    return match.group(1) if match else Path(path).stem


def read_article(path: str | Path) -> str:
    """The file's text exactly as the offsets index it (UTF-8, newlines untranslated)."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"cannot read the article ({error}); expected a UTF-8 text file") from error


def read_articles(folder: str | Path) -> dict[str, str]:
    """All ``article*.txt`` files of a folder, keyed by article id, in id order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "is not a folder; expected a folder of articleNNN.txt files")
    paths = sorted(folder.glob("article*.txt"))
    if not paths:
        raise InputError(str(folder), "holds no articleNNN.txt files")
    return {article_id_from_path(p): read_article(p) for p in paths}


def _parse_line(line: str, source: str, number: int, task: str) -> Label:
    fields = line.rstrip("\n").split("\t")
    try:
        if task == "si" and len(fields) == 3:
            return Label(fields[0], int(fields[1]), int(fields[2]))
        if task == "tc" and len(fields) == 4:
            return Label(fields[0], int(fields[2]), int(fields[3]), fields[1])
    except ValueError:
        pass
    expected = "id<TAB>start<TAB>end" if task == "si" else "id<TAB>technique<TAB>start<TAB>end"
    raise InputError(f"{source}:{number}", f"found {line.strip()!r}; expected {expected} with integer offsets")


def read_labels(path: str | Path, task: str) -> list[Label]:
    """Read one SI or TC label/prediction file, or every ``*.labels`` file of a folder."""
    if task not in ("si", "tc"):
        raise InputError(str(path), f"unknown task {task!r}; valid: si, tc")
    path = Path(path)
    files = sorted(path.glob("*.labels")) if path.is_dir() else [path]
    labels: list[Label] = []
    for file in files:
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise InputError(str(file), f"cannot read labels ({error})") from error
        labels += [_parse_line(line, str(file), n, task) for n, line in enumerate(lines, 1) if line.strip()]
    return labels


def write_labels(labels: list[Label], path: str | Path | None, task: str) -> str:
    """Format labels as a PTC file (tc: with technique, si: without); write it if `path`."""
    if task == "tc":
        lines = [f"{x.article_id}\t{x.technique}\t{x.start}\t{x.end}\n" for x in labels]
    else:
        lines = [f"{x.article_id}\t{x.start}\t{x.end}\n" for x in labels]
    content = "".join(lines)
    if path is not None:
        Path(path).write_text(content, encoding="utf-8")
    return content


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping (or touching) character ranges, sorted."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _by_article(labels: list[Label]) -> dict[str, list[tuple[int, int]]]:
    grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for label in labels:
        grouped[label.article_id].append((label.start, label.end))
    return grouped


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def score_si(predicted: list[Label], gold: list[Label]) -> Scores:
    """Official SI score. Gold spans of an article are merged first; predictions are not."""
    gold_spans = {a: merge_spans(s) for a, s in _by_article(gold).items()}
    pred_spans = {a: [s for s in spans if s[1] > s[0]] for a, spans in _by_article(predicted).items()}
    n_pred = sum(len(s) for s in pred_spans.values())
    n_gold = sum(len(s) for s in gold_spans.values())
    precision_sum = recall_sum = 0.0
    for article, preds in pred_spans.items():
        for ps, pe in preds:
            for gs, ge in gold_spans.get(article, []):
                overlap = min(pe, ge) - max(ps, gs)
                if overlap > 0:
                    precision_sum += overlap / (pe - ps)
                    recall_sum += overlap / (ge - gs)
    precision = precision_sum / n_pred if n_pred else 0.0
    recall = recall_sum / n_gold if n_gold else 0.0
    return Scores(precision, recall, _f1(precision, recall))


def score_tc(predicted: list[Label], gold: list[Label]) -> Scores:
    """Micro-F1 of techniques on the given spans.

    A prediction is correct when (article, start, end, technique) matches a gold line not
    yet matched (a span with two gold techniques can earn two hits if predicted twice).
    """
    remaining = Counter((x.article_id, x.start, x.end, x.technique) for x in gold)
    correct = 0
    for x in predicted:
        key = (x.article_id, x.start, x.end, x.technique)
        if remaining[key] > 0:
            remaining[key] -= 1
            correct += 1
    precision = correct / len(predicted) if predicted else 0.0
    recall = correct / len(gold) if gold else 0.0
    return Scores(precision, recall, _f1(precision, recall))

"""`parallax techniques train/predict/score` in-process, on a tiny synthetic PTC corpus.

The smoke training runs a few optimiser steps on 4 invented articles, so it checks the
plumbing (a loadable model folder, predictions in the submission format), not quality.
"""
from __future__ import annotations

import argparse
import json
import logging
import re
from pathlib import Path

import pytest

from parallax import techniques
from parallax.errors import UsageError
from parallax.model import Analysis, Article, Technique
from parallax.techniques.commands import register
from parallax.techniques.definitions import TECHNIQUES

ARTICLES = {
    "701": ("Leaders betray us again\n\nThe corrupt elite wants to destroy our great nation.\n"
            "Make our country strong again!\nMake our country strong again!\n",
            [("Loaded_Language", 25, 32), ("Flag-Waving", 61, 78), ("Slogans", 79, 108), ("Repetition", 109, 138)]),
    "702": ("Experts doubt the report\n\nCan we really trust these so-called experts?\n"
            "The council met on Tuesday to discuss the budget.\n",
            [("Doubt", 26, 72), ("Name_Calling,Labeling", 52, 71)]),
    "703": ("A disaster\n\nThis is the worst disaster in the history of mankind.\n"
            "Officials said the road will reopen next week.\n",
            [("Exaggeration,Minimisation", 12, 65)]),
    "704": ("Nothing to see\n\nIt is what it is, and that is all.\nThe mayor opened a new library.\n",
            [("Thought-terminating_Cliches", 16, 50)]),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ptc")
    for folder in ("train-articles", "train-labels-task-si", "train-labels-task-flc-tc"):
        (root / folder).mkdir()
    for article_id, (text, labels) in ARTICLES.items():
        (root / "train-articles" / f"article{article_id}.txt").write_text(text, encoding="utf-8")
        tc = "".join(f"{article_id}\t{t}\t{s}\t{e}\n" for t, s, e in labels)
        si = "".join(f"{article_id}\t{s}\t{e}\n" for _, s, e in labels)
        (root / "train-labels-task-flc-tc" / f"article{article_id}.task-flc-tc.labels").write_text(tc, encoding="utf-8")
        (root / "train-labels-task-si" / f"article{article_id}.task-si.labels").write_text(si, encoding="utf-8")
    (root / "unlabeled-articles").mkdir()
    for article_id, (text, _) in ARTICLES.items():  # the same texts, unlabeled, for self-training
        (root / "unlabeled-articles" / f"article9{article_id}.txt").write_text(text, encoding="utf-8")
    return root


def run(argv: list[str]) -> int:
    """Parse like the main CLI does (a `techniques` command on a subparser) and run."""
    parser = argparse.ArgumentParser(prog="parallax")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.run(args)


@pytest.fixture(scope="module")
def smoke_model(corpus: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model")
    code = run(["techniques", "train", "--data", str(corpus), "--out", str(out), "--epochs", "1",
                "--max-articles", "4", "--max-steps", "2", "--max-len", "32", "--seed", "1"])
    assert code == 0
    return out


def test_smoke_training_writes_a_loadable_model_folder(smoke_model: Path) -> None:
    config = json.loads((smoke_model / "config.json").read_text())
    assert config["labels"] == list(TECHNIQUES)
    assert 0 < config["threshold"] < 1
    # What ships (the int8 encoder and the heads) fits the 60 MB budget; torch's weights come too.
    assert (smoke_model / "encoder.onnx").stat().st_size + (smoke_model / "heads.safetensors").stat().st_size \
        < 60_000_000
    assert (smoke_model / "model.safetensors").is_file()
    detector = techniques.load_detector(smoke_model)
    assert detector.max_len == 32


def test_cv_fold_training_holds_out_that_fold_and_learns_from_plain_news(corpus: Path, tmp_path: Path) -> None:
    from parallax.techniques.train import split_ids

    data = tmp_path / "data"  # a ../shared/data stand-in with four ECB+ event reports
    (data / "ecbplus").mkdir(parents=True)
    (data / "ecbplus" / "ecbplus_docs.jsonl").write_text("".join(
        json.dumps({"doc_name": f"{i}_1ecb.xml", "text": f"The council met on day {i} . It approved the budget ."}) + "\n"
        for i in range(4)), encoding="utf-8")
    out = tmp_path / "fold1"
    assert run(["techniques", "train", "--data", str(corpus), "--out", str(out), "--epochs", "1", "--max-steps", "2",
                "--max-len", "32", "--seed", "1", "--cv-fold", "1/2", "--plain-news", str(data), "--threads", "1"]) == 0
    config = json.loads((out / "config.json").read_text())
    assert config["cv_fold"] == [1, 2]
    assert config["heldout_articles"] == split_ids(sorted(ARTICLES), cv_fold=(1, 2)).heldout
    assert not set(config["heldout_articles"]) & set(config["train_articles"] + config["dev_articles"])
    assert config["plain_news"] == {"corpus": "ecbplus", "half": "calibration", "texts": 2}


@pytest.mark.parametrize("fold", ["2/2", "1", "a/5"])
def test_a_bad_cv_fold_is_a_usage_error(corpus: Path, tmp_path: Path, fold: str, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        run(["techniques", "train", "--data", str(corpus), "--out", str(tmp_path), "--cv-fold", fold])
    assert stop.value.code == 2 and "is not a fold" in capsys.readouterr().err


def test_smoke_self_training_records_its_teacher(smoke_model: Path, corpus: Path, tmp_path: Path, monkeypatch) -> None:
    from parallax.techniques import train

    monkeypatch.setattr(train, "PSEUDO_THRESHOLD", 0.01)  # the smoke teacher is barely trained
    out = tmp_path / "student"
    assert run(["techniques", "train", "--data", str(corpus), "--out", str(out), "--epochs", "1", "--max-articles", "4",
                "--max-steps", "2", "--max-len", "32", "--seed", "1", "--self-train", "--teacher", str(smoke_model)]) == 0
    record = json.loads((out / "config.json").read_text())["self_training"]
    assert record["teacher"] == str(smoke_model) and record["articles"] == len(ARTICLES)
    assert record["spans"] > 0  # the teacher's spans really became training labels
    assert techniques.load_detector(out).max_len == 32


def test_predict_ptc_format_offsets_index_the_file(smoke_model: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "pred.txt"
    files = [str(corpus / "train-articles" / f"article{a}.txt") for a in ARTICLES]
    assert run(["techniques", "predict", *files, "--format", "ptc", "-o", str(out), "--model", str(smoke_model),
                "--threshold", "0.01"]) == 0
    lines = out.read_text().splitlines()
    assert lines, "a threshold of 0.01 should mark some span"
    for line in lines:
        article_id, technique, start, end = line.split("\t")
        assert article_id in ARTICLES and technique in TECHNIQUES
        assert 0 <= int(start) < int(end) <= len(ARTICLES[article_id][0])


def test_predict_with_span_template_answers_each_line_in_order(smoke_model: Path, corpus: Path, tmp_path: Path) -> None:
    template = tmp_path / "template.txt"
    rows = [("702", 26, 72), ("701", 25, 32), ("702", 26, 72)]
    template.write_text("".join(f"{a}\t?\t{s}\t{e}\n" for a, s, e in rows))
    out = tmp_path / "tc.txt"
    files = [str(corpus / "train-articles" / f"article{a}.txt") for a in ("701", "702")]
    assert run(["techniques", "predict", *files, "--spans", str(template), "-o", str(out),
                "--model", str(smoke_model)]) == 0
    got = [line.split("\t") for line in out.read_text().splitlines()]
    assert [(a, int(s), int(e)) for a, _, s, e in got] == rows
    # the same span listed twice gets two different techniques
    assert got[0][1] != got[2][1]


def test_predict_json_format(smoke_model: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "pred.json"
    path = corpus / "train-articles" / "article703.txt"
    assert run(["techniques", "predict", str(path), "--format", "json", "-o", str(out), "--model", str(smoke_model),
                "--threshold", "0.01"]) == 0
    [record] = json.loads(out.read_text())
    text = path.read_text()
    for span in record["techniques"]:
        assert text[span["start"]:span["end"]] == span["text"]
        assert 0 <= span["score"] <= 1


def test_predict_names_a_missing_article_and_still_answers_the_rest(smoke_model, corpus, tmp_path, capsys) -> None:
    template = tmp_path / "template.txt"
    template.write_text("701\t?\t25\t32\n999\t?\t0\t5\n")
    code = run(["techniques", "predict", str(corpus / "train-articles" / "article701.txt"), "--spans", str(template),
                "--model", str(smoke_model)])
    captured = capsys.readouterr()
    assert code == 1
    assert "article999.txt" in captured.err
    assert re.fullmatch(r"701\t\S+\t25\t32\n", captured.out)


@pytest.mark.parametrize(
    "task, pred, expected",
    [
        ("si", "701\t25\t32\n", "P=1.0000"),
        ("si", "701\tDoubt\t25\t32\n", "P=1.0000"),  # SI scoring also reads 4-column lines
        ("tc", "701\tLoaded_Language\t25\t32\n", "P=1.0000"),
        ("tc", "701\tDoubt\t25\t32\n", "F1=0.0000"),
    ],
)
def test_score_prints_official_figures(corpus: Path, tmp_path: Path, capsys, task: str, pred: str, expected: str) -> None:
    path = tmp_path / "pred.txt"
    path.write_text(pred)
    gold = corpus / ("train-labels-task-si" if task == "si" else "train-labels-task-flc-tc")
    assert run(["techniques", "score", "--pred", str(path), "--gold", str(gold), "--task", task]) == 0
    assert expected in capsys.readouterr().out


def test_detect_into_without_model_leaves_layer_empty_and_warns_once(tmp_path, monkeypatch, caplog) -> None:
    monkeypatch.setattr(techniques, "PACKAGED_MODEL", tmp_path / "absent")  # the default model folder
    monkeypatch.setattr(techniques, "_warned", False)
    analyses = [Analysis(Article(text="They are traitors.")) for _ in range(2)]
    with caplog.at_level(logging.WARNING, logger="parallax.techniques"):
        for analysis in analyses:
            techniques.detect_into(analysis)
    assert all(a["techniques"] == [] for a in analyses)
    assert len([r for r in caplog.records if "technique layer left empty" in r.message]) == 1


@pytest.mark.parametrize("threshold", [0.0, 1.0, -0.5, 2.0])
def test_detect_rejects_threshold_outside_unit_interval(smoke_model: Path, threshold: float) -> None:
    with pytest.raises(UsageError, match="outside"):
        techniques.detect("Some text.", threshold=threshold, model=smoke_model)


@pytest.mark.parametrize("span", [(5, 2), (-1, 3), (0, 999)])
def test_classify_spans_rejects_spans_outside_text(smoke_model: Path, span: tuple[int, int]) -> None:
    with pytest.raises(UsageError, match="not inside the text"):
        techniques.classify_spans("Short text.", [span], model=smoke_model)


def test_detect_spans_point_into_text(smoke_model: Path) -> None:
    text = "The corrupt elite wants to destroy our great nation.\n\nMake our country strong again!"
    for span in techniques.detect(text, threshold=0.01, model=smoke_model):
        assert 0 <= span.start < span.end <= len(text)
        assert isinstance(span, Technique) and span.label in TECHNIQUES and span.technique == span.label
        assert 0 <= span.score <= 1 and 0 <= span.technique_score <= 1


@pytest.mark.skipif(not (techniques.PACKAGED_MODEL / "config.json").is_file(), reason="no packaged model")
def test_packaged_model_end_to_end_on_a_seed_article(monkeypatch) -> None:
    """The shipped model loads offline and finds loaded language in an obviously loaded text."""
    monkeypatch.delenv(techniques.MODEL_ENV, raising=False)
    text = ("The corrupt, treasonous elite are destroying our great nation. These traitors must be stopped "
            "before they unleash a new hell on innocent families.")
    spans = techniques.detect(text)
    assert spans, "the packaged model should flag this text"
    assert {s.label for s in spans} <= set(TECHNIQUES)
    analysis = Analysis(Article(text=text))
    techniques.detect_into(analysis)
    assert [(s.start, s.end) for s in analysis["techniques"]] == [(s.start, s.end) for s in spans]


def _ptc_bench():
    import importlib.util

    spec = importlib.util.spec_from_file_location("ptc_bench", Path(__file__).resolve().parents[1] / "bench" / "ptc.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def _smoke_fold(corpus: Path, models: Path, k: int) -> None:
    """A one-step fold model of --cv-fold k/2 in models/fold{k}."""
    assert run(["techniques", "train", "--data", str(corpus), "--out", str(models / f"fold{k}"), "--epochs", "1",
                "--max-steps", "1", "--max-len", "32", "--seed", "1", "--cv-fold", f"{k}/2", "--threads", "1"]) == 0


def test_bench_cross_validation_scores_each_fold_model_on_its_own_fold(corpus: Path, tmp_path: Path, capsys) -> None:
    from parallax.techniques.train import load_corpus

    bench = _ptc_bench()
    models = tmp_path / "cv"
    _smoke_fold(corpus, models, 1)
    line = bench.cross_validation(corpus, load_corpus(corpus), models, 2, train_missing=False)
    out = capsys.readouterr().out
    assert "cv fold 0/2: no model" in out and "cv fold 1/2: 2 articles" in out  # fold 0 skipped, said so
    assert "cv_folds=1/2 cv_articles=2" in line and "partial" in out
    (models / "fold1").rename(models / "fold0")  # fold 1's model posing as fold 0's
    with pytest.raises(SystemExit, match="was not trained with --cv-fold 0/2"):
        bench.cross_validation(corpus, load_corpus(corpus), models, 2, train_missing=False)


def test_regression_cv_skips_a_fold_model_whose_training_was_interrupted(corpus: Path, tmp_path: Path, capsys) -> None:
    """Training writes its best epoch as it goes, so a fold folder can hold a half-trained
    model; cross-validation scored such a one as if it were the recipe's."""
    from parallax.techniques.train import COMPLETE, load_corpus

    bench = _ptc_bench()
    models = tmp_path / "cv"
    _smoke_fold(corpus, models, 0)
    config_file = models / "fold0" / "config.json"
    config = json.loads(config_file.read_text())
    assert config[COMPLETE] is True
    del config[COMPLETE]  # what a run stopped mid-way leaves
    config_file.write_text(json.dumps(config))
    techniques._cache.clear()
    with pytest.raises(SystemExit, match="no fold model"):
        bench.cross_validation(corpus, load_corpus(corpus), models, 2, train_missing=False)
    assert "interrupted training" in capsys.readouterr().out


def test_training_the_top_layer_only_caches_the_frozen_ones_and_writes_a_loadable_model(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "top1"
    assert run(["techniques", "train", "--data", str(corpus), "--out", str(out), "--epochs", "1", "--max-steps", "2",
                "--max-len", "32", "--seed", "1", "--train-layers", "1", "--threads", "1"]) == 0
    assert json.loads((out / "config.json").read_text())["train_layers"] == 1
    assert techniques.load_detector(out).max_len == 32

"""`parallax techniques {train,predict,score}`: thin commands over the technique library.

Each command function takes the parsed arguments and returns an exit code: 0 ok, 1 some
inputs failed (each named on stderr, the rest still processed), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from parallax.errors import InputError, UsageError
from parallax.techniques.scoring import (
    Label,
    article_id_from_path,
    read_article,
    read_labels,
    score_si,
    score_tc,
    write_labels,
)

DEFAULT_DATA = "../shared/data/ptc"


def register(subparsers) -> None:
    """Add the `techniques` command (with train / predict / score) to the main CLI."""
    parser = subparsers.add_parser("techniques", help="propaganda techniques: train, predict, score (SemEval-2020 Task 11)")
    parser.set_defaults(run=lambda args: _usage(parser))
    commands = parser.add_subparsers(dest="techniques_command", metavar="SUBCOMMAND", parser_class=type(parser))

    train = commands.add_parser("train", help="train a technique model on the PTC corpus")
    train.add_argument("--data", type=Path, default=Path(DEFAULT_DATA), help=f"PTC folder (default: {DEFAULT_DATA})")
    train.add_argument("--out", type=Path, required=True, help="folder to write the model into")
    train.add_argument("--seed", type=int, default=13)
    train.add_argument("--epochs", type=int, default=6)
    train.add_argument("--max-articles", type=int, default=None, help="train on at most N articles (smoke runs)")
    train.add_argument("--max-steps", type=int, default=None, help="stop after N optimiser steps (smoke runs)")
    train.add_argument("--max-len", type=int, default=None, help="tokens per window (default: 256)")
    train.add_argument("--train-layers", type=int, default=None,
                       help="top encoder layers to fine-tune; the rest are frozen and cached (default: 6 = all)")
    train.add_argument("--self-train", action="store_true",
                       help="also train on DATA/unlabeled-articles, labelled by the --teacher model")
    train.add_argument("--teacher", type=Path, default=None,
                       help="model that labels the unlabeled articles (default: the packaged model)")
    train.add_argument("--plain-news", type=Path, default=None, metavar="DATA",
                       help="also train on the calibration half of DATA/ecbplus as texts without techniques")
    train.add_argument("--cv-fold", type=_fold, default=None, metavar="K/N",
                       help="hold out fold K of N (0-based) instead of the fixed held-out slice (bench/ptc.py --cv)")
    train.add_argument("--threads", type=int, default=2, help="torch threads (default: 2)")
    train.set_defaults(run=run_train)

    predict = commands.add_parser("predict", help="find technique spans in articles (SemEval submission format)")
    predict.add_argument("articles", nargs="+", type=Path, metavar="ARTICLE", help="articleNNN.txt files")
    predict.add_argument("--format", choices=("ptc", "json"), default="ptc")
    predict.add_argument("--spans", type=Path, metavar="TEMPLATE",
                         help="TC template (id<TAB>?<TAB>start<TAB>end): classify these spans, in this order")
    predict.add_argument("-o", "--output", type=Path, help="write to FILE instead of standard output")
    predict.add_argument("--threshold", type=float, default=None, help="span threshold (0..1; default: the model's)")
    predict.add_argument("--model", type=Path, default=None, help="model folder (default: the packaged model)")
    predict.add_argument("--no-calibration", action="store_true",
                         help="every span the network decodes, without the model's calibration.json")
    predict.set_defaults(run=run_predict)

    score = commands.add_parser("score", help="score a prediction file with the official SemEval scorer")
    score.add_argument("--pred", type=Path, required=True, help="prediction file")
    score.add_argument("--gold", type=Path, required=True, help="gold labels: a .labels file or a folder of them")
    score.add_argument("--task", choices=("si", "tc"), required=True)
    score.set_defaults(run=run_score)


def _fold(value: str) -> tuple[int, int]:
    """"2/5" -> (2, 5): a cross-validation fold."""
    k, _, n = value.partition("/")
    if not (k.isdigit() and n.isdigit() and int(k) < int(n)):
        raise argparse.ArgumentTypeError(f"{value!r} is not a fold; expected K/N with 0 <= K < N, e.g. 0/5")
    return int(k), int(n)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_train(args: argparse.Namespace) -> int:
    import logging

    from parallax.techniques.train import MAX_LEN, TRAIN_LAYERS, train

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    result = train(args.data, args.out, seed=args.seed, epochs=args.epochs, max_articles=args.max_articles,
                   max_steps=args.max_steps, max_len=args.max_len or MAX_LEN,
                   train_layers=args.train_layers or TRAIN_LAYERS, self_train=args.self_train,
                   teacher=args.teacher, plain_news_data=args.plain_news, threads=args.threads,
                   cv_fold=args.cv_fold)
    print(json.dumps(result))
    return 0


def _read_inputs(paths: list[Path]) -> tuple[dict[str, tuple[Path, str]], list[InputError]]:
    texts: dict[str, tuple[Path, str]] = {}
    failures: list[InputError] = []
    for path in paths:
        try:
            texts[article_id_from_path(path)] = (path, read_article(path))
        except InputError as error:
            failures.append(error)
    return texts, failures


def _predict_spans(texts: dict[str, tuple[Path, str]], threshold: float | None, model: Path | None,
                   calibrated: bool = True):
    from parallax.techniques import detect

    found = {}
    for article_id, (path, text) in texts.items():
        found[article_id] = detect(text, threshold=threshold, model=model, calibrated=calibrated)
    return found


def _classify_template(texts: dict[str, tuple[Path, str]], template: list[Label], model: Path | None,
                       failures: list[InputError], calibrated: bool = True) -> list[Label]:
    from parallax.techniques import classify_spans

    wanted: dict[str, list[tuple[int, int]]] = {}
    for x in template:
        wanted.setdefault(x.article_id, []).append((x.start, x.end))
    answers: dict[str, list[str]] = {}
    for article_id, spans in wanted.items():
        if article_id not in texts:
            failures.append(InputError(f"article{article_id}.txt", "listed in the span template but not given "
                                       "among ARTICLES; pass every article the template names"))
            continue
        answers[article_id] = [t for t, _ in classify_spans(texts[article_id][1], spans, model=model,
                                                            calibrated=calibrated)]
    out, used = [], {a: 0 for a in answers}
    for x in template:  # one line per template line, in the template's order
        if x.article_id in answers:
            out.append(Label(x.article_id, x.start, x.end, answers[x.article_id][used[x.article_id]]))
            used[x.article_id] += 1
    return out


def run_predict(args: argparse.Namespace) -> int:
    texts, failures = _read_inputs(args.articles)
    if args.spans is not None:
        labels = _classify_template(texts, read_labels(args.spans, "tc"), args.model, failures,
                                    not args.no_calibration)
        if args.format == "json":
            content = json.dumps([{"article_id": x.article_id, "technique": x.technique, "start": x.start,
                                   "end": x.end} for x in labels], indent=1) + "\n"
        else:
            content = write_labels(labels, None, "tc")
    else:
        found = _predict_spans(texts, args.threshold, args.model, not args.no_calibration)
        if args.format == "json":
            content = json.dumps([{"article_id": a, "file": str(texts[a][0]), "techniques": [
                {"start": s.start, "end": s.end, "text": texts[a][1][s.start:s.end], "technique": s.label,
                 "score": s.score, "technique_score": s.technique_score} for s in spans]}
                for a, spans in found.items()], indent=1) + "\n"
        else:
            content = write_labels([Label(a, s.start, s.end, s.label) for a, spans in found.items() for s in spans],
                                   None, "tc")
    if args.output:
        args.output.write_text(content, encoding="utf-8")
    else:
        sys.stdout.write(content)
    for failure in failures:
        print(f"parallax: error: {failure}", file=sys.stderr)
    return 1 if failures else 0


def run_score(args: argparse.Namespace) -> int:
    if not args.pred.is_file():
        raise UsageError(f"--pred {args.pred} is not a file; give a prediction file in the PTC format")
    if not args.gold.exists():
        raise UsageError(f"--gold {args.gold} does not exist; give a .labels file or a folder of them")
    predicted = read_labels(args.pred, _pred_task(args.pred, args.task))
    if args.task == "si" and predicted and predicted[0].technique:
        predicted = [Label(x.article_id, x.start, x.end) for x in predicted]
    gold = read_labels(args.gold, args.task)
    scores = score_si(predicted, gold) if args.task == "si" else score_tc(predicted, gold)
    print(f"task={args.task} pred={len(predicted)} gold={len(gold)} "
          f"P={scores.precision:.4f} R={scores.recall:.4f} F1={scores.f1:.4f}")
    return 0


def _pred_task(path: Path, task: str) -> str:
    """SI predictions may come as 3-column SI lines or as 4-column technique lines."""
    if task == "tc":
        return "tc"
    first = next((line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()), "")
    return "tc" if first.count("\t") == 3 else "si"

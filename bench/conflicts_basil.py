"""Number-conflict verdicts on BASIL (Fan et al., EMNLP 2019): how many reported conflicts
are real, and how often the verdict is right.

Gold (bench/data/basil_conflicts_gold.jsonl), made by hand for this benchmark (2026-12, one
labeller, no second opinion):
  1. every BASIL triplet (the same event from Fox News, the New York Times and HuffPost;
     66 in all) was compared as one story, with the number-conflict detector relaxed to
     gather candidates (`--pool`: sentence cosine >= POOL.topic_cosine, no shared event
     word needed, no tolerance for approximate figures, no story gate). 27 pairs came out,
     from 14 triplets (the shipped detector reports 5 of them);
  2. each pair was labelled by reading both sentences in their articles:
       conflict          the same quantity at a comparable scope, and the figures differ;
       different_scope   the same count bounded differently: another period, place,
                         population or budget;
       different_source  the same quantity, given by different named sources;
       none              not a conflict at all: different quantities (seats needed vs
                         seats won), or figures that agree ("nearly two-dozen" vs 23);
     with a one-line reason. A line holds the triplet, its split, both sides (BASIL article
     `uuid`, offsets of the figure in the text built as `parallax ingest` builds it:
     paragraphs joined by a blank line, sentences by a space), the label and the reason;
     never the article text. Labels: 3 conflict, 8 different_scope, 16 none.
Split: the triplets in file order, even positions tune (6 triplets with candidates, 15
pairs), odd positions test (8 triplets, 12 pairs). Chosen on the tuning triplets
(`--tune` prints the grid): a side that names no population word is comparable with one
that does (requiring both keeps "19 separate actions" vs "23 executive actions", one plan,
a conflict). The grid could not separate the tolerance for approximate figures
(APPROXIMATE_TOLERANCE, set to 10% beforehand) and favoured dropping the shared event word
(2 of 5 `conflict` verdicts real against 0 of 1), a difference of two pairs; the event word
is kept, as its table-driven case ("fled" vs "killed") asks. The shipped detector's output
on all 66 triplets had been read once before the split, so the test figure is not blind.
Report on `--split test` (the default).

Measured with the shipped settings, through the ordinary comparison (story gate included):
  precision  share of reported number conflicts with verdict `conflict` that are labelled
             `conflict`;
  accuracy   share of reported number conflicts whose verdict equals the label (`none`
             matches no verdict);
  unlabelled reported pairs not in the gold file (a detector change; label them with --pool).
Prints one line:
  conflicts_basil split=test triplets=T reported=R conflict_precision=P (k/n)
  verdict_accuracy=A (k/n) unlabelled=U gold_conflicts_found=F/G
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from parallax.comparison import story_pairs  # noqa: E402
from parallax.comparison.conflicts import NumberSettings, number_conflicts  # noqa: E402
from parallax.config import Config  # noqa: E402
from parallax.ingest.readers import joined_paragraphs  # noqa: E402
from parallax.model import NUMBER, VERDICT_CONFLICT, Analysis, Article, Conflict  # noqa: E402
from parallax.pipeline import Pipeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared/data/basil"
DEFAULT_GOLD = ROOT / "bench/data/basil_conflicts_gold.jsonl"
# Candidates for labelling: anything on a loosely shared topic (the shipped detector needs
# 0.45 and a shared event word), approximate figures taken at face value.
POOL = NumberSettings(topic_cosine=0.3, shared_context=False, tolerance=0.0)
# What `--tune` tries on the tuning triplets.
TUNING_GRID = tuple(NumberSettings(cosine, context, tolerance) for cosine in (0.3, 0.45) for context in (False, True)
                    for tolerance in (0.0, 0.1))

Key = frozenset[tuple[str, int, int]]  # both sides' (article id, start, end)
Chosen = list[tuple[int, str, list[Article]]]  # (position in the file, triplet, its articles)


def triplets(folder: Path) -> list[tuple[str, list[Article]]]:
    """BASIL's triplets in file order, each with its articles (the text as `parallax ingest` builds it)."""
    found: dict[str, list[Article]] = {}
    with open(folder / "basil_articles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            found.setdefault(row["triplet_uuid"], []).append(Article(
                text=joined_paragraphs(row["paragraphs"]), title=row["title"], outlet=row["source"],
                published=row["date"], id=row["uuid"]))
    return list(found.items())


def split_of(position: int) -> str:
    return "tune" if position % 2 == 0 else "test"


def key_of(conflict: Conflict, analyses: list[Analysis]) -> Key:
    return frozenset((analyses[side.article].article.id, side.start, side.end) for side in (conflict.a, conflict.b))


def gold_key(row: dict) -> Key:
    return frozenset((side["article"], side["start"], side["end"]) for side in (row["a"], row["b"]))


def compared(pipeline: Pipeline, chosen: Chosen) -> Iterator[tuple[int, str, list[Analysis], list[Conflict]]]:
    for position, triplet, articles in chosen:
        analyses = [a for a in pipeline.analyze_many(articles) if isinstance(a, Analysis)]
        numbers = [c for c in pipeline.compare(analyses).conflicts if c.kind == NUMBER]
        yield position, triplet, analyses, numbers


def detected(pipeline: Pipeline, articles: list[Article], settings: list[NumberSettings],
             one_story: bool = False) -> tuple[list[Analysis], list[list[Conflict]]]:
    """The number conflicts of one triplet under each of `settings`: between the articles
    of one story (as compare does), or between all of them (`one_story`)."""
    analyses = [a for a in pipeline.analyze_many(articles) if isinstance(a, Analysis)]
    texts = sorted({a.snippet(c) for a in analyses for c in a.claims})
    vectors = dict(zip(texts, pipeline.encode(texts))) if texts else {}
    stories = [list(range(len(analyses)))] if one_story else pipeline.story_groups(analyses)
    return analyses, [number_conflicts(analyses, vectors.__getitem__, story_pairs(stories), setting)
                      for setting in settings]


def pool(pipeline: Pipeline, chosen: Chosen) -> None:
    """Print the relaxed detector's candidates of every chosen triplet, one JSON line each, to label."""
    for position, triplet, articles in chosen:
        analyses, (candidates,) = detected(pipeline, articles, [POOL], one_story=True)
        for conflict in candidates:
            sides = {}
            for name, side in (("a", conflict.a), ("b", conflict.b)):
                article = analyses[side.article].article
                sides[name] = {"article": article.id, "outlet": article.outlet, "start": side.start, "end": side.end,
                               "figure": side.text, "sentence": side.sentence.text}
            print(json.dumps({"triplet": triplet, "split": split_of(position), **sides, "verdict": conflict.verdict,
                              "reason": conflict.verdict_reason}, ensure_ascii=False))


def tune(pipeline: Pipeline, chosen: Chosen, gold: dict[Key, dict]) -> None:
    """Per setting of TUNING_GRID: reported `conflict` verdicts, how many are real, and
    the real conflicts of the gold file that are reported at all."""
    per_setting = [[0, 0, 0] for _ in TUNING_GRID]
    for _, _, articles in chosen:
        analyses, found = detected(pipeline, articles, list(TUNING_GRID))
        for counts, conflicts in zip(per_setting, found):
            for conflict in conflicts:
                label = gold.get(key_of(conflict, analyses), {}).get("label")
                counts[0] += conflict.verdict == VERDICT_CONFLICT
                counts[1] += conflict.verdict == VERDICT_CONFLICT and label == VERDICT_CONFLICT
                counts[2] += label == VERDICT_CONFLICT
    for setting, (said, real, caught) in zip(TUNING_GRID, per_setting):
        print(f"topic_cosine={setting.topic_cosine} shared_context={setting.shared_context} "
              f"tolerance={setting.tolerance}: conflict verdicts {real}/{said} real, real conflicts reported {caught}")


def score(pipeline: Pipeline, chosen: Chosen, gold: dict[Key, dict], split: str) -> str:
    reported = labelled = said_conflict = real = right = 0
    found_real: set[Key] = set()
    for _, _, analyses, numbers in compared(pipeline, chosen):
        for conflict in numbers:
            reported += 1
            row = gold.get(key_of(conflict, analyses))
            if row is None:
                continue
            labelled += 1
            right += conflict.verdict == row["label"]
            if conflict.verdict == VERDICT_CONFLICT:
                said_conflict += 1
                real += row["label"] == VERDICT_CONFLICT
            if row["label"] == VERDICT_CONFLICT:
                found_real.add(key_of(conflict, analyses))
    ids = {a.id for _, _, articles in chosen for a in articles}
    gold_real = [k for k, row in gold.items() if row["label"] == VERDICT_CONFLICT and {x[0] for x in k} <= ids]
    precision = f"{real / said_conflict:.3f}" if said_conflict else "n/a"
    accuracy = f"{right / labelled:.3f}" if labelled else "n/a"
    return (f"conflicts_basil split={split} triplets={len(chosen)} reported={reported} "
            f"conflict_precision={precision} ({real}/{said_conflict}) verdict_accuracy={accuracy} ({right}/{labelled}) "
            f"unlabelled={reported - labelled} gold_conflicts_found={len(found_real)}/{len(gold_real)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with basil_articles.jsonl")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--split", choices=("tune", "test", "all"), default="test")
    parser.add_argument("--store", help="SQLite store for the analyses (default: the usual cache)")
    parser.add_argument("--pool", action="store_true", help="print the candidates to label instead of scoring")
    parser.add_argument("--tune", action="store_true", help="print the tuning grid's figures instead of scoring")
    args = parser.parse_args(argv)
    chosen = [(position, triplet, articles) for position, (triplet, articles) in enumerate(triplets(args.data))
              if args.split == "all" or split_of(position) == args.split]
    settings = {"techniques": False, **({"store": args.store} if args.store else {})}
    with Pipeline(Config.resolve(**settings)) as pipeline:
        if args.pool:
            pool(pipeline, chosen)
            return 0
        lines = args.gold.read_text(encoding="utf-8").splitlines()
        gold = {gold_key(row): row for row in map(json.loads, lines) if row}
        if args.tune:
            tune(pipeline, chosen, gold)
            return 0
        print(score(pipeline, chosen, gold, args.split))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""PolNeAR benchmark for quote/attribution extraction.

For each (article, annotator) record of `polnear_<split>.jsonl`, Parallax extracts
attributions from `text` verbatim (spaCy + entity_spans + quote_spans with the packaged
attribution head's candidates, as the Pipeline does; `--rules-only` without them) and
the content spans are scored against that
annotator's attributions (see parallax.nlp.quotes.scoring): Jaccard >= 0.5 (also 0.3
and 0.8), greedy one-to-one matching, P/R/F1 micro over an annotator's records then
averaged over annotators (and pooled), speaker accuracy on matched pairs.

Scare quotes are not attributions and are not scored. A partial quote is scored by
its reported clause (`Quote.clause`) when it has one: PolNeAR's content is the
whole attributed material (`called Trump's supporters “deplorables”` -> the object
and the quoted word), not the quoted fragment; `--extent quote` scores the quoted
fragment alone.

Develop on train, not on dev (which the evaluation gate pins): `--split train
--articles 200` scores the first 200 train articles, every annotator of each; `--cv`
prints the 5-fold cross-validation over train articles instead (bench/attribution_cv.py).

Prints detail lines, then one result line:
  quotes_polnear split=dev system=rules+tagger articles=N records=N P@0.5=.. R@0.5=.. F1@0.5=.. F1@0.3=.. F1@0.8=.. speaker_acc=.. seconds=..
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared/data/polnear"
THRESHOLDS = (0.3, 0.5, 0.8)
SCORED_KINDS = ("direct", "partial", "indirect")
# PolNeAR annotates every attribution (beliefs, endorsements, "wants to"); quote
# extractors such as the Gender Gap Tracker's only look at speech. Recall on the gold
# attributions whose cue is one of these speech words is reported as a detail line.
SPEECH_CUE_WORDS = frozenset("""
say says said saying tell tells told telling according added adds adding add wrote
writes write writing noted notes noting note asked asks ask asking argued argues argue
claimed claims claim stated states state declared declares reported reports explained
explains insisted insists warned warns commented comments tweeted tweets responded
replied announced acknowledged suggested
""".split())


def load_records(data: Path, split: str, limit: int | None,
                 articles: int | None = None) -> list[dict]:
    """The split's records: the first `limit` records, or every record (all annotators)
    of the first `articles` articles."""
    path = data / f"polnear_{split}.jsonl"
    if not path.exists():
        sys.exit(f"quotes_polnear: {path} not found; expected polnear_{{train,dev}}.jsonl in --data")
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    if articles:
        kept = set(list(dict.fromkeys(r["article"] for r in records))[:articles])
        records = [r for r in records if r["article"] in kept]
    return records[:limit] if limit else records


def learned_candidates(text: str):
    """The packaged attribution head's output for `text` (as Pipeline's technique pass
    computes it: candidates, tag probabilities and ranker), or [] when the technique
    model ships no head."""
    from parallax.nlp.attribution.head import find_attributions
    from parallax.techniques import fast, load_detector

    detector = load_detector()
    if detector.attribution is None:
        return []
    return find_attributions(detector.attribution, text, fast.encode_article(detector, text))


def predict(text: str, extent: str, learned=None):
    """Parallax's attributions of `text` as scoring inputs: the rules with the head's
    `learned` output or candidates (default: the packaged head's; [] for the rules alone)."""
    from parallax.nlp.entities import entity_spans
    from parallax.nlp.quotes import quote_spans
    from parallax.nlp.quotes.scoring import attributions_from_spans
    from parallax.nlp.spacy_model import load_nlp

    doc = load_nlp()(text)
    learned = learned_candidates(text) if learned is None else learned
    return attributions_from_spans(quote_spans(doc, entity_spans(doc), learned), text, extent, SCORED_KINDS)


def gold_of(record: dict):
    from parallax.nlp.quotes.scoring import gold_attributions

    return gold_attributions(record)


def is_speech(attribution: dict) -> bool:
    return any(word.strip(":,") in SPEECH_CUE_WORDS for word in attribution["cue_text"].lower().split())


def evaluate(records: list[dict], extent: str, rules_only: bool = False):
    """Counts per threshold per annotator, and pooled counts at 0.5 on the gold
    attributions with a speech cue (recall is the meaningful figure there)."""
    from parallax.nlp.quotes.scoring import Counts, score_record

    cache: dict[str, list] = {}
    results = {t: defaultdict(Counts) for t in THRESHOLDS}
    speech = Counts()
    for record in records:
        text = record["text"]
        if text not in cache:  # several annotators share one article text
            cache[text] = predict(text, extent, [] if rules_only else None)
        gold = gold_of(record)
        for threshold in THRESHOLDS:
            results[threshold][record["annotator"]] += score_record(cache[text], gold, threshold)
        speech_only = [r for r in record["attributions"] if r["content"] and is_speech(r)]
        speech += score_record(cache[text], gold_of({"attributions": speech_only}), 0.5)
    return results, speech


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    parser.add_argument("--limit", type=int, default=None, help="first N records only")
    parser.add_argument("--articles", type=int, default=None,
                        help="first N articles only, every annotator's record of each "
                             "(a development subset of train: --split train --articles 200)")
    parser.add_argument("--extent", default="attribution", choices=("attribution", "quote"),
                        help="score partial quotes by their reported clause or the fragment")
    parser.add_argument("--rules-only", action="store_true",
                        help="the rules alone, without the packaged attribution tagger's candidates")
    parser.add_argument("--cv", action="store_true",
                        help="instead: the 5-fold cross-validation over train of bench/attribution_cv.py "
                             "(rules, head, rules + head on the first 300 articles; ~30 min)")
    args = parser.parse_args(argv)
    if args.cv:
        import attribution_cv  # bench/attribution_cv.py, beside this file

        return attribution_cv.main(["--data", str(args.data), "--articles", str(args.articles or 300),
                                    "--systems", "head,rules+head"])

    from parallax.nlp.quotes.scoring import average_over_annotators, pooled

    started = time.perf_counter()
    records = load_records(args.data, args.split, args.limit, args.articles)
    results, speech = evaluate(records, args.extent, args.rules_only)
    seconds = time.perf_counter() - started

    figures = {}
    for threshold in THRESHOLDS:
        per_annotator = results[threshold]
        p, r, f, acc = average_over_annotators(per_annotator)
        total = pooled(per_annotator)
        pp, pr, pf = total.prf()
        figures[threshold] = (p, r, f, acc)
        print(f"  @{threshold}: annotator-avg P={p:.3f} R={r:.3f} F1={f:.3f} speaker_acc={acc:.3f} | "
              f"pooled P={pp:.3f} R={pr:.3f} F1={pf:.3f} speaker_acc={total.speaker_accuracy():.3f} "
              f"(tp={total.tp} fp={total.fp} fn={total.fn})")
    for annotator, counts in sorted(results[0.5].items()):
        p, r, f = counts.prf()
        print(f"  annotator {annotator}: P={p:.3f} R={r:.3f} F1={f:.3f} "
              f"speaker_acc={counts.speaker_accuracy():.3f} (tp={counts.tp} fp={counts.fp} fn={counts.fn})")
    print(f"  speech-cue gold only (say, tell, according to, ...): R@0.5={speech.prf()[1]:.3f} "
          f"speaker_acc={speech.speaker_accuracy():.3f} (tp={speech.tp} fn={speech.fn})")
    p5, r5, f5, acc5 = figures[0.5]
    articles = len({r["article"] for r in records})
    system = "rules" if args.rules_only else "rules+tagger"
    print(f"quotes_polnear split={args.split} system={system} articles={articles} records={len(records)} "
          f"P@0.5={p5:.3f} R@0.5={r5:.3f} F1@0.5={f5:.3f} F1@0.3={figures[0.3][2]:.3f} F1@0.8={figures[0.8][2]:.3f} "
          f"speaker_acc={acc5:.3f} seconds={seconds:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

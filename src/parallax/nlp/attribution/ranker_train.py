"""Train the attribution ranker (nlp.quotes.ranked) on PolNeAR train, cross-validated.

    python -m parallax.nlp.attribution.ranker_train --data ../shared/data/polnear \\
        --oof /tmp/oof_tags.npz --cv --write src/parallax/techniques/model

1. Out-of-fold head outputs (`oof_tags`): the train articles (all 840, or the first
   --articles N) in 5 folds (folds.article_folds); each fold's articles are tagged by a
   head (head_train, the shipped recipe) trained on every other train article, so the
   ranker learns from tag probabilities like those of an article the head never saw.
   ~5.5 min a fold, one thread; cached in --oof. (Trees trained on all 840 articles score
   the first 300 with better speakers than trees trained on those 300 alone: the model
   card, techniques/model/ATTRIBUTION_CARD.md.)
2. Tables: every candidate content of each article (nlp.quotes.candidates), its
   features and its target, the best character Jaccard with a gold content over the
   article's annotators (`Article.table`); and, for each attribution of the rules + head
   pipeline matching a gold one, every candidate speaker word with whether it names the
   gold source (`Article.speaker_table`, nlp.quotes.speaker_rank).
3. `cross_validate`: 5-fold over the same articles: trees fitted on four folds choose the
   contents (and learned speakers) of the fifth through the pipeline's own code
   (quote_spans), scored as bench/quotes_polnear.py scores (content F1 at Jaccard 0.5,
   speaker accuracy), at each threshold of THRESHOLDS and SPEAKER_THRESHOLDS; the best
   pooled F1 and speaker accuracy pick the shipped thresholds.
4. `--write`: both trees fitted on every article, written with ranker.json.
The dev split is never read. Prints one result line:
  ranker_cv articles=N threshold=T speaker_threshold=S rules_head_F1=.. rules_head_speakers=..
            ranker_P/R/F1=.. ranker_speakers_head_choice=.. ranker_speakers=..
"""
from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

from parallax.nlp.attribution.folds import article_folds
from parallax.nlp.attribution.ranker import CONTENT_TREES, RANKER_CONFIG, SPEAKER_TREES, Ranker
from parallax.nlp.attribution.tags import TagProbs
from parallax.nlp.attribution.trees import Trees

FOLDS = 5
# Predicted-Jaccard thresholds tried by the CV (0.4 was best on the first experiments).
THRESHOLDS = (0.35, 0.4, 0.45)
# The speaker trees' best word must score this much, else the content is unattributed.
SPEAKER_THRESHOLDS = (0.0, 0.2, 0.35)
# The head's contents are decoded again down to this mean P(content) for candidates.
LOW_SCORE = 0.3
# 150 trees of 31 leaves: F1 within 0.001 of 300 trees, half the time at inference.
TREE_SETTINGS = {"max_iter": 150, "learning_rate": 0.15, "max_leaf_nodes": 31, "min_samples_leaf": 40,
                 "random_state": 0}


def load_records(data: Path, articles: int | None) -> list[dict]:
    """The train records (every annotator) of the first `articles` articles, or of all."""
    from parallax.nlp.attribution.head_train import read_records

    records = read_records(data / "polnear_train.jsonl")
    if articles:
        kept = set(list(dict.fromkeys(r["article"] for r in records))[:articles])
        records = [r for r in records if r["article"] in kept]
    return records


def oof_tags(records: list[dict], pool: list[dict], cache: Path | None) -> dict[str, TagProbs]:
    """{article of `records`: the tags of a head trained on the `pool` articles outside its fold}."""
    if cache is not None and cache.is_file():
        with np.load(cache, allow_pickle=False) as data:
            return {key.removesuffix(".offs"): TagProbs([tuple(map(int, o)) for o in data[key]],
                                                        data[key.removesuffix(".offs") + ".probs"])
                    for key in data.files if key.endswith(".offs")}
    from parallax.nlp.attribution import head_train
    from parallax.techniques import load_detector

    detector = load_detector()
    texts = {r["article"]: r["text"] for r in pool}
    examples = {article: head_train.encode(detector, text) for article, text in texts.items()}
    tags: dict[str, TagProbs] = {}
    for number, fold in enumerate(article_folds(dict.fromkeys(r["article"] for r in records), FOLDS), 1):
        held = set(fold)
        data = [w for r in pool if r["article"] not in held
                for w in head_train.sequences(examples[r["article"]], r["attributions"])]
        started = time.perf_counter()
        net = head_train.fit(data, log=lambda _: None)
        for article in fold:
            tags[article] = TagProbs(examples[article].offsets, head_train.predict(net, examples[article]))
        print(f"  fold {number}: head trained in {time.perf_counter() - started:.0f}s", flush=True)
    if cache is not None:
        arrays = {}
        for article, t in tags.items():
            arrays[article + ".offs"] = np.array(t.offsets, dtype=np.int64).reshape(-1, 2)
            arrays[article + ".probs"] = np.asarray(t.probs, dtype=np.float32)
        np.savez_compressed(cache, **arrays)
    return tags


def learned_output(text: str, tags: TagProbs, ranker: Ranker | None):
    """What the technique pass hands the quote extractor, from cached tags."""
    from parallax.nlp.attribution.head import learned_from_tags
    from parallax.nlp.attribution.head_train import DECODING

    return learned_from_tags(text, tags, DECODING, ranker, LOW_SCORE)


class Article:
    """One parsed article with its gold attributions (one list per annotator)."""

    def __init__(self, nlp, records: list[dict], tags: TagProbs):
        from parallax.nlp.entities import entity_spans

        self.records, self.text, self.tags = records, records[0]["text"], tags
        self.doc = nlp(self.text)
        self.entities = entity_spans(self.doc)

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """Features and targets of every candidate content."""
        from parallax.nlp.quotes.candidates import content_features
        from parallax.nlp.quotes.extract import rule_found
        from parallax.nlp.quotes.ranked import ranked_candidates
        from parallax.nlp.quotes.scoring import gold_attributions, jaccard
        from parallax.nlp.quotes.speakers import inherit_speakers

        found = inherit_speakers(self.doc, rule_found(self.doc, self.entities)[0])
        candidates = ranked_candidates(self.doc, found, learned_output(self.text, self.tags, None))
        if not candidates:
            return np.zeros((0, 0)), np.zeros(0)
        golds = [g.content for r in self.records for g in gold_attributions(r)]
        target = [max((jaccard([(c.start, c.end)], g) for g in golds), default=0.0) for c in candidates]
        return content_features(self.doc, candidates, found, self.tags), np.array(target)

    def speaker_table(self) -> tuple[np.ndarray, np.ndarray]:
        """For each attribution of the rules + head pipeline whose content matches a gold
        one, every candidate speaker word's features and whether it names the gold source."""
        from parallax.nlp.attribution.ranker import SPEAKER_FEATURES
        from parallax.nlp.quotes.extract import attributions
        from parallax.nlp.quotes.scoring import Predicted, gold_attributions, greedy_match, speaker_correct
        from parallax.nlp.quotes.speaker_rank import speaker_candidates, speaker_features

        found = attributions(self.doc, self.entities, learned_output(self.text, self.tags, None))
        found = [f for f in found if f.kind != "scare"]
        extents = [[f.extent] for f in found]
        rows, target = [np.zeros((0, len(SPEAKER_FEATURES)))], []
        for record in self.records:
            gold = gold_attributions(record)
            for i, j, _ in greedy_match(extents, [g.content for g in gold], 0.5):
                tokens = speaker_candidates(self.doc, found[i])
                if not tokens or not gold[j].source:
                    continue
                rows.append(speaker_features(self.doc, found[i], tokens, self.tags))
                target += [speaker_correct(Predicted(extents[i], (t.idx, t.idx + len(t)), t.text), gold[j])
                           for t in tokens]
        return np.vstack(rows), np.array(target, dtype=int)

    def score(self, ranker: Ranker | None, counts: dict) -> None:
        """Add this article's counts (per annotator) for the pipeline with `ranker`."""
        from parallax.model import SPEECH_KINDS
        from parallax.nlp.quotes import quote_spans
        from parallax.nlp.quotes.scoring import attributions_from_spans, gold_attributions, score_record

        quotes = quote_spans(self.doc, self.entities, learned_output(self.text, self.tags, ranker))
        predicted = attributions_from_spans(quotes, self.text, "attribution", SPEECH_KINDS)
        for record in self.records:
            counts[record["annotator"]] += score_record(predicted, gold_attributions(record), 0.5)


def fit(tables: list[tuple[np.ndarray, np.ndarray]], classify: bool = False) -> Trees:
    """Trees fitted to the stacked tables: a regressor of the Jaccard target, or (classify)
    a classifier of a 0/1 target."""
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    X = np.vstack([x for x, y in tables if len(y)])
    y = np.concatenate([y for x, y in tables if len(y)])
    model = HistGradientBoostingClassifier if classify else HistGradientBoostingRegressor
    return Trees.from_sklearn(model(**TREE_SETTINGS).fit(X, y))


def cross_validate(articles: dict[str, Article], tables: dict, speaker_tables: dict) -> dict:
    """{(content threshold, speaker threshold or None): (P, R, F1, speakers) averaged over
    annotators}; (None, None) is rules + head without the ranker. Speaker thresholds are
    tried at the first-experiment content threshold, THRESHOLDS[1]."""
    from parallax.nlp.quotes.scoring import Counts, average_over_annotators

    settings = [(None, None)] + [(t, None) for t in THRESHOLDS] + [(THRESHOLDS[1], s) for s in SPEAKER_THRESHOLDS]
    counts = {setting: defaultdict(Counts) for setting in settings}
    for number, fold in enumerate(article_folds(list(articles), FOLDS), 1):
        train = [a for a in articles if a not in set(fold)]
        trees = fit([tables[a] for a in train])
        speaker = fit([speaker_tables[a] for a in train], classify=True)
        for article in fold:
            for threshold, speaker_threshold in settings:
                ranker = None if threshold is None else Ranker(
                    trees, threshold, LOW_SCORE, {}, None if speaker_threshold is None else speaker,
                    speaker_threshold or 0.0)
                articles[article].score(ranker, counts[threshold, speaker_threshold])
        print(f"  after fold {number}: " + ", ".join(
            f"{t}/{s}: F1 {average_over_annotators(counts[t, s])[2]:.3f} speakers "
            f"{average_over_annotators(counts[t, s])[3]:.3f}" for t, s in settings), flush=True)
    return {setting: average_over_annotators(c) for setting, c in counts.items()}


def main(argv: list[str] | None = None) -> int:
    from parallax.nlp.attribution.ranker import CONTENT_FEATURES, SPEAKER_FEATURES
    from parallax.nlp.spacy_model import load_nlp

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/polnear"))
    parser.add_argument("--articles", type=int, default=0, help="the first N train articles (default 0: all)")
    parser.add_argument("--oof", type=Path, default=None, help="cache of the out-of-fold head tags (.npz)")
    parser.add_argument("--cv", action="store_true", help="5-fold cross-validation of the ranker")
    parser.add_argument("--threshold", type=float, default=None, help="written threshold (default: the CV's best)")
    parser.add_argument("--speaker-threshold", type=float, default=None,
                        help="written speaker threshold (default: the CV's best)")
    parser.add_argument("--write", type=Path, default=None, help="model folder to write the ranker into")
    args = parser.parse_args(argv)
    if not (args.data / "polnear_train.jsonl").is_file():
        parser.error(f"{args.data / 'polnear_train.jsonl'} not found; --data is the PolNeAR folder")
    started = time.perf_counter()
    records = load_records(args.data, args.articles)
    tags = oof_tags(records, load_records(args.data, None), args.oof)
    nlp = load_nlp()
    by_article: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_article[record["article"]].append(record)
    articles = {a: Article(nlp, rs, tags[a]) for a, rs in by_article.items() if a in tags}
    tables = {a: article.table() for a, article in articles.items()}
    speaker_tables = {a: article.speaker_table() for a, article in articles.items()}
    print(f"  {len(articles)} articles, {sum(len(y) for _, y in tables.values())} candidates "
          f"({time.perf_counter() - started:.0f}s)", flush=True)
    threshold, speaker_threshold, results = args.threshold, args.speaker_threshold, {}
    if args.cv:
        results = cross_validate(articles, tables, speaker_tables)
        best = max(THRESHOLDS, key=lambda t: results[t, None][2])
        best_speaker = max(SPEAKER_THRESHOLDS, key=lambda s: results[THRESHOLDS[1], s][3])
        threshold = threshold or best
        speaker_threshold = best_speaker if speaker_threshold is None else speaker_threshold
        base, p, r, f, s = results[None, None], *results[best, None][:3], results[THRESHOLDS[1], best_speaker][3]
        print(f"ranker_cv articles={len(articles)} threshold={best} speaker_threshold={best_speaker} "
              f"rules_head_F1={base[2]:.3f} rules_head_speakers={base[3]:.3f} "
              f"ranker_P/R/F1={p:.3f}/{r:.3f}/{f:.3f} ranker_speakers_head_choice={results[best, None][3]:.3f} "
              f"ranker_speakers={s:.3f}")
    if args.write:
        if threshold is None or speaker_threshold is None:
            parser.error("--write needs --cv or both --threshold and --speaker-threshold")
        args.write.mkdir(parents=True, exist_ok=True)
        fit(list(tables.values())).save(args.write / CONTENT_TREES)
        fit(list(speaker_tables.values()), classify=True).save(args.write / SPEAKER_TREES)
        cv = {f"{t}/{s}": [round(x, 4) for x in v] for (t, s), v in results.items()}
        config = {"threshold": threshold, "low_score": LOW_SCORE, "features": list(CONTENT_FEATURES),
                  "speaker_threshold": speaker_threshold, "speaker_features": list(SPEAKER_FEATURES),
                  "trained": {"data": "PolNeAR train, out-of-fold head tags", "articles": len(articles),
                              "trees": TREE_SETTINGS, "date": date.today().isoformat(),
                              "cv_P_R_F1_speakers": cv}}
        (args.write / RANKER_CONFIG).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""5-fold cross-validation of a learned attribution tagger on PolNeAR train, against the rules.

Folds are over train ARTICLES (parallax.nlp.attribution.folds; the dev split is never
read). On the very same folds and with the scorer of bench/quotes_polnear.py
(parallax.nlp.quotes.scoring: content Jaccard >= 0.5, greedy one-to-one, micro P/R/F1 per
annotator then averaged over annotators, speaker accuracy on matched pairs) it scores:
  rules  the shipped extractor (quotes_polnear.predict: spaCy + quote_spans), no training;
  model  a per-token logistic regression (BIO tags over content/source/cue,
         parallax.nlp.attribution.tags) over MiniLM int8 token states and their
         neighbours' (parallax.nlp.attribution.features), trained on the other four folds;
         contents decoded from P(inside) (tags.decode_content, whose settings were picked
         on fold 1 of the first 200 articles: a small optimistic bias there); speaker =
         the nearest predicted source span;
  union  the rules' attributions plus the model's that overlap no rule attribution.

Token states and rule outputs are cached under --cache (default /tmp, never the repo).
One thread everywhere (ONNX Runtime, BLAS). Prints detail lines, then one result line:
  attribution_cv articles=N records=N folds=5 rules_P/R/F1=.. model_P/R/F1=.. union_P/R/F1=.. ...
"""
from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # before NumPy loads: the machine's cores are shared

import argparse
import hashlib
import pickle
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
import quotes_polnear  # noqa: E402  (bench/quotes_polnear.py: data reading and rule predictions)

from parallax.nlp.attribution.folds import article_folds  # noqa: E402
from parallax.nlp.attribution.tags import (TAG_NAMES, begin, decode_content, decode_spans,  # noqa: E402
                                           encode_tags, inside, nearest)
from parallax.nlp.quotes.scoring import (Counts, Predicted, average_over_annotators,  # noqa: E402
                                         jaccard, score_record)

DEFAULT_CACHE = Path("/tmp/parallax_attribution_cv")
THRESHOLD = 0.5  # the headline Jaccard of bench/quotes_polnear.py
FOLDS = 5
# A predicted source further than this from a content span (characters) is not its
# speaker: PolNeAR's source sits in the same sentence as its cue, next to the content.
SPEAKER_DISTANCE = 150
# Contents shorter than this many characters are dropped: gold contents are clauses
# (a lone word or two predicted inside is noise).
MIN_CONTENT_CHARS = 8
# lbfgs iterations: the loss flattens well before this on standardised states.
MAX_ITER = 300
SYSTEMS = ("rules", "model", "union")


def source_fingerprint() -> str:
    """Hash of the rule extractor's sources: cached rule outputs are redone when they change."""
    digest = hashlib.sha1()
    for path in sorted((ROOT.parent / "src/parallax/nlp").rglob("*.py")):
        if "attribution" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def rule_predictions(by_article: dict[str, str], cache: Path) -> dict[str, list[Predicted]]:
    path = cache / f"rules_{source_fingerprint()}.pkl"
    done: dict[str, list[Predicted]] = pickle.loads(path.read_bytes()) if path.exists() else {}
    missing = [a for a in by_article if a not in done]
    started = time.perf_counter()
    for n, article in enumerate(missing, 1):
        done[article] = quotes_polnear.predict(by_article[article], "attribution")
        if n % 50 == 0 or n == len(missing):
            path.write_bytes(pickle.dumps(done))
            print(f"  rules: {n}/{len(missing)} articles, {time.perf_counter() - started:.0f}s", flush=True)
    return done


def token_features(by_article: dict[str, str], cache: Path):
    """{article: (offsets, states float16)} and the encoder's tokens/s on this run (or None)."""
    folder = cache / "states"
    folder.mkdir(parents=True, exist_ok=True)
    encoder, tokens_done, seconds = None, 0, 0.0
    features = {}
    for article, text in by_article.items():
        path = folder / f"{hashlib.sha1(text.encode()).hexdigest()[:16]}.npz"
        if not path.exists():
            if encoder is None:
                from parallax.nlp.attribution.features import TokenEncoder
                encoder = TokenEncoder(threads=1, int8=True)
            started = time.perf_counter()
            tokens, states = encoder.encode(text)
            seconds += time.perf_counter() - started
            tokens_done += len(tokens.ids)
            np.savez(path, offsets=np.array(tokens.offsets, dtype=np.int32).reshape(-1, 2),
                     states=states.astype(np.float16))
        data = np.load(path)
        features[article] = ([tuple(o) for o in data["offsets"].tolist()], data["states"])
    rate = tokens_done / seconds if seconds else None
    if rate:
        print(f"  encoder: {tokens_done} tokens in {seconds:.0f}s = {rate:.0f} tokens/s on one thread", flush=True)
    return features, rate


def with_context(states: np.ndarray) -> np.ndarray:
    """Each token's state beside its neighbours' (previous, next): a tag depends on them."""
    previous = np.vstack([states[:1] * 0, states[:-1]])
    following = np.vstack([states[1:], states[:1] * 0])
    return np.hstack([states, previous, following]).astype(np.float32)


def fit(train: list[dict], features):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    xs, ys = [], []
    for record in train:
        offsets, states = features[record["article"]]
        xs.append(with_context(states))
        ys.append(np.array(encode_tags(offsets, record["attributions"]), dtype=np.int8))
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=MAX_ITER, C=1.0))
    model.fit(np.vstack(xs), np.concatenate(ys))
    return model


def model_predictions(model, text: str, offsets, states) -> list[Predicted]:
    """Contents from P(inside content) (tags.decode_content); sources by argmax BIO."""
    probs = model.predict_proba(with_context(states))
    column = {tag: k for k, tag in enumerate(model.classes_.tolist())}
    begin_p = probs[:, column[begin("content")]]
    inside_p = begin_p + probs[:, column[inside("content")]]
    sources = decode_spans(model.classes_[probs.argmax(1)].tolist(), offsets)["source"]
    predicted = []
    for content in decode_content(inside_p.tolist(), begin_p.tolist(), offsets, text):
        if content.end - content.start < MIN_CONTENT_CHARS:
            continue
        source = nearest(content, sources, SPEAKER_DISTANCE)
        speaker = (source.start, source.end) if source else None
        predicted.append(Predicted(content.fragments, speaker, text[speaker[0]:speaker[1]] if speaker else ""))
    return predicted


def union(rules: list[Predicted], model: list[Predicted]) -> list[Predicted]:
    """The rules' attributions plus the model's that share no character with any of them."""
    return rules + [m for m in model if all(jaccard(m.content, r.content) == 0 for r in rules)]


def cross_validate(records: list[dict], rules, features, k: int):
    results = {system: defaultdict(Counts) for system in SYSTEMS}
    folds = article_folds((r["article"] for r in records), k)
    for number, fold in enumerate(folds, 1):
        held = set(fold)
        started = time.perf_counter()
        model = fit([r for r in records if r["article"] not in held], features)
        for record in (r for r in records if r["article"] in held):
            offsets, states = features[record["article"]]
            learned = model_predictions(model, record["text"], offsets, states)
            gold = quotes_polnear.gold_of(record)
            rule = rules[record["article"]]
            for system, predicted in (("rules", rule), ("model", learned), ("union", union(rule, learned))):
                results[system][record["annotator"]] += score_record(predicted, gold, THRESHOLD)
        print(f"  fold {number}/{k}: {len(fold)} articles, {time.perf_counter() - started:.0f}s", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=quotes_polnear.DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=None, help="first N train articles only")
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    records = quotes_polnear.load_records(args.data, "train", None, args.articles)
    by_article = {r["article"]: r["text"] for r in records}
    rules = rule_predictions(by_article, args.cache)
    features, rate = token_features(by_article, args.cache)
    results = cross_validate(records, rules, features, args.folds)
    figures = []
    for system in SYSTEMS:
        p, r, f, acc = average_over_annotators(results[system])
        print(f"  {system}: P={p:.3f} R={r:.3f} F1={f:.3f} speaker_acc={acc:.3f}")
        figures.append(f"{system}_P/R/F1={p:.3f}/{r:.3f}/{f:.3f} {system}_speaker_acc={acc:.3f}")
    speed = f"{rate:.0f}" if rate else "cached"
    print(f"attribution_cv articles={len(by_article)} records={len(records)} folds={args.folds} "
          f"{' '.join(figures)} encoder_tokens_per_s={speed} tags={len(TAG_NAMES)} "
          f"seconds={time.perf_counter() - started:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

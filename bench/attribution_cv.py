"""5-fold cross-validation of a learned attribution tagger on PolNeAR train, against the rules.

Folds are over train ARTICLES (parallax.nlp.attribution.folds; the dev split is never
read). On the very same folds and with the scorer of bench/quotes_polnear.py
(parallax.nlp.quotes.scoring: content Jaccard >= 0.5, greedy one-to-one, micro P/R/F1 per
annotator then averaged over annotators, speaker accuracy on matched pairs) it scores:
  rules  the rule extractor (quotes_polnear.predict with no learned candidates), no training;
  head   the attribution head (parallax.nlp.attribution.head_train: a BiLSTM over the
         packaged technique network's token states, head_train.Settings and DECODING),
         trained per fold on every train article outside the held fold (--head-pool all)
         or only the scored ones outside it; speaker = its nearest source span;
  rules+head  what the pipeline ships: quote_spans with the head's candidates (the rules'
         attributions plus the head's contents they miss, speakers named by the rules).
         2026-12-01, 300 articles: rules 0.632 (speakers 0.899), head 0.633 (0.712),
         rules+head 0.672 (0.879); ~28 min on one thread;
  model  a per-token logistic regression (BIO tags over content/source/cue,
         parallax.nlp.attribution.tags) over MiniLM int8 token states and their
         neighbours' (parallax.nlp.attribution.features), trained on the other four folds;
         contents decoded from P(inside) (tags.decode_content, whose settings were picked
         on fold 1 of the first 200 articles: a small optimistic bias there); speaker =
         the nearest predicted source span;
  union  the rules' attributions plus the model's that overlap no rule attribution;
  finetuned  the packaged MiniLM fine-tuned end to end as a BIO tagger on the other four
         folds (parallax.nlp.attribution.finetune: recipe in its Settings, decoding in its
         Decoding, both fixed before this CV); speaker = the nearest predicted source span;
  rules+finetuned  the rules' attributions plus the fine-tuned model's that overlap none;
  finetuned+rule_speakers  the fine-tuned contents, each with the speaker of the rule
         attribution it overlaps most (its own source span where it overlaps none).
First 300 articles, default recipe (3 epochs, lower 3 layers frozen), rules pinned with
--rules-cache to the committed extractor: rules 0.632 (speakers 0.899), finetuned 0.582
(0.653), rules+finetuned 0.649 (0.829), finetuned+rule_speakers 0.582 (0.811); ~8 min a fold.

Token states, rule outputs and the fine-tuned models' held-out probabilities are cached
under --cache (default /tmp, never the repo); --systems picks what is run (the logistic
regression is skipped when neither `model` nor `union` is asked for).
One thread everywhere (ONNX Runtime, BLAS, torch). Prints detail lines, then one result line:
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
                                         jaccard, pooled, score_record)

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
SYSTEMS = ("rules", "head", "rules+head", "model", "union", "finetuned", "rules+finetuned",
           "finetuned+rule_speakers")
HEAD_SYSTEMS = {"head", "rules+head"}
LR_SYSTEMS = {"model", "union"}
FT_SYSTEMS = {"finetuned", "rules+finetuned", "finetuned+rule_speakers"}


def source_fingerprint() -> str:
    """Hash of the rule extractor's sources: cached rule outputs are redone when they change."""
    digest = hashlib.sha1()
    for path in sorted((ROOT.parent / "src/parallax/nlp").rglob("*.py")):
        if "attribution" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def rule_predictions(by_article: dict[str, str], cache: Path,
                     pinned: Path | None = None) -> dict[str, list[Predicted]]:
    """The rules' attributions per article, from `pinned` (a cache file of another version
    of the extractor) or else cached by the working tree's sources."""
    path = pinned or cache / f"rules_{source_fingerprint()}.pkl"
    done: dict[str, list[Predicted]] = pickle.loads(path.read_bytes()) if path.exists() else {}
    missing = [a for a in by_article if a not in done]
    started = time.perf_counter()
    for n, article in enumerate(missing, 1):
        done[article] = quotes_polnear.predict(by_article[article], "attribution", [])
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


def with_rule_speakers(rules: list[Predicted], model: list[Predicted]) -> list[Predicted]:
    """The model's contents, each with the speaker of the rule attribution it overlaps most
    (the rules resolve pronouns and link speakers by syntax), else its own."""
    out = []
    for m in model:
        best = max(rules, key=lambda r: jaccard(m.content, r.content), default=None)
        if best is not None and jaccard(m.content, best.content) > 0 and best.speaker is not None:
            m = Predicted(m.content, best.speaker, best.speaker_text, best.speaker_name)
        out.append(m)
    return out


def finetuned_probs(train: list[dict], held: list[dict], cache: Path, settings, log=print):
    """{article: (offsets, tag probabilities)} of the held-out articles from a model
    fine-tuned on `train` with `settings` (cached by recipe and articles)."""
    import torch

    from parallax.nlp.attribution import finetune

    key = hashlib.sha1(repr((settings, sorted(r["article"] for r in train),
                             sorted(r["article"] for r in held))).encode()).hexdigest()[:16]
    path = cache / "finetuned" / f"{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes()), None
    torch.set_num_threads(1)
    net, tokenizer = finetune.load_base()
    windows = [w for r in train for w in finetune.article_windows(tokenizer, r["text"], r["attributions"])]
    started = time.perf_counter()
    finetune.fit(net, windows, tokenizer, settings, log=log)
    log(f"  finetuned: {len(windows)} windows, {settings.epochs} epochs in {time.perf_counter() - started:.0f}s")
    texts = {r["article"]: r["text"] for r in held}
    started = time.perf_counter()
    probs = {article: finetune.predict(net, tokenizer, text) for article, text in texts.items()}
    rate = len(texts) / (time.perf_counter() - started)
    log(f"  finetuned: inference {rate:.2f} articles/s on one thread")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(probs))
    return probs, rate


def finetuned_predictions(text: str, offsets, probs) -> list[Predicted]:
    from parallax.nlp.attribution.tags import decode

    return [Predicted(f.content.fragments, (f.source.start, f.source.end) if f.source else None,
                      text[f.source.start:f.source.end] if f.source else "")
            for f in decode(probs, offsets, text)]


def head_examples(by_article: dict[str, str]):
    """{article: head_train.Example} of every train article, through the packaged
    technique network (as the pipeline's technique pass)."""
    from parallax.nlp.attribution import head_train
    from parallax.techniques import load_detector

    detector, started = load_detector(), time.perf_counter()
    examples = {article: head_train.encode(detector, text) for article, text in by_article.items()}
    print(f"  head: {len(examples)} articles through the technique network in {time.perf_counter() - started:.0f}s",
          flush=True)
    return examples


def head_predictions(train: list[dict], held: list[dict], examples) -> dict[str, list]:
    """{held article: the tagger's candidate Quotes} from a head trained (head_train's
    Settings) on the `train` records."""
    from parallax.nlp.attribution import head_train
    from parallax.nlp.attribution.head import candidates_from_probs

    data = [w for r in train for w in head_train.sequences(examples[r["article"]], r["attributions"])]
    started = time.perf_counter()
    net = head_train.fit(data, log=lambda _: None)
    print(f"  head: trained on {len({r['article'] for r in train})} articles in {time.perf_counter() - started:.0f}s",
          flush=True)
    texts = {r["article"]: r["text"] for r in held}  # several annotators share one article
    return {article: candidates_from_probs(head_train.predict(net, examples[article]), examples[article].offsets,
                                           text, head_train.DECODING) for article, text in texts.items()}


def quotes_as_predicted(text: str, quotes: list) -> list[Predicted]:
    return [Predicted([(q.start, q.end)], (q.speaker.start, q.speaker.end) if q.speaker else None,
                      text[q.speaker.start:q.speaker.end] if q.speaker else "") for q in quotes]


def cross_validate(records: list[dict], rules, features, k: int, systems: tuple[str, ...], cache: Path,
                   settings=None, pool: list[dict] | None = None, examples=None):
    """`pool`: the records the head trains on (minus each held fold's articles)."""
    results = {system: defaultdict(Counts) for system in systems}
    per_fold = {system: [] for system in systems}
    rates = []
    folds = article_folds((r["article"] for r in records), k)
    for number, fold in enumerate(folds, 1):
        held = set(fold)
        started = time.perf_counter()
        train = [r for r in records if r["article"] not in held]
        held_records = [r for r in records if r["article"] in held]
        model = fit(train, features) if LR_SYSTEMS & set(systems) else None
        tuned = None
        if FT_SYSTEMS & set(systems):
            tuned, rate = finetuned_probs(train, held_records, cache, settings)
            rates += [rate] if rate else []
        learned = None
        if HEAD_SYSTEMS & set(systems):
            learned = head_predictions([r for r in pool if r["article"] not in held], held_records, examples)
        fold_counts = {system: defaultdict(Counts) for system in systems}
        shipped: dict[str, list[Predicted]] = {}
        for record in held_records:
            text, rule = record["text"], rules[record["article"]]
            predicted = {"rules": rule}
            if learned is not None:
                if record["article"] not in shipped:  # the pipeline's combination (nlp.quotes.learned)
                    shipped[record["article"]] = quotes_polnear.predict(text, "attribution", learned[record["article"]])
                predicted |= {"head": quotes_as_predicted(text, learned[record["article"]]),
                              "rules+head": shipped[record["article"]]}
            if model is not None:
                offsets, states = features[record["article"]]
                learned = model_predictions(model, text, offsets, states)
                predicted |= {"model": learned, "union": union(rule, learned)}
            if tuned is not None:
                ours = finetuned_predictions(text, *tuned[record["article"]])
                predicted |= {"finetuned": ours, "rules+finetuned": union(rule, ours),
                              "finetuned+rule_speakers": with_rule_speakers(rule, ours)}
            gold = quotes_polnear.gold_of(record)
            for system in systems:
                counts = score_record(predicted[system], gold, THRESHOLD)
                results[system][record["annotator"]] += counts
                fold_counts[system][record["annotator"]] += counts
        for system in systems:
            total = pooled(fold_counts[system])
            per_fold[system].append(total)
            p, r, f = total.prf()
            print(f"    fold {number} {system}: pooled P={p:.3f} R={r:.3f} F1={f:.3f} "
                  f"speaker_acc={total.speaker_accuracy():.3f}", flush=True)
        print(f"  fold {number}/{k}: {len(fold)} articles, {time.perf_counter() - started:.0f}s", flush=True)
    return results, rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=quotes_polnear.DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=None, help="first N train articles only")
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--rules-cache", type=Path, default=None,
                        help="rule outputs cached by an earlier run (rules_<fingerprint>.pkl), to score "
                             "a fixed version of the extractor while its sources change")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help=f"comma-separated, of {', '.join(SYSTEMS)} (rules always runs)")
    parser.add_argument("--head-pool", choices=("all", "scored"), default="all",
                        help="what the attribution head trains on, minus the held fold: every train "
                             "article (default) or only the --articles scored")
    parser.add_argument("--ft-frozen", type=int, default=None,
                        help="fine-tuning: lower encoder layers kept fixed (default finetune.Settings)")
    parser.add_argument("--ft-epochs", type=int, default=None, help="fine-tuning epochs (default finetune.Settings)")
    args = parser.parse_args(argv)
    systems = tuple(s for s in SYSTEMS if s in {"rules", *args.systems.split(",")})
    args.cache.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    records = quotes_polnear.load_records(args.data, "train", None, args.articles)
    by_article = {r["article"]: r["text"] for r in records}
    rules = rule_predictions(by_article, args.cache, args.rules_cache)
    features, rate = token_features(by_article, args.cache) if LR_SYSTEMS & set(systems) else ({}, None)
    settings = None
    if FT_SYSTEMS & set(systems):
        from dataclasses import replace

        from parallax.nlp.attribution.finetune import Settings

        settings = Settings()
        settings = replace(settings, frozen=settings.frozen if args.ft_frozen is None else args.ft_frozen,
                           epochs=args.ft_epochs or settings.epochs)
        print(f"  finetuned recipe: {settings}", flush=True)
    pool, examples = None, None
    if HEAD_SYSTEMS & set(systems):
        pool = records if args.head_pool == "scored" else quotes_polnear.load_records(args.data, "train", None)
        examples = head_examples({r["article"]: r["text"] for r in pool})
    results, ft_rates = cross_validate(records, rules, features, args.folds, systems, args.cache, settings,
                                       pool, examples)
    figures = []
    for system in systems:
        p, r, f, acc = average_over_annotators(results[system])
        total = pooled(results[system])
        pp, pr, pf = total.prf()
        print(f"  {system}: P={p:.3f} R={r:.3f} F1={f:.3f} speaker_acc={acc:.3f} | pooled P={pp:.3f} "
              f"R={pr:.3f} F1={pf:.3f} speaker_acc={total.speaker_accuracy():.3f}")
        figures.append(f"{system}_P/R/F1={p:.3f}/{r:.3f}/{f:.3f} {system}_speaker_acc={acc:.3f}")
    speed = f"{rate:.0f}" if rate else "cached"
    ft_speed = f" finetuned_articles_per_s={sum(ft_rates) / len(ft_rates):.2f}" if ft_rates else ""
    print(f"attribution_cv articles={len(by_article)} records={len(records)} folds={args.folds} "
          f"{' '.join(figures)} encoder_tokens_per_s={speed}{ft_speed} tags={len(TAG_NAMES)} "
          f"seconds={time.perf_counter() - started:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

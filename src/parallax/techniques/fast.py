"""Torch-free inference for the technique detector: TechniqueNet's forward pass in NumPy.

Why: `import torch` plus `transformers` costs 3-5 s on an idle small machine (15-20 s under
load), longer than a whole `parallax compare` should take. Training stays on torch
(network.py, train.py); inference reads the same model folder:

- `model.safetensors` (fp16) with `safetensors.numpy`, computed in float32;
- `tokenizer.json` with the Rust `tokenizers` package (the backend of BertTokenizerFast, so
  the same ids, offsets and word ids);
- the encoder runs through `parallax.embeddings._forward` (the NumPy MiniLM shared with the
  comparison stage), with BERT's exact GELU as in training.

The functions mirror network.py's inference API, so the package can switch by using this
module where it used `network`:

    detector = load_fast(folder)                 # like network.load(folder, quantize=False)
    encoded = encode_article(detector, text)     # like network.encode_article
    classify(detector, encoded, text, spans)     # like network.classify

Switching the package (techniques/__init__.py) to this path: in load_detector, replace the
torch import, torch.set_num_threads and `network.load(path)` by `fast.load_fast(path)`; in
detect and classify_spans, import `fast` instead of `network` and call
`fast.encode_article` / `fast.classify`. Training and evaluation keep using network.py.

Token probabilities equal the torch fp32 path (network.load(..., quantize=False)) to < 1e-6
on the seed articles, and detect() finds the same spans (tests/test_techniques_fast.py).
network.load()'s default int8 Linear layers are a different, approximate model: up to 0.17
apart in token probability on the seeds, enough to change which spans pass the threshold.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from parallax import embeddings
from parallax.errors import ModelError
from parallax.techniques import encoding
from parallax.techniques.definitions import TECHNIQUES

ENCODER_PREFIX = "encoder."
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json")
# Activations as transformers names them: the exact (erf) GELU and its tanh approximation.
EXACT_GELU = ("gelu",)
TANH_GELU = ("gelu_new", "gelu_pytorch_tanh", "gelu_fast")


class ModelSettings:
    """Settings read from a model folder's config.json (shared with network.Detector)."""

    config: dict

    @property
    def threshold(self) -> float:
        return float(self.config["threshold"])

    @property
    def word_threshold(self) -> float:
        """Probability a word needs to extend a span (<= threshold); older configs lack it."""
        return min(float(self.config.get("word_threshold", self.threshold)), self.threshold)

    @property
    def max_len(self) -> int:
        return int(self.config["max_len"])


@dataclass
class FastDetector(ModelSettings):
    """A loaded model: encoder and head weights (float32), tokenizer, config.json settings."""

    bert: embeddings._Bert  # the encoder, weight names without the "encoder." prefix
    heads: dict[str, np.ndarray]  # token_head.*, span_hidden.*, span_out.* (see _head_weights)
    tokenizer: object  # tokenizers.Tokenizer
    config: dict
    cls_id: int
    sep_id: int


@dataclass
class Encoded:
    """One article run through the network: per-token probabilities and window states."""

    tokens: encoding.Tokens
    windows: list[tuple[int, int]]
    token_probs: np.ndarray  # [n_tokens, 15]
    states: list[np.ndarray]  # per window [T, H], row 0 is [CLS]


def _special_id(tokenizer, folder: Path, role: str, default: str) -> int:
    """Id of a special token ("cls_token" ...) named in tokenizer_config.json, else `default`."""
    settings_file = folder / "tokenizer_config.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8")) if settings_file.is_file() else {}
    name = settings.get(role) or default
    if isinstance(name, dict):  # older files store AddedToken dicts
        name = name.get("content", default)
    token_id = tokenizer.token_to_id(name)
    if token_id is None:
        raise ModelError(f"{folder}: the tokenizer has no {role} {name!r}; expected a BERT vocabulary with "
                         "[CLS], [SEP] and [PAD]")
    return token_id


def _encoder_settings(folder: Path, encoder: dict) -> tuple[int, int, float, bool]:
    """(layers, heads, layer-norm eps, exact GELU?) of the encoder's BERT config."""
    if encoder.get("model_type", "bert") != "bert" or encoder.get("position_embedding_type", "absolute") != "absolute":
        raise ModelError(f"{folder}: encoder is {encoder.get('model_type')!r} with "
                         f"{encoder.get('position_embedding_type')!r} positions; only BERT with absolute "
                         "positions runs without torch")
    act = encoder.get("hidden_act", "gelu")
    if act not in EXACT_GELU + TANH_GELU:
        raise ModelError(f"{folder}: encoder activation {act!r} is not supported; valid: "
                         f"{', '.join(EXACT_GELU + TANH_GELU)}")
    return (int(encoder["num_hidden_layers"]), int(encoder["num_attention_heads"]),
            float(encoder.get("layer_norm_eps", 1e-12)), act in EXACT_GELU)


def _head_weights(folder: Path, weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The heads' weights under fixed names: token_head.*, span_hidden.*, span_out.*.

    span_head is a Sequential Linear, GELU, (Dropout,) Linear: its two Linear layers are found
    by index, so adding or dropping a Dropout between them does not break loading."""
    linear = sorted(int(name.split(".")[1]) for name in weights
                    if name.startswith("span_head.") and name.endswith(".weight"))
    names = {"token_head.weight": "token_head.weight", "token_head.bias": "token_head.bias"}
    if len(linear) == 2:
        for short, index in (("span_hidden", linear[0]), ("span_out", linear[1])):
            names.update({f"{short}.weight": f"span_head.{index}.weight", f"{short}.bias": f"span_head.{index}.bias"})
    missing = sorted(source for source in names.values() if source not in weights)
    if len(linear) != 2 or missing:
        raise ModelError(f"{folder}: model.safetensors has span head layers {linear} and lacks {missing}; expected "
                         "a token_head Linear and a span_head with two Linear layers (TechniqueNet)")
    return {short: weights[source] for short, source in names.items()}


def load_fast(model_dir: str | Path) -> FastDetector:
    """Load a model folder written by network.save, for inference without torch.

    Raises ModelError if the folder is not a usable technique model."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = Path(model_dir)
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelError(f"{folder}: not a usable technique model (missing {', '.join(missing)}); expected "
                         f"{', '.join(REQUIRED_FILES)} written by `parallax techniques train`")
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if tuple(config["labels"]) != TECHNIQUES:
            raise ModelError(f"{folder}: model labels {config['labels']} differ from the 14 techniques {list(TECHNIQUES)}")
        layers, n_heads, eps, exact = _encoder_settings(folder, config["encoder"])
        weights = {name: array.astype(np.float32) for name, array in load_file(str(folder / "model.safetensors")).items()}
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    except ModelError:
        raise
    except Exception as error:  # safetensors and tokenizers raise their own or bare Exception types
        raise ModelError(f"{folder}: not a usable technique model ({error}); expected config.json, "
                         "model.safetensors and tokenizer files written by `parallax techniques train`") from error
    tokenizer.no_truncation()  # windows are cut by encoding.make_windows, never by the tokenizer
    tokenizer.no_padding()
    encoder = {name.removeprefix(ENCODER_PREFIX): array for name, array in weights.items()
               if name.startswith(ENCODER_PREFIX)}
    bert = embeddings._Bert(encoder, layers, n_heads, eps, tokenizer, exact_gelu=exact)
    head_weights = _head_weights(folder, weights)
    if "embeddings.word_embeddings.weight" not in encoder:
        raise ModelError(f"{folder}: model.safetensors holds no encoder weights ({ENCODER_PREFIX}*); expected "
                         "TechniqueNet weights written by `parallax techniques train`")
    return FastDetector(bert, head_weights, tokenizer, config, _special_id(tokenizer, folder, "cls_token", "[CLS]"),
                        _special_id(tokenizer, folder, "sep_token", "[SEP]"))


def tokenize(text: str, tokenizer) -> encoding.Tokens:
    """encoding.tokenize for a `tokenizers.Tokenizer`: whole text, no special tokens."""
    result = tokenizer.encode(text, add_special_tokens=False)
    return encoding.Tokens(list(result.ids), [tuple(o) for o in result.offsets],
                           [w if w is not None else -1 for w in result.word_ids])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # exp(-x) overflows to inf for x < -88: 1 / inf is the right 0.0
        return 1.0 / (1.0 + np.exp(-x))


def encode_article(detector: FastDetector, text: str) -> Encoded:
    """Token probabilities [n_tokens, 15] and per-window hidden states of `text`.

    Windows run one at a time, unpadded: on the seeds this took 1.9 s of CPU against 2.5 s
    in length-sorted batches of 8 (network.py's way), as padding and bigger working sets
    cost more than NumPy's per-call overhead saves."""
    tokens = tokenize(text, detector.tokenizer)
    windows = encoding.make_windows(text, tokens, detector.max_len)
    probs = np.zeros((len(tokens.ids), 1 + len(TECHNIQUES)), dtype=np.float32)
    states: list[np.ndarray] = []
    weight, bias = detector.heads["token_head.weight"], detector.heads["token_head.bias"]
    with embeddings._blas_threads(embeddings.blas_threads()):
        for start, end in windows:
            ids = np.array([[detector.cls_id, *tokens.ids[start:end], detector.sep_id]], dtype=np.int64)
            hidden = embeddings._forward(detector.bert, ids, np.ones(ids.shape, dtype=np.float32))[0]
            states.append(hidden)
            probs[start:end] = _sigmoid(hidden[1:-1] @ weight.T + bias)
    return Encoded(tokens, windows, probs, states)


def span_logits(detector: FastDetector, states: np.ndarray, positions: list[int], features: list[float]) -> np.ndarray:
    """Technique logits [14] of one span: its tokens' mean state, the [CLS] state, features."""
    heads = detector.heads
    inputs = np.concatenate([states[positions].mean(axis=0), states[0], np.asarray(features, dtype=np.float32)])
    hidden = embeddings._gelu_exact(inputs @ heads["span_hidden.weight"].T + heads["span_hidden.bias"])
    return hidden @ heads["span_out.weight"].T + heads["span_out.bias"]


def span_inputs(encoded: Encoded, text: str, start: int, end: int) -> tuple[int, list[int], list[float]]:
    """(window index, token positions inside that window incl. the [CLS] shift, features).
    Works on either backend's Encoded (only tokens and windows are read)."""
    inside = encoding.tokens_in_span(encoded.tokens, start, end)
    if not inside:  # a span of only spaces: use the nearest token so every span gets an answer
        nearest = min(range(len(encoded.tokens.ids)), key=lambda i: abs(encoded.tokens.offsets[i][0] - start))
        inside = [nearest]
    best = max(range(len(encoded.windows)),
               key=lambda w: sum(encoded.windows[w][0] <= i < encoded.windows[w][1] for i in inside))
    ws, we = encoded.windows[best]
    positions = [1 + i - ws for i in inside if ws <= i < we]
    return best, positions, encoding.span_features(text, start, end)


def rank_spans(encoded, text: str, spans: list[tuple[int, int]],
               span_probs: Callable[[int, list[int], list[float]], list[float]]) -> list[list[tuple[str, float]]]:
    """For each span, all 14 techniques with their probabilities, most likely first;
    `span_probs(window, positions, features)` is the backend's span head."""
    if not encoded.tokens.ids:
        uniform = 1.0 / len(TECHNIQUES)
        return [[(t, uniform) for t in TECHNIQUES] for _ in spans]
    rankings = []
    for start, end in spans:
        probs = span_probs(*span_inputs(encoded, text, start, end))
        rankings.append(sorted(zip(TECHNIQUES, probs), key=lambda pair: -pair[1]))
    return rankings


def rank_techniques(detector: FastDetector, encoded: Encoded, text: str,
                    spans: list[tuple[int, int]]) -> list[list[tuple[str, float]]]:
    """For each span, all 14 techniques with their probabilities, most likely first."""

    def span_probs(window: int, positions: list[int], features: list[float]) -> list[float]:
        logits = span_logits(detector, encoded.states[window], positions, features)
        # float32 like torch.softmax there: tiny probabilities underflow to the same 0.0 ties
        probs = np.exp(logits - logits.max()).astype(np.float32)
        return (probs / probs.sum()).tolist()

    return rank_spans(encoded, text, spans, span_probs)


def pick_ranked(spans: list[tuple[int, int]], rankings: list[list[tuple[str, float]]]) -> list[tuple[str, float]]:
    """One technique per span, as in the TC task: the k-th repeat of the same span in
    `spans` gets the k-th most likely technique (the corpus gives one span several
    techniques by repeating it)."""
    seen: dict[tuple[int, int], int] = {}
    results = []
    for span, ranking in zip(spans, rankings):
        k = seen.get(span, 0)
        seen[span] = k + 1
        results.append(ranking[min(k, len(ranking) - 1)])
    return results


def classify(detector: FastDetector, encoded: Encoded, text: str, spans: list[tuple[int, int]]) -> list[tuple[str, float]]:
    """One technique per span (see pick_ranked)."""
    return pick_ranked(spans, rank_techniques(detector, encoded, text, spans))

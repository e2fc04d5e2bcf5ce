"""Torch-free inference for the technique detector: TechniqueNet's forward pass on ONNX Runtime.

Why: `import torch` plus `transformers` costs 3-5 s on an idle small machine (15-20 s under
load), longer than a whole `parallax compare` should take. Training stays on torch
(network.py, train.py); `network.save` also writes what inference reads:

- `encoder.onnx`: the fine-tuned MiniLM encoder with int8 weights (parallax.onnx_bert);
- `heads.safetensors`: the token and span heads (float32, computed in NumPy);
- `tokenizer.json`, read with the Rust `tokenizers` package (the backend of
  BertTokenizerFast, so the same ids, offsets and word ids);
- `calibration.json` (optional, calibration.py): which decoded spans detect() shows;
- `attribution.onnx` + `attribution.json` (optional, parallax.nlp.attribution.head): the
  attribution tagger that reads this encoder's states.

`model.safetensors` (all weights, fp16) is what torch loads; the packaged model leaves it
out to stay small. `load_fast(folder, quantized=False)` builds a float32 encoder from it
instead, whose token probabilities equal the torch fp32 path to < 1e-5
(tests/test_techniques_fast.py). The int8 encoder is an approximation (token
probabilities up to ~0.2 apart) that scored the same on the PTC held-out slice (SI F1
0.345 both, TC micro-F1 0.606 vs 0.611) at 1.5x the speed.

    detector = load_fast(folder)                 # like network.load(folder, quantize=False)
    encoded = encode_article(detector, text)     # like network.encode_article
    classify(detector, encoded, text, spans)     # like network.classify
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from parallax import embeddings, onnx_bert
from parallax.errors import ModelError
from parallax.nlp.attribution.head import AttributionHead, load_head
from parallax.techniques import encoding
from parallax.techniques.calibration import UNCALIBRATED, Calibration
from parallax.techniques.calibration import load as load_calibration
from parallax.techniques.definitions import TECHNIQUES

ENCODER_PREFIX = "encoder."
ENCODER_FILE, HEADS_FILE, WEIGHTS_FILE = "encoder.onnx", "heads.safetensors", "model.safetensors"
REQUIRED_FILES = ("config.json", "tokenizer.json")
HEAD_NAMES = tuple(f"{layer}.{part}" for layer in ("token_head", "span_hidden", "span_out") for part in ("weight", "bias"))
# Activations as transformers names them: the exact (erf) GELU and its tanh approximation.
EXACT_GELU = ("gelu",)
TANH_GELU = ("gelu_new", "gelu_pytorch_tanh", "gelu_fast")


class ModelSettings:
    """Settings read from a model folder's config.json (shared with network.Detector)."""

    config: dict
    calibration: Calibration = UNCALIBRATED  # the folder's calibration.json, set by the loaders

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

    session: object  # onnxruntime.InferenceSession of the encoder
    heads: dict[str, np.ndarray]  # token_head.*, span_hidden.*, span_out.* (see _head_weights)
    tokenizer: object  # tokenizers.Tokenizer
    config: dict
    cls_id: int
    sep_id: int
    calibration: Calibration = UNCALIBRATED  # which decoded spans detect() shows (calibration.py)
    attribution: AttributionHead | None = None  # the attribution tagger over these states, if shipped


@dataclass
class Encoded:
    """One article run through the network: per-token probabilities and window states.
    NumPy arrays here; network.py (training, evaluation) fills it with torch tensors."""

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


def _encoder_graph(folder: Path, settings: tuple[int, int, float, bool], weights: dict[str, np.ndarray]):
    """The float32 ONNX graph of the encoder weights ("encoder.*") in `weights`, with the
    (layers, heads, eps, exact GELU) `settings` of _encoder_settings."""
    encoder = {name.removeprefix(ENCODER_PREFIX): array for name, array in weights.items()
               if name.startswith(ENCODER_PREFIX)}
    if "embeddings.word_embeddings.weight" not in encoder:
        raise ModelError(f"{folder}: {WEIGHTS_FILE} holds no encoder weights ({ENCODER_PREFIX}*); expected "
                         "TechniqueNet weights written by `parallax techniques train`")
    return onnx_bert.bert_graph(encoder, *settings)


def export_inference(folder: str | Path) -> None:
    """Write encoder.onnx (int8) and heads.safetensors from the folder's model.safetensors:
    what load_fast reads. Called by network.save; takes a few seconds."""
    from safetensors.numpy import save_file

    folder = Path(folder)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    weights = onnx_bert.read_weights(folder / WEIGHTS_FILE)
    graph = _encoder_graph(folder, _encoder_settings(folder, config["encoder"]), weights)
    (folder / ENCODER_FILE).write_bytes(onnx_bert.quantize(graph))
    save_file(_head_weights(folder, weights), str(folder / HEADS_FILE))


def load_fast(model_dir: str | Path, quantized: bool = True, threads: int = 1) -> FastDetector:
    """Load a model folder written by network.save, for inference without torch: the int8
    encoder.onnx, or with `quantized=False` (or no encoder.onnx) a float32 encoder built
    from model.safetensors; the encoder runs on `threads` cores.

    Raises ModelError if the folder is not a usable technique model."""
    from tokenizers import Tokenizer

    folder = Path(model_dir)
    int8 = quantized and (folder / ENCODER_FILE).is_file() and (folder / HEADS_FILE).is_file()
    required = REQUIRED_FILES + ((ENCODER_FILE, HEADS_FILE) if int8 else (WEIGHTS_FILE,))
    missing = [name for name in required if not (folder / name).is_file()]
    if missing:
        raise ModelError(f"{folder}: not a usable technique model (missing {', '.join(missing)}); expected "
                         f"{', '.join(REQUIRED_FILES)} and either {ENCODER_FILE} + {HEADS_FILE} or {WEIGHTS_FILE}, "
                         "written by `parallax techniques train`")
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if tuple(config["labels"]) != TECHNIQUES:
            raise ModelError(f"{folder}: model labels {config['labels']} differ from the 14 techniques {list(TECHNIQUES)}")
        settings = _encoder_settings(folder, config["encoder"])  # checked for either encoder file
        if int8:
            encoder, heads = (folder / ENCODER_FILE).read_bytes(), onnx_bert.read_weights(folder / HEADS_FILE)
        else:
            weights = onnx_bert.read_weights(folder / WEIGHTS_FILE)
            encoder = _encoder_graph(folder, settings, weights).SerializeToString()
            heads = _head_weights(folder, weights)
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    except ModelError:
        raise
    except Exception as error:  # safetensors and tokenizers raise their own or bare Exception types
        raise ModelError(f"{folder}: not a usable technique model ({error}); expected config.json, "
                         f"{ENCODER_FILE}, {HEADS_FILE} and tokenizer files written by `parallax techniques train`") from error
    missing = sorted(set(HEAD_NAMES) - set(heads))
    if missing:
        raise ModelError(f"{folder}: the heads lack {missing}; expected {', '.join(HEAD_NAMES)}")
    tokenizer.no_truncation()  # windows are cut by encoding.make_windows, never by the tokenizer
    tokenizer.no_padding()
    return FastDetector(onnx_bert.make_session(encoder, threads), heads, tokenizer, config,
                        _special_id(tokenizer, folder, "cls_token", "[CLS]"),
                        _special_id(tokenizer, folder, "sep_token", "[SEP]"), load_calibration(folder),
                        load_head(folder, threads))


def tokenize(text: str, tokenizer) -> encoding.Tokens:
    """encoding.tokenize for a `tokenizers.Tokenizer`: whole text, no special tokens."""
    result = tokenizer.encode(text, add_special_tokens=False)
    return encoding.Tokens(list(result.ids), [tuple(o) for o in result.offsets],
                           [w if w is not None else -1 for w in result.word_ids])


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), as torch's nn.GELU (the span head's few hundred values)."""
    return (0.5 * x * (1.0 + np.array([math.erf(v / math.sqrt(2.0)) for v in x.tolist()]))).astype(np.float32)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # exp(-x) overflows to inf for x < -88: 1 / inf is the right 0.0
        return 1.0 / (1.0 + np.exp(-x))


def window_ids(detector: FastDetector, tokens: encoding.Tokens, start: int, end: int) -> np.ndarray:
    """The encoder input [1, T] of the window of tokens [start, end): [CLS] ... [SEP]."""
    return np.array([[detector.cls_id, *tokens.ids[start:end], detector.sep_id]], dtype=np.int64)


def encode_article(detector: FastDetector, text: str) -> Encoded:
    """Token probabilities [n_tokens, 15] and per-window hidden states of `text`.

    Windows run one at a time, unpadded: 7.4 articles/s against 7.1 in length-sorted
    batches of 4 (PTC, 2 threads), as padding costs more than per-call overhead saves."""
    tokens = tokenize(text, detector.tokenizer)
    windows = encoding.make_windows(text, tokens, detector.max_len)
    probs = np.zeros((len(tokens.ids), 1 + len(TECHNIQUES)), dtype=np.float32)
    states: list[np.ndarray] = []
    weight, bias = detector.heads["token_head.weight"], detector.heads["token_head.bias"]
    with embeddings.single_threaded_blas():
        for start, end in windows:
            ids = window_ids(detector, tokens, start, end)
            hidden = onnx_bert.run(detector.session, ids, np.ones(ids.shape, dtype=np.int64))[0]
            states.append(hidden)
            probs[start:end] = _sigmoid(hidden[1:-1] @ weight.T + bias)
    return Encoded(tokens, windows, probs, states)


def span_logits(detector: FastDetector, states: np.ndarray, positions: list[int], features: list[float]) -> np.ndarray:
    """Technique logits [14] of one span: its tokens' mean state, the [CLS] state, features."""
    heads = detector.heads
    inputs = np.concatenate([states[positions].mean(axis=0), states[0], np.asarray(features, dtype=np.float32)])
    hidden = _gelu(inputs @ heads["span_hidden.weight"].T + heads["span_hidden.bias"])
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

    with embeddings.single_threaded_blas():
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

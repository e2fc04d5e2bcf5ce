"""The technique network: a MiniLM (BERT) encoder with two small heads.

- token head: per token, sigmoid of 1 + 14 outputs: "inside a propaganda span" (SI) and
  "inside a span of technique k" (an auxiliary signal that helps the encoder).
- span head: a span's technique (softmax over 14) from the mean of its token states, the
  window's [CLS] state, and a few surface features (encoding.SPAN_FEATURES).

A model folder holds `model.safetensors` (fp16, what torch loads), the tokenizer files, our
own `config.json` (labels, threshold, max_len, the encoder's BERT config), and what
inference without torch reads (fast.py): `encoder.onnx` (int8) and `heads.safetensors`.
"""
from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from transformers import BertConfig, BertModel, BertTokenizerFast

from parallax.errors import ModelError
from parallax.techniques import encoding
from parallax.techniques.definitions import TECHNIQUES
from parallax.techniques.calibration import UNCALIBRATED, Calibration
from parallax.techniques.calibration import load as load_calibration
from parallax.techniques.fast import Encoded, ModelSettings, export_inference, pick_ranked, rank_spans, span_inputs

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")
# Windows encoded together at inference; bigger batches pad more and gain nothing on 2 cores.
INFER_BATCH = 8


class TechniqueNet(nn.Module):
    def __init__(self, bert_config: BertConfig, n_features: int = len(encoding.SPAN_FEATURES)) -> None:
        super().__init__()
        self.encoder = BertModel(bert_config, add_pooling_layer=False)
        hidden = bert_config.hidden_size
        self.dropout = nn.Dropout(0.1)
        self.token_head = nn.Linear(hidden, 1 + len(TECHNIQUES))
        self.span_head = nn.Sequential(
            nn.Linear(2 * hidden + n_features, hidden), nn.GELU(), nn.Dropout(0.1), nn.Linear(hidden, len(TECHNIQUES))
        )

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(hidden states [B, T, H], token logits [B, T, 15])."""
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return states, self.token_head(self.dropout(states))

    def span_logits(self, states: torch.Tensor, spans: list[tuple[int, list[int], list[float]]]) -> torch.Tensor:
        """Technique logits [S, 14] for spans given as (batch row, token positions, features)."""
        rows = []
        for row, positions, features in spans:
            pooled = states[row, positions].mean(dim=0)
            rows.append(torch.cat([pooled, states[row, 0], torch.tensor(features, dtype=states.dtype)]))
        return self.span_head(self.dropout(torch.stack(rows)))


@dataclass
class Detector(ModelSettings):
    """A loaded model: network, tokenizer and settings from its config.json."""

    net: TechniqueNet
    tokenizer: BertTokenizerFast
    config: dict
    calibration: Calibration = UNCALIBRATED  # the folder's calibration.json (calibration.py)


def batch_inputs(tokens: encoding.Tokens, windows: list[tuple[int, int]], cls_id: int, sep_id: int, pad_id: int):
    """Padded input ids and attention mask for the given token windows."""
    longest = max(end - start for start, end in windows) + 2
    ids = torch.full((len(windows), longest), pad_id, dtype=torch.long)
    mask = torch.zeros((len(windows), longest), dtype=torch.long)
    for row, (start, end) in enumerate(windows):
        piece = [cls_id] + tokens.ids[start:end] + [sep_id]
        ids[row, : len(piece)] = torch.tensor(piece)
        mask[row, : len(piece)] = 1
    return ids, mask


@torch.no_grad()
def encode_article(detector: Detector, text: str) -> Encoded:
    tok = detector.tokenizer
    tokens = encoding.tokenize(text, tok)
    windows = encoding.make_windows(text, tokens, detector.max_len)
    probs = torch.zeros((len(tokens.ids), 1 + len(TECHNIQUES)))
    states: list[torch.Tensor] = [torch.empty(0)] * len(windows)
    order = sorted(range(len(windows)), key=lambda w: windows[w][1] - windows[w][0])
    for first in range(0, len(order), INFER_BATCH):
        chunk = order[first:first + INFER_BATCH]
        ids, mask = batch_inputs(tokens, [windows[w] for w in chunk], tok.cls_token_id, tok.sep_token_id, tok.pad_token_id)
        hidden, logits = detector.net(ids, mask)
        for row, w in enumerate(chunk):
            start, end = windows[w]
            probs[start:end] = torch.sigmoid(logits[row, 1:1 + end - start].float())
            states[w] = hidden[row, : 2 + end - start]
    return Encoded(tokens, windows, probs, states)


@torch.no_grad()
def rank_techniques(detector: Detector, encoded: Encoded, text: str,
                    spans: list[tuple[int, int]]) -> list[list[tuple[str, float]]]:
    """For each span, all 14 techniques with their probabilities, most likely first."""

    def span_probs(window: int, positions: list[int], features: list[float]) -> list[float]:
        states = encoded.states[window].unsqueeze(0)
        return torch.softmax(detector.net.span_logits(states, [(0, positions, features)])[0].float(), dim=-1).tolist()

    return rank_spans(encoded, text, spans, span_probs)


def classify(detector: Detector, encoded: Encoded, text: str, spans: list[tuple[int, int]]) -> list[tuple[str, float]]:
    """One technique per span (see fast.pick_ranked)."""
    return pick_ranked(spans, rank_techniques(detector, encoded, text, spans))


def save(net: TechniqueNet, tokenizer: BertTokenizerFast, config: dict, out_dir: str | Path) -> None:
    """Write fp16 weights, tokenizer files, config.json and the int8 inference files into out_dir."""
    from safetensors.torch import save_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    weights = {k: v.detach().to(torch.float16).contiguous() for k, v in net.state_dict().items()}
    save_file(weights, str(out / "model.safetensors"))
    tokenizer.save_pretrained(str(out))
    full = dict(config, encoder=net.encoder.config.to_dict(), labels=list(TECHNIQUES),
                span_features=list(encoding.SPAN_FEATURES))
    (out / "config.json").write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
    export_inference(out)


def load(model_dir: str | Path, quantize: bool = True) -> Detector:
    """Load a model folder written by `save`. Weights run in fp32 (int8 Linear layers when
    `quantize`, about twice as fast on CPU)."""
    from safetensors.torch import load_file

    folder = Path(model_dir)
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if tuple(config["labels"]) != TECHNIQUES:
            raise ModelError(f"{folder}: model labels {config['labels']} differ from the 14 techniques {list(TECHNIQUES)}")
        net = TechniqueNet(BertConfig(**config["encoder"]))
        weights = load_file(str(folder / "model.safetensors"))
        net.load_state_dict({k: v.float() for k, v in weights.items()})
        tokenizer = BertTokenizerFast.from_pretrained(str(folder))
    except (OSError, KeyError, ValueError, RuntimeError) as error:
        raise ModelError(f"{folder}: not a usable technique model ({error}); expected config.json, "
                         "model.safetensors and tokenizer files written by `parallax techniques train`") from error
    net.eval()
    if quantize:
        with warnings.catch_warnings():  # torch marks its eager quantization API deprecated; it still works
            warnings.simplefilter("ignore")
            net = torch.ao.quantization.quantize_dynamic(net, {nn.Linear}, dtype=torch.qint8)
    return Detector(net, tokenizer, config, load_calibration(folder))

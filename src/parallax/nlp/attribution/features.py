"""Token states of a whole article from the packaged MiniLM encoder (ONNX Runtime).

The article is tokenised once with character offsets, cut into non-overlapping windows
of at most `MAX_TOKENS` word pieces at sentence ends (parallax.techniques.encoding, as
the technique detector does), and each window is encoded as [CLS] window [SEP]; the
last-layer state of every word piece is kept (no pooling).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from parallax import onnx_bert
from parallax.embeddings import encoder_path
from parallax.techniques import fast
from parallax.techniques.encoding import Tokens, make_windows

# all-MiniLM-L6-v2 was trained on inputs up to 256 word pieces (sentence_bert_config.json).
MAX_TOKENS = 256
CLS, SEP = "[CLS]", "[SEP]"


class TokenEncoder:
    """Tokenizer plus ONNX session over one encoder folder (the packaged MiniLM by default)."""

    def __init__(self, folder: str | Path | None = None, threads: int = 1, int8: bool = True) -> None:
        from tokenizers import Tokenizer

        root = encoder_path(folder)
        config = json.loads((root / "config.json").read_text())
        weights = onnx_bert.read_weights(root / "model.safetensors", prefix="bert.")
        graph = onnx_bert.bert_graph(weights, config["num_hidden_layers"], config["num_attention_heads"],
                                     config.get("layer_norm_eps", 1e-12), exact_gelu=True)
        self.session = onnx_bert.make_session(onnx_bert.quantize(graph) if int8 else graph.SerializeToString(),
                                              threads)
        self.tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls, self.sep = self.tokenizer.token_to_id(CLS), self.tokenizer.token_to_id(SEP)
        self.width = weights["embeddings.word_embeddings.weight"].shape[1]

    def tokenize(self, text: str) -> Tokens:
        return fast.tokenize(text, self.tokenizer)

    def encode(self, text: str) -> tuple[Tokens, np.ndarray]:
        """The article's tokens and their states [n_tokens, width] (float32)."""
        tokens = self.tokenize(text)
        states = np.zeros((len(tokens.ids), self.width), dtype=np.float32)
        for start, end in make_windows(text, tokens, MAX_TOKENS):
            ids = np.array([[self.cls, *tokens.ids[start:end], self.sep]], dtype=np.int64)
            out = onnx_bert.run(self.session, ids, np.ones_like(ids))
            states[start:end] = out[0, 1:-1]
        return tokens, states

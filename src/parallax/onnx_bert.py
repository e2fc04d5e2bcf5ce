"""BERT encoders run by ONNX Runtime, built from their weights without torch.

Why: ONNX Runtime runs the same MiniLM forward pass 1.3x faster than NumPy in float32 and
about 2x faster with int8 weights, and imports in a tenth of a second (torch takes 3-5 s).
The graph is written here from the safetensors weights (the standard BERT layer, post-norm,
absolute positions), so neither model needs torch or an export step at run time.

    graph = bert_graph(weights, layers=6, heads=12, eps=1e-12, exact_gelu=True)
    session = make_session(quantize(graph))   # or make_session(graph.SerializeToString())
    states = run(session, ids, mask)           # [batch, length, width] float32

int8 uses ONNX Runtime's dynamic quantisation with per-channel weight scales: on the PTC
held-out slice it moved the technique detector's SI F1 by < 0.001 and TC micro-F1 by 0.005.
"""
from __future__ import annotations

import logging
import math
import os
import tempfile
from pathlib import Path

import numpy as np

from parallax.errors import ModelError

OPSET = 20  # Gelu and LayerNormalization are standard operators from opset 20 and 17
INPUTS = ("input_ids", "attention_mask")
OUTPUT = "states"


def read_weights(path: Path, prefix: str = "") -> dict[str, np.ndarray]:
    """The arrays of a safetensors file as float32, names without `prefix` ("bert."...)."""
    from safetensors.numpy import load_file

    return {name.removeprefix(prefix): array.astype(np.float32) for name, array in load_file(str(path)).items()}


def bert_graph(weights: dict[str, np.ndarray], layers: int, heads: int, eps: float, exact_gelu: bool):
    """An onnx.ModelProto: (input_ids int64 [B, T], attention_mask int64 [B, T]) -> states
    float32 [B, T, width]. `weights` use BertModel names without a prefix
    ("embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight", ...)."""
    from onnx import TensorProto, helper, numpy_helper

    width = weights["embeddings.word_embeddings.weight"].shape[1]
    if width % heads:
        raise ModelError(f"encoder width {width} does not split into {heads} attention heads")
    nodes: list = []
    inits: dict[str, np.ndarray] = {}

    def const(name: str, value) -> str:
        inits[name] = np.asarray(value)
        return name

    def weight(name: str, transpose: bool = False) -> str:
        array = weights[name].astype(np.float32)
        return const(name, np.ascontiguousarray(array.T) if transpose else array)

    def op(kind: str, inputs: list[str], out: str, **attrs) -> str:
        nodes.append(helper.make_node(kind, inputs, [out], name=out, **attrs))
        return out

    def dense(x: str, name: str, out: str) -> str:
        product = op("MatMul", [x, weight(f"{name}.weight", transpose=True)], f"{out}/matmul")
        return op("Add", [product, weight(f"{name}.bias")], out)

    def norm(x: str, name: str, out: str) -> str:
        return op("LayerNormalization", [x, weight(f"{name}.weight"), weight(f"{name}.bias")], out,
                  axis=-1, epsilon=eps)

    # Embeddings: word + position (0..T-1) + token type 0.
    ids, mask = INPUTS
    length = op("Gather", [op("Shape", [ids], "ids_shape"), const("one_i64", np.array(1, np.int64))], "length")
    positions = op("Range", [const("zero_i64", np.array(0, np.int64)), length, "one_i64"], "positions")
    summed = op("Add", [op("Gather", [weight("embeddings.word_embeddings.weight"), ids], "word"),
                        op("Gather", [weight("embeddings.position_embeddings.weight"), positions], "position")], "wp")
    summed = op("Add", [summed, const("token_type", weights["embeddings.token_type_embeddings.weight"][0]
                                      .astype(np.float32))], "embedded")
    x = norm(summed, "embeddings.LayerNorm", "x0")
    # Padding gets a large negative score so softmax ignores it: (1 - mask) * -1e9, [B, 1, 1, T].
    masked = op("Sub", [const("one_f", np.array(1.0, np.float32)), op("Cast", [mask], "mask_f", to=TensorProto.FLOAT)],
                "unmask")
    bias = op("Unsqueeze", [op("Mul", [masked, const("neg", np.array(-1e9, np.float32))], "mask_neg"),
                            const("axes_12", np.array([1, 2], np.int64))], "mask_bias")
    split = const("split_shape", np.array([0, 0, heads, width // heads], np.int64))
    merge = const("merge_shape", np.array([0, 0, width], np.int64))
    scale = const("scale", np.array(1.0 / math.sqrt(width // heads), np.float32))
    for i in range(layers):
        p = f"encoder.layer.{i}"

        def heads_of(kind: str, perm: list[int]) -> str:
            projected = dense(x, f"{p}.attention.self.{kind}", f"{p}/{kind}")
            return op("Transpose", [op("Reshape", [projected, split], f"{p}/{kind}_split")], f"{p}/{kind}_t", perm=perm)

        q, k, v = heads_of("query", [0, 2, 1, 3]), heads_of("key", [0, 2, 3, 1]), heads_of("value", [0, 2, 1, 3])
        scores = op("Add", [op("Mul", [op("MatMul", [q, k], f"{p}/qk"), scale], f"{p}/scaled"), bias], f"{p}/scores")
        context = op("MatMul", [op("Softmax", [scores], f"{p}/probs", axis=-1), v], f"{p}/context")
        context = op("Reshape", [op("Transpose", [context], f"{p}/context_t", perm=[0, 2, 1, 3]), merge], f"{p}/merged")
        attended = dense(context, f"{p}.attention.output.dense", f"{p}/attended")
        x = norm(op("Add", [x, attended], f"{p}/res1"), f"{p}.attention.output.LayerNorm", f"{p}/x1")
        hidden = op("Gelu", [dense(x, f"{p}.intermediate.dense", f"{p}/inter")], f"{p}/gelu",
                    approximate="none" if exact_gelu else "tanh")
        out = dense(hidden, f"{p}.output.dense", f"{p}/ffn")
        x = norm(op("Add", [x, out], f"{p}/res2"), f"{p}.output.LayerNorm", f"{p}/x2")
    nodes.append(helper.make_node("Identity", [x], [OUTPUT], name=OUTPUT))
    graph = helper.make_graph(
        nodes, "bert",
        [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "length"]) for name in INPUTS],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", "length", width])],
        [numpy_helper.from_array(array, name) for name, array in inits.items()],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])


def quantize(model) -> bytes:
    """The model with int8 weights (dynamic quantisation, per-channel scales), serialised."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The quantiser logs advice to run its pre-processing (shape inference for convolution
    # models) on the root logger; it has nothing to add for a BERT graph.
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="parallax-onnx-") as folder:
        source, target = os.path.join(folder, "fp32.onnx"), os.path.join(folder, "int8.onnx")
        with open(source, "wb") as handle:
            handle.write(model.SerializeToString())
        try:
            quantize_dynamic(source, target, weight_type=QuantType.QInt8, per_channel=True)
        finally:
            logging.disable(logging.NOTSET)
        with open(target, "rb") as handle:
            return handle.read()


def make_session(model: bytes, threads: int = 1):
    """An ONNX Runtime CPU session for a serialised model, using `threads` cores."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # quantised graphs log harmless fusion warnings
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own Fail/InvalidGraph types
        raise ModelError(f"ONNX Runtime could not load the encoder graph ({error})") from error


def run(session, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Last-layer token states [B, T, width] for int64 ids and mask of shape [B, T]."""
    return session.run([OUTPUT], {INPUTS[0]: ids.astype(np.int64, copy=False),
                                  INPUTS[1]: mask.astype(np.int64, copy=False)})[0]

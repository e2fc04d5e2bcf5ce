"""The attribution head over the technique network's states: training, export to ONNX,
loading beside the technique model, and its candidates."""
from __future__ import annotations

import json

import numpy as np
import pytest

from parallax.errors import ModelError
from parallax.nlp.attribution import head_train
from parallax.nlp.attribution.head import HEAD_CONFIG, HEAD_FILE, find_attributions, load_head, tag_probs
from parallax.nlp.attribution.tags import TAG_NAMES
from parallax.techniques import PACKAGED_MODEL, fast

TEXT = "The mayor said the bridge will reopen in May. Critics believe the repairs are too slow."
RECORDS = [{"article": "a", "annotator": "x", "text": TEXT, "attributions": [
    {"content": [[15, 44]], "source": [[0, 9]], "cue": [[10, 14]]},
    {"content": [[62, 87]], "source": [[46, 53]], "cue": [[54, 61]]}]}]
TINY = head_train.Settings(epochs=25, hidden=8, lr=1e-2, dropout=0.0)


@pytest.fixture(scope="module")
def model_folder(tmp_path_factory):
    """The packaged technique model's files, without any attribution head."""
    folder = tmp_path_factory.mktemp("model")
    for path in PACKAGED_MODEL.iterdir():
        if path.name not in (HEAD_FILE, HEAD_CONFIG) and path.is_file():
            (folder / path.name).symlink_to(path)
    return folder


def test_a_model_folder_without_a_head_has_rules_only_attributions(model_folder):
    assert load_head(model_folder) is None
    assert fast.load_fast(model_folder).attribution is None


def test_an_unusable_head_is_a_model_error_naming_the_folder(tmp_path):
    (tmp_path / HEAD_FILE).write_bytes(b"not onnx")
    (tmp_path / HEAD_CONFIG).write_text(json.dumps({"tags": list(TAG_NAMES)}))
    with pytest.raises(ModelError, match=str(tmp_path)):
        load_head(tmp_path)
    (tmp_path / HEAD_CONFIG).write_text(json.dumps({"tags": ["O", "B"]}))
    with pytest.raises(ModelError, match="tags"):
        load_head(tmp_path)


def test_trained_head_exports_to_onnx_with_the_same_probabilities(model_folder, tmp_path):
    detector = fast.load_fast(model_folder)
    losses = []
    net = head_train.train(RECORDS, detector, TINY, log=losses.append)
    assert len(losses) == 1 + TINY.epochs
    folder = tmp_path / "model"
    folder.mkdir()
    for path in model_folder.iterdir():
        (folder / path.name).symlink_to(path.resolve())
    head_train.export(net, folder, {"trained": {"note": "test"}})
    loaded = fast.load_fast(folder)
    assert loaded.attribution is not None
    encoded = fast.encode_article(loaded, TEXT)
    probs = tag_probs(loaded.attribution, encoded)
    assert probs.shape == (len(encoded.tokens.ids), len(TAG_NAMES))
    assert np.allclose(probs, head_train.predict(net, head_train.encode(loaded, TEXT)), atol=1e-5)
    learned = find_attributions(loaded.attribution, TEXT, encoded)
    assert learned.tags.probs.shape == probs.shape
    found = learned.candidates
    assert found, "a head fitted to this very text finds its contents"
    for quote in found:
        assert 0 <= quote.start < quote.end <= len(TEXT) and quote.label == "indirect"
        assert 0.0 < quote.score <= 1.0
    assert any("bridge will reopen" in TEXT[q.start:q.end] for q in found)

"""A document-level prior for the technique detector: does the text read like a
propaganda-rich article or like a plain news report?

Why: the network's span scores barely tell plain wire copy from PTC's propaganda-rich
articles (ranking AUC 0.60), so one cut flags both alike (ECB+ event reports came out at
0.65x of PTC's density). A whole window of text says far more than one span: a logistic
regression on what the network already computed for the whole text (its mean hidden
state over every window, and the mean and highest token probability of propaganda) tells
PTC articles from ECB+ and PolNeAR news with AUC 0.98 on articles the network never saw
(0.95 when it read the first window only, which also judged a page by its opening lines:
a Reuters film review whose lead reads as news kept 37.8 spans per 1,000 words). When a
text reads as plain news, every span needs a higher score to be shown:

    offset = strength * max(0, (pivot - p) / pivot)      p: the prior's probability

so a text the prior finds propaganda-rich (p >= pivot) keeps the model's cut, and one it
is sure is plain news (p = 0) needs `strength` more. It costs one dot product: the states
are the detector's own. The weights belong to that model's encoder, so they live in its
calibration.json ("genre"), fitted by calibrate_genre.py.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from parallax.errors import ModelError

log = logging.getLogger(__name__)

# What the weights read, recorded beside them in calibration.json.
FEATURES = "all windows: mean hidden state, mean and max token probability of propaganda"


def features(encoded) -> np.ndarray:
    """The prior's inputs for one encoded text (fast.Encoded, either backend): the mean
    token state over all its windows (without [CLS] and [SEP]; a token two windows share
    counts twice) and the mean and highest probability that its tokens are propaganda.
    Empty for a text without tokens."""
    if not encoded.windows:
        return np.zeros(0, dtype=np.float32)
    inner = [np.asarray(window, dtype=np.float32)[1:-1] for window in encoded.states]
    total = sum(states.sum(axis=0) for states in inner)  # a running sum: no copy of every state
    count = sum(len(states) for states in inner)
    probs = np.asarray(encoded.token_probs[:, 0], dtype=np.float32)
    return np.concatenate([total / max(count, 1), [probs.mean(), probs.max()]]).astype(np.float32)


@dataclass(frozen=True)
class GenrePrior:
    """Logistic-regression weights over `features`, and how far plain news moves the cut."""

    weights: tuple[float, ...]
    bias: float
    strength: float  # the cut's rise for a text the prior is sure is plain news (p = 0)
    pivot: float = 0.5  # texts with p at or above this keep the model's cut

    def probability(self, encoded) -> float:
        """P(propaganda-rich | the text), by the fitted logistic regression."""
        x = features(encoded)
        if x.shape[0] != len(self.weights):
            raise ModelError(f"genre prior has {len(self.weights)} weights but the model gives {x.shape[0]} "
                             "features; refit it with python -m parallax.techniques.calibrate_genre")
        return probability(float(np.dot(x, np.asarray(self.weights, dtype=np.float32))) + self.bias)

    def offset(self, p: float) -> float:
        """How much higher every span's cut is for a text of prior probability `p`."""
        return float(offsets(p, self.strength, self.pivot))

    def to_json(self) -> dict:
        return {"features": FEATURES, "strength": self.strength, "pivot": self.pivot, "bias": self.bias,
                "weights": list(self.weights)}


def probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))


def offsets(p: float | np.ndarray, strength: float, pivot: float) -> np.ndarray:
    """strength * max(0, (pivot - p) / pivot), elementwise."""
    return strength * np.clip((pivot - np.asarray(p, dtype=float)) / pivot, 0.0, None)


def from_json(data: Mapping, source: str) -> GenrePrior | None:
    """A GenrePrior from calibration.json's "genre" object; ModelError naming what is wrong.
    None, with a warning, for weights fitted on other features than this version computes:
    the detector still works (without the prior) and calibrate_genre can refit it."""
    if data.get("features", FEATURES) != FEATURES:
        log.warning("%s: the genre prior was fitted on %r, but this version computes %r; it is left out until "
                    "it is refitted (python -m parallax.techniques.calibrate_genre --write)", source,
                    data["features"], FEATURES)
        return None
    try:
        prior = GenrePrior(tuple(float(w) for w in data["weights"]), float(data["bias"]), float(data["strength"]),
                           float(data.get("pivot", 0.5)))
    except (KeyError, TypeError, ValueError) as error:
        raise ModelError(f"{source}: genre is not a prior ({error!r}); expected weights, bias, strength "
                         "and pivot numbers") from error
    if not (0.0 <= prior.strength < 1.0 and 0.0 < prior.pivot <= 1.0 and prior.weights):
        raise ModelError(f"{source}: genre strength {prior.strength} must be in [0, 1), pivot {prior.pivot} in "
                         f"(0, 1], with weights")
    return prior


__all__ = ["FEATURES", "GenrePrior", "features", "from_json", "offsets", "probability"]

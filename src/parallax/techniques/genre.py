"""A document-level prior for the technique detector: does the text read like a
propaganda-rich article or like a plain news report?

Why: the network's span scores barely tell plain wire copy from PTC's propaganda-rich
articles (ranking AUC 0.60), so one cut flags both alike (ECB+ event reports came out at
0.65x of PTC's density). A whole text says far more than one span: a logistic regression on
the packaged sentence encoder's vector of the text's first LEAD_WORDS words tells PTC
articles from ECB+ and PolNeAR news with out-of-fold AUC 0.95. When a text reads as plain
news, every span needs a higher score to be shown:

    offset = strength * max(0, (pivot - p) / pivot)      p: the prior's probability

so a text the prior finds propaganda-rich (p >= pivot) keeps the model's cut, and one it
is sure is plain news (p = 0) needs `strength` more. The weights, `strength` and `pivot` are
fitted by calibrate_genre.py and stored in the model folder's calibration.json ("genre").

The vector comes from the packaged encoder (never Config.encoder: the weights belong to
that encoder's space), in float32: the session the pipeline has loaded for its sentence
vectors (same cores), so the prior costs one encoder call on the lead (~256 word pieces)
and no model load; the int8 twin would be a second model, quantised at start-up.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from parallax.errors import ModelError

# Words of the text's start the prior reads: the headline and the first paragraphs, about
# what the encoder takes (256 word pieces); tone and genre show from the start.
LEAD_WORDS = 200
# The encoder the weights were fitted in (its vectors' width is checked too).
ENCODER = "packaged all-MiniLM-L6-v2, float32"


def lead(text: str, words: int = LEAD_WORDS) -> str:
    """The first `words` words of `text`, spaces normalised."""
    return " ".join(text.split()[:words])


def vectors(texts: Sequence[str], words: int = LEAD_WORDS, threads: int = 1) -> np.ndarray:
    """The packaged encoder's unit vectors of the texts' leads, one row per text."""
    from parallax import embeddings

    return embeddings.encode([lead(t, words) for t in texts], threads=threads)


@dataclass(frozen=True)
class GenrePrior:
    """Logistic-regression weights over the lead vector, and how far plain news moves the cut."""

    weights: tuple[float, ...]
    bias: float
    strength: float  # the cut's rise for a text the prior is sure is plain news (p = 0)
    pivot: float = 0.5  # texts with p at or above this keep the model's cut
    lead_words: int = LEAD_WORDS

    def probability(self, text: str, threads: int = 1) -> float:
        """P(propaganda-rich | the text's lead), by the fitted logistic regression."""
        vector = vectors([text], self.lead_words, threads)[0]
        if vector.shape[0] != len(self.weights):
            raise ModelError(f"genre prior has {len(self.weights)} weights but the encoder gives vectors of "
                             f"{vector.shape[0]}; refit it with python -m parallax.techniques.calibrate_genre")
        return probability(float(np.dot(vector, np.asarray(self.weights, dtype=np.float32))) + self.bias)

    def offset(self, p: float) -> float:
        """How much higher every span's cut is for a text of prior probability `p`."""
        return float(offsets(p, self.strength, self.pivot))

    def to_json(self) -> dict:
        return {"encoder": ENCODER, "lead_words": self.lead_words, "strength": self.strength,
                "pivot": self.pivot, "bias": self.bias, "weights": [round(w, 6) for w in self.weights]}


def probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))


def offsets(p: float | np.ndarray, strength: float, pivot: float) -> np.ndarray:
    """strength * max(0, (pivot - p) / pivot), elementwise."""
    return strength * np.clip((pivot - np.asarray(p, dtype=float)) / pivot, 0.0, None)


def from_json(data: Mapping, source: str) -> GenrePrior:
    """A GenrePrior from calibration.json's "genre" object; ModelError naming what is wrong."""
    try:
        prior = GenrePrior(tuple(float(w) for w in data["weights"]), float(data["bias"]), float(data["strength"]),
                           float(data.get("pivot", 0.5)), int(data.get("lead_words", LEAD_WORDS)))
    except (KeyError, TypeError, ValueError) as error:
        raise ModelError(f"{source}: genre is not a prior ({error!r}); expected weights, bias, strength "
                         "and pivot numbers") from error
    if not (0.0 <= prior.strength < 1.0 and 0.0 < prior.pivot <= 1.0 and prior.lead_words > 0 and prior.weights):
        raise ModelError(f"{source}: genre strength {prior.strength} must be in [0, 1), pivot {prior.pivot} in "
                         f"(0, 1], lead_words {prior.lead_words} positive, with weights")
    return prior


__all__ = ["GenrePrior", "LEAD_WORDS", "from_json", "lead", "offsets", "probability", "vectors"]

"""Calibration of the technique detector: which decoded spans a user is shown, and as what.

The network's span score is tuned for SemEval F1 on propaganda-rich articles, where almost
every paragraph holds a technique; on plain wire copy the same cut flags ordinary words
(46.8 spans per 1,000 words on a Reuters entertainment story, against 17.8 gold spans in
PTC). Calibration, stored as `calibration.json` beside the model's config.json, adds:

- `thresholds`: per technique, the span score a span needs to be shown as that technique
  (never below the decoding cut; a technique left out keeps the cut);
- `min_score`: one floor for every technique;
- `genre`: a document-level prior (genre.py): a text that reads as plain news needs a higher
  span score for every technique;
- `cue_rule`: a span classed as Bandwagon / Reductio ad hitlerum keeps that class only
  when its sentence names a despised group or regime (Hitler, Nazi, fascist, communist,
  terrorist...) or a crowd ("everyone", "millions of"); otherwise it takes its next most
  likely technique ("a World War One film" is no Reductio ad hitlerum).

`calibrate.py` chooses the values (cross-validated over PTC train articles, with plain
news as negatives) and the model card says how. A folder without the file is uncalibrated.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from parallax.errors import ModelError
from parallax.techniques import encoding
from parallax.techniques import genre as genres
from parallax.techniques.definitions import TECHNIQUES

CALIBRATION_FILE = "calibration.json"
REDUCTIO = "Bandwagon,Reductio_ad_hitlerum"
# Techniques kept per decoded span: enough to fall back twice if the cue rule rejects one.
RANKS_KEPT = 3
# Groups and regimes the SemEval guidelines' Reductio ad hitlerum examples lean on, and the
# crowd words of Bandwagon; read as word prefixes ("fascis" -> fascist, fascism).
CUE = re.compile(
    r"\b(?:hitler|nazi|neo-nazi|fascis|third reich|gestapo|goebbels|mussolini|stalin|communis|soviet"
    r"|bolshevik|reich|vichy|kkk|ku klux|white supremac|totalitarian|dictator|tyrann|terror|jihad|islamis"
    r"|isis\b|al[- ]qaeda|everyone|everybody|the majority|millions of|more and more|most americans"
    r"|most people|join the)",
    re.IGNORECASE)
# A sentence ends at ., ! or ? (with closing quotes or brackets) before a space, or at a line end.
SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s|\n")

Ranking = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Candidate:
    """A decoded span before calibration: offsets, span score, most likely techniques first."""

    start: int
    end: int
    score: float
    ranking: Ranking


@dataclass(frozen=True)
class Shown:
    """A span calibration keeps: its offsets, span score, technique and that technique's probability."""

    start: int
    end: int
    score: float
    technique: str
    technique_score: float


@dataclass(frozen=True)
class Calibration:
    thresholds: Mapping[str, float] = field(default_factory=dict)
    min_score: float = 0.0
    cue_rule: bool = False
    genre: genres.GenrePrior | None = None

    def cut(self, technique: str, base: float) -> float:
        """The span score `technique` needs, given the decoding cut `base`."""
        return max(base, self.min_score, self.thresholds.get(technique, 0.0))

    def offset(self, encoded) -> float:
        """How much higher every cut is for the text of `encoded` (fast.Encoded): the genre
        prior's offset, 0 without a prior."""
        return self.genre.offset(self.genre.probability(encoded)) if self.genre else 0.0

    def to_json(self) -> dict:
        data = {"thresholds": dict(sorted(self.thresholds.items())), "min_score": self.min_score,
                "cue_rule": self.cue_rule}
        return {**data, "genre": self.genre.to_json()} if self.genre else data


UNCALIBRATED = Calibration()


def from_json(data: Mapping, source: str = CALIBRATION_FILE) -> Calibration:
    """A Calibration from its JSON object; ModelError naming what is wrong."""
    thresholds = data.get("thresholds", {})
    unknown = sorted(set(thresholds) - set(TECHNIQUES))
    if not isinstance(thresholds, Mapping) or unknown:
        raise ModelError(f"{source}: thresholds name unknown techniques {unknown}; valid: {', '.join(TECHNIQUES)}")
    values = {name: float(value) for name, value in thresholds.items()}
    min_score = float(data.get("min_score", 0.0))
    bad = sorted(name for name, value in {**values, "min_score": min_score}.items() if not 0.0 <= value < 1.0)
    if bad:
        raise ModelError(f"{source}: {', '.join(bad)} outside [0, 1); thresholds are span probabilities")
    prior = genres.from_json(data["genre"], source) if data.get("genre") else None
    return Calibration(values, min_score, bool(data.get("cue_rule", False)), prior)


def load(folder: str | Path) -> Calibration:
    """The calibration of a model folder; UNCALIBRATED when it has no calibration.json."""
    path = Path(folder) / CALIBRATION_FILE
    if not path.is_file():
        return UNCALIBRATED
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ModelError(f"{path}: unreadable ({error}); expected a JSON object with thresholds, "
                         "min_score and cue_rule") from error
    if not isinstance(data, dict):
        raise ModelError(f"{path}: holds {type(data).__name__}; expected a JSON object")
    return from_json(data, str(path))


def save(folder: str | Path, calibration: Calibration, about: Mapping | None = None) -> Path:
    """Write calibration.json (the values, plus `about`: how they were chosen)."""
    path = Path(folder) / CALIBRATION_FILE
    path.write_text(json.dumps({**calibration.to_json(), **(about or {})}, indent=2) + "\n", encoding="utf-8")
    return path


# calibration.json's entries that are values (Calibration.to_json); every other entry is a
# record of how a part was chosen.
VALUE_KEYS = frozenset({"thresholds", "min_score", "cue_rule", "genre"})


def update(folder: str | Path, calibration: Calibration, about: Mapping) -> Path:
    """Write calibration.json with `calibration`'s values and the records of `about`,
    keeping the file's other records: calibrate.py (thresholds, cue rule) and
    calibrate_genre.py (the genre prior) each rewrite only their own part's."""
    path = Path(folder) / CALIBRATION_FILE
    previous = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    records = {key: value for key, value in previous.items() if key not in VALUE_KEYS}
    return save(folder, calibration, {**records, **about})


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence(s) holding text[start:end]."""
    before = [m.end() for m in SENTENCE_END.finditer(text, 0, start)]
    after = SENTENCE_END.search(text, end)
    return text[before[-1] if before else 0:after.start() + 1 if after else len(text)]


def has_cue(text: str, start: int, end: int) -> bool:
    """True when the span's sentence names a despised group or regime, or a crowd (see CUE)."""
    return CUE.search(sentence_around(text, start, end)) is not None


def rerank(text: str, start: int, end: int, ranking: Ranking, calibration: Calibration) -> Ranking:
    """`ranking` with the Bandwagon / Reductio class dropped when the cue rule rejects it."""
    if not calibration.cue_rule or not ranking or REDUCTIO not in (t for t, _ in ranking):
        return ranking
    if has_cue(text, start, end):
        return ranking
    return tuple(pair for pair in ranking if pair[0] != REDUCTIO)


def apply(text: str, candidates: list[Candidate], calibration: Calibration, base: float,
          offset: float = 0.0) -> list[Shown]:
    """The candidates a user is shown: each as its most likely technique after the cue
    rule, kept when its score reaches that technique's cut (`base`: the decoding cut)
    plus `offset` (Calibration.offset of the text: the genre prior's)."""
    shown = []
    for c in candidates:
        ranking = rerank(text, c.start, c.end, c.ranking, calibration)
        if not ranking:
            continue
        technique, probability = ranking[0]
        if c.score >= calibration.cut(technique, base) + offset:
            shown.append(Shown(c.start, c.end, c.score, technique, probability))
    return shown


def rerank_all(text: str, spans: list[tuple[int, int]], rankings: list[list[tuple[str, float]]],
               calibration: Calibration) -> list[list[tuple[str, float]]]:
    """`rankings` of the given spans after the cue rule (for the TC task: fast.pick_ranked
    then picks one technique per span)."""
    return [list(rerank(text, s, e, tuple(r), calibration)) or list(r) for (s, e), r in zip(spans, rankings)]


def candidates(text: str, encoded, cut: float, word_threshold: float,
               rank: Callable[[list[tuple[int, int]]], list[list[tuple[str, float]]]]) -> list[Candidate]:
    """The spans decoded from `encoded` (fast.Encoded, either backend) at `cut`, with their
    RANKS_KEPT most likely techniques; `rank(spans)` is the backend's rank_techniques."""
    found = encoding.decode_spans(text, encoded.tokens, encoded.token_probs[:, 0].tolist(), cut, word_threshold)
    rankings = rank([(s, e) for s, e, _ in found])
    return [Candidate(s, e, p, tuple(r[:RANKS_KEPT])) for (s, e, p), r in zip(found, rankings)]

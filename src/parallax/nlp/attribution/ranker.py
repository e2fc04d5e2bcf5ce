"""The attribution ranker's files: which candidate contents to keep (nlp.quotes.ranked).

Files, beside the attribution head in the technique model's folder:
- `ranker.json`: the settings (thresholds, feature names) and how it was trained;
- `ranker_content.npz`: gradient-boosted trees (trees.Trees) predicting, for a candidate
  content, its character Jaccard with the best-matching gold content;
- `ranker_speaker.npz` (optional): trees giving, for a word near a learned content, the
  probability that it names the speaker (nlp.quotes.speaker_rank).

    ranker = load_ranker(folder)     # None when the folder has none (the head alone)

Written by `python -m parallax.nlp.attribution.ranker_train`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from parallax.errors import ModelError
from parallax.nlp.attribution.trees import Trees

RANKER_CONFIG, CONTENT_TREES, SPEAKER_TREES = "ranker.json", "ranker_content.npz", "ranker_speaker.npz"

# The features the trees read, in column order: the contract between the files and the
# code that computes them (nlp.quotes.candidates, nlp.quotes.speaker_rank), checked on load.

# The dependencies whose subtree is a candidate ("dobj+" = the object with its tail,
# "pobj" = a preposition's object, "sent" = a whole sentence).
CANDIDATE_DEPS = ("ccomp", "xcomp", "dobj", "oprd", "advcl", "pcomp", "acomp", "attr", "csubj",
                  "nsubj", "nsubjpass", "acl", "relcl", "conj", "appos", "pobj", "dobj+", "sent")
GOVERNOR_POS = ("VERB", "AUX", "NOUN", "ADJ", "PROPN", "OTHER")
KINDS = ("direct", "partial", "indirect", "scare")
CONTENT_FEATURES = (
    "content_mean", "content_min", "content_max", "content_share", "begin_first", "inside_first",
    "content_before", "outside_before", "content_after", "begin_after", "outside_after",
    "cue_before", "cue_after", "cue_inside", "source_before", "source_after",
    "log_words", "sentence_share", "sentence_start", "sentence_end", "quote_marks",
    "starts_that", "starts_to", "head_score", "head_low_score", "rule", "rule_by_model",
    "rule_jaccard", "head_jaccard",
    *(f"kind_{kind}" for kind in KINDS), *(f"dep_{dep}" for dep in CANDIDATE_DEPS),
    "gov_speech", "gov_belief", "gov_object", "gov_intent", "gov_prep", "gov_accuse",
    "gov_subject", "gov_subject_pronoun", "gov_subject_entity", *(f"gov_{pos}" for pos in GOVERNOR_POS),
)

# Dependency labels and entity types of a candidate speaker word.
SPEAKER_DEPS = ("nsubj", "nsubjpass", "poss", "pobj", "appos", "dobj", "conj", "compound", "attr", "ROOT",
                "agent", "npadvmod", "other")
SPEAKER_ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP", "other", "none")
SPEAKER_FEATURES = (
    "after", "log_distance", "same_sentence", "is_subject", "child_of_subject", "child_of_cue",
    "path_to_cue", "path_to_content", "sibling_of_content", "source_prob", "cue_prob", "learned",
    "no_subject", "propn", "pron", "noun", "title_case", "verb_subject", "quoted", "agent",
    *(f"dep_{d}" for d in SPEAKER_DEPS), *(f"entity_{e}" for e in SPEAKER_ENTITY_TYPES),
)


@dataclass(frozen=True)
class Ranker:
    """Loaded ranker: its trees and the settings it was chosen with."""

    content: Trees
    # A candidate is kept when its predicted Jaccard reaches this (chosen by CV).
    threshold: float
    # The head's contents are decoded a second time down to this mean P(content), for
    # candidates the head alone would not show.
    low_score: float
    config: dict
    speaker: Trees | None = None
    # The best-scoring word names the speaker when it scores at least this (else nobody).
    speaker_threshold: float = 0.0


def load_ranker(folder: str | Path) -> Ranker | None:
    """The ranker in `folder`, or None when it has none. Raises ModelError if its files
    are there but unusable (the feature list must be the one this code computes)."""
    folder = Path(folder)
    settings, trees = folder / RANKER_CONFIG, folder / CONTENT_TREES
    if not settings.is_file() and not trees.is_file():
        return None
    try:
        config = json.loads(settings.read_text(encoding="utf-8"))
        if tuple(config["features"]) != CONTENT_FEATURES:
            raise ValueError("its features differ from CONTENT_FEATURES")
        content = Trees.load(trees)
        speaker = None
        if (folder / SPEAKER_TREES).is_file():
            if tuple(config["speaker_features"]) != SPEAKER_FEATURES:
                raise ValueError("its speaker features differ from SPEAKER_FEATURES")
            speaker = Trees.load(folder / SPEAKER_TREES)
        return Ranker(content, float(config["threshold"]), float(config["low_score"]), config, speaker,
                      float(config.get("speaker_threshold", 0.0)))
    except (OSError, KeyError, TypeError, ValueError, ModelError) as error:
        raise ModelError(f"{folder}: unusable attribution ranker ({error}); expected {RANKER_CONFIG} and "
                         f"{CONTENT_TREES} written by `python -m parallax.nlp.attribution.ranker_train`") from error


__all__ = ["CANDIDATE_DEPS", "CONTENT_FEATURES", "CONTENT_TREES", "GOVERNOR_POS", "KINDS", "SPEAKER_DEPS",
           "SPEAKER_ENTITY_TYPES", "SPEAKER_FEATURES", "RANKER_CONFIG", "SPEAKER_TREES", "Ranker", "load_ranker"]

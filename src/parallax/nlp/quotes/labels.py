"""Stage 4 of quote extraction: "Speaker: text" lines.

    labelled_lines(doc, entities) -> list[Found]

  "Roger Stone: Don't Trust the Voting Machines"   a headline
  "MATTHEWS: Well, speculation is bad."            a transcript

The label is the speaker (its exact characters), the colon the cue, the rest of the
line what that speaker says.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from parallax.model import Entity
from parallax.nlp.quotes.found import Found
from parallax.nlp.quotes.tokens import strip_edges
from parallax.nlp.spacy_model import doc_text

# "Roger Stone: Don't Trust the Voting Machines" (a headline) and "MATTHEWS: Well,
# ..." (a transcript): a name, a colon, then what that person says.
LABELLED_LINE = re.compile(r"^[ \t]*([A-Z][^:\n]{1,60}?)[ \t]*:[ \t]+(\S[^\n]*)$", re.MULTILINE)
# A speaker label is a short name, not a sentence that happens to end in a colon.
LABEL_MAX_WORDS = 6
# Entity types that can speak.
SPEAKER_TYPES = frozenset(("PERSON", "ORG", "GPE", "NORP"))
# Page furniture that looks like a label ("Region: Middle East", "UPDATE: ...", "MORE:
# Trump says ...", "Follow X on Twitter: @x").
NOT_SPEAKERS = frozenset("""
region theme update note photo video watch read related source sources editor
editor's copyright disclaimer tags tag category posted filed subject correction
more follow share listen advertisement sponsored breaking exclusive opinion analysis live
see trending recommended
""".split())
SCORE_LABELLED = 0.6
# Fewer words after a name's colon are a section heading ("Coinbase Pro: Features"), not
# speech; a transcript's capitals label ("MATTHEWS: Yes.") may say less.
MIN_SAID_WORDS = 3
# A label that sets two names against each other heads a comparison ("Coinbase vs.
# Coinbase Pro: How do they compare?").
VERSUS = re.compile(r"\b(?:vs?\.|versus)(?:\s|$)", re.IGNORECASE)
# A line with this many commas and no verb is a list, not speech ("Iowa: Tim Albrecht,
# Brad Anderson, Rob Barron, ..."); a verbless headline is still said ("Comey: No
# outside influence on FBI probe into Clinton emails", as PolNeAR annotates it).
LIST_COMMAS = 2


def _is_speaker_label(label: str, start: int, entities: list[Entity], said: str) -> bool:
    words = label.split()
    if len(words) > LABEL_MAX_WORDS or words[0].lower().strip("'’") in NOT_SPEAKERS or VERSUS.search(label):
        return False
    letters = [c for c in label if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True  # a transcript speaker label: "MATTHEWS", "FALLIN"
    if len(said.split()) < MIN_SAID_WORDS:
        return False
    end = start + len(label)
    return any(e.label in SPEAKER_TYPES and e.start < end and start < e.end and e.end <= end + 1
               for e in entities)


def _says_something(doc: Doc, start: int, end: int) -> bool:
    """Does the text after the label read as speech, not as a list of names?"""
    said = doc.char_span(start, end, alignment_mode="expand")
    if said is None:
        return False
    return sum(t.text == "," for t in said) < LIST_COMMAS or any(t.pos_ in ("VERB", "AUX") for t in said)


def labelled_lines(doc: Doc, entities: list[Entity]) -> list[Found]:
    """Lines of the form "Speaker: what they said"."""
    found = []
    for match in LABELLED_LINE.finditer(doc_text(doc)):
        label_start = match.start(1)
        if not _is_speaker_label(match.group(1), label_start, entities, match.group(2)):
            continue
        start, end = strip_edges(doc, match.start(2), match.end(2))
        colon = doc.char_span(match.end(1), match.start(2), alignment_mode="expand")
        speaker = doc.char_span(label_start, match.end(1), alignment_mode="expand")
        if colon is None or speaker is None or end - start <= 0 or not _says_something(doc, start, end):
            continue
        cue = next((t for t in colon if t.text == ":"), None)
        if cue is None:
            continue
        found.append(Found(start, end, "direct", SCORE_LABELLED, cue, speaker[-1],
                           label=(label_start, label_start + len(match.group(1)))))
    return found


__all__ = ["labelled_lines"]

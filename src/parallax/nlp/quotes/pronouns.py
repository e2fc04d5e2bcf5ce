"""What a personal pronoun stands for among the people and organisations named
before it in the article.

    person_for(pronoun, scene) -> str          "he" / "she" / "his" / "her"
    group_for(pronoun, scene, wanted) -> str   "it" (wanted "ORG") / "they" ("plural")

"" when nothing near fits: the quote is then unattributed, not credited to a guess.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from parallax.nlp.gender import PRONOUN_GENDER, Gender, compatible, gender_of
from parallax.nlp.quotes.scene import Scene, is_person, is_subject, mention_gender, outside_quotes
from parallax.nlp.spacy_model import doc_text

# A pronoun's antecedent is looked for this many characters back (about two
# paragraphs); further back, the latest named speaker is a better guess.
PRONOUN_MAX_DISTANCE = 600


@dataclass(frozen=True)
class Referent:
    """A person a pronoun may stand for: where named, the name, its sex, and whether
    it is a subject (or a speaker) there."""

    at: int
    name: str
    gender: Gender | None
    subject: bool


def referents(pronoun: Token, scene: Scene) -> list[Referent]:
    """The people named near before `pronoun` outside quotations, and the speakers
    (subjects by nature) resolved there, a person known only by role among them ("a
    spokesperson ... said. “...,” he said."), nearest first."""
    at, doc = pronoun.idx, scene.doc
    found = [Referent(e.start, e.name or e.text(doc_text(doc)), mention_gender(scene, e), is_subject(doc, e))
             for e in scene.entities
             if e.end <= at and at - e.end <= PRONOUN_MAX_DISTANCE and is_person(e.label, e.name)
             and outside_quotes(scene, e.start)]
    found += [Referent(said.at, said.name, scene.gender(said.name), True) for said in scene.said
              if 0 <= at - said.at <= PRONOUN_MAX_DISTANCE and (
                  said.named and is_person(said.label, said.name) or said.role and not said.plural)]
    return sorted(found, key=lambda r: r.at, reverse=True)


def person_for(pronoun: Token, scene: Scene) -> str:
    """The person "he"/"she" stands for: the nearest earlier person of a compatible sex
    named as a subject (or speaking) outside quotations, else the nearest at all, else
    the latest person who spoke."""
    word = pronoun.lower_
    candidates = [r for r in referents(pronoun, scene) if compatible(word, r.gender)]
    if PRONOUN_GENDER[word] == "f":
        # Most people quoted in news are men, so a name of unknown sex is more likely a
        # man's: "she" prefers a woman named as such when there is one.
        candidates = [r for r in candidates if r.gender == "f"] or candidates
    subjects = [r for r in candidates if r.subject]
    # No subject near: a person whose sex is known to match beats one of unknown sex
    # (the parse can leave "Erin Brockovich, ..., endorsed" without a subject).
    known = [r for r in candidates if r.gender == PRONOUN_GENDER[word]]
    best = (subjects or known or candidates or [None])[0]
    if best is not None:
        return best.name
    for said in reversed(scene.said):
        if said.named and is_person(said.label, said.name) and compatible(word, scene.gender(said.name)):
            return said.name
    return ""


def group_for(pronoun: Token, scene: Scene, wanted: str) -> str:
    """What "it" (wanted "ORG") or "they" (wanted "plural") stands for: the latest
    speaker of that kind near before, or an organisation named as a subject."""
    at, found = pronoun.idx, []
    for said in reversed(scene.said):
        if at - said.at > PRONOUN_MAX_DISTANCE:
            break
        if (said.label == "ORG" and not said.plural and gender_of(said.name) is None) \
                if wanted == "ORG" else said.plural:
            found.append((said.at, said.name))
            break
    for entity in sorted(scene.entities, key=lambda e: e.start, reverse=True):
        if entity.end > at or at - entity.end > PRONOUN_MAX_DISTANCE:
            continue
        # An organisation with a person's first name is a person typed ORG ("Vicente Fox").
        kind_ok = entity.label == "ORG" and gender_of(entity.name) is None if wanted == "ORG" \
            else entity.label in ("NORP", "ORG") and entity.text(doc_text(scene.doc)).endswith("s")
        if kind_ok and outside_quotes(scene, entity.start) and is_subject(scene.doc, entity):
            found.append((entity.start, entity.name))
            break
    return max(found)[1] if found else ""  # the nearer of the two


__all__ = ["PRONOUN_MAX_DISTANCE", "Referent", "group_for", "person_for", "referents"]

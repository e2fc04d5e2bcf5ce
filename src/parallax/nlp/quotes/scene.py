"""The article as speaker resolution sees it: its entities and their descriptions,
what lies inside quotations, the sex of the people it names, and the speakers
resolved so far (in text order).

    Scene(doc, entities, quoted)      scene.remember(head, name, at), scene.gender(name)
    is_person(label, name), is_subject(doc, entity), outside_quotes(scene, offset)
    mention_gender(scene, entity)
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Token

from parallax.model import Entity
from parallax.nlp.entities import title_before
from parallax.nlp.gender import PRONOUN_GENDER, Gender, gender_of
from parallax.nlp.quotes.descriptions import ORG_ROLES, PERSON_ROLES, Described, describe, role_of

THEY_PRONOUNS = frozenset(("they", "them", "their"))
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Pronoun votes a sex needs over the other to be learned for a name ("he" may be
# someone else in the sentence now and then).
GENDER_MAJORITY = 3
# Words of an organisation's name, never of a person's ("Virginia House of Delegates").
NOT_PERSON_WORDS = ORG_ROLES | {"of", "house", "'s", "’s"}


@dataclass
class Said:
    """A speaker already named, for the pronouns and roles that refer back to it."""

    at: int
    name: str
    label: str
    plural: bool
    named: bool  # the name is an entity's, not a description ("Hillary Clinton's campaign")
    role: bool = False  # an unnamed person by role ("a spokesperson for the UCEA")


@dataclass
class Scene:
    """The article as speaker resolution sees it."""

    doc: Doc
    entities: list[Entity]
    quoted: list[tuple[int, int]]  # inside quotations: the people a speaker talks about
    described: dict[str, Described] = field(init=False)
    labels: dict[str, str] = field(init=False)
    genders: dict[str, Gender] = field(init=False)  # learned from the article's pronouns
    said: list[Said] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.described = describe(self.doc, self.entities)
        self.labels = {e.name: e.label for e in self.entities if e.name}
        self.genders = learned_genders(self)

    def gender(self, name: str) -> Gender | None:
        """The sex a first name tells, else the one the article's pronouns tell."""
        return gender_of(name) or self.genders.get(name)

    def remember(self, head: Token, name: str, at: int) -> None:
        """Record a resolved speaker (in text order) for later pronouns and roles."""
        if not name:
            return
        label = self.labels.get(name) or ("ORG" if role_of(head) in ORG_ROLES else "")
        plural = head.tag_ in ("NNS", "NNPS") or head.lower_ in THEY_PRONOUNS \
            or any(c.dep_ == "conj" for c in head.children)
        self.said.append(Said(at, name, label, plural, name in self.labels, role_of(head) in PERSON_ROLES))


def learned_genders(scene: Scene) -> dict[str, Gender]:
    """The sex of people whose first name does not tell it, from the sentences that
    name one person only and then use "he"/"his" or "she"/"her" outside quotations
    ("Obama said his plan ..."): the clear majority of such votes."""
    votes: dict[str, Counter] = defaultdict(Counter)
    starts = {e.start: e for e in scene.entities if is_person(e.label, e.name)}
    for sent in scene.doc.sents:
        named = [starts[t.idx] for t in sent if t.idx in starts and outside_quotes(scene, t.idx)]
        if len({e.name for e in named}) != 1:
            continue
        first = named[0].end
        for token in sent:
            wanted = PRONOUN_GENDER.get(token.lower_)
            if wanted and token.idx > first and outside_quotes(scene, token.idx):
                votes[named[0].name][wanted] += 1
    learned = {}
    for name, counter in votes.items():
        (top, count), *rest = counter.most_common()
        if not rest or count >= GENDER_MAJORITY * rest[0][1]:
            learned[name] = top
    return learned


def outside_quotes(scene: Scene, offset: int) -> bool:
    """Is `offset` outside every quotation (where a speaker talks about others)?"""
    return not any(start <= offset < end for start, end in scene.quoted)


def is_subject(doc: Doc, entity: Entity) -> bool:
    """Is the entity mention the subject of its clause (through compounds, appositions)?"""
    tokens = doc.char_span(entity.start, entity.end, alignment_mode="expand")
    if tokens is None:
        return False
    node = tokens[-1]
    while node.dep_ in ("compound", "flat", "appos") and node.head.i != node.i:
        node = node.head
    return node.dep_ in SUBJECT_DEPS


def mention_gender(scene: Scene, entity: Entity) -> Gender | None:
    """The sex this mention's title ("Mrs. Clinton") or the person's name tells."""
    return title_before(scene.doc, entity.start, entity.end) or scene.gender(entity.name)


@lru_cache(maxsize=4096)
def is_person(label: str, name: str) -> bool:
    """A PERSON, or a name the small model typed otherwise whose first name is a
    person's ("Carly Fiorina" as ORG); never a role word it typed PERSON ("The
    governor, a Republican, ...")."""
    words = name.lower().split()
    if name.lower() in PERSON_ROLES or any(w in NOT_PERSON_WORDS for w in words):
        return False
    return label == "PERSON" or (label in ("ORG", "GPE", "NORP") and 1 < len(words) <= 3
                                 and gender_of(name) is not None)


__all__ = ["Said", "Scene", "is_person", "is_subject", "learned_genders", "mention_gender", "outside_quotes"]

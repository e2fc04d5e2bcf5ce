"""Within-article coreference for speakers: who "he", "it", "the governor" or "the
statement" stands for, or nobody ("" = unattributed).

    speaker_name(head, mention, scene) -> str    the name shown to users, "" if unknown

`scene.Scene` holds the article (entities, descriptions, the speakers resolved so far);
`pronouns` resolves "he", "she", "it", "they".

  "he" / "she"           the nearest earlier person outside quotations, of a compatible
                         sex (a first name or title tells it), subjects first
  "it" / "they"          the nearest earlier organisation / group that spoke or is a subject
  "the governor"         the person the article describes so (see descriptions)
  "the statement"        whoever issued it ("a statement from X", "X's statement", "X
                         issued a statement"), else nobody
  "someone", "I", "some" nobody; "one of Mr. Santorum's rivals" is kept whole
"""
from __future__ import annotations

from spacy.tokens import Token

from parallax.model import Phrase
from parallax.nlp.entities import name_at
from parallax.nlp.gender import PRONOUN_GENDER
from parallax.nlp.quotes.cues import RELATIVE_TAGS, antecedent_of, is_cue, subject_of
from parallax.nlp.quotes.descriptions import (
    ORG_ROLES, PERSON_ROLES, Wanted, best_match, description_words, identity_words, role_of, role_word,
)
from parallax.nlp.quotes.mentions import entity_at, is_furniture, mention_of, phrase_of, speaker_head
from parallax.nlp.quotes.pronouns import group_for, person_for
from parallax.nlp.quotes.scene import THEY_PRONOUNS, Scene
from parallax.nlp.spacy_model import doc_text, lemma

# A document ("the statement") is traced to an earlier mention of it this far back.
DOCUMENT_MAX_DISTANCE = 1200
# "the official" is the earlier speaker described so ("a senior official") this far back.
ROLE_MAX_DISTANCE = 1200
# Resolving "who" -> its noun -> a pronoun stops after this many steps.
MAX_DEPTH = 3
IT_PRONOUNS = frozenset(("it", "its"))
# Words that never name who speaks: first and second person (the writer, the reader,
# or someone inside a quotation), indefinites and demonstratives.
UNNAMED = frozenset("""
i me my we us our you your someone somebody anyone anybody everyone everybody nobody
no-one one some many most others other several few all both each either neither none
another this that these those such any
""".split())
# Documents and records: they speak for whoever issued them.
DOCUMENT_NOUNS = frozenset("""
statement report letter record document detail memo filing release email tweet post
message transcript video ad data paper file complaint lawsuit
""".split())
# Verbs whose subject issued the document they take: "X released a statement".
ISSUE_LEMMAS = frozenset("issue release publish send write post file tweet sign put produce".split())
INDEFINITE = frozenset(("a", "an", "another", "one", "some"))
POSSESSIVES = frozenset(("his", "her", "its", "their"))
# "a spokesman for X", "a group of X": the phrase that says whose, kept in the name.
TAIL_PREPOSITIONS = frozenset(("for", "of", "at", "with"))
MAX_TAIL_TOKENS = 8
# Entity types the small model gives a described person ("the Senate's top Democrat"
# as NORP): the description is resolved like any other.
MISTYPED_ROLES = frozenset(("NORP", "GPE"))


def _partitive(head: Token, scene: Scene) -> str:
    """"one of Mr. Santorum's rivals": the whole phrase names somebody; "some of them"
    (or "All of a sudden") names nobody."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ != "PRON"
                       and (c.tag_ in ("NNS", "NNPS") or any(g.dep_ == "poss" for g in c.children))]
            if objects:
                end = objects[0].right_edge
                return _description(doc_text(scene.doc)[head.idx:end.idx + len(end)])
    return ""


def _owner(noun: Token) -> Token | None:
    """Who issued a document: "X's statement", "a statement from X", "a White House
    statement", "details released by X", "X issued a statement", "a statement was
    released by X", "X said in a statement"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    for child in noun.children:
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            return child
        if child.dep_ == "acl" and child.tag_ == "VBN":  # "details released by the agency"
            agent = _agent_of(child)
            if agent is not None:
                return agent
    if noun.dep_ == "dobj" and lemma(noun.head) in ISSUE_LEMMAS:
        return subject_of(noun.head)
    if noun.dep_ == "pobj" and noun.head.lower_ in ("in", "through") and noun.head.head.pos_ == "VERB" \
            and is_cue(noun.head.head, for_quote=False):
        return subject_of(noun.head.head)  # "Zinke said in a statement": his statement
    if noun.dep_ == "nsubjpass":
        return _agent_of(noun.head)
    return None


def _agent_of(verb: Token) -> Token | None:
    """The X of a passive verb's "by X"."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    objects = [c for c in agent.children if c.dep_ == "pobj"] if agent is not None else []
    return objects[0] if objects else None


def _document(head: Token, scene: Scene, depth: int) -> str:
    """Whoever issued the document `head` names, traced back to an earlier mention of
    the same kind of document; "" when the article does not say."""
    owner = _owner(head)
    if owner is None:
        base = lemma(head)
        for token in reversed(scene.doc[max(0, head.i - 400):head.i]):
            if head.idx - token.idx > DOCUMENT_MAX_DISTANCE:
                break
            if token.pos_ == "NOUN" and lemma(token) == base:
                owner = _owner(token)
                if owner is not None:
                    break
    if owner is None or owner.i == head.i:
        return ""
    return _resolved(owner, scene, depth + 1)


def _is_document(head: Token) -> bool:
    """"the statement", "Reports" (a sentence-initial plural the tagger calls a name)."""
    base = lemma(head).lower()
    return head.pos_ in ("NOUN", "PROPN") and (
        base in DOCUMENT_NOUNS or (base.endswith("s") and base[:-1] in DOCUMENT_NOUNS))


def _description(text: str) -> str:
    """A description as a name: one spelling whatever its place in the sentence."""
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if rest and first in ("The", "A", "An") else text


def _tail_end(head: Token, end: int) -> int:
    """Where a description ends with its "for"/"of" phrase: "a spokesman for Platte
    River", "a group of conservative leaders" (up to a comma, a few words)."""
    for child in head.children:
        if child.dep_ == "prep" and child.i == head.i + 1 and child.lower_ in TAIL_PREPOSITIONS:
            tokens = [t for t in child.subtree if t.i - head.i <= MAX_TAIL_TOKENS]
            stop = next((t.i for t in tokens if t.text in (",", ";", "(", "—")), None)
            last = [t for t in tokens if stop is None or t.i < stop][-1]
            return max(end, _word_end(doc_text(head.doc), last.idx + len(last)))
    return end


def _word_end(text: str, end: int) -> int:
    """`end` moved to the end of its hyphenated word: the token cap must not leave
    "Ban Ki" of "Ban Ki-moon"."""
    while end < len(text) and (text[end].isalnum() or text[end] in "-\u2010\u2011" and end + 1 < len(text)
                               and text[end + 1].isalnum()):
        end += 1
    return end


def _role_name(head: Token, scene: Scene) -> str:
    """"the governor", "Moscow's U.N. envoy": the person or organisation described so,
    else an earlier speaker with the same description, else the words themselves; ""
    for a bare "the official" that the article never resolves."""
    phrase = phrase_of(head)
    words_of = _description(doc_text(scene.doc)[phrase.start:_tail_end(head, phrase.end)])
    role = role_of(head)
    label = "PERSON" if role in PERSON_ROLES else "ORG" if role in ORG_ROLES else None
    span = scene.doc.char_span(phrase.start, phrase.end, alignment_mode="expand")
    tokens = list(span) if span is not None else [head]
    if label is None or head.tag_ in ("NNS", "NNPS") or tokens[0].lower_ in INDEFINITE:
        return words_of  # a group, or somebody new ("a senior official")
    if tokens[0].lower_ in POSSESSIVES and len(tokens) > 1:  # "his campaign"
        owner = speaker_name(tokens[0], Phrase(tokens[0].idx, tokens[0].idx + len(tokens[0]), tokens[0].text),
                             scene, MAX_DEPTH)
        rest = doc_text(scene.doc)[tokens[1].idx:phrase.end]
        return f"{owner}'s {rest}" if owner else ""
    wanted = Wanted(role, frozenset(description_words(tokens, scene.entities)),
                    frozenset(identity_words(tokens, scene.entities) - {role}))
    found = best_match(wanted, label, scene.described, phrase.start)
    if found is not None:
        return found
    for said in reversed(scene.said):
        if phrase.start - said.at > ROLE_MAX_DISTANCE:
            break
        said_words = {w.lower().removesuffix("'s") for w in said.name.split()}
        if role_word(said.name.split()[-1]) == role and (not wanted.identity or wanted.identity & said_words):
            return said.name  # "a senior prison official ... the official added"
    bare = all(t.i == head.i or t.pos_ == "DET" for t in tokens)
    return "" if bare else words_of


def _resolved(token: Token, scene: Scene, depth: int) -> str:
    """The name of the speaker a token (an owner, an antecedent) stands for."""
    head = speaker_head(token, scene.entities)
    if head is None:
        return ""
    return speaker_name(head, mention_of(head, scene.entities), scene, depth)


def speaker_name(head: Token, mention: Phrase, scene: Scene, depth: int = 0) -> str:
    """The name of the speaker `mention` (headed by `head`) refers to; "" when the
    article does not say who it is (the quote is then unattributed)."""
    word = head.lower_
    if depth > MAX_DEPTH or is_furniture(mention):
        return ""
    entity = entity_at(scene.entities, head)
    if entity is not None and not (entity.label in MISTYPED_ROLES and role_of(head) in PERSON_ROLES):
        return name_at(scene.entities, mention.end - 1, mention.end) or mention.text
    if word in PRONOUN_GENDER:
        return person_for(head, scene)
    if word in IT_PRONOUNS or word in THEY_PRONOUNS:
        return group_for(head, scene, "ORG" if word in IT_PRONOUNS else "plural")
    if head.tag_ in RELATIVE_TAGS:  # "who said": the noun it stands for
        antecedent = antecedent_of(head)
        return "" if antecedent is None else _resolved(antecedent, scene, depth + 1)
    if word in UNNAMED:
        return _partitive(head, scene)
    if _is_document(head):
        return _document(head, scene, depth)
    if head.pos_ in ("NOUN", "PROPN"):
        return _role_name(head, scene)
    return _description(mention.text)


__all__ = ["speaker_name"]

"""The speaker's mention: the words of the text that name who speaks.

    speaker_head(subject, entities) -> Token | None   the token naming the speaker
    mention_of(head, entities) -> Phrase              its phrase, page furniture left out
    phrase_of(head) -> Phrase                         the noun phrase, entities aside
    party_tags(text, start, end) -> list[PartyTag]    "(R-Ky.)", ", D-N.Y.," near a name
    entity_at(entities, token) -> Entity | None

Some words beside a name are never the speaker, however the parse hangs them:
  "HARTFORD, Conn. — ... Richard Blumenthal is defending"   a dateline: Blumenthal
  "Sen. John Cornyn, R-TX, said"                             a party tag: John Cornyn
  "Representative James E. Clyburn, the No. 3 House Democrat, said"   the name, not
                                                            its description
  "WhatsApp Email Telegram A senior prison official said"   share buttons left out
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from parallax.model import Entity, Phrase
from parallax.nlp.quotes.places import place_key
from parallax.nlp.quotes.tokens import line_bounds
from parallax.nlp.spacy_model import doc_text

# Punctuation that ends a name phrase on its left (a hyphen or apostrophe does not:
# "Muhammad al-Zein", "Ja'afari").
PHRASE_BREAKS = frozenset(",;:()[]\"“”—–")
# Entity types that name a speaker themselves, so a description beside them is not it.
NAMED_TYPES = frozenset(("PERSON", "ORG"))
# A dateline opens a paragraph: "HARTFORD, Conn. —", "WASHINGTON --", "BEIRUT (Reuters) -".
DATELINE = re.compile(r"[ \t]*[A-Z][A-Z.'’ -]*[A-Z.](?:,\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)?"
                      r"(?:\s*\([A-Za-z .]+\))?\s*(?:—|–|--|-)\s")
# A party tag after a politician's name: "(R)", "(D-Vt.)", "(D, N.Y.)", ", R-TX,".
PARTY_TAG = re.compile(r"\(\s*([RDI])(?:\s*[-–,]\s*([A-Z][A-Za-z.]*(?:\s?[A-Z][A-Za-z.]*)?))?\s*\)"
                       r"|(?<![\w.])([RDI])[-–]([A-Z][A-Za-z.]*)")
PARTIES = {"R": "republican", "D": "democrat", "I": "independent"}
# Characters around a token searched for the party tag it belongs to.
TAG_WINDOW = 16
# Share buttons and page furniture glued to the start of a sentence by a web capture.
FURNITURE_WORDS = frozenset("""
whatsapp email e-mail telegram facebook twitter messenger share print pinterest linkedin
reddit sms copy link comment comments flipboard tumblr more advertisement
""".split())
# A mention made of these alone is furniture, not a speaker ("MORE: ..."); "Twitter"
# or "Facebook" alone may be the company speaking.
FURNITURE_ALONE = frozenset("more share print email e-mail comments advertisement".split())
# Deps through which a name inside the subject phrase is not the subject itself: an
# adviser "to Bill and Hillary Clinton" is not Bill.
FOREIGN_DEPS = frozenset("appos relcl acl conj advcl ccomp".split())
# Left-edge words that open a sentence, not a name ("Plus Obama wants ...").
LEADING_POS = frozenset(("CCONJ", "SCONJ", "ADV", "INTJ", "PUNCT"))


@dataclass(frozen=True)
class PartyTag:
    """A party tag [start, end) and what it says: the party and the state key, if any."""

    start: int
    end: int
    party: str
    state: str | None


def entity_at(entities: list[Entity], token: Token) -> Entity | None:
    """The entity mention holding `token`, or None."""
    for span in entities:
        if span.start <= token.idx < span.end:
            return span
    return None


def party_tags(text: str, start: int, end: int) -> list[PartyTag]:
    """The party tags in text[start:end]; "D-Day" is not one (no state after the dash)."""
    tags = []
    for match in PARTY_TAG.finditer(text, max(0, start), min(len(text), end)):
        party = match.group(1) or match.group(3)
        state_word = match.group(2) or match.group(4)
        state = place_key(state_word, in_tag=True) if state_word else None
        if match.group(3) and state is None:
            continue
        tags.append(PartyTag(match.start(), match.end(), PARTIES[party], state))
    return tags


def _tag_holding(token: Token) -> PartyTag | None:
    text = doc_text(token.doc)
    for tag in party_tags(text, token.idx - TAG_WINDOW, token.idx + len(token) + TAG_WINDOW):
        if tag.start <= token.idx < tag.end:
            return tag
    return None


def _dateline_end(token: Token) -> int | None:
    """The end of the dateline holding `token`, or None."""
    text = doc_text(token.doc)
    line_start = line_bounds(text, token.idx)[0]
    match = DATELINE.match(text, line_start)
    return match.end() if match and token.idx < match.end() else None


def _named_after(subject: Token, entities: list[Entity], offset: int) -> Token | None:
    """The last token of the first person (else organisation) in the subject phrase
    after `offset`: the speaker a dateline stands before."""
    found: dict[str, Token] = {}
    # The parse may hang the name from the verb rather than the dateline: then the
    # words between the dateline and the verb.
    verb = subject.head
    between = subject.doc[subject.i:verb.i] if verb.i > subject.i else []
    for token in [*subject.subtree, *between]:
        entity = entity_at(entities, token) if token.idx >= offset else None
        if entity is not None and entity.label in NAMED_TYPES and token.idx + len(token) == entity.end:
            found.setdefault(entity.label, token)
    return found.get("PERSON") or found.get("ORG")


def _named_before(tag_token: Token, entities: list[Entity], tag: PartyTag) -> Token | None:
    """The last token of the name a party tag follows ("John Cornyn, R-TX")."""
    text = doc_text(tag_token.doc)
    for entity in entities:
        gap = text[entity.end:tag.start]
        if entity.label == "PERSON" and entity.end <= tag.start and len(gap) <= 2 and not gap.strip(" ,"):
            span = tag_token.doc.char_span(entity.start, entity.end, alignment_mode="expand")
            return span[-1] if span is not None else None
    return None


def _through_foreign(token: Token, subject: Token) -> bool:
    """Is `token` joined to `subject` through an apposition, clause or coordination?"""
    node = token
    while node.i != subject.i and node.head.i != node.i:
        if node.dep_ in FOREIGN_DEPS:
            return True
        node = node.head
    return False


def _is_name(token: Token, entities: list[Entity]) -> bool:
    """Is the proper noun `token` a name, not a party tag or a party ("The governor, a
    Republican, told ...")?"""
    if token.lower_ in PARTIES.values() or _tag_holding(token) is not None:
        return False  # the small model may call "a Republican" beside a title a PERSON
    entity = entity_at(entities, token)
    return entity is None or entity.label in NAMED_TYPES


def speaker_head(subject: Token, entities: list[Entity]) -> Token | None:
    """The most name-like token of the subject phrase, None when the subject is only a
    dateline or a party tag. A name beats the title it explains: an appositive proper
    name ("U.S. Ambassador ..., Samantha Power,") or a person named inside the phrase
    ("US Ambassador to the UN Samantha Power"); a named subject is itself the head."""
    dateline_end = _dateline_end(subject)
    if dateline_end is not None:
        return _named_after(subject, entities, dateline_end)
    tag = _tag_holding(subject)
    if tag is not None:
        return _named_before(subject, entities, tag)
    entity = entity_at(entities, subject)
    if entity is not None and entity.label in NAMED_TYPES:
        return subject
    for child in subject.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and _is_name(child, entities):
            return child
    if subject.pos_ == "PROPN":
        for token in subject.subtree:
            entity = entity_at(entities, token)
            if entity is not None and entity.label == "PERSON" and token.i != subject.i \
                    and token.idx + len(token) == entity.end and not _through_foreign(token, subject):
                return token
    return subject


def phrase_of(head: Token) -> Phrase:
    """The noun phrase `head` ends, whatever entity it holds ("the Kentucky Republican")."""
    start, end = _phrase_start(head), head.idx + len(head)
    return Phrase(start, end, doc_text(head.doc)[start:end])


def mention_of(head: Token, entities: list[Entity]) -> Phrase:
    """The speaker mention headed by `head`: its character range and text."""
    text = doc_text(head.doc)
    entity = entity_at(entities, head)
    start = _phrase_start(head)
    if entity is not None and entity.start >= start:
        return Phrase(entity.start, entity.end, text[entity.start:entity.end])
    end = head.idx + len(head)
    return Phrase(start, end, text[start:end])


def is_furniture(mention: Phrase) -> bool:
    """A mention of page furniture alone ("MORE", "Share Email")."""
    words = mention.text.lower().split()
    return bool(words) and all(w in FURNITURE_WORDS for w in words) \
        and (len(words) > 1 or words[0] in FURNITURE_ALONE)


def _phrase_start(head: Token) -> int:
    """Start of the noun phrase headed by `head`: its left modifiers within the same
    sentence and line (a mis-parse can reach back across a paragraph), without share
    buttons or a sentence-opening conjunction before it."""
    first = head.i
    for token in reversed(list(head.subtree)):
        if token.i >= first:
            continue
        if token.i != first - 1 or "\n" in token.text or token.text in PHRASE_BREAKS \
                or not _in_left_phrase(token, head):
            break
        first = token.i
    doc = head.doc
    while first < head.i and (doc[first].lower_ in FURNITURE_WORDS or doc[first].pos_ in LEADING_POS):
        first += 1
    return doc[first].idx


def _in_left_phrase(token: Token, head: Token) -> bool:
    node = token
    while node.i != head.i:
        if node.dep_ in ("relcl", "appos", "acl", "prep") or node.head.i == node.i:
            return False
        node = node.head
    return True


__all__ = ["PartyTag", "entity_at", "is_furniture", "mention_of", "party_tags", "phrase_of",
           "speaker_head"]

"""Descriptions of the people and organisations an article names, to resolve the
descriptions a speaker is given later ("the governor", "Moscow's U.N. envoy").

    describe(doc, entities) -> dict[str, Described]      per canonical name
    description_words(tokens, entities) -> set[str]      normalised words of a phrase
    identity_words(tokens, entities) -> set[str]         its names and places
    best_match(wanted, label, described, at) -> str | None
    role_of(head), role_word(word) -> str                 "envoy" -> "ambassador"

A person is described by the words before the name ("Russian U.N. Ambassador Vitaly
Churkin", "Arizona Gov. Jan Brewer"), an apposition ("Vitaly Churkin, Moscow's U.N.
envoy," or "Moscow's envoy, Vitaly Churkin,"), a party tag ("Marco Rubio (R-Fla.)")
and "of <place>" ("Darrell Issa of California"). Words are normalised so that one
role and one place read the same: "envoy" = "ambassador", "Gov." = "governor",
"Moscow's" = "Russian" = "russia", "U.N." = "UN" = "united nations".
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from parallax.model import Entity
from parallax.nlp.gender import gender_of
from parallax.nlp.quotes.mentions import entity_at, party_tags
from parallax.nlp.quotes.places import PLACE_KEYS, place_key
from parallax.nlp.spacy_model import doc_text

# Abbreviations and variants of roles, folded to one word (or two: "FM").
ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "gov.": ("governor",), "gov": ("governor",), "sen.": ("senator",), "sen": ("senator",),
    "rep.": ("representative",), "congressman": ("representative",),
    "congresswoman": ("representative",), "envoy": ("ambassador",), "amb.": ("ambassador",),
    "spokeswoman": ("spokesman",), "spokesperson": ("spokesman",), "chairwoman": ("chairman",),
    "gen.": ("general",), "lt.": ("lieutenant",), "col.": ("colonel",), "sec.": ("secretary",),
    "atty.": ("attorney",), "pres.": ("president",), "fm": ("foreign", "minister"),
    "democratic": ("democrat",), "gop": ("republican",), "advisor": ("adviser",),
    "frontrunner": ("front-runner",), "businesswoman": ("businessman",),
}
# Heads of descriptions of a person that an earlier (or, failing that, later) named
# person can stand behind: "the governor", "the Florida senator", "the Arizona Republican".
PERSON_ROLES = frozenset("""
minister ambassador spokesman president senator secretary official diplomat governor
candidate chairman chief general representative mayor leader director attorney judge
justice adviser aide commander nominee lawyer prosecutor officer executive founder ceo
host anchor author professor economist pollster strategist analyst activist businessman
billionaire mogul front-runner challenger incumbent lawmaker premier chancellor king
queen prince monarch dictator emir president-elect speaker whip republican democrat
independent colonel lieutenant captain sheriff commissioner superintendent
""".split())
# Heads of descriptions of an organisation: "the committee", "the company". Not "the
# party": the parties are rarely named as organisations (NORP "Democratic"), so a far
# "Workers World Party" would stand in for them.
ORG_ROLES = frozenset("""
company firm group campaign committee agency department ministry administration
organization organisation network newspaper paper magazine outlet court union
association board council government team office institute foundation bank
""".split())
# Words that say nothing about who is described.
STOP_WORDS = frozenset("the a an of to for and 's ’s this that his her its their".split())
PARTY_WORDS = frozenset(("republican", "democrat", "independent"))
FORMER = "former"
# Words before a name taken as its description: "Senate Majority Leader Mitch McConnell".
MAX_LEFT_WORDS = 6
# Tokens of an appositive description kept ("the senior Republican on the House ...").
MAX_APPOSITIVE_TOKENS = 12
LEFT_POS = frozenset(("PROPN", "NOUN", "ADJ", "NUM"))
# A party tag this close after a name is that name's: "Rubio (R-Fla.)", "Cornyn, R-TX".
TAG_GAP = 2
# The longest party tag searched for: "(D-N.Y.)", ", R-Calif.,", "(D, Mass.)".
TAG_MAX_CHARS = 14


@dataclass
class Described:
    """What the article says a person or organisation is, and where it names them."""

    name: str
    label: str
    words: set[str] = field(default_factory=set)  # every description's words
    current: set[str] = field(default_factory=set)  # those of descriptions without "former"
    positions: list[int] = field(default_factory=list)

    def add(self, words: set[str]) -> None:
        self.words |= words
        if FORMER not in words:
            self.current |= words


def _token_words(token: Token, entities: list[Entity]) -> tuple[str, ...]:
    """The normalised word(s) of one token of a description."""
    if token.is_punct or token.tag_ == "POS" or token.lower_ in STOP_WORDS:
        return ()
    entity = entity_at(entities, token)
    if entity is not None and entity.label != "PERSON":
        return (place_key(entity.name) or entity.name.lower(),)
    word = token.lower_.removesuffix("'s").removesuffix("’s")
    return ROLE_SYNONYMS.get(word) or (place_key(word) or word,)


def description_words(tokens: list[Token], entities: list[Entity]) -> set[str]:
    """The normalised words of a description phrase."""
    return {word for token in tokens for word in _token_words(token, entities)}


def identity_words(tokens: list[Token], entities: list[Entity]) -> set[str]:
    """The words of a description that say who, not what: names and places
    ("Huckabee's campaign", "Moscow's U.N. envoy"), not "two-term" or "senior"."""
    named = [t for t in tokens if t.pos_ == "PROPN" or entity_at(entities, t) is not None
             or place_key(t.text) is not None]
    return description_words(named, entities) - PARTY_WORDS


def role_word(word: str) -> str:
    """The normalised role a word names ("envoy" -> "ambassador", "FM" -> "minister")."""
    word = word.lower().removesuffix("'s").removesuffix("’s")
    return (ROLE_SYNONYMS.get(word) or (word,))[-1]


def role_of(head: Token) -> str:
    """The normalised role word of a description's head."""
    return role_word(head.text)


def _left_tokens(name: Span) -> list[Token]:
    """The title and description words right before a name, in its sentence and line."""
    doc, tokens = name.doc, []
    i, owner = name.start - 1, False
    while i >= 0 and len(tokens) < MAX_LEFT_WORDS:
        token = doc[i]
        if "\n" in token.text or token.sent.start != name.sent.start:
            break
        if owner and token.pos_ != "PROPN":
            break  # "President Obama's daughters Sasha": the president is the owner, not her
        if not (token.pos_ in LEFT_POS or token.tag_ == "POS"):
            break
        owner = owner or token.tag_ == "POS"
        tokens.append(token)
        i -= 1
    return tokens


def _appositive_tokens(name: Span) -> list[Token]:
    """An apposition beside the name: "Churkin, Moscow's U.N. envoy," or "Moscow's envoy,
    Vitaly Churkin,"."""
    root = name.root
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        head = root.head
        return [t for t in head.subtree if t.i <= head.i][-MAX_APPOSITIVE_TOKENS:]
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN") and child.i > root.i:
            kept = [t for t in child.subtree if t.i <= child.i or t.dep_ in ("prep", "pobj", "compound", "det")]
            return kept[:MAX_APPOSITIVE_TOKENS]
    return []


def _after_words(doc: Doc, entity: Entity, entities: list[Entity]) -> set[str]:
    """A party tag ("(R-Fla.)", ", R-TX,") or "of <place>" right after the name."""
    text = doc_text(doc)
    words: set[str] = set()
    for tag in party_tags(text, entity.end, entity.end + TAG_GAP + TAG_MAX_CHARS):
        if tag.start - entity.end <= TAG_GAP:
            words |= {tag.party} | ({tag.state} if tag.state else set())
    if text.startswith(" of ", entity.end):
        place = next((e for e in entities if e.start == entity.end + 4), None)
        if place is not None and place.label in ("GPE", "LOC"):
            words.add(place_key(place.name) or place.name.lower())
    return words


def describe(doc: Doc, entities: list[Entity]) -> dict[str, Described]:
    """Per canonical name of a person or organisation: its description words (and, for
    an organisation, the words of its name) and where the article names it."""
    described: dict[str, Described] = {}
    for entity in entities:
        if entity.label not in ("PERSON", "ORG") or not entity.name or entity.name.lower() in PERSON_ROLES:
            continue  # "a Republican" beside "The governor" is typed PERSON, but is no one
        span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is None:
            continue
        item = described.setdefault(entity.name, Described(entity.name, entity.label))
        item.positions.append(entity.start)
        for phrase in (_left_tokens(span), _appositive_tokens(span)):
            item.add(description_words(phrase, entities))
        item.add(_after_words(doc, entity, entities))
        if entity.label == "ORG":
            item.add({w.lower() for w in entity.name.split()})
    return described


def _compatible(words: set[str], candidate: set[str], kinds: frozenset[str]) -> bool:
    """Two descriptions naming different places (or parties) are of different people."""
    mine, theirs = words & kinds, candidate & kinds
    return not (mine and theirs and mine.isdisjoint(theirs))


def _distance(item: Described, at: int) -> tuple[int, int]:
    """Nearest mention first, the earlier ones before any later one."""
    before = [at - p for p in item.positions if p < at]
    if before:
        return 0, min(before)
    return 1, min(p - at for p in item.positions)


def _fits(wanted: Wanted, item: Described) -> bool:
    """Could `item` be the one `wanted` describes? It holds the role (a former holder
    only for "the former ..."), shares a name or place if the description gives one
    ("Huckabee's campaign" is not the Campaign Legal Center), and names no other place
    or party ("Britain's U.N. ambassador" is not Churkin)."""
    holds = wanted.role in (item.words if FORMER in wanted.words else item.current)
    return holds and (not wanted.identity or bool(wanted.identity & item.words)) \
        and _compatible(wanted.words, item.words, PLACE_KEYS) \
        and _compatible(wanted.words, item.words, PARTY_WORDS)


@dataclass(frozen=True)
class Wanted:
    """A description to resolve: its role word, all its words, its names and places."""

    role: str
    words: frozenset[str]
    identity: frozenset[str]


def best_match(wanted: Wanted, label: str, described: dict[str, Described], at: int) -> str | None:
    """The name the description `wanted` at offset `at` stands for: a `label` entity
    that fits it, most words shared first, the nearest (earlier before later) among
    equals."""
    # A person the small model typed ORG ("Sanders campaign manager Jeff Weaver") is not
    # "the campaign".
    candidates = [item for item in described.values() if item.label == label and _fits(wanted, item)
                  and not (label == "ORG" and gender_of(item.name) is not None)]
    if not candidates:
        return None
    best = min(candidates, key=lambda item: (-len(wanted.words & item.words), _distance(item, at)))
    return best.name


__all__ = ["ORG_ROLES", "PERSON_ROLES", "Described", "Wanted", "best_match", "describe",
           "description_words", "identity_words", "role_of", "role_word"]

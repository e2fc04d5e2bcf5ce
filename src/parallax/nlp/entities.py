"""Entity mentions resolved to one canonical name per person/organisation/place in an article.

Pipeline (each step a small function):
  1. take spaCy's entities, trimmed to the name itself (no "the", titles, possessive 's,
     nothing before a comma: "the council, Power" -> "Power");
  2. add mentions spaCy missed: a bare surname of a person named in full elsewhere
     ("Power said" -> "Samantha Power");
  3. give each mention a canonical name: titles stripped, aliases folded ("U.N." / "UN" ->
     "United Nations"), short forms resolved to the longest full name in the article
     ("Power" -> "Samantha Power", "Assad" -> "Bashar al-Assad"), spelling variants of
     one person merged ("Sergey Lavrov" -> "Sergei Lavrov");
  4. one type per canonical name by a vote over its mentions, with the small model's known
     misfires corrected: a title before or beside a name makes it a PERSON ("Ambassador ...,
     Samantha Power" tagged ORG); a "NORP" that is not a nationality word is a place
     ("Aleppo" tagged NORP).

Each Entity has label = type, `name` = the canonical name, `entity_id` = its lower case.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from parallax.model import ENTITY_TYPES, Entity
from parallax.nlp.gender import Gender, gender_of, title_gender
from parallax.nlp.spacy_model import doc_text

# spaCy-sm sometimes gives a real place or person one of these labels ("Aleppo" as
# WORK_OF_ART); such a mention is kept only if its name gets a wanted type elsewhere.
DOUBTFUL_TYPES = ("WORK_OF_ART", "FAC", "PRODUCT", "EVENT", "LAW")

# Titles and roles that head a phrase before a name ("Ambassador Samantha Power"); a name
# after one of these is a person.
TITLE_WORDS = frozenset("""
president vice-president ambassador envoy secretary secretary-general minister
chancellor senator sen. rep. representative congressman congresswoman general gen.
governor gov. mayor king queen prince princess sheikh pope spokesman spokeswoman
spokesperson commander colonel col. lieutenant lt. captain capt. sergeant
mr. mr mrs. mrs ms. ms dr. dr prof. professor judge justice chairman chairwoman
premier emir ayatollah leader director dictator journalist correspondent analyst
lawyer attorney cardinal archbishop bishop fm
""".split())

# Words that qualify a title ("Foreign Minister", "Deputy Prime Minister") but are not one.
TITLE_MODIFIERS = frozenset("foreign defense defence deputy assistant chief prime vice "
                            "former acting interior state".split())

# Nouns after a title word that make it part of an organisation's name ("General Assembly").
ORG_HEADS = frozenset("assembly staff staffs council office ministry department court "
                      "committee command motors electric".split())

# Aliases folded to one name (exact text; short uppercase forms are case-sensitive so the
# pronoun "us" is never the United States).
ALIASES: dict[str, tuple[str, str]] = {
    "U.N.": ("United Nations", "ORG"), "UN": ("United Nations", "ORG"),
    "U.N": ("United Nations", "ORG"), "United Nations": ("United Nations", "ORG"),
    "U.S.": ("United States", "GPE"), "US": ("United States", "GPE"),
    "U.S": ("United States", "GPE"), "USA": ("United States", "GPE"),
    "U.S.A.": ("United States", "GPE"), "America": ("United States", "GPE"),
    "United States": ("United States", "GPE"),
    "United States of America": ("United States", "GPE"),
    "U.K.": ("United Kingdom", "GPE"), "UK": ("United Kingdom", "GPE"),
    "Britain": ("United Kingdom", "GPE"), "Great Britain": ("United Kingdom", "GPE"),
    "United Kingdom": ("United Kingdom", "GPE"),
    "E.U.": ("European Union", "ORG"), "EU": ("European Union", "ORG"),
    "European Union": ("European Union", "ORG"),
    "ISIS": ("Islamic State", "ORG"), "ISIL": ("Islamic State", "ORG"),
    "IS": ("Islamic State", "ORG"), "Daesh": ("Islamic State", "ORG"),
    "ISIS/ISIL": ("Islamic State", "ORG"), "Islamic State": ("Islamic State", "ORG"),
}

# Endings of nationality/group words ("Syrian", "Chinese", "British", "Iraqi", "French",
# "Americans"); a NORP mention without one ("Aleppo") is a misfire for a place.
DEMONYM_ENDING = re.compile(r"(an|ans|ese|ish|i|is|ch|ic|ics|ite|ites|ers?|ern|s)$", re.I)

# Arabic article prefixes that a short mention may drop ("Assad" for "al-Assad").
NAME_PREFIX = re.compile(r"^(al|el|ad|as|ash|at|ar)-", re.I)

# Trailing/leading characters that are not part of a name in Markdown or quotes.
NAME_PUNCT = "\"'“”‘’*_[]()#,.;: "
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


@dataclass
class Mention:
    start: int
    end: int
    label: str
    title_context: bool = False  # a title word precedes it or it is in apposition to one


# ---------------------------------------------------------------- canonical names

def title_prefix_len(words: Sequence[str]) -> int:
    """Number of leading words that are a title phrase before a name, 0 if none.

    "U.S. Ambassador Samantha Power" -> 2, "Secretary of State John Kerry" -> 3,
    "Russian Defense Ministry" -> 0, "General Assembly" -> 0.
    """
    end, i = 0, 0
    while i < len(words) - 1:
        word = words[i].lower().strip("[]")
        nxt = words[i + 1].lower().strip("[]")
        if word in TITLE_WORDS:
            if nxt in ORG_HEADS:
                return 0
            i += 1
            end = i
            if nxt == "of" and i + 1 < len(words) - 1:  # "Secretary of State"
                i += 2
                end = i
        elif word in TITLE_MODIFIERS or nxt in TITLE_WORDS | TITLE_MODIFIERS:
            i += 1  # "U.S." / "Foreign" before a title: part of the title phrase
        else:
            break
    if end and not words[end][:1].isupper():
        return 0
    return end


def canonical_name(mention: str) -> str:
    """Name of a mention without titles, article, possessive or alias spelling.

    "U.S. Ambassador Samantha Power's" -> "Samantha Power", "the U.N." -> "United Nations",
    "UN Security Council" -> "United Nations Security Council".
    """
    name = re.sub(r"\s+", " ", mention).strip(NAME_PUNCT)
    name = POSSESSIVE.sub("", name).strip(NAME_PUNCT)
    if name.lower().startswith("the "):
        name = name[4:]
    words = name.split(" ")
    name = " ".join(words[title_prefix_len(words):]).strip(NAME_PUNCT)
    if name in ALIASES:
        return ALIASES[name][0]
    first, _, rest = name.partition(" ")
    if rest and first in ALIASES and ALIASES[first][1] == "ORG":
        # "UN Security Council": an organisation named after a folded alias.
        return f"{ALIASES[first][0]} {rest}"
    return name


def _bare(token: str) -> str:
    return NAME_PREFIX.sub("", token).lower()


# Short forms of first names ("Dick Blumenthal" is Richard Blumenthal): a formal name,
# then its short forms.
NAME_FORMS = """richard dick rick rich | william bill billy will | robert bob bobby rob | james jim
jimmy jamie | michael mike | thomas tom tommy | charles chuck charlie | joseph joe joey | edward
ed eddie ted ned | theodore ted teddy | anthony tony | daniel dan danny | david dave | steven steve
| stephen steve | christopher chris | nicholas nick | benjamin ben | kenneth ken kenny | lawrence
larry | gerald jerry | jeffrey jeff | gregory greg | samuel sam | patrick pat | timothy tim | andrew
andy drew | alexander alex | matthew matt | donald don donnie | ronald ron ronnie | douglas doug |
frederick fred | elizabeth liz beth betsy betty | katherine kate kathy katie | margaret peggy maggie
| patricia pat patty | jennifer jen jenny | deborah debbie deb | susan sue | rebecca becky"""


def _formal_names() -> dict[str, set[str]]:
    """A first name -> the formal names it may stand for ("ted" -> edward, theodore)."""
    forms: dict[str, set[str]] = defaultdict(set)
    for formal, *shorts in (group.split() for group in NAME_FORMS.split("|")):
        for name in (formal, *shorts):
            forms[name].add(formal)
    return dict(forms)


FORMAL_NAMES = _formal_names()


def _similar_first_names(a: str, b: str) -> bool:
    """Transliteration variants of one first name ("Sergei" / "Sergey"), or a short form
    of it ("Dick" / "Richard")."""
    a, b = a.lower(), b.lower()
    if a[:1] == b[:1] and a[:4] == b[:4]:
        return True
    return bool(FORMAL_NAMES.get(a, {a}) & FORMAL_NAMES.get(b, {b}))


def resolve_names(names: Sequence[str], types: Sequence[str] | None = None) -> dict[str, str]:
    """Map each name to the full name it stands for among `names` (in article order).

    A one-word name resolves to the longest full name containing it as first or last word
    ("Power" -> "Samantha Power", "Assad" -> "Bashar al-Assad"); a person name spelled
    differently with the same surname resolves to the first spelling; an organisation
    named by a tail of a longer one resolves to it ("Security Council" -> "United
    Nations Security Council"). Names of different kinds (person vs place) never merge.
    """
    types = list(types) if types is not None else ["PERSON"] * len(names)
    kind_of = {n: _kind(t) for n, t in zip(names, types)}
    order = list(dict.fromkeys(names))
    index = _NameIndex(order, kind_of)
    resolved = {name: index.resolve(name) for name in order}
    # Follow chains ("Lavrov" -> "Sergey Lavrov" -> "Sergei Lavrov") to their end.
    return {name: resolved.get(full, full) for name, full in resolved.items()}


class _NameIndex:
    """Multi-word names indexed by (kind, first/last word), so resolving stays linear."""

    def __init__(self, order: list[str], kind_of: dict[str, str]) -> None:
        self.kind_of = kind_of
        self.position = {name: i for i, name in enumerate(order)}
        self.by_edge_word: dict[tuple[str, str], list[str]] = defaultdict(list)
        for name in order:
            words = name.split(" ")
            if len(words) > 1:
                kind = kind_of[name]
                for word in {_bare(words[0]), _bare(words[-1])}:
                    self.by_edge_word[(kind, word)].append(name)

    def _longest(self, candidates: list[str], default: str) -> str:
        """The longest candidate, the earliest among equals."""
        best = default
        for other in candidates:
            if len(other) > len(best):
                best = other
        return best

    def resolve(self, name: str) -> str:
        words = name.split(" ")
        kind = self.kind_of[name]
        if kind == "PERSON" and len(words) == 1:
            candidates = [o for o in self.by_edge_word[(kind, _bare(words[0]))]
                          if _bare(words[0]) in (_bare(o.split(" ")[0]), _bare(o.split(" ")[-1]))]
            return self._longest(candidates, name)
        if kind == "PERSON":
            # Earlier spelling of the same person wins ("Sergey Lavrov" -> "Sergei Lavrov").
            for other in self.by_edge_word[(kind, _bare(words[-1]))]:
                other_words = other.split(" ")
                if (self.position[other] < self.position[name]
                        and _bare(other_words[-1]) == _bare(words[-1])
                        and _similar_first_names(other_words[0], words[0])):
                    return other
            return name
        candidates = self.by_edge_word[(kind, _bare(words[-1]))] + \
            self.by_edge_word[(kind, _bare(words[0]))]
        longer = [o for o in candidates if len(o) > len(name)
                  and (o.endswith(" " + name) or _generic_tail(o, name))]
        return self._longest(longer, name)

# Generic words that end an organisation's name and are often left out ("al-Nusra" for
# "al-Nusra Front").
ORG_TAILS = frozenset("front party movement brigade brigades group organization "
                      "organisation corporation company inc. army".split())


def _generic_tail(longer: str, name: str) -> bool:
    """True when `longer` is `name` plus generic organisation words."""
    if not longer.startswith(name + " "):
        return False
    return all(w.lower() in ORG_TAILS for w in longer[len(name) + 1:].split(" "))


def _kind(label: str) -> str:
    """Coarse kind for merging: people with people, the rest by their own type."""
    return "PERSON" if label == "PERSON" else label


# ---------------------------------------------------------------- mentions from spaCy

def _trim_tokens(ent) -> tuple[int, int] | None:
    """Token range of the name inside a spaCy entity, or None when nothing name-like is left."""
    tokens = list(ent)
    if ent.end < len(ent.doc) and f"{ent.text} {ent.doc[ent.end].text}" in ALIASES:
        tokens.append(ent.doc[ent.end])  # "Islamic" + "State": the model cut a known name
    if any(t.text == "," for t in tokens):
        # "the council, Power": the model glued a list together; keep the last item.
        last_comma = max(i for i, t in enumerate(tokens) if t.text == ",")
        tokens = tokens[last_comma + 1:]
    while tokens and tokens[0].pos_ in ("DET", "PUNCT"):
        tokens = tokens[1:]
    tokens = tokens[title_prefix_len([t.text for t in tokens]):]
    while tokens and (tokens[-1].pos_ == "PART" or tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    if not tokens or not any(t.text[:1].isupper() for t in tokens):
        return None
    return tokens[0].i, tokens[-1].i + 1


def _in_title_context(doc, start_token: int, end_token: int) -> bool:
    """A title word right before the name ("[President] Barack Obama"), or the name in
    apposition to a title ("Ambassador to the United Nations, Samantha Power")."""
    i = start_token - 1
    if i >= 0 and doc[i].text == "]":
        i -= 1
    if i >= 0 and doc[i].lower_ in TITLE_WORDS:
        return True
    root = doc[start_token:end_token].root
    return root.dep_ == "appos" and root.head.lower_ in TITLE_WORDS


def _is_generic(doc, start_token: int, end_token: int) -> bool:
    """Words the small model tags that are not names ("State" in "Secretary of State")."""
    return end_token - start_token == 1 and doc[start_token].lower_ in TITLE_WORDS | TITLE_MODIFIERS


# Prefixes glued to a name that make a stance word, not a name ("anti-Assad", "pro-US").
STANCE_PREFIX = re.compile(r"^(anti|pro|non|post|pre|ex)-", re.I)


def _split_alias_head(doc, start_t: int, end_t: int) -> list[tuple[int, int, bool]]:
    """Split "UN Samantha Power" (from "Ambassador to the UN Samantha Power") in two.

    The small model glues the organisation closing a title phrase to the name after it;
    returns (start, end, title_context) token ranges.
    """
    if end_t - start_t >= 3 and doc[start_t].text in ALIASES:
        before = {t.lower_ for t in doc[max(0, start_t - 4):start_t]}
        rest = doc[start_t + 1:end_t]
        if before & TITLE_WORDS and all(t.text[:1].isupper() for t in rest):
            return [(start_t, start_t + 1, False), (start_t + 1, end_t, True)]
    return [(start_t, end_t, _in_title_context(doc, start_t, end_t))]


def _char_range(doc, start_t: int, end_t: int) -> tuple[int, int]:
    start, end = doc[start_t].idx, doc[end_t - 1].idx + len(doc[end_t - 1])
    # Span text, not doc.text: spaCy rebuilds doc.text on every access (quadratic).
    prefix = STANCE_PREFIX.match(doc[start_t:end_t].text)
    if prefix and end - start > prefix.end():
        start += prefix.end()
    return start, end


def _spacy_mentions(doc) -> list[Mention]:
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_TYPES + DOUBTFUL_TYPES:
            continue
        trimmed = _trim_tokens(ent)
        if trimmed is None or _is_generic(doc, *trimmed):
            continue
        for start_t, end_t, titled in _split_alias_head(doc, *trimmed):
            start, end = _char_range(doc, start_t, end_t)
            # A stance word ("anti-Assad") says nothing about the type of the name in it.
            label = "DOUBTFUL" if start != doc[start_t].idx else ent.label_
            mentions.append(Mention(start, end, label, titled))
    return mentions


def _missed_surnames(doc, mentions: list[Mention], person_names: set[str]) -> list[Mention]:
    """Bare first/last names of known people that spaCy did not tag ("Power said")."""
    keys = _surname_keys(person_names)
    covered = set()
    for m in mentions:
        covered.update(range(m.start, m.end))
    added = []
    for token in doc:
        word = POSSESSIVE.sub("", token.text)
        if word in keys and token.idx not in covered and token.text[:1].isupper():
            added.append(Mention(token.idx, token.idx + len(word), "PERSON",
                                 _in_title_context(doc, token.i, token.i + 1)))
    return added


# ---------------------------------------------------------------- types

def _votes(label: str, surface: str, title_context: bool) -> list[str]:
    """The type(s) one mention votes for."""
    if title_context:
        return ["PERSON", "PERSON"]  # a title is stronger evidence than the small model
    if label == "NORP" and not DEMONYM_ENDING.search(surface):
        return ["GPE"]
    if label in DOUBTFUL_TYPES or label == "DOUBTFUL":
        return []
    return [label]


def _surname_keys(person_names: set[str]) -> dict[str, str]:
    """Last names (with and without "al-") of people named in full -> the full name."""
    keys: dict[str, str] = {}
    for full in sorted(person_names, key=len, reverse=True):
        words = full.split(" ")
        if len(words) > 1:
            keys.setdefault(words[-1], full)
            keys.setdefault(NAME_PREFIX.sub("", words[-1]), full)
    return keys


# Names from the alias table have a known type, whatever the model says of one mention.
ALIAS_TYPES = {name: label for name, label in ALIASES.values()}
ALIAS_VOTES = 10

# Votes a bare surname of a person named in full gets for PERSON: the full name is better
# evidence than the small model's label of the short form ("Churkin" tagged GPE).
SURNAME_VOTES = 3


def _decide_types(names: list[str], mentions: list[Mention], text: str,
                  surnames: dict[str, str] | None = None) -> dict[str, str]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for name in names:
        if surnames and name in surnames:
            votes[name]["PERSON"] += SURNAME_VOTES
    for name, m in zip(names, mentions):
        if name in ALIAS_TYPES:
            votes[name][ALIAS_TYPES[name]] += ALIAS_VOTES
        else:
            votes[name].update(_votes(m.label, text[m.start:m.end], m.title_context))
    return {name: counter.most_common(1)[0][0] for name, counter in votes.items() if counter}


def _title_before(text: str, mention: Mention) -> Gender | None:
    """The sex told by a title opening the mention or just before it ("Mr. Clinton")."""
    words = text[max(0, mention.start - 16):mention.start].split()[-1:] + text[mention.start:mention.end].split()[:1]
    return next((g for g in map(title_gender, words) if g), None)


def _fit_title(full: str, name: str, title: Gender | None, people: set[str]) -> str:
    """`full`, unless the mention's title contradicts its first name ("Mr. Clinton" is not
    "Hillary Clinton"): then the article's person of that sex with the same surname, or
    the short name itself."""
    if title is None or full == name or gender_of(full) in (None, title):
        return full
    surname = full.split(" ")[-1]
    fits = sorted(p for p in people if p.split(" ")[-1] == surname and gender_of(p) == title)
    return max(fits, key=len) if fits else name


def entity_spans(doc) -> list[Entity]:
    """PERSON/ORG/GPE/NORP/LOC mentions of `doc`, each with its canonical article-wide name."""
    text = doc_text(doc)
    mentions = _spacy_mentions(doc)
    names = [canonical_name(text[m.start:m.end]) for m in mentions]
    types = _decide_types(names, mentions, text)
    persons = [n for n in dict.fromkeys(names) if types.get(n) == "PERSON"]
    persons = set(resolve_names(persons).values())
    mentions = sorted(mentions + _missed_surnames(doc, mentions, persons),
                      key=lambda m: m.start)
    names = [canonical_name(text[m.start:m.end]) for m in mentions]
    # Types per surface name first, so that short forms merge only with their own kind.
    types = _decide_types(names, mentions, text, _surname_keys(persons))
    kept = [(n, m) for n, m in zip(names, mentions) if types.get(n) in ENTITY_TYPES]
    order = [n for n, _ in kept]
    resolved = resolve_names(order, [types[n] for n in order])
    people = {resolved[n] for n in order if types[n] == "PERSON"}
    full_names = [_fit_title(resolved[n], n, _title_before(text, m), people) if types[n] == "PERSON"
                  else resolved[n] for n, m in kept]
    final_types = _decide_types(full_names, [m for _, m in kept], text)
    spans = []
    for full, (_, m) in zip(full_names, kept):
        label = final_types.get(full)
        if label not in ENTITY_TYPES:
            continue
        spans.append(Entity(m.start, m.end, label, 1.0, name=full, entity_id=full.lower()))
    return spans


def name_at(entities: list[Entity], start: int, end: int) -> str | None:
    """Canonical name of the entity mention overlapping [start, end) the most, or None."""
    best, best_overlap = None, 0
    for entity in entities:
        overlap = min(end, entity.end) - max(start, entity.start)
        if overlap > best_overlap:
            best, best_overlap = entity.name or None, overlap
    return best


__all__ = ["ENTITY_TYPES", "canonical_name", "entity_spans", "name_at", "resolve_names"]

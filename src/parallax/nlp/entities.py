"""Entity mentions resolved to one canonical name per person/organisation/place in an article.

Pipeline (each step a small function):
  1. take spaCy's entities, trimmed to the name itself (no "the", titles, possessive 's,
     nothing before a comma: "the council, Power" -> "Power");
  2. add mentions spaCy missed: a bare surname of a person named in full elsewhere
     ("Power said" -> "Samantha Power");
  3. give each mention a canonical name: titles stripped, aliases folded ("U.N." / "UN" ->
     "United Nations"), short forms resolved to the longest full name in the article
     ("Power" -> "Samantha Power", "Assad" -> "Bashar al-Assad"), spelling variants of
     one person merged ("Sergey Lavrov" -> "Sergei Lavrov"), a gendered title kept to a
     person of that sex ("Mr. Clinton" is not "Hillary Clinton"): parallax.nlp.names;
  4. one type per canonical name by a vote over its mentions, with the small model's known
     misfires corrected: a title before or beside a name makes it a PERSON ("Ambassador ...,
     Samantha Power" tagged ORG); a "NORP" that is not a nationality word is a place
     ("Aleppo" tagged NORP).

Each Entity has label = type, `name` = the canonical name, `entity_id` = its lower case.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from parallax.model import ENTITY_TYPES, Entity
from parallax.nlp.gender import Gender, title_gender
from parallax.nlp.names import (ALIASES, NAME_PREFIX, POSSESSIVE, TITLE_MODIFIERS, TITLE_WORDS, canonical_name,
                                fit_title, person_words, resolve_names, title_prefix_len)
from parallax.nlp.spacy_model import doc_text

# spaCy-sm sometimes gives a real place or person one of these labels ("Aleppo" as
# WORK_OF_ART); such a mention is kept only if its name gets a wanted type elsewhere.
DOUBTFUL_TYPES = ("WORK_OF_ART", "FAC", "PRODUCT", "EVENT", "LAW")

# Endings of nationality/group words ("Syrian", "Chinese", "British", "Iraqi", "French",
# "Americans"); a NORP mention without one ("Aleppo") is a misfire for a place.
DEMONYM_ENDING = re.compile(r"(an|ans|ese|ish|i|is|ch|ic|ics|ite|ites|ers?|ern|s)$", re.I)

@dataclass
class Mention:
    start: int
    end: int
    label: str
    title_context: bool = False  # a title word precedes it or it is in apposition to one


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
        words = person_words(full)
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


def title_before(doc, start: int, end: int) -> Gender | None:
    """The sex told by a title just before the mention [start, end) ("Mr. Clinton" -> "m"),
    or None (the mention itself never holds its title: _trim_tokens takes it off)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return title_gender(doc[span.start - 1].text) if span is not None and span.start > 0 else None


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
    full_names = [fit_title(resolved[n], n, title_before(doc, m.start, m.end), people) if types[n] == "PERSON"
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

"""Person, organisation and place names: canonical forms and their resolution in an article.

    canonical_name("U.S. Ambassador Samantha Power's") -> "Samantha Power"
    resolve_names(["Samantha Power", "Power"]) -> {"Power": "Samantha Power", ...}
    fit_title("Hillary Clinton", "Clinton", "m", people) -> "Bill Clinton" (when in people)

Plain string functions (no spaCy): the entity layer (parallax.nlp.entities) applies them
to the mentions spaCy finds.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from parallax.nlp.gender import Gender, gender_of

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

# Arabic article prefixes that a short mention may drop ("Assad" for "al-Assad").
NAME_PREFIX = re.compile(r"^(al|el|ad|as|ash|at|ar)-", re.I)

# Trailing/leading characters that are not part of a name in Markdown or quotes.
NAME_PUNCT = "\"'“”‘’*_[]()#,.;: "
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


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


# Generational suffixes after a surname ("Theodore J. Boutrous Jr."): not the surname.
NAME_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())


def person_words(name: str) -> list[str]:
    """The words of a person's name without a generational suffix, so that the surname
    is the last word ("Theodore J. Boutrous Jr" -> [..., "Boutrous"])."""
    words = name.split(" ")
    while len(words) > 2 and words[-1].lower().rstrip(",") in NAME_SUFFIXES:
        words = words[:-1]
    return words


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

    A one-word name resolves to the full name containing it as first or last word
    ("Power" -> "Samantha Power", "Assad" -> "Bashar al-Assad"); when several people share
    it, to the one the article names most often, the first named among equals (the story's
    "Meadows" is Rep. Mark Meadows, not his wife Debbie Meadows); a person name spelled
    differently with the same surname resolves to the first spelling; an organisation
    named by a tail of a longer one resolves to it ("Security Council" -> "United
    Nations Security Council"). Names of different kinds (person vs place) never merge.
    """
    types = list(types) if types is not None else ["PERSON"] * len(names)
    kind_of = {n: _kind(t) for n, t in zip(names, types)}
    order = list(dict.fromkeys(names))
    index = _NameIndex(order, kind_of, Counter(names))
    resolved = {name: index.resolve(name) for name in order}
    # Follow chains ("Lavrov" -> "Sergey Lavrov" -> "Sergei Lavrov") to their end.
    return {name: resolved.get(full, full) for name, full in resolved.items()}


class _NameIndex:
    """Multi-word names indexed by (kind, first/last word), so resolving stays linear."""

    def __init__(self, order: list[str], kind_of: dict[str, str], counts: Counter) -> None:
        self.kind_of = kind_of
        self.counts = counts
        self.position = {name: i for i, name in enumerate(order)}
        self.by_edge_word: dict[tuple[str, str], list[str]] = defaultdict(list)
        for name in order:
            kind = kind_of[name]
            words = person_words(name) if kind == "PERSON" else name.split(" ")
            if len(words) > 1:
                for word in {_bare(words[0]), _bare(words[-1])}:
                    self.by_edge_word[(kind, word)].append(name)

    def _longest(self, candidates: list[str], default: str) -> str:
        """The longest candidate, the earliest among equals."""
        best = default
        for other in candidates:
            if len(other) > len(best):
                best = other
        return best

    def _most_named(self, candidates: list[str], default: str) -> str:
        """The candidate named most often, the earliest among equals (candidates are in
        article order)."""
        best = default
        for other in candidates:
            if best == default or self.counts[other] > self.counts[best]:
                best = other
        return best

    def resolve(self, name: str) -> str:
        kind = self.kind_of[name]
        words = person_words(name) if kind == "PERSON" else name.split(" ")
        if kind == "PERSON" and len(words) == 1:
            candidates = [o for o in self.by_edge_word[(kind, _bare(words[0]))]
                          if _bare(words[0]) in (_bare(person_words(o)[0]), _bare(person_words(o)[-1]))]
            return self._most_named(candidates, name)
        if kind == "PERSON":
            # Earlier spelling of the same person wins ("Sergey Lavrov" -> "Sergei Lavrov").
            for other in self.by_edge_word[(kind, _bare(words[-1]))]:
                other_words = person_words(other)
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


def fit_title(full: str, name: str, title: Gender | None, people: set[str]) -> str:
    """`full`, unless the mention's title contradicts its first name ("Mr. Clinton" is not
    "Hillary Clinton"): then the article's person of that sex with the same surname, or
    the short name itself."""
    if title is None or full == name or gender_of(full) in (None, title):
        return full
    surname = full.split(" ")[-1]
    fits = sorted(p for p in people if p.split(" ")[-1] == surname and gender_of(p) == title)
    return max(fits, key=len) if fits else name


__all__ = ["ALIASES", "NAME_PREFIX", "POSSESSIVE", "TITLE_MODIFIERS", "TITLE_WORDS", "canonical_name",
           "fit_title", "resolve_names", "title_prefix_len"]

"""Comparable units of an article (quotes, sentences) and their text features.

A `Unit` is a span of one article plus what alignment needs to compare it with a
unit of another article: normalised text, content-word stems, the canonical names of
the entities inside it, its numbers, and (for quotes) the speaker.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from parallax.model import PERSON_TYPES, QUOTE_UNIT, SENTENCE_UNIT, Analysis, Quantity, Span, Speaker, UnitKind

# Function words carry no content for overlap scores (a short list: the content that
# matters in news sentences is names, nouns and verbs).
STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from into onto about as than then that
this these those there here is are was were be been being am has have had do does did
done will would shall should can could may might must not no nor so too very also just
it its it's they them their theirs he him his she her hers we us our ours you your i me
my who whom whose which what when where why how all any both each few more most other
some such only own same again further once out up down over under off s t
said says told say tell
""".split())

_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def normalise(text: str) -> str:
    """Lower case, curly quotes folded, hyphenated words joined, punctuation dropped.

    "Counter-terrorism," -> "counterterrorism"; "hospitals, and" -> "hospitals and".
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_CHARS).lower()
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", "", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)  # editorial insertions "[outside Aleppo]"
    return " ".join(_WORD.findall(text.replace("'s ", " ")))


def stem(word: str) -> str:
    """A light suffix stripper: enough to match "bombing"/"bombed"/"bombs"."""
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ied", "y"), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)] + repl
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "stopped" -> "stopp" -> "stop"
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # "collapse" and "collapsed" -> "collaps"
    return word


def content_stems(text: str) -> frozenset[str]:
    """Stems of the content words of `text`."""
    return frozenset(stem(w) for w in normalise(text).split() if w not in STOPWORDS and len(w) > 1)


def masked(analysis: Analysis, start: int, end: int) -> str:
    """text[start:end] with entity mentions blanked: names are compared as entities, so
    their words ("United", "States") must not count twice as content words."""
    chars = list(analysis.text[start:end])
    for entity in _inside(analysis.entities, start, end):
        chars[entity.start - start:entity.end - start] = " " * (entity.end - entity.start)
    return "".join(chars)


def words(text: str) -> list[str]:
    return normalise(text).split()


@dataclass
class Unit:
    """A span of one article with the features alignment compares."""

    article: int
    kind: UnitKind
    span: Span
    text: str
    norm: str
    stems: frozenset[str]
    entities: frozenset[str] = frozenset()
    numbers: tuple[Quantity, ...] = ()
    speaker: str | None = None
    speaker_is_person: bool = False
    context: str = ""  # the sentence around a quote
    vector_row: int = -1
    # derived once in __post_init__: quote matching compares every pair of quotes
    tokens: list[str] = field(init=False, repr=False)
    word_set: frozenset[str] = field(init=False, repr=False)
    speaker_words: list[str] = field(init=False, repr=False)
    text_stems: frozenset[str] = field(init=False, repr=False)  # names included, unlike `stems`
    context_stems: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.tokens = self.norm.split()
        self.word_set = frozenset(self.tokens)
        self.speaker_words = words(self.speaker) if self.speaker else []
        self.text_stems = content_stems(self.text)
        self.context_stems = content_stems(self.context) if self.context else frozenset()

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end


def _inside(spans: list[Span], start: int, end: int) -> list[Span]:
    return [s for s in spans if s.start >= start and s.end <= end]


def _entity_names(analysis: Analysis, start: int, end: int) -> frozenset[str]:
    return frozenset(e.name or analysis.snippet(e) for e in _inside(analysis.entities, start, end))


def _numbers(analysis: Analysis, start: int, end: int) -> tuple[Quantity, ...]:
    found: list[Quantity] = []
    for claim in analysis.claims:
        if claim.start < end and start < claim.end:
            found += [q for q in claim.quantities if start <= q.start and q.end <= end]
    return tuple(found)


def sentence_of(analysis: Analysis, start: int, end: int) -> Span:
    """The sentence containing [start, end), or a span of the range itself."""
    for sentence in analysis.sentences:
        if sentence.start <= start < sentence.end:
            return Span(sentence.start, max(sentence.end, end))
    return Span(start, end)


def _speaker_is_person(analysis: Analysis, speaker: Speaker) -> bool:
    for entity in analysis.entities:
        if entity.start < speaker.end and speaker.start < entity.end:
            return entity.label in PERSON_TYPES
    return False


def quote_units(analysis: Analysis, article: int) -> list[Unit]:
    units = []
    for quote in analysis.quotes:
        text = analysis.snippet(quote)
        context = sentence_of(analysis, quote.start, quote.end)
        units.append(Unit(
            article, QUOTE_UNIT, quote, text, normalise(text),
            content_stems(masked(analysis, quote.start, quote.end)),
            _entity_names(analysis, quote.start, quote.end), _numbers(analysis, quote.start, quote.end),
            quote.speaker_name,
            _speaker_is_person(analysis, quote.speaker) if quote.speaker_name else False,
            analysis.snippet(context),
        ))
    return units


def sentence_units(analysis: Analysis, article: int) -> list[Unit]:
    units = []
    for sentence in analysis.sentences:
        text = analysis.snippet(sentence)
        if not normalise(text):
            continue
        units.append(Unit(
            article, SENTENCE_UNIT, sentence, text, normalise(text),
            content_stems(masked(analysis, sentence.start, sentence.end)),
            _entity_names(analysis, sentence.start, sentence.end),
            _numbers(analysis, sentence.start, sentence.end),
        ))
    return units


def same_speaker(a: Unit, b: Unit) -> bool | None:
    """True: same person; False: two different people; None: unknown or not comparable.

    Names are canonical within an article, but one outlet may write "Power" and another
    "Samantha Power", so a shared last name counts as the same person.
    """
    if not a.speaker or not b.speaker:
        return None
    name_a, name_b = a.speaker_words, b.speaker_words
    if name_a == name_b or (name_a and name_b and name_a[-1] == name_b[-1]):
        return True
    if a.speaker_is_person and b.speaker_is_person:
        return False
    return None


# Words skipped when forming an acronym ("National Rifle Association" -> NRA,
# "Federal Bureau of Investigation" -> FBI).
ACRONYM_SKIP = frozenset({"of", "the", "for", "and", "on", "in", "to"})


def _acronym(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", name) if w.lower() not in ACRONYM_SKIP).lower()


def entity_aliases(names: set[str]) -> dict[str, str]:
    """One name per entity across articles, which resolve names only within themselves:
    "N.R.A" / "NRA" -> "National Rifle Association"; "Power" -> "Samantha Power" when
    exactly one full name ends with it."""
    full = sorted(n for n in names if len(n.split()) > 1)
    aliases: dict[str, str] = {}
    for name in names:
        if len(name.split()) != 1:
            continue
        bare = name.replace(".", "")
        if bare.isupper() and 2 <= len(bare) <= 6:
            matches = [n for n in full if _acronym(n) == bare.lower()]
        else:
            matches = [n for n in full if n.split()[-1] == name]
        if len(matches) == 1:
            aliases[name] = matches[0]
    return aliases


def unify_entities(units: list[Unit], aliases: dict[str, str]) -> None:
    """Replace each unit's entity names by their cross-article alias."""
    for unit in units:
        unit.entities = frozenset(aliases.get(name, name) for name in unit.entities)

"""A cheap English check for ingest: is this record worth the English-only models?

Every analysis model of Parallax (spaCy's en_core_web_sm, MiniLM, the technique detector)
is English-only, so a corpus's non-English records are counted and skipped at ingest.
The check must cost next to nothing beside the encoder (about 0.2 ms an article here), so it
counts function words instead of running a language model:

  1. A text mostly in another script (Cyrillic, CJK, Arabic, ...) is not English.
  2. Of its first MAX_WORDS Latin-script words, the share that are English function
     words ("the", "of", "and", ...) is its English share. Running English prose has
     0.2-0.5 of them; a text of MIN_WORDS or more under ENGLISH_MIN is not English.
  3. A text whose words are clearly more often the function words of one of ten other
     European languages than English ones is not English; this catches short texts,
     where rule 2 cannot tell a headline from a foreign sentence.

Anything else counts as English: a short headline with no function words at all ("Jim
O'Brien fired, Cheeks named coach") is given the benefit of the doubt.
Measured (tests/test_corpus_ingest.py and the shares below): every article of BASIL,
ECB+ and PTC (1,104) passes; the French, Spanish, German, Italian, Portuguese, Dutch,
Swedish, Polish, Turkish, Indonesian, Russian, Chinese and Arabic news paragraphs of
the tests are all caught, short single sentences of French, Spanish and German too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Words read: the first paragraphs say what language an article is in, and the cost
# stays flat for a 100 KB text.
MAX_WORDS = 400
# Characters scanned for the script check and the words: about MAX_WORDS words of prose.
MAX_CHARS = 2500
# Below this share of Latin letters among all letters the text is in another script.
# (English with a quoted name in Cyrillic or a few Chinese characters stays far above it.)
LATIN_MIN = 0.5
# Running English has 0.2-0.5 function words (BASIL, ECB+ and PTC: lowest 0.12, a
# 33-word wire item of names and places); the French, German, Polish ... paragraphs of the
# tests have at most 0.02 English ones. 0.08 sits between with room on both sides.
ENGLISH_MIN = 0.08
# Rule 2 needs this many words: a headline or a caption may have no function words at all.
MIN_WORDS = 40
# Rule 3: another language's function words must be at least this share of the words,
# this many of them, and more than twice the English share ("Le Pen wins" has one
# French word; a French sentence has five in fifteen).
FOREIGN_MIN = 0.15
FOREIGN_MIN_HITS = 3
FOREIGN_OVER_ENGLISH = 2.0

# English function words, leaving out those that are as common in a neighbouring
# language ("in", "is", "an", "die", "no", "a", "I"): they would blur the line.
ENGLISH = frozenset("""
the of and to that for with was as be by at this are from has have had he she they his her
their its not but which were been will would who what there when we you said after about
also than more can could all into out up over other some two first them our if only so
it these those how where why being do does did should may must such any each most just
""".split())

# The commonest function words of other languages that news corpora mix in, minus
# any that are also English words.
OTHERS: dict[str, frozenset[str]] = {name: frozenset(words.split()) - ENGLISH for name, words in {
    "fr": "le la les de des du et est une un en que qui dans pour pas sur au aux par plus ce cette il "
          "elle ont sont été ses leur mais son sa avec selon",
    "es": "el la los las de del y en que un una por con para se es al lo como más pero sus le ha "
          "según este esta han",
    "de": "der die das und ist nicht zu den von mit sich des auf für im dem ein eine als auch es "
          "werden aus er hat dass sie nach wird bei um zum zur",
    "it": "il di che la e un una per non con del della sono le gli si da al nel alla anche ma ha "
          "dei come ieri",
    "pt": "o os as de do da dos das e que em um uma para com não no na por se mais ao pelo pela",
    "nl": "de het een en van dat op te zijn met voor niet aan er ook als bij door naar om worden "
          "wordt heeft",
    "sv": "och att det som en på är av för med till den har de inte om ett men kommer",
    "pl": "i w z na się nie do to że jest o jak po co ale od za przez który",
    "tr": "bir ve bu da de için ile olarak çok daha gibi olan ama göre",
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke adalah oleh para",
}.items()}

# Each function word -> the other languages it belongs to (one lookup a word, not ten).
_OTHER_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _name, _words in OTHERS.items():
    for _word in _words:
        _OTHER_LANGUAGES[_word] = (*_OTHER_LANGUAGES.get(_word, ()), _name)

_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F'’]+")
# A letter of any other script (few in English text, so counting them is cheap).
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F]")


@dataclass(frozen=True)
class LanguageCheck:
    """The outcome of `check_language`: `english`, and why (shares of the words read)."""

    english: bool
    english_share: float  # English function words / words read
    other: str = ""  # the other language whose function words were most frequent
    other_share: float = 0.0
    reason: str = ""  # why not English ("" when English)


def check_language(text: str) -> LanguageCheck:
    """Whether `text` is English, by the rules of the module docstring."""
    head = text[:MAX_CHARS]
    found = _LATIN_WORD.findall(head)
    latin = sum(map(len, found))
    foreign = len(_NON_LATIN_LETTER.findall(head))
    if foreign and latin < LATIN_MIN * (latin + foreign):
        return LanguageCheck(False, 0.0, reason=f"mostly non-Latin script ({latin / (latin + foreign):.0%} "
                                                "Latin letters)")
    words = [word.lower().strip("'’") for word in found[:MAX_WORDS]]
    if not words:
        return LanguageCheck(True, 0.0)
    english = sum(word in ENGLISH for word in words) / len(words)
    other, hits = _likeliest_other(words)
    other_share = hits / len(words)
    if len(words) >= MIN_WORDS and english < ENGLISH_MIN:
        return LanguageCheck(False, english, other, other_share,
                             f"English function words are {english:.0%} of the words; English text has "
                             f"over {ENGLISH_MIN:.0%}")
    if hits >= FOREIGN_MIN_HITS and other_share >= FOREIGN_MIN and other_share > FOREIGN_OVER_ENGLISH * english:
        return LanguageCheck(False, english, other, other_share,
                             f"{other_share:.0%} of the words are function words of '{other}', "
                             f"{english:.0%} English ones")
    return LanguageCheck(True, english, other, other_share)


def is_english(text: str) -> bool:
    return check_language(text).english


def _likeliest_other(words: list[str]) -> tuple[str, int]:
    """The other language with the most function words among `words`, and their count."""
    counts = dict.fromkeys(OTHERS, 0)
    for word in words:
        for name in _OTHER_LANGUAGES.get(word, ()):
            counts[name] += 1
    best = max(counts, key=counts.__getitem__)
    return best, counts[best]


__all__ = ["ENGLISH_MIN", "LanguageCheck", "check_language", "is_english"]

"""Word lists for framing: how an outlet introduces and qualifies what others say.

Sources and reasons:
- Neutral vs. loaded attribution verbs: the AP Stylebook ("said" is almost always the
  right verb; "claimed", "admitted", "insisted" editorialise) and Wikipedia's Manual of
  Style, "Words to watch: said" (MOS:SAID), which lists "claimed", "insisted", "noted",
  "revealed", "admitted" as verbs that imply doubt, truth or guilt.
- Hedges that cast doubt on what follows: MOS:ALLEGED ("alleged", "so-called",
  "purported", "supposed") and the doubt markers in Recasens et al. (ACL 2013,
  "Linguistic Models for Analyzing and Detecting Biased Language": factive and
  assertive verbs, hedges).
- Loaded qualifiers: evaluative words in the outlet's own voice from the same bias
  lexicons (Recasens et al. 2013 subjective intensifiers; MOS:LABEL "contentious labels"),
  limited to words that turn up in news about conflict. They are flagged, not judged:
  the reader sees the word and decides.
All entries are lower-case lemmas or fixed phrases matched on word boundaries.
"""
from __future__ import annotations

import re

from parallax.model import TONE_LOADED, TONE_NEUTRAL, TONE_UNKNOWN, Cue, CueTone, Phrase

# Attribution verbs a wire reporter uses without taking a side (AP, MOS:SAID).
NEUTRAL_CUES = frozenset("""
say tell state add explain note report write comment speak announce reply respond
according_to continue ask
""".split())

# Verbs that colour the quote: doubt ("claim", "allege"), stubbornness ("insist"), guilt
# ("admit", "concede"), hostility ("slam", "blast"), or the outlet's endorsement
# ("reveal", "point out", "warn").
LOADED_CUES = {
    "claim": "casts doubt on the statement (MOS:SAID)",
    "allege": "casts doubt on the statement (MOS:ALLEGED)",
    "insist": "implies the speaker is stubborn against the evidence (MOS:SAID)",
    "admit": "implies a confession of wrongdoing (MOS:SAID)",
    "concede": "implies a confession of wrongdoing (MOS:SAID)",
    "confess": "implies guilt",
    "assert": "presents the statement as a bare assertion",
    "charge": "frames the statement as an accusation",
    "accuse": "frames the statement as an accusation",
    "proclaim": "presents the statement as grandstanding",
    "boast": "presents the speaker as self-satisfied",
    "brag": "presents the speaker as self-satisfied",
    "rant": "dismisses the speaker as irrational",
    "slam": "dramatises the statement as an attack",
    "blast": "dramatises the statement as an attack",
    "lash": "dramatises the statement as an attack",
    "denounce": "dramatises the statement as an attack",
    "reveal": "endorses the statement as a disclosed truth (MOS:SAID)",
    "point_out": "endorses the statement as true (MOS:SAID)",
    "warn": "endorses the danger the speaker describes",
    "concede_that": "implies a confession of wrongdoing",
    "declare": "presents the statement as a pronouncement",
    "demand": "presents the speaker as imperious",
}

# Hedges and doubt markers near a quote, in the outlet's own words.
HEDGES = (
    "alleged", "allegedly", "allegation", "allegations", "so-called", "purported",
    "purportedly", "supposed", "supposedly", "reportedly", "unsubstantiated",
    "unverified", "unconfirmed", "unproven", "claimed", "claims", "presumably",
    "apparently", "without evidence", "without any hard evidence", "dubious",
)

# Evaluative words in the outlet's own voice (outside quotation marks).
LOADED_TERMS = (
    "regime", "barbaric", "barbarism", "propaganda", "provocatively", "provocative",
    "hypocritical", "reckless", "aggressive", "fraudulent", "lying", "lies",
    "demonize", "demonization", "demonise", "incendiary", "vile", "slammed", "war drums",
    "in tatters", "hell", "thug", "thugs", "terrorist regime", "puppet", "warmonger",
    "warmongering", "handwringing", "brutal", "atrocity", "atrocities", "massacre",
    "so-called", "mouthpiece", "corporate-controlled", "regime-change", "imperialist",
    "stark", "doomed", "slaughter", "butcher", "heinous", "outrageous", "shameful",
    "transparent aim", "pretext",
)


def _pattern(words: tuple[str, ...] | frozenset[str]) -> re.Pattern:
    alternatives = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


HEDGE_RE = _pattern(HEDGES)
LOADED_RE = _pattern(LOADED_TERMS)


def cue_lemma(cue: Cue | None) -> str:
    """Lemma of a cue verb (the parser's, else a crude de-inflection of its first word)."""
    if cue is None:
        return ""
    lemma = cue.lemma.lower().strip()
    if lemma:
        return lemma.replace(" ", "_")
    word = cue.text.lower().strip().split(" ")[0]
    irregular = {"said": "say", "says": "say", "told": "tell", "tells": "tell",
                 "wrote": "write", "spoke": "speak"}
    if word in irregular:
        return irregular[word]
    known = NEUTRAL_CUES | set(LOADED_CUES)
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and word[:-len(suffix)] + repl in known:
            return word[:-len(suffix)] + repl
    for suffix in ("ed", "d", "s"):
        if word.endswith(suffix) and word[:-len(suffix)] in known:
            return word[:-len(suffix)]
    return word


def cue_tone(cue: Cue | None) -> CueTone:
    """Whether a quote's cue verb is neutral, loaded, or unknown (no cue, or not listed)."""
    lemma = cue_lemma(cue)
    if lemma in LOADED_CUES:
        return TONE_LOADED
    if lemma in NEUTRAL_CUES:
        return TONE_NEUTRAL
    return TONE_UNKNOWN


def cue_note(cue: Cue | None) -> str | None:
    """Why a cue verb is loaded ("casts doubt on the statement"), or None when it is not."""
    return LOADED_CUES.get(cue_lemma(cue))


def find_terms(pattern: re.Pattern, text: str, start: int, end: int) -> list[Phrase]:
    """Each match of `pattern` in text[start:end]."""
    return [Phrase(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text, start, end)]

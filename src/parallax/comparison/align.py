"""Alignment: which quotes and sentences of two articles report the same thing.

Quotes are matched on their words (after normalising spelling and punctuation), with
containment for partial quotes and the speaker as a veto. Sentences are matched on a
blend of embedding cosine (meaning) and IDF-weighted overlap of content words and
entity names (specifics), one-to-one, best pairs first.
"""
from __future__ import annotations

import math
from collections import Counter
from difflib import SequenceMatcher
from itertools import combinations

import numpy as np

from parallax.comparison.units import STOPWORDS, Unit, same_speaker
from parallax.model import RELATED, SAME_FACT, SAME_QUOTE, SCARE, Evidence, Link, Ref, Relation, UnitKind

# --- quotes -------------------------------------------------------------------------
# Character similarity of normalised quote texts above which two quotes are one quote
# with small wording changes (seeds: "hospitals and" vs "hospitals, and" -> 0.99; two
# different quotes of one speaker stay below 0.5).
SAME_QUOTE_RATIO = 0.85
# A run of this many identical words means both outlets quote the same passage, even
# when one quotes more of it (shorter runs occur in boilerplate phrases).
SAME_QUOTE_RUN = 8
# A short quote contained in a longer one is the same quote when it has this many
# words; shorter fragments ("barbarism") also need support from their sentence.
CONTAINED_MIN_WORDS = 3
# Content words that the short quote's sentence must share with the long quote when
# the fragment itself is shorter than CONTAINED_MIN_WORDS.
CONTEXT_MIN_SHARED = 2
# Words of the long quote a subsequence match may skip per word of the short quote
# ("almost impossible" in "almost an impossible task").
SUBSEQUENCE_SLACK = 2
# A subsequence match needs this many content words: one shared word ("dropped") is
# a coincidence, two in order ("almost ... impossible") are a paraphrased quote.
SUBSEQUENCE_MIN_WORDS = 2
# Cosine above which two quotes of one speaker say the same in other words.
QUOTE_PARAPHRASE_COSINE = 0.8

# --- sentences ----------------------------------------------------------------------
# Sentence score = weighted sum of three kinds of evidence, each in 0..1:
# meaning (embedding cosine), participants (shared entity names), wording (shared
# content words). Meaning alone cannot decide: in two articles on one story any two
# sentences have a cosine near 0.55, so the specifics (who, and in which words) must
# agree too.
WEIGHT_COSINE = 0.5
WEIGHT_ENTITIES = 0.3
WEIGHT_WORDS = 0.2
# Participant evidence is complete when the shared names weigh as much as this many
# names found in a single sentence (IDF log(1+N), N sentences): e.g. "United States,
# Britain and France" (two fairly rare names and a common one) in the seeds, while a
# lone shared ubiquitous name ("Russia") counts for about a sixth of it.
ENTITY_SATURATION_NAMES = 1.5
# Score at which two sentences state the same fact. Seeds: the walkout and the meeting
# request ~0.63, the two leads (US condemns Russia at the UN) 0.51, two different
# Lavrov interviews 0.496. BASIL (NRA school-safety triplet): the two leads on the NRA's
# call for armed officers 0.54, LaPierre's December call in both 0.50. Pairs scoring
# higher than a true pair are taken first by one-to-one matching ("Russia holds a
# permanent seat" 0.49 loses the meeting sentence to the request, 0.63).
SAME_FACT_SCORE = 0.5
# Score at which a sentence left unmatched is still linked as topically related.
RELATED_SCORE = 0.44


def _ratio(a: str, b: str) -> float:
    """Character similarity; below SAME_QUOTE_RATIO only a cheap upper bound of it."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SAME_QUOTE_RATIO or matcher.quick_ratio() < SAME_QUOTE_RATIO:
        return matcher.quick_ratio()  # already below the bar: skip the quadratic part
    return matcher.ratio()


def _longest_run(a: list[str], b: list[str]) -> int:
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size


def _contains(long: list[str], short: list[str]) -> bool:
    n = len(short)
    return n > 0 and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def _subsequence(long: list[str], short: list[str]) -> bool:
    """Content words of `short` appear in order in `long`, with little in between."""
    content = [w for w in short if w not in STOPWORDS]
    if len(content) < SUBSEQUENCE_MIN_WORDS:
        return False
    for first in (i for i, w in enumerate(long) if w == content[0]):
        pos, ok = first, True
        for word in content[1:]:
            window = long[pos + 1:pos + 2 + SUBSEQUENCE_SLACK]
            if word not in window:
                ok = False
                break
            pos = pos + 1 + window.index(word)
        if ok:
            return True
    return False


def lexical(a: Unit, b: Unit) -> float:
    """Share of the smaller unit's content words that the other has too."""
    return len(a.stems & b.stems) / max(1, min(len(a.stems), len(b.stems)))


def _shared_numbers(a: Unit, b: Unit) -> list[str]:
    """Figures both units give: the same range of the same thing."""
    return [qa.text for qa in a.numbers for qb in b.numbers
            if (qa.unit, qa.low, qa.high) == (qb.unit, qb.low, qb.high)]


def evidence(a: Unit, b: Unit, cosine: float, unit: UnitKind, ratio: float | None = None) -> Evidence:
    return Evidence(cosine=round(float(cosine), 3), lexical=round(lexical(a, b), 3),
                    entities=sorted(a.entities & b.entities), speaker=same_speaker(a, b),
                    numbers=_shared_numbers(a, b), text_a=a.text, text_b=b.text, unit=unit, ratio=ratio)


def make_link(relation: Relation, a: Unit, b: Unit, score: float, ev: Evidence) -> Link:
    return Link(relation, Ref(a.article, a.start, a.end, a.text), Ref(b.article, b.start, b.end, b.text),
                round(min(1.0, max(0.0, float(score))), 3), ev)


# ------------------------------------------------------------------------ quotes

def quote_relation(a: Unit, b: Unit, cosine: float) -> tuple[Relation, float] | None:
    """(relation, score) of two quotes from different articles, or None."""
    speaker = same_speaker(a, b)
    words_a, words_b = a.tokens, b.tokens
    shared_words = len(a.word_set & b.word_set)
    if not shared_words or (speaker is not True and not (a.stems & b.stems)):
        return None  # every relation below needs a shared content word, or one speaker
    ratio = _ratio(a.norm, b.norm)
    # a run of N words shares at least N/2 distinct words (unless it is one word repeated):
    # skip the costly search otherwise
    run = _longest_run(words_a, words_b) if shared_words >= SAME_QUOTE_RUN // 2 else 0
    if speaker is not False and (ratio >= SAME_QUOTE_RATIO or run >= SAME_QUOTE_RUN):
        return SAME_QUOTE, max(ratio, cosine, run / min(len(words_a), len(words_b)))
    short, long, short_unit, long_unit = (words_a, words_b, a, b) if len(words_a) <= len(words_b) else (words_b, words_a, b, a)
    coverage = len(short) / len(long)
    if _contains(long, short):
        supported = (speaker is True or len(short) >= CONTAINED_MIN_WORDS
                     or len(_context_support(short_unit, long_unit)) >= CONTEXT_MIN_SHARED)
        if speaker is not False and supported:
            return SAME_QUOTE, max(0.8, cosine, 0.8 + 0.2 * coverage)
        if len(short) >= 2:  # one common word ("important") inside a quote is no evidence
            return RELATED, 0.5 + 0.3 * coverage
    if _subsequence(long, short):
        return (SAME_FACT if speaker is not False else RELATED), max(0.6, cosine)
    if speaker is True and cosine >= QUOTE_PARAPHRASE_COSINE:
        return SAME_FACT, cosine
    return None


def _context_support(short: Unit, long: Unit) -> frozenset[str]:
    """Words (names included) around the short quote that the long quote also has:
    '"barbarism," not counter-terrorism' echoes '...not counterterrorism, it is barbarism'."""
    return (short.context_stems - short.text_stems) & long.text_stems


def quotes_needing_vectors(quotes: list[list[Unit]]) -> list[Unit]:
    """Quotes whose cosine matters: those with a lexical match in another article (for
    the link's evidence) and those whose speaker another article quotes (paraphrase)."""
    needed: dict[int, Unit] = {}
    for i, j in combinations(range(len(quotes)), 2):
        for a in quotes[i]:
            for b in quotes[j]:
                if a.span.label == SCARE or b.span.label == SCARE:
                    continue
                if same_speaker(a, b) is True or quote_relation(a, b, 0.0):
                    needed[id(a)], needed[id(b)] = a, b
    return list(needed.values())


def quote_links(qa: list[Unit], qb: list[Unit], cos: np.ndarray) -> list[Link]:
    links = []
    for i, a in enumerate(qa):
        for j, b in enumerate(qb):
            if a.span.label == SCARE or b.span.label == SCARE:
                continue  # scare quotes are the outlet's framing, not anybody's speech
            found = quote_relation(a, b, float(cos[i, j]))
            if found:
                relation, score = found
                exact = SequenceMatcher(None, a.norm, b.norm, autojunk=False).ratio()
                links.append(make_link(relation, a, b, score, evidence(
                    a, b, cos[i, j], a.kind, ratio=round(exact, 3))))
    return links


# --------------------------------------------------------------------- sentences

def idf_table(units: list[Unit]) -> dict[str, float]:
    """Inverse document frequency of each content stem / entity over all sentences."""
    df = Counter(token for unit in units for token in bag(unit))
    return {token: math.log((1 + len(units)) / count) for token, count in df.items()}


def _entity_tokens(unit: Unit) -> set[str]:
    return {"entity:" + name for name in unit.entities}


def bag(unit: Unit) -> set[str]:
    return set(unit.stems) | _entity_tokens(unit)


def idf_overlap(a: Unit, b: Unit, idf: dict[str, float]) -> float:
    """Cosine of the IDF-weighted bags of content stems."""
    shared = sum(idf.get(t, 0.0) ** 2 for t in a.stems & b.stems)
    norm = math.sqrt(sum(idf.get(t, 0.0) ** 2 for t in a.stems) * sum(idf.get(t, 0.0) ** 2 for t in b.stems))
    return shared / norm if norm else 0.0


def entity_evidence(a: Unit, b: Unit, idf: dict[str, float], rarest: float) -> float:
    """Summed IDF of the shared entity names, saturating at ENTITY_SATURATION_NAMES
    names of the highest IDF (`rarest`)."""
    shared = _entity_tokens(a) & _entity_tokens(b)
    if not shared or rarest <= 0:
        return 0.0
    return min(1.0, sum(idf.get(t, 0.0) for t in shared) / (ENTITY_SATURATION_NAMES * rarest))


def sentence_score(a: Unit, b: Unit, cosine: float, idf: dict[str, float], rarest: float | None = None) -> float:
    rarest = max(idf.values(), default=0.0) if rarest is None else rarest
    return (WEIGHT_COSINE * cosine + WEIGHT_ENTITIES * entity_evidence(a, b, idf, rarest)
            + WEIGHT_WORDS * idf_overlap(a, b, idf))


def sentence_scores(sa: list[Unit], sb: list[Unit], cos: np.ndarray, idf: dict[str, float]) -> np.ndarray:
    rarest = max(idf.values(), default=0.0)
    scores = WEIGHT_COSINE * cos.astype(float)
    for i, a in enumerate(sa):
        for j, b in enumerate(sb):
            if (a.stems & b.stems) or (a.entities & b.entities):  # else only the cosine counts
                scores[i, j] = sentence_score(a, b, float(cos[i, j]), idf, rarest)
    return scores


def sentence_links(sa: list[Unit], sb: list[Unit], cos: np.ndarray, idf: dict[str, float],
                   quote_pairs: list[Link]) -> list[Link]:
    """One-to-one same_fact links, then related links for the rest. Pairs are taken best
    first, so a pair that is each other's best match (mutual best) always wins; a sentence
    whose best partner is taken falls back to its next best."""
    scores = sentence_scores(sa, sb, cos, idf)
    already = [(l.a, l.b) for l in quote_pairs if l.relation in (SAME_QUOTE, SAME_FACT)]
    links: list[Link] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    order = sorted(((scores[i, j], i, j) for i in range(len(sa)) for j in range(len(sb))), reverse=True)
    # Best first: every same_fact pair is taken before any related one.
    for score, i, j in order:
        if score < RELATED_SCORE:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        if _quote_linked(sa[i], sb[j], already):
            continue  # the quote link already says these sentences carry the same words
        relation = SAME_FACT if score >= SAME_FACT_SCORE else RELATED
        links.append(make_link(relation, sa[i], sb[j], score, evidence(sa[i], sb[j], cos[i, j], sa[i].kind)))
    return links


def _quote_linked(a: Unit, b: Unit, pairs: list[tuple[Ref, Ref]]) -> bool:
    """Both sentences overlap the two ends of one quote link (a quote may span sentences)."""
    return any(ra.start < a.end and a.start < ra.end and rb.start < b.end and b.start < rb.end
               for ra, rb in pairs)


# ----------------------------------------------------------------------- all pairs

def align(quotes: list[list[Unit]], sentences: list[list[Unit]], vectors: np.ndarray) -> list[Link]:
    """Links between every pair of articles. `vectors` holds one row per unit
    (`Unit.vector_row`), unit-normalised."""
    idf = idf_table([u for per_article in sentences for u in per_article])
    links: list[Link] = []
    for i, j in combinations(range(len(sentences)), 2):
        q_cos = _cosines(quotes[i], quotes[j], vectors)
        found = quote_links(quotes[i], quotes[j], q_cos)
        links += found
        s_cos = _cosines(sentences[i], sentences[j], vectors)
        links += sentence_links(sentences[i], sentences[j], s_cos, idf, found)
    return links


def _cosines(a: list[Unit], b: list[Unit], vectors: np.ndarray) -> np.ndarray:
    """Cosines of units' vectors; 0 for a unit that was not encoded (vector_row -1)."""
    if not a or not b:
        return np.zeros((len(a), len(b)))
    rows_a = np.array([u.vector_row for u in a])
    rows_b = np.array([u.vector_row for u in b])
    cos = vectors[np.maximum(rows_a, 0)] @ vectors[np.maximum(rows_b, 0)].T
    cos[rows_a < 0, :] = 0.0
    cos[:, rows_b < 0] = 0.0
    return cos

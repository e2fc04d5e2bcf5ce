"""Story signatures: the cheap per-article features that story grouping needs.

A `StorySignature` is computed once per article at ingest (the cheap tier) and is plain
data, so the store can persist it and the grouper can be re-run or extended without the
text:
  - `vector`: a unit sentence vector of the title and lead (one batched encoder call);
  - `entities`: named-entity keys from a capitalised-phrase heuristic (no spaCy parse: a
    full parse costs ~20 ms per article, five times the whole budget), with counts;
  - `terms`: the article's most frequent content words and numbers, with counts;
  - `lead_terms`: the content words of the title and lead (what happened, to whom);
  - `numbers`: the figures of the text (dates, amounts, ages, scores): two stories on the
    same people rarely share their numbers.

The grouper weighs entities and terms by inverse document frequency, which it keeps
itself, online, so the signature holds raw counts only.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from parallax.model import Article

# Words of title + lead that are encoded: about the headline and the first sentence. The
# encoder's cost grows with its input; 30 words (~40 word pieces) keep it near 100
# articles/s on 2 busy cores (twice as fast as 60 words), and on ECB+ a longer lead did not
# group better (BCubed F1 0.902 at 30 words, 0.900 at 60; BASIL gained 0.01 from 60).
LEAD_WORDS = 30

# Title + lead vectors come from the int8 twin of the encoder: it encodes ~1.7x faster (the
# encoder is half of the cheap tier's cost) and its vectors stay within cosine 0.99 of
# float32's, which moves the grouping's similarities far less than its thresholds' margins
# (bench/stories_ecbplus.py and bench/stories_basil.py measure the grouping with it).
SIGNATURE_INT8 = True

# Terms kept per article: the most frequent content words. 150 covers every distinct
# content word of a typical 500-word article while bounding a long one's signature.
MAX_TERMS = 150

# Entity keys and figures kept per article (most mentioned first).
MAX_ENTITIES = 40
MAX_NUMBERS = 40

# Only this much of a very long text is scanned: the story is told in its first pages,
# and the scan stays well under a millisecond.
MAX_SCAN_CHARS = 20_000

# A line is a title-case headline ("Lindsay Lohan Checks Into Betty Ford Center") when this
# share of its words is capitalised; capitalisation there says nothing about names.
TITLE_CASE_SHARE = 0.7

# English function words plus news boilerplate ("said", "told"), left out of terms and
# dropped from the front of a capitalised phrase at a sentence start ("The", "After").
STOPWORDS = frozenset("""
a about above after again against all almost also although am among an and another any
are around as at back be became because been before being below between both but by can
could did do does doing done down during each either else even ever every few for from
further had has have having he her here hers herself him himself his how however i if in
into is it its itself just last least less like made make many may me might more most much
must my myself near neither never new next no nor not now of off often on once one only
onto or other others our ours ourselves out over own per perhaps put rather same say says
said see seen several she should since so some still such than that the their theirs them
themselves then there these they this those though through thus to too toward towards
under until up upon very via was we well were what whatever when where whether which
while who whom whose why will with within without would yet you your yours yourself
told tells according just year years week day today yesterday tomorrow time mr mrs ms
""".split())

# Calendar words are capitalised but name no entity.
CALENDAR_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december jan feb mar apr jun jul aug sep sept
oct nov dec
""".split())

# Words trimmed from the ends of a capitalised phrase ("The", "On Tuesday").
TRIM_WORDS = STOPWORDS | CALENDAR_WORDS

# A capitalised word (initial capital or an acronym such as "U.S." or "IBF").
_CAP = r"[A-Z][\w'’&.-]*"
# Lower-case words that sit inside a name ("Bank of America", "Charles de Gaulle").
_CONNECTOR = r"(?:of the|of|de|da|del|la|le|van|von|der|bin|al)"
CAPITAL_PHRASE = re.compile(rf"{_CAP}(?:(?:\s+{_CONNECTOR})?\s+{_CAP})*")
# Characters after which a capitalised word starts a sentence (or a quote, or a clause).
SENTENCE_BREAKS = frozenset(".!?:;\"“”'‘’`(-–—")
WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# A figure: "2008", "5.6", "1,200"; one-digit ones ("5 hurt") are too common to count.
NUMBER = re.compile(r"\d[\d,.]*\d")
POSSESSIVE = re.compile(r"['’]s$")


@dataclass
class StorySignature:
    """What story grouping knows about one article; every field is plain data."""

    article_id: str
    outlet: str
    published: str | None  # ISO date or date-time as ingested; None when unknown
    title: str
    vector: np.ndarray  # float32, unit length: title + lead
    entities: dict[str, int]  # entity key ("tara reid", "reid") -> mentions
    terms: dict[str, int]  # content word or number -> occurrences
    lead_terms: dict[str, int]  # the same, of the title + lead only
    numbers: dict[str, int]  # figure ("2008", "5.6", "1200") -> occurrences

    def as_dict(self) -> dict[str, Any]:
        """Plain data for storage (the vector stays a float32 array)."""
        return {"article_id": self.article_id, "outlet": self.outlet,
                "published": self.published, "title": self.title,
                "vector": np.asarray(self.vector, dtype=np.float32),
                "entities": dict(self.entities), "terms": dict(self.terms),
                "lead_terms": dict(self.lead_terms), "numbers": dict(self.numbers)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StorySignature:
        return cls(article_id=data["article_id"], outlet=data.get("outlet", ""),
                   published=data.get("published"), title=data.get("title", ""),
                   vector=np.asarray(data["vector"], dtype=np.float32),
                   entities=dict(data.get("entities", {})), terms=dict(data.get("terms", {})),
                   lead_terms=dict(data.get("lead_terms", {})), numbers=dict(data.get("numbers", {})))


# --------------------------------------------------------------------- title and lead

def _body_without_title(article: Article) -> str:
    """The text after the headline when the text repeats it on its first line."""
    text = article.text.lstrip()
    first, _, rest = text.partition("\n")
    if article.title and first.strip() == article.title.strip():
        return rest
    return text


def lead_text(article: Article, words: int = LEAD_WORDS) -> str:
    """Title plus the first `words` words of the body: what the encoder reads."""
    title = article.title.strip()
    budget = max(words - len(title.split()), 0)
    lead = " ".join(_body_without_title(article)[:MAX_SCAN_CHARS].split()[:budget])
    return f"{title}\n{lead}".strip() if title else lead


# ------------------------------------------------------------------------- entities

def _is_title_case(line: str) -> bool:
    words = [w for w in line.split() if w[:1].isalpha()]
    if len(words) < 4:
        return False
    return sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


def _key(phrase: str) -> str:
    """Lower case, no possessive, no dots ("U.S." -> "us", "Reid's" -> "reid")."""
    return POSSESSIVE.sub("", phrase).replace(".", "").lower().strip("'’-&")


def _trim(words: list[str]) -> list[str]:
    """Drop function and calendar words from both ends of a phrase."""
    while words and _key(words[0]) in TRIM_WORDS:
        words = words[1:]
    while words and _key(words[-1]) in TRIM_WORDS:
        words = words[:-1]
    return words


def _starts_sentence(line: str, start: int) -> bool:
    """Whether the word at `start` opens the line or follows a sentence break."""
    i = start - 1
    while i >= 0 and line[i].isspace():
        i -= 1
    return i < 0 or line[i] in SENTENCE_BREAKS


def _phrases(text: str) -> tuple[list[list[str]], list[list[str]]]:
    """Capitalised phrases, split into those inside a sentence and those starting one."""
    inner: list[list[str]] = []
    initial: list[list[str]] = []
    for line in text.splitlines():
        if _is_title_case(line):
            continue
        for match in CAPITAL_PHRASE.finditer(line):
            words = match.group().split()
            at_start = _starts_sentence(line, match.start())
            (initial if at_start else inner).append(words)
    return inner, initial


def entity_keys(text: str) -> Counter[str]:
    """Entity keys with their mention counts: each full name and, for a longer name, its
    last word (so "Reid" later matches "Tara Reid"). A capitalised word that starts a
    sentence counts only when the text also capitalises it mid-sentence."""
    inner, initial = _phrases(text[:MAX_SCAN_CHARS])
    known = {_key(word) for words in inner for word in words}
    keys: Counter[str] = Counter()
    tagged = [(words, False) for words in inner] + [(words, True) for words in initial]
    for words, at_start in tagged:
        words = _trim(words)
        if not words or (at_start and len(words) == 1 and _key(words[0]) not in known):
            continue
        name = _key(" ".join(words))
        if len(name) < 2:
            continue
        keys[name] += 1
        if len(words) > 1:
            keys[_key(words[-1])] += 1
    return keys


# ---------------------------------------------------------------------------- terms

def _stem(word: str) -> str:
    """A light plural fold ("fires" -> "fire", "pirates" -> "pirate"; not "press")."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_terms(text: str) -> Counter[str]:
    """Content words (3+ letters, not stop words) and numbers, lower case, plural folded."""
    terms: Counter[str] = Counter()
    for word in WORD.findall(text[:MAX_SCAN_CHARS].lower()):
        word = POSSESSIVE.sub("", word)
        if word in STOPWORDS or (len(word) < 3 and not word.isdigit()):
            continue
        terms[_stem(word)] += 1
    return terms


def numbers(text: str) -> Counter[str]:
    """Figures of two or more digits, without thousands separators ("1,200" -> "1200")."""
    return Counter(match.replace(",", "").rstrip(".") for match in NUMBER.findall(text[:MAX_SCAN_CHARS]))


# ---------------------------------------------------------------------------- batch

def _top(counts: Counter[str], limit: int) -> dict[str, int]:
    return dict(counts.most_common(limit))


def lead_vectors(articles: Sequence[Article], encoder: str | Path | None = None,
                 threads: int = 1) -> tuple[list[str], np.ndarray]:
    """The title + lead of each article and its vector, in one batched encoder call (ONNX
    Runtime releases the GIL: ingest runs this on a thread beside its own work)."""
    from parallax import embeddings

    leads = [lead_text(article) for article in articles]
    if not leads:
        return leads, np.zeros((0, 0), dtype=np.float32)
    return leads, embeddings.encode(leads, folder=encoder, threads=threads, int8=SIGNATURE_INT8)


def signatures(articles: Sequence[Article], encoder: str | Path | None = None,
               threads: int = 1) -> list[StorySignature]:
    """Signatures of `articles`, with one batched encoder call for all titles + leads."""
    leads, vectors = lead_vectors(articles, encoder, threads)
    return [signature_of(article, lead, vector) for article, lead, vector in zip(articles, leads, vectors)]


def signature_of(article: Article, lead: str, vector: np.ndarray) -> StorySignature:
    """The signature of one article whose title + lead (`lead`) encodes to `vector`."""
    text = article.text
    return StorySignature(
        article_id=article.id, outlet=article.outlet, published=article.published,
        title=article.title.strip() or lead_text(article, words=12),
        vector=np.asarray(vector, dtype=np.float32),
        entities=_top(entity_keys(text), MAX_ENTITIES),
        terms=_top(content_terms(text), MAX_TERMS),
        lead_terms=dict(content_terms(lead)),
        numbers=_top(numbers(text), MAX_NUMBERS))


def iter_signatures(articles: Iterable[Article], batch: int = 256, encoder: str | Path | None = None,
                    threads: int = 1) -> Iterable[StorySignature]:
    """Signatures of a stream of articles, encoded `batch` at a time."""
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= batch:
            yield from signatures(chunk, encoder, threads)
            chunk = []
    if chunk:
        yield from signatures(chunk, encoder, threads)


__all__ = ["StorySignature", "content_terms", "entity_keys", "iter_signatures", "lead_text", "lead_vectors", "signature_of",
           "numbers", "signatures"]

"""Quote tracking: the same quote across the corpus, who carries it and with which cue verb.

Articles come in publication order with their Quote spans. Each quote of somebody's own
words (TRACKED_KINDS) is matched against the quotes tracked so far with the comparison
stage's own test (`comparison.align.quote_relation`: one quote re-punctuated, trimmed,
partial or with a few words changed is still one quote), keyed by speaker: two different
named speakers never share a quote, a quote with no speaker may join one with a speaker.

Candidates come from an index of content-word stems (a `keyindex.KeyIndex`, 8 bytes an
entry), never a scan: each stem is a key, and for a named speaker also (last name, stem),
whose buckets hold only that speaker's quotes. A quote's candidates are the tracked quotes
sharing most of its stems (from each key's MAX_BUCKET newest), at most MAX_VERIFIED of them
verified, so a look-up costs about the same at 10^3 or 10^6 tracked quotes (measured:
0.7 ms at 10^5, 1.5 ms at 10^6).

Every result is a flat `TrackedMention` row; the tracked quotes are derived from them
(speaker: the first named; text: the fullest variant), and `QuoteTracker.from_rows`
rebuilds the tracker by replaying them, so continuing after a rebuild gives what one run
gives.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from parallax.comparison.align import quote_relation
from parallax.comparison.units import Unit, content_stems, normalise, same_speaker, words
from parallax.corpus.keyindex import GrowingArray, KeyIndex
from parallax.model import QUOTE_UNIT, QUOTED_KINDS, SAME_FACT, SAME_QUOTE, Article, Quote, QuoteKind, Span
from parallax.text import paragraph_bounds

# Quotes of somebody's own words inside quotation marks: indirect speech is each outlet's
# own paraphrase, scare quotes are its irony.
TRACKED_KINDS: tuple[QuoteKind, ...] = QUOTED_KINDS
# Tracked quotes taken from one stem's bucket, newest first: a quote is re-quoted within
# days, and a common stem ("people") costs at most this many look-ups.
MAX_BUCKET = 256
# Candidates verified per quote, those sharing the most stems first (quote_relation costs
# ~30 us a pair).
MAX_VERIFIED = 8
# A candidate must share this share of the smaller quote's (rare) stems: the same quote,
# even with words changed or cut, shares most of them; another quote of the story a few.
MIN_SHARED_STEMS = 0.5
# Representative units kept built between look-ups (a cache: results do not depend on it).
MAX_CACHED_UNITS = 50_000


@dataclass(frozen=True)
class TrackedMention:
    """One article's copy of a tracked quote: a flat table row."""

    quote_id: int
    article_id: str
    outlet: str
    published: str | None
    start: int  # the quote's content [start, end) in the article's text
    end: int
    text: str  # the words as this article quotes them
    speaker: str | None  # the speaker's name in this article, None if not named
    cue: str | None  # the cue as written ("claimed") and its lemma ("claim")
    cue_lemma: str | None


@dataclass
class TrackedQuote:
    """A quote as the corpus carries it: the first named speaker, the fullest variant, the
    first article that carried it, and every mention in order."""

    id: int
    speaker: str | None
    text: str
    first_article_id: str
    first_published: str | None
    mentions: list[TrackedMention] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        """Outlets carrying the quote, in the order they first did."""
        return list(dict.fromkeys(m.outlet for m in self.mentions))

    def cues(self) -> dict[str, list[str]]:
        """Outlet -> the cue verbs (lemmas where known) it quotes this with, first use first."""
        found: dict[str, dict[str, None]] = {}
        for m in self.mentions:
            verbs = found.setdefault(m.outlet, {})
            if m.cue_lemma or m.cue:
                verbs[m.cue_lemma or (m.cue or "").lower()] = None
        return {outlet: list(verbs) for outlet, verbs in found.items()}


@dataclass(frozen=True)
class QuoteRow:
    """A tracked quote's summary, as a table row (its mentions are TrackedMention rows)."""

    id: int
    speaker: str | None
    text: str
    first_article_id: str
    first_published: str | None
    outlets: int
    mentions: int

    @classmethod
    def of(cls, quote: TrackedQuote) -> QuoteRow:
        return cls(quote.id, quote.speaker, quote.text, quote.first_article_id, quote.first_published,
                   len(quote.outlets), len(quote.mentions))


def _last_name(name: str | None) -> str:
    """What `same_speaker` compares: the last word of the name ("" for no speaker)."""
    last = words(name)[-1:] if name else []
    return last[0] if last else ""


def _stem_keys(stems: Sequence[str], speaker: str = "") -> list[int]:
    """Index keys of stems, or of (speaker's last name, stem) pairs."""
    prefix = f"{speaker}\t" if speaker else ""
    return [zlib.crc32(f"{prefix}{stem}".encode("utf-8")) for stem in stems]


def _speaker_key(name: str | None) -> int:
    """A number for the speaker's last name (0: no speaker): two quotes whose keys are both
    non-zero and differ have two different speakers (as `same_speaker` decides)."""
    last = _last_name(name)
    return zlib.crc32(last.encode("utf-8")) + 1 if last else 0


def _unit(text: str, speaker: str | None, context: str = "") -> Unit:
    """A quote as comparison's quote matching sees it. Named speakers count as people, so
    two different names veto a match (the tracker is keyed by speaker)."""
    return Unit(0, QUOTE_UNIT, Span(0, len(text)), text, normalise(text), content_stems(text),
                speaker=speaker, speaker_is_person=bool(speaker), context=context)


def _context(text: str, paragraphs: list[tuple[int, int]], quote: Quote) -> str:
    """The paragraph around a quote (what supports a one-word fragment)."""
    for start, end in paragraphs:
        if start <= quote.start < end:
            return text[start:max(end, quote.end)]
    return text[quote.start:quote.end]


class QuoteTracker:
    """The quotes of the articles added so far, grouped across articles."""

    def __init__(self) -> None:
        self._quotes: list[TrackedQuote] = []
        self._stems = KeyIndex()  # stem key -> quote id
        self._stem_counts = GrowingArray(np.int32)  # stems indexed per quote (for the shared share)
        self._speaker_keys = GrowingArray(np.int64)  # per quote: its speaker's _speaker_key
        self._units: dict[int, Unit] = {}
        self._mentions: list[TrackedMention] = []  # in the order they were tracked
        self._articles: set[str] = set()

    def __len__(self) -> int:
        return len(self._quotes)

    def get(self, quote_id: int) -> TrackedQuote:
        return self._quotes[quote_id]

    def quotes(self, speaker: str | None = None) -> list[TrackedQuote]:
        """The tracked quotes, first seen first; only `speaker`'s if given (the same last
        name, as `same_speaker` decides: "Power" finds "Samantha Power")."""
        if speaker is None:
            return list(self._quotes)
        wanted = _speaker_key(speaker)
        return [self._quotes[i] for i in np.flatnonzero(self._speaker_keys.values == wanted).tolist()] if wanted else []

    def add(self, article: Article, quotes: Sequence[Quote]) -> list[TrackedMention]:
        """Track the article's quotes (it is published after every article added before it);
        one mention per tracked quote span, in text order. An article already added is not
        tracked again (its mentions were returned the first time)."""
        if article.id in self._articles:
            return []
        mentions = []
        paragraphs = paragraph_bounds(article.text)
        for quote in sorted(quotes, key=lambda q: (q.start, q.end)):
            text = article.text[quote.start:quote.end]
            if quote.label not in TRACKED_KINDS or not content_stems(text):
                continue  # a quote of no content word ("yes") cannot be told from another
            unit = _unit(text, quote.speaker_name, _context(article.text, paragraphs, quote))
            match = self._match(unit)
            mention = TrackedMention(
                len(self._quotes) if match is None else match, article.id, article.outlet, article.published,
                quote.start, quote.end, text, quote.speaker_name,
                quote.cue.text if quote.cue else None, (quote.cue.lemma or None) if quote.cue else None)
            self._attach(mention)
            mentions.append(mention)
        self._articles.add(article.id)
        return mentions

    # ---------------------------------------------------------------- rows

    def rows(self) -> list[TrackedMention]:
        """Every mention, in the order they were tracked: the rows to store."""
        return list(self._mentions)

    def quote_rows(self, speaker: str | None = None) -> list[QuoteRow]:
        """One summary row per tracked quote (for `parallax quotes`)."""
        return [QuoteRow.of(q) for q in self.quotes(speaker)]

    @classmethod
    def from_rows(cls, mentions: Iterable[TrackedMention]) -> QuoteTracker:
        """The tracker that `rows()` came from (mentions in the order they were tracked)."""
        tracker = cls()
        for mention in mentions:
            if mention.quote_id > len(tracker._quotes):
                raise ValueError(f"mention rows must come in the order they were tracked: quote "
                                 f"{mention.quote_id} before quote {len(tracker._quotes)}")
            tracker._attach(mention)
        return tracker

    # ------------------------------------------------------------- internals

    def _attach(self, mention: TrackedMention) -> None:
        """Add a mention to its quote (a new one when its id is next) and index what it
        brings: the stems of a fuller variant, a speaker's name. The same for `add` and
        `from_rows`: the state after a replay is the state after the run."""
        if mention.quote_id == len(self._quotes):
            quote = TrackedQuote(mention.quote_id, mention.speaker, mention.text, mention.article_id, mention.published)
            self._quotes.append(quote)
            self._stem_counts.extend([0])
            self._speaker_keys.extend([_speaker_key(mention.speaker)])
            fresh = content_stems(mention.text)
            named = frozenset()
        else:
            quote = self._quotes[mention.quote_id]
            fresh, named = frozenset(), frozenset()
            if len(normalise(mention.text).split()) > len(normalise(quote.text).split()):
                fresh = content_stems(mention.text) - content_stems(quote.text)
                quote.text = mention.text
                self._units.pop(quote.id, None)
            if quote.speaker is None and mention.speaker:
                quote.speaker = mention.speaker
                self._speaker_keys.values[quote.id] = _speaker_key(mention.speaker)
                self._units.pop(quote.id, None)
                named = content_stems(quote.text) - fresh  # stems indexed before it had a name
        quote.mentions.append(mention)
        self._mentions.append(mention)
        self._articles.add(mention.article_id)
        # every stem unscoped (for quotes of no named speaker), and scoped by the speaker
        keys = _stem_keys(sorted(fresh)) + _stem_keys(sorted(fresh | named), _last_name(quote.speaker))
        if quote.speaker is None:
            keys = keys[:len(fresh)]
        if keys:
            self._stems.add(keys, [quote.id] * len(keys))
            self._stem_counts.values[quote.id] += len(fresh)

    def _match(self, unit: Unit) -> int | None:
        """The tracked quote that `unit` is a variant of, or None."""
        stems = sorted(unit.text_stems)
        speaker = _last_name(unit.speaker)
        # a named speaker's quotes through the scoped keys (small buckets: all of them),
        # and quotes of no named speaker through the plain ones
        keys = _stem_keys(stems) + (_stem_keys(stems, speaker) if speaker else [])
        asked, found = self._stems.lookup(keys, MAX_BUCKET, newest=True)
        if not len(found):
            return None
        # A key with fewer than MAX_BUCKET quotes gave them all; a common one only its
        # newest: the share of stems a candidate shares is counted over the rare ones.
        complete = np.bincount(asked, minlength=len(keys)) < MAX_BUCKET
        rare = complete[len(stems):] if speaker else complete
        pairs = np.unique(found.astype(np.int64) << 16 | (asked % len(stems)))  # (quote, stem), once each
        ids, inverse = np.unique(pairs >> 16, return_inverse=True)
        shared = np.bincount(inverse)
        counts = self._stem_counts.values[ids]
        if rare.any():
            share = np.bincount(inverse, weights=rare[pairs & 0xFFFF]) / np.maximum(1, np.minimum(rare.sum(), counts))
        else:
            share = shared / np.minimum(len(stems), counts)
        speakers = self._speaker_keys.values[ids]
        own = _speaker_key(unit.speaker)
        possible = (share >= MIN_SHARED_STEMS) & ((speakers == 0) | (own == 0) | (speakers == own))
        ids, share, shared = ids[possible], share[possible], shared[possible]
        order = np.lexsort((-ids, -shared, -share))[:MAX_VERIFIED]  # most shared first, then newest
        best: tuple[float, int] | None = None
        for i in order.tolist():
            quote_id = int(ids[i])
            representative = self._representative(quote_id)
            found_relation = quote_relation(unit, representative, 0.0)
            if found_relation is None:
                continue
            relation, score = found_relation
            if relation == SAME_QUOTE or (relation == SAME_FACT and same_speaker(unit, representative)):
                if best is None or score > best[0]:
                    best = (score, quote_id)
        return None if best is None else best[1]

    def _representative(self, quote_id: int) -> Unit:
        unit = self._units.get(quote_id)
        if unit is None:
            if len(self._units) >= MAX_CACHED_UNITS:
                self._units.clear()
            quote = self._quotes[quote_id]
            unit = self._units[quote_id] = _unit(quote.text, quote.speaker)
        return unit


__all__ = ["MAX_BUCKET", "MAX_VERIFIED", "MIN_SHARED_STEMS", "QuoteRow", "QuoteTracker", "TRACKED_KINDS",
           "TrackedMention", "TrackedQuote"]

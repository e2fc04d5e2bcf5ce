"""Provenance: passages an article copied from an earlier article of another outlet.

A passage is a paragraph, or a sentence of a long paragraph (a wire paragraph merged into
a long one of the outlet's own is still found); short lines and boilerplate are skipped
(parallax.corpus.passages, which also makes the shingles).

Each passage is kept as the sorted set of 32-bit hashes of its word bigrams. Passages are
short (median 34 words), so the whole set costs about what a 32-value MinHash would, and
the similarity is the exact Jaccard index rather than an estimate (a 32-value MinHash
misses the threshold by its standard error, 0.09, either way). Candidates are found without
a scan: the KEYS_PER_PASSAGE smallest hashes of a passage (a bottom-k sketch, so two similar
passages share some of them) are keys of a `KeyIndex` to passage numbers.

Articles are added in publication order. A passage copies the earliest indexed passage that
matches it (NEAR_JACCARD, or contained: CONTAINED_SHARE) when that is another outlet's
("exact" when the normalised texts are equal); an outlet repeating itself copies nobody.
Copies are indexed too and join their source's group, so `carriers` counts the outlets of
a group. The index structures (`keyindex`) hold numbers only.

State: ~36 bigram hashes (4 bytes each), 8 index keys (8 bytes each) and 36 bytes of
columns: about 250 bytes a passage (`memory_per_passage`), 5 KB an article, all numpy.
`rows()` / `CopyIndex.from_rows()` move it to and from table rows; nothing is pickled.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from parallax.corpus.keyindex import GrowingArray, KeyIndex
from parallax.corpus.passages import jaccard, normalised_hash, passage_bounds, passages, tagged_shingles
from parallax.model import Article
from parallax.text import paragraph_bounds

CopyKind = Literal["exact", "near"]
EXACT: CopyKind = "exact"
NEAR: CopyKind = "near"
# Pairs are packed as passage number << 32 | 32-bit value in one uint64 (as tagged_shingles).
_U32 = np.uint64(32)

# --- matching -------------------------------------------------------------------------
# Shingles are word bigrams (parallax.corpus.passages).
# Jaccard of the bigram sets at or above which a passage is a near copy: above 99.5% of
# the best matches between unrelated paragraphs (0.25; those above are mostly one quote
# carried by both), well below a typical paragraph (34 words) with 3 words changed (0.7).
NEAR_JACCARD = 0.4
# A passage of at least CONTAINED_MIN_BIGRAMS bigrams (about as many words) of which
# CONTAINED_SHARE are inside another outlet's passage is copied too, however much the other
# adds of its own (a wire paragraph merged with the outlet's own sentence, or trimmed).
# Stock lines ("did not respond to a request for comment") share 8-11 bigrams.
CONTAINED_SHARE = 0.9
CONTAINED_MIN_BIGRAMS = 20
# Index keys per passage: its smallest bigram hashes. Two passages at Jaccard 0.4 share one
# of them with probability about 1 - 0.6^8 = 0.98; more keys cost 8 bytes each. Hashes of
# bigrams of two content words sort first, then those with one function word, then those
# of two ("of the"), so keys are the rarest kinds of bigram a passage has.
KEYS_PER_PASSAGE = 8
# Passages taken from one key's bucket: half its earliest, half its newest. A passage
# carried by hundreds of outlets is still found through its earliest carriers (its source
# among them), and a fresh copy of yesterday's article through the newest, however many
# older passages share the key (at 10^5 articles, earliest-only missed 7% of the planted
# copies: each key's first 64 passages were old partial matches); a common bigram costs at
# most this many look-ups.
MAX_BUCKET = 64
# Candidates compared per passage: those sharing the most keys with it. A copy shares
# about half its keys (8 x 2J / (1 + J) at Jaccard J), a passage met through one common
# bigram ("donald trump") one.
MAX_VERIFIED = 24


@dataclass(frozen=True)
class Passage:
    """A passage [start, end) of an article's text."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Copy:
    """Passage [start, end) of `article_id` copies [source_start, source_end) of the
    earliest earlier article of another outlet that carries it. A flat row as it is."""

    article_id: str
    start: int
    end: int
    source_article_id: str
    source_outlet: str
    source_start: int
    source_end: int
    similarity: float  # Jaccard of the word bigram sets (1.0 for exact copies)
    kind: CopyKind


@dataclass
class PassageRow:
    """One indexed passage, as a table row. `order` numbers passages in the order they
    were indexed; `group` is the order of the first passage of its group (itself when it
    copies nothing); `shingles` are its sorted bigram hashes (uint32: store them as a blob,
    `np.asarray(shingles, '<u4').tobytes()`, or as a list)."""

    order: int
    article_id: str
    outlet: str
    start: int
    end: int
    text_hash: int
    group: int
    shingles: list[int]


@dataclass(frozen=True)
class CopySummary:
    """How much of one article is copied, and from whom (for reports and outlet profiles)."""

    paragraphs: int  # paragraphs with an indexed passage
    copied: int  # of those, paragraphs with a copied passage
    sources: dict[str, int]  # source outlet -> copied paragraphs, most first

    def line(self) -> str:
        """ "3 of 9 paragraphs copied from Reuters" (or several sources, most first)."""
        if not self.copied:
            return f"0 of {self.paragraphs} paragraphs copied"
        names = [outlet or "an unnamed outlet" for outlet in self.sources]
        if len(names) == 1:
            return f"{self.copied} of {self.paragraphs} paragraphs copied from {names[0]}"
        parts = ", ".join(f"{count} from {name}" for name, count in zip(names, self.sources.values()))
        return f"{self.copied} of {self.paragraphs} paragraphs copied: {parts}"


def _top_per_group(groups: np.ndarray, items: np.ndarray, scores: np.ndarray, limit: int) -> np.ndarray:
    """Indices of the `limit` best-scoring entries of each group (ties: smaller item
    first), in their original order. `groups` must be sorted."""
    order = np.lexsort((items, -scores, groups))
    rank = np.arange(len(order)) - np.searchsorted(groups[order], groups[order], "left")
    return np.sort(order[rank < limit])


def _index_keys(tagged: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The KEYS_PER_PASSAGE smallest hashes of each passage (uint32), and their passage."""
    counts = np.minimum(np.diff(offsets), KEYS_PER_PASSAGE)
    before = np.cumsum(counts) - counts
    positions = np.arange(int(counts.sum())) + np.repeat(offsets[:-1] - before, counts)
    return tagged[positions].astype(np.uint32), np.repeat(np.arange(len(counts)), counts)


# ------------------------------------------------------------------------- the index

class CopyIndex:
    """Passages of the articles added so far, and which of them copy which."""

    def __init__(self) -> None:
        self._keys = KeyIndex()
        self._shingles = GrowingArray(np.uint32)  # every passage's bigram hashes, one after another
        self._offsets = GrowingArray(np.int64)  # passage p's hashes: [offsets[p], offsets[p + 1])
        self._offsets.extend([0])
        self._article, self._outlet, self._group = GrowingArray(np.int32), GrowingArray(np.int32), GrowingArray(np.int32)
        self._start, self._end = GrowingArray(np.int32), GrowingArray(np.int32)
        self._hash = GrowingArray(np.int64)
        self._article_ids: list[str] = []
        self._passages_of: dict[str, tuple[int, int]] = {}  # article id -> (first passage, count)
        self._outlet_names: list[str] = []
        self._outlet_ids: dict[str, int] = {}
        self._group_outlets: dict[int, set[int]] = {}  # only groups with 2+ passages

    def __len__(self) -> int:
        """The number of indexed passages."""
        return self._group.size

    def add(self, article: Article) -> list[Copy]:
        """Index `article` (published after every article added before it) and return its
        passages that copy an earlier article of another outlet. An article already indexed
        is not indexed again (its copies were returned the first time)."""
        if article.id in self._passages_of:
            return []
        outlet = self._outlet_id(article.outlet)
        found = passages(article.text)
        bounds = [(start, end) for start, end, _ in found]
        tagged, offsets = tagged_shingles([words for _, _, words in found])
        hashes = [normalised_hash(article.text[start:end]) for start, end in bounds]
        pair_passage, pair_other = self._candidates(*_index_keys(tagged, offsets))
        sources, groups = self._sources(tagged, offsets, pair_passage, pair_other, outlet)
        copies = []
        for (start, end), digest, (source, similarity) in zip(bounds, hashes, sources):
            if source < 0:
                continue
            exact = digest == self._hash.values[source]
            copies.append(Copy(
                article.id, start, end, self._article_ids[self._article.values[source]],
                self._outlet_names[self._outlet.values[source]], int(self._start.values[source]),
                int(self._end.values[source]), 1.0 if exact else round(similarity, 3), EXACT if exact else NEAR))
        self._insert(article.id, outlet, bounds, hashes, tagged, offsets, groups)
        return copies

    def carriers(self, passage: Passage | Copy) -> int:
        """How many outlets carry this indexed passage so far (its own included); 0 for a
        passage that is not indexed (too short, boilerplate, or an unknown article)."""
        first, count = self._passages_of.get(passage.article_id, (0, 0))
        for p in range(first, first + count):
            if self._start.values[p] == passage.start and self._end.values[p] == passage.end:
                return len(self._group_outlets.get(int(self._group.values[p]), ())) or 1
        return 0

    def memory_per_passage(self) -> float:
        """Bytes of state per indexed passage (arrays and index; ids and names aside)."""
        columns = (self._shingles, self._offsets, self._article, self._outlet, self._group,
                   self._start, self._end, self._hash)
        return (sum(column.nbytes for column in columns) + self._keys.nbytes) / max(1, len(self))

    # ---------------------------------------------------------------- rows

    def rows(self, article_id: str | None = None) -> list[PassageRow]:
        """The indexed passages as table rows: one article's (after `add`), or all."""
        first, count = (0, len(self)) if article_id is None else self._passages_of.get(article_id, (0, 0))
        offsets = self._offsets.values
        return [PassageRow(p, self._article_ids[self._article.values[p]],
                           self._outlet_names[self._outlet.values[p]], int(self._start.values[p]),
                           int(self._end.values[p]), int(self._hash.values[p]), int(self._group.values[p]),
                           self._shingles.values[offsets[p]:offsets[p + 1]].tolist())
                for p in range(first, first + count)]

    @classmethod
    def from_rows(cls, rows: Iterable[PassageRow]) -> CopyIndex:
        """The index that `rows()` came from: adding to it gives what adding to that would."""
        index = cls()
        batch: list[PassageRow] = []
        for row in sorted(rows, key=lambda r: r.order):
            if batch and row.article_id != batch[0].article_id:
                index._insert_rows(batch)
                batch = []
            batch.append(row)
        if batch:
            index._insert_rows(batch)
        return index

    def _insert_rows(self, rows: list[PassageRow]) -> None:
        if rows[0].order != len(self) or rows[0].article_id in self._passages_of:
            raise ValueError(f"passage rows must number 0, 1, 2, ... with each article's rows together; "
                             f"found order {rows[0].order} (article {rows[0].article_id}) after {len(self)} passages")
        sets = [np.asarray(row.shingles, dtype=np.uint64) for row in rows]
        tagged = np.concatenate([np.uint64(p) << _U32 | s for p, s in enumerate(sets)])
        offsets = np.concatenate([[0], np.cumsum([len(s) for s in sets])])
        self._insert(rows[0].article_id, self._outlet_id(rows[0].outlet), [(r.start, r.end) for r in rows],
                     [r.text_hash for r in rows], tagged, offsets, [r.group for r in rows])

    # ------------------------------------------------------------- internals

    def _outlet_id(self, name: str) -> int:
        """A number per outlet; every article of no named outlet is an outlet of its own
        (nothing says two of them are one outlet repeating itself)."""
        if name and name in self._outlet_ids:
            return self._outlet_ids[name]
        self._outlet_names.append(name)
        if name:
            self._outlet_ids[name] = len(self._outlet_names) - 1
        return len(self._outlet_names) - 1

    def _bucket_ends(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(key index, passage) pairs from each key's earliest and newest MAX_BUCKET // 2,
        each pair once (a small bucket is met from both ends)."""
        first = self._keys.lookup(keys, MAX_BUCKET // 2)
        last = self._keys.lookup(keys, MAX_BUCKET // 2, newest=True)
        both = np.unique(np.concatenate([first[0], last[0]]).astype(np.uint64) << _U32
                         | np.concatenate([first[1], last[1]]).astype(np.uint64))
        return (both >> _U32).astype(np.int64), (both & np.uint64(0xFFFFFFFF)).astype(np.int64)

    def _candidates(self, keys: np.ndarray, key_passage: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (new passage, indexed passage) worth comparing: for each new passage, the
        MAX_VERIFIED indexed ones sharing the most keys with it; sorted by both."""
        asked, values = self._bucket_ends(keys)
        pairs, shared = np.unique(key_passage[asked].astype(np.uint64) << _U32 | values.astype(np.uint64),
                                  return_counts=True)
        passage, other = (pairs >> _U32).astype(np.int64), (pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
        keep = _top_per_group(passage, other, shared, MAX_VERIFIED)
        return passage[keep], other[keep]

    def _sources(self, tagged: np.ndarray, offsets: np.ndarray, pair_passage: np.ndarray,
                 pair_other: np.ndarray, outlet: int) -> tuple[list[tuple[int, float]], list[int]]:
        """For each new passage: (the passage it copies or -1, their Jaccard), and the group
        it joins (-1: a new one). The earliest matching passage decides: another outlet's is
        the source; the same outlet's (it repeats itself, or had the text before the others
        that copied it) makes no copy, but the passage joins its group."""
        sources, groups = [(-1, 0.0)] * (len(offsets) - 1), [-1] * (len(offsets) - 1)
        if not len(pair_passage):
            return sources, groups
        # the bigrams each pair shares: look the indexed passage's hashes up among the new
        # passage's, all pairs at once
        starts = self._offsets.values[pair_other]
        other_sizes = self._offsets.values[pair_other + 1] - starts
        before = np.cumsum(other_sizes) - other_sizes
        positions = np.arange(int(other_sizes.sum())) + np.repeat(starts - before, other_sizes)
        query = (np.repeat(pair_passage.astype(np.uint64), other_sizes) << _U32
                 | self._shingles.values[positions].astype(np.uint64))
        at = np.minimum(np.searchsorted(tagged, query), len(tagged) - 1)
        shared = np.add.reduceat((tagged[at] == query).astype(np.int64), before)
        sizes = np.diff(offsets)[pair_passage]
        jaccard = shared / (sizes + other_sizes - shared)
        smaller = np.minimum(sizes, other_sizes)
        matched = (jaccard >= NEAR_JACCARD) | ((smaller >= CONTAINED_MIN_BIGRAMS) & (shared >= CONTAINED_SHARE * smaller))
        # pairs run by new passage, then by indexed passage: a passage's first is its earliest
        passages, first = np.unique(pair_passage[matched], return_index=True)
        for p, pair in zip(passages.tolist(), np.flatnonzero(matched)[first].tolist()):
            other = int(pair_other[pair])
            groups[p] = int(self._group.values[other])
            if self._outlet.values[other] != outlet:
                sources[p] = (other, float(jaccard[pair]))
        return sources, groups

    def _insert(self, article_id: str, outlet: int, bounds: list[tuple[int, int]], hashes: list[int],
                tagged: np.ndarray, offsets: np.ndarray, groups: list[int]) -> None:
        first = len(self)
        numbers = np.arange(first, first + len(bounds))
        group_of = np.where(np.asarray(groups, dtype=np.int64) < 0, numbers, groups).astype(np.int32)
        for p, group in zip(numbers.tolist(), group_of.tolist()):
            if group != p:
                self._group_outlets.setdefault(group, {int(self._outlet.values[group])}).add(outlet)
        self._article_ids.append(article_id)
        self._passages_of[article_id] = (first, len(bounds))
        if not bounds:
            return
        keys, key_passage = _index_keys(tagged, offsets)
        self._keys.add(keys, first + key_passage)
        self._shingles.extend(tagged.astype(np.uint32))
        self._offsets.extend(self._offsets.values[-1] + np.asarray(offsets[1:]))
        self._article.extend(np.full(len(bounds), len(self._article_ids) - 1))
        self._outlet.extend(np.full(len(bounds), outlet))
        self._group.extend(group_of)
        self._start.extend([start for start, _ in bounds])
        self._end.extend([end for _, end in bounds])
        self._hash.extend(hashes)


def summarise(text: str, copies: Sequence[Copy]) -> CopySummary:
    """How many of the article's paragraphs (those with an indexed passage) hold a copied
    passage, and from which outlets: the line "3 of 9 paragraphs copied from Reuters"."""
    passages = passage_bounds(text)
    paragraphs = [(s, e) for s, e in paragraph_bounds(text) if any(s <= ps and pe <= e for ps, pe in passages)]
    sources: Counter[str] = Counter()
    for start, end in paragraphs:
        inside = Counter(c.source_outlet for c in copies if start <= c.start and c.end <= end)
        if inside:
            sources[inside.most_common(1)[0][0]] += 1
    return CopySummary(len(paragraphs), sum(sources.values()), dict(sources.most_common()))


__all__ = ["CONTAINED_MIN_BIGRAMS", "CONTAINED_SHARE", "EXACT", "KEYS_PER_PASSAGE", "MAX_BUCKET", "MAX_VERIFIED", "NEAR",
           "NEAR_JACCARD", "Copy", "CopyIndex", "CopyKind", "CopySummary", "Passage", "PassageRow", "summarise"]

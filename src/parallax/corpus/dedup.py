"""Exact and near duplicates: which earlier article is this one a copy of?

Exact: two texts are the same when their normalised forms are (`model.normalise_text`:
case and spacing ignored). The key is 64 bits of the SHA-1 of that form; a match is
confirmed on the texts themselves, so a hash collision never makes a false duplicate.

Near: the Jaccard similarity of the two texts' sets of word shingles (SHINGLE_WORDS words
in a row), estimated from MinHash signatures (datasketch, NUM_PERM permutations) and found
without comparing against every earlier article by LSH banding: the signature is cut into
BANDS bands of ROWS values; two texts whose band i agrees are candidates, and a candidate
whose estimated similarity reaches NEAR_THRESHOLD is a near duplicate.

Only originals are indexed: a text is a near copy of the earliest *original* it resembles
(earliest published; undated after dated; then first ingested), never of another copy, so
the copies of one story point at one article. The index itself is a `DuplicateIndex`:
`MemoryIndex` here for a list in memory, `parallax.store.corpus.StoreIndex` on disk for a
corpus of any size. On disk, because an LSH index in memory (datasketch's MinHashLSH)
holds a few KB an original, 30 GB at 10^7 articles, and would have to be rebuilt on every
start; as rows of the store it costs ~1.2 KB of disk an original (the MinHash, 512 bytes,
and BANDS bucket rows), memory stays flat, and each article's buckets commit with it.
"""
from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
from datasketch import MinHash

from parallax.model import Article, normalise_text

DuplicateKind = Literal["exact", "near"]
EXACT: DuplicateKind = "exact"
NEAR: DuplicateKind = "near"

# Word 3-grams: copies that differ by an edit every 10 words still share half their
# 3-grams (measured on BASIL, ECB+ and PTC: 95% of such copies have Jaccard >= 0.51),
# while two outlets' own reports of one event share under 0.2 (97% of the 3,339
# same-event pairs of ECB+ and BASIL; most pairs above that are wire copies). Longer
# shingles punish each edit more; shorter ones make unrelated texts look alike.
SHINGLE_WORDS = 3
# Near duplicate: estimated Jaccard of the shingle sets at or above this. Half the
# 3-grams shared means most of the text was copied (a repost with a new lead, an updated
# version, a trimmed copy of at least half the original).
NEAR_THRESHOLD = 0.5
# MinHash permutations: the estimate's standard error is sqrt(J(1-J)/128) = 0.044 at
# the threshold, and the signature is 512 bytes (uint32) a stored original.
NUM_PERM = 128
# LSH bands x rows = NUM_PERM. A pair with Jaccard J becomes a candidate with probability
# 1 - (1 - J^ROWS)^BANDS: 0.87 at J = 0.5, 0.95 at 0.55, 0.99 at 0.6, and 0.003 at 0.1,
# so few unrelated pairs cost a look-up. (datasketch's own optimum for 0.5, 25 x 5,
# finds only 0.55 of the pairs at 0.5: it weighs false candidates as much as misses,
# but candidates are checked, so misses are what cost here.)
BANDS = 32
ROWS = 4
# The MinHash family: datasketch 2's default scheme with its default seed, pinned, since
# stored signatures and buckets must be comparable with new ones across versions.
MINHASH_SCHEME = "affine32"
MINHASH_SEED = 1
# Only the first this many words are shingled: a copy shares its beginning, and the cost
# of one article stays bounded (a 1 MB text would otherwise take a quarter of a second).
MAX_SHINGLE_WORDS = 5000
# At most this many articles are taken from one bucket: a bucket that holds more is a
# boilerplate block (a shared footer) rather than copied text, and a real copy also
# shares other bands.
MAX_BUCKET_CANDIDATES = 50

_WORD = re.compile(r"\w+")
# Odd 64-bit constants that weigh the words of a shingle by position ("a b c" != "c b a").
_WORD_MULTIPLIERS = np.array([(0x9E3779B97F4A7C15 * (2 * k + 1)) % 2**64 | 1 for k in range(SHINGLE_WORDS)],
                             dtype=np.uint64)
# One set of permutations for every MinHash (creating them costs more than hashing a text).
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME).permutations


@dataclass(frozen=True)
class Fingerprint:
    """What duplicate detection keeps of a text: its exact key and its MinHash."""

    text_hash: int  # signed 64-bit (an SQLite INTEGER)
    minhash: np.ndarray = field(compare=False, repr=False)  # NUM_PERM uint32

    def bands(self) -> list[int]:
        return band_keys(self.minhash)


@dataclass(frozen=True)
class Candidate:
    """An indexed original: its id, publication time (Unix seconds or None), the order it
    was indexed in, and its MinHash."""

    article_id: str
    published_at: float | None
    order: int
    minhash: np.ndarray = field(compare=False, repr=False)


@dataclass(frozen=True)
class Duplicate:
    """This article is a copy of `original_id` (similarity 1.0 for exact copies)."""

    original_id: str
    kind: DuplicateKind
    similarity: float


class DuplicateIndex(Protocol):
    """Where earlier articles are looked up (in memory, or the store)."""

    def exact_original(self, text_hash: int, normalised: str) -> str | None:
        """The id of the earlier article whose normalised text is `normalised`, if any."""

    def near_candidates(self, bands: Sequence[int]) -> list[Candidate]:
        """The indexed originals that share a band with these band keys."""


# ------------------------------------------------------------------------ fingerprints

def text_hash(normalised: str) -> int:
    """64 bits of the SHA-1 of a normalised text, as a signed integer."""
    digest = hashlib.sha1(normalised.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little", signed=True)


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the text's word SHINGLE_WORDS-grams (lower case, punctuation
    ignored; a text of fewer words is one shingle). Each word is hashed once (CRC-32) and
    the words of a shingle are combined with numpy, 2.5x faster than hashing joined strings;
    datasketch then mixes each value (MurmurHash3's finaliser) before permuting it."""
    words = _WORD.findall(text.lower())[:MAX_SHINGLE_WORDS] or [""]
    hashes = np.fromiter((zlib.crc32(word.encode("utf-8")) for word in words), dtype=np.uint64, count=len(words))
    width = min(SHINGLE_WORDS, len(words))
    combined = np.zeros(len(words) - width + 1, dtype=np.uint64)
    for offset in range(width):  # h = sum(word hash at i+k * odd constant k), mod 2^64
        combined = combined + hashes[offset:len(hashes) - width + 1 + offset] * _WORD_MULTIPLIERS[offset]
    return np.unique(combined >> np.uint64(32)).astype(np.uint32)


def minhash(text: str) -> np.ndarray:
    """The NUM_PERM-value MinHash signature of the text's shingles (uint32)."""
    sketch = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=_PERMUTATIONS, scheme=MINHASH_SCHEME)
    sketch.update_batch(shingle_hashes(text).tolist())
    return np.asarray(sketch.hashvalues, dtype=np.uint32)


def fingerprint(text: str) -> Fingerprint:
    return Fingerprint(text_hash(normalise_text(text)), minhash(text))


def band_keys(signature: np.ndarray) -> list[int]:
    """One 64-bit key per LSH band; the band's number is part of the key, so one table
    holds every band."""
    rows = np.ascontiguousarray(signature, dtype="<u4").reshape(BANDS, ROWS)
    return [int.from_bytes(hashlib.blake2b(band.tobytes(), digest_size=8, person=b"band%d" % i).digest(),
                           "little", signed=True) for i, band in enumerate(rows)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of MinHash values the signatures agree on."""
    return float(np.count_nonzero(np.asarray(a) == np.asarray(b))) / NUM_PERM


# ------------------------------------------------------------------------- decisions

def earliest_key(candidate: Candidate) -> tuple[bool, float, int]:
    """Sort key: dated before undated, earliest published first, then first indexed."""
    return (candidate.published_at is None, candidate.published_at or 0.0, candidate.order)


def near_original(signature: np.ndarray, candidates: Iterable[Candidate],
                  threshold: float = NEAR_THRESHOLD) -> Duplicate | None:
    """The earliest candidate whose estimated similarity reaches `threshold`, or None."""
    matches = [(candidate, similarity(signature, candidate.minhash)) for candidate in candidates]
    matches = [(candidate, score) for candidate, score in matches if score >= threshold]
    if not matches:
        return None
    candidate, score = min(matches, key=lambda match: earliest_key(match[0]))
    return Duplicate(candidate.article_id, NEAR, score)


def find_duplicate(text: str, fp: Fingerprint, index: DuplicateIndex) -> Duplicate | None:
    """Whether `text` (with its fingerprint) copies an article of `index`: exact first."""
    original = index.exact_original(fp.text_hash, normalise_text(text))
    if original is not None:
        return Duplicate(original, EXACT, 1.0)
    return near_original(fp.minhash, index.near_candidates(fp.bands()))


# ------------------------------------------------------------------------ in memory

class MemoryIndex:
    """A DuplicateIndex in memory, for a collection that fits: a few KB an original (its
    normalised text aside). For a corpus, use the store's index."""

    def __init__(self) -> None:
        self._texts: dict[int, list[tuple[str, str]]] = {}  # text_hash -> [(normalised, id)]
        self._buckets: dict[int, list[Candidate]] = {}
        self._originals = 0

    def exact_original(self, text_hash: int, normalised: str) -> str | None:
        return next((article_id for text, article_id in self._texts.get(text_hash, []) if text == normalised), None)

    def near_candidates(self, bands: Sequence[int]) -> list[Candidate]:
        found: dict[str, Candidate] = {}
        for band in bands:
            for candidate in self._buckets.get(band, [])[:MAX_BUCKET_CANDIDATES]:
                found.setdefault(candidate.article_id, candidate)
        return list(found.values())

    def add(self, article: Article, fp: Fingerprint, duplicate: Duplicate | None,
            published_at: float | None = None) -> None:
        """Index an article after deciding on it: every non-exact copy by its text, and
        originals in the LSH buckets."""
        if duplicate is None or duplicate.kind != EXACT:
            self._texts.setdefault(fp.text_hash, []).append((normalise_text(article.text), article.id))
        if duplicate is None:
            self._originals += 1
            candidate = Candidate(article.id, published_at, self._originals, fp.minhash)
            for band in fp.bands():
                self._buckets.setdefault(band, []).append(candidate)


def find_duplicates(articles: Iterable[Article]) -> Iterator[tuple[Article, Duplicate | None]]:
    """Each article with the earlier one it copies (None for an original), in input order;
    publication dates are not consulted (input order is the order of arrival)."""
    index = MemoryIndex()
    for article in articles:
        fp = fingerprint(article.text)
        duplicate = find_duplicate(article.text, fp, index)
        index.add(article, fp, duplicate)
        yield article, duplicate


__all__ = ["BANDS", "Candidate", "Duplicate", "DuplicateIndex", "DuplicateKind", "EXACT", "Fingerprint",
           "MAX_BUCKET_CANDIDATES", "MemoryIndex", "NEAR", "NEAR_THRESHOLD", "NUM_PERM", "ROWS",
           "SHINGLE_WORDS", "band_keys", "find_duplicate", "find_duplicates", "fingerprint", "minhash",
           "near_original", "shingle_hashes", "similarity", "text_hash"]

"""Duplicate detection: exact copies by normalised text, near copies by MinHash LSH over word
shingles, each pointing at the earliest original; the in-memory and the store index agree."""
from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest

from parallax.corpus import dedup
from parallax.corpus.dedup import (
    BANDS,
    EXACT,
    NEAR,
    NEAR_THRESHOLD,
    NUM_PERM,
    ROWS,
    Candidate,
    MemoryIndex,
    band_keys,
    find_duplicate,
    find_duplicates,
    fingerprint,
    minhash,
    near_original,
    shingle_hashes,
    similarity,
)
from parallax.model import Article
from parallax.store import Store
from parallax.store import corpus as tables

WORDS = ("council minister police report budget river school court market vote harbour storm village "
         "hospital contract airport election museum factory protest railway senator union bridge said announced "
         "rejected approved delayed questioned welcomed opened closed funded the of and to that for with was "
         "on by at from has have new its their after would could about").split()


def story(seed: int, sentences: int = 25) -> str:
    """Sentences of random words: two seeds share almost no word 3-grams."""
    rng = random.Random(seed)
    return " ".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 14))).capitalize() + "."
                    for _ in range(sentences))


def edited(text: str, rate: float, seed: int = 0) -> str:
    """`text` with about `rate` of its words replaced."""
    rng = random.Random(seed)
    return " ".join(f"edit{rng.randint(0, 10**6)}" if rng.random() < rate else word for word in text.split())


def exact_jaccard(a: str, b: str) -> float:
    x, y = set(shingle_hashes(a).tolist()), set(shingle_hashes(b).tolist())
    return len(x & y) / len(x | y)


# ----------------------------------------------------------------------- fingerprints

def test_the_constants_fit_together():
    assert BANDS * ROWS == NUM_PERM
    found = lambda j: 1 - (1 - j ** ROWS) ** BANDS  # noqa: E731 - the LSH S-curve
    assert found(NEAR_THRESHOLD) > 0.85 and found(0.6) > 0.98 and found(0.1) < 0.01


def test_fingerprints_are_stable_across_processes():
    """Stored MinHashes and buckets must match ones computed by a later run."""
    code = ("from parallax.corpus.dedup import fingerprint; f = fingerprint('The quick brown fox jumps over the lazy "
            "dog'); print(f.text_hash, f.minhash[:4].tolist(), f.bands()[0])")
    here = fingerprint("The quick brown fox jumps over the lazy dog")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "12345"}).stdout.split(" ", 1)
    assert other[0] == str(here.text_hash)
    assert other[1].strip() == f"{here.minhash[:4].tolist()} {here.bands()[0]}"


def test_minhash_is_uint32_and_estimates_jaccard():
    a, b = story(1), edited(story(1), 0.08)
    ma, mb = minhash(a), minhash(b)
    assert ma.dtype == np.uint32 and ma.shape == (NUM_PERM,)
    assert similarity(ma, ma) == 1.0
    assert abs(similarity(ma, mb) - exact_jaccard(a, b)) < 0.15  # ~3 standard errors
    assert similarity(ma, minhash(story(2))) < 0.2


def test_shingles_ignore_case_spacing_and_punctuation_and_short_texts_are_one_shingle():
    assert set(shingle_hashes("The  QUICK, brown fox!").tolist()) == set(shingle_hashes("the quick brown fox").tolist())
    assert len(shingle_hashes("two words")) == 1 and len(shingle_hashes("")) == 1
    assert len(shingle_hashes("a b c d e")) == 3


def test_band_keys_are_one_per_band_and_differ_by_band():
    keys = band_keys(np.zeros(NUM_PERM, dtype=np.uint32))
    assert len(keys) == BANDS and len(set(keys)) == BANDS  # equal values, distinct bands


# ------------------------------------------------------------------------- decisions

def test_exact_copies_differ_only_in_case_and_spacing():
    original = Article(text=story(1), outlet="A")
    copy = Article(text="  " + story(1).upper().replace(" ", "\n "), outlet="B")
    [(_, first), (_, second)] = list(find_duplicates([original, copy]))
    assert first is None and second == dedup.Duplicate(original.id, EXACT, 1.0)


@pytest.mark.parametrize("rate", [0.02, 0.05, 0.08])
def test_edited_copies_are_near_duplicates_of_the_original(rate):
    original, other = Article(text=story(1), outlet="A"), Article(text=story(2), outlet="A")
    copy = Article(text=edited(story(1), rate, seed=3), outlet="B")
    results = dict((a.id, d) for a, d in find_duplicates([original, other, copy]))
    assert results[other.id] is None
    duplicate = results[copy.id]
    assert duplicate is not None and duplicate.kind == NEAR and duplicate.original_id == original.id
    assert NEAR_THRESHOLD <= duplicate.similarity < 1.0


def test_texts_sharing_little_are_not_duplicates():
    third = story(5, 8) + " " + story(6, 17)
    assert exact_jaccard(third, story(5, 25)) < 0.4
    results = [d for _, d in find_duplicates([Article(text=story(5, 25)), Article(text=third), Article(text=story(7))])]
    assert results == [None, None, None]


def test_the_earliest_published_original_is_named():
    signature = minhash(story(1))
    later = Candidate("later", published_at=2000.0, order=1, minhash=signature)
    earlier = Candidate("earlier", published_at=1000.0, order=2, minhash=signature)
    undated = Candidate("undated", published_at=None, order=0, minhash=signature)
    unlike = Candidate("unlike", published_at=1.0, order=3, minhash=minhash(story(9)))
    found = near_original(signature, [later, undated, unlike, earlier])
    assert found == dedup.Duplicate("earlier", NEAR, 1.0)
    assert near_original(signature, [undated, later]).original_id == "later"
    assert near_original(signature, [unlike]) is None


def test_copies_are_not_indexed_so_copies_point_at_the_original():
    original = Article(text=story(1), outlet="A")
    copy = Article(text=edited(story(1), 0.05, seed=1), outlet="B")
    copy_of_copy = Article(text=edited(copy.text, 0.02, seed=2), outlet="C")
    results = [d for _, d in find_duplicates([original, copy, copy_of_copy])]
    assert results[1].original_id == original.id and results[2].original_id == original.id


# --------------------------------------------------------------------- the two indexes

def test_the_store_index_decides_as_the_memory_index(tmp_path):
    texts = [story(1), story(2), edited(story(1), 0.05, 1), story(1).upper(), edited(story(2), 0.1, 2), story(3)]
    articles = [Article(text=text, outlet=f"o{i}") for i, text in enumerate(texts)]
    memory = [d for _, d in find_duplicates(articles)]
    stored = []
    with Store(tmp_path / "s.db") as store:
        index = tables.StoreIndex(store)
        for article in articles:
            fp = fingerprint(article.text)
            duplicate = find_duplicate(article.text, fp, index)
            tables.put_ingested(store, tables.IngestedArticle(article, fp, duplicate, 0.3, None))
            stored.append(duplicate)
        assert [store.db.execute("SELECT count(*) FROM near_buckets").fetchone()[0]] == [BANDS * 3]
    assert stored == memory
    assert [d.kind if d else None for d in stored] == [None, None, NEAR, EXACT, NEAR, None]


def test_a_hash_collision_is_not_an_exact_duplicate():
    index = MemoryIndex()
    article = Article(text=story(1))
    fp = fingerprint(article.text)
    index.add(article, fp, None)
    assert index.exact_original(fp.text_hash, "some other text") is None
    assert index.exact_original(fp.text_hash, dedup.normalise_text(article.text)) == article.id

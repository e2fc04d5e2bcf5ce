"""Online, incremental, time-aware grouping of articles into stories.

`StoryGrouper.add(signature)` takes articles in publication order (undated ones in input
order). Each article is scored against the open stories and joins the best one when the
score passes `join_threshold`; otherwise it starts a story. The score of article a and
story S is a weighted mean of similarities, minus a time penalty:

    dense_weight  * cos(vector of a, mean vector of S)            title + lead meaning
  + term_weight   * cos(tf-idf terms of a, summed terms of S)     what the whole text is about
  + lead_weight   * cos(tf-idf lead terms of a, ... of S)         what happened, to whom
  + entity_weight * cos(tf-idf entity keys of a, ... of S)        who and where
  + number_weight * cos(tf-idf figures of a, ... of S)            dates, amounts, scores
  ------------------------------------------------------------
    the sum of the weights of the parts both sides have
  + time_bonus    * (1 - days between a and S / window_days)     both dated: news of the same days

A part one side lacks (an article without figures, a story without entities) is left out
of the mean rather than counted as a mismatch. Each sparse part is a "channel" of the
signature (a dict of key -> count). Document frequencies for its idf weights are counted
online, over the articles seen so far, so nothing is fitted in advance and a new ingest
only extends the counts.

Open stories (the only candidates): when both sides are dated, those within `window_days`
of the article; otherwise those touched within the last `recent_articles` articles. The
dense similarity, one matrix product over the open stories, shortlists `max_candidates`
for the full score, so an article costs about the same at 10^5 articles as at 10^3.

`state()` gives the whole grouper as plain data (dicts, lists, strings, floats, float32
arrays) and `StoryGrouper.from_state` restores it: adding more articles after a restore
gives exactly what one uninterrupted run gives.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from parallax.corpus.signatures import StorySignature
from parallax.corpus.story_index import Idf, OpenSet, add_sparse, cosine_to_sum

# The sparse channels of a signature (each a dict of key -> count), in score order.
CHANNELS = ("terms", "lead_terms", "entities", "numbers")


@dataclass(frozen=True)
class GroupingSettings:
    """Weights and thresholds of the grouper. The content weights and the threshold were
    chosen by leave-topics-out cross-validation on ECB+ (bench/stories_ecbplus.py: these
    are its all-topics choice); the weights are relative, the score being their mean."""

    # A new article joins a story when its score reaches this (CV on ECB+; on ECB+'s
    # undated articles a share of shared content).
    join_threshold: float = 0.32
    # Weight of the title + lead vector's cosine to the story's mean vector: the reference
    # the other weights are relative to.
    dense_weight: float = 0.2
    # Weight of the full text's tf-idf cosine to the story's terms (CV on ECB+).
    term_weight: float = 0.3
    # Weight of the title + lead terms' tf-idf cosine (CV on ECB+: the full text's terms
    # already carry it on ECB+; 0.2 in two of five folds).
    lead_weight: float = 0.0
    # Weight of the entity keys' tf-idf cosine to the story's keys (CV on ECB+: the two
    # events of a topic share most names, so names alone tell them apart poorly).
    entity_weight: float = 0.1
    # Weight of the figures' tf-idf cosine (CV on ECB+: the two events of an ECB+ topic
    # share people but rarely dates, amounts or scores).
    number_weight: float = 0.3
    # Dated story and article further apart than this many days never meet: "the same
    # people in different weeks are usually different stories". A story that keeps
    # getting articles stays open, since the gap is measured to its latest article.
    window_days: float = 7.0
    # Added to the score of a dated article and a dated story, the more the closer they are
    # (all of it on the same day, none at the window's edge): articles of the same days
    # that share content are more likely one story, and an article on the same people
    # a week later needs more shared content. ECB+ has no dates, so this is chosen by
    # cross-validation over BASIL's triplets (bench/stories_basil.py: its all-triplets choice).
    time_bonus: float = 0.09
    # Without dates, the stories touched within this many articles are open: a stream in
    # input order still keeps a story's articles near each other.
    recent_articles: int = 5000
    # The dense score shortlists this many open stories for the full score.
    max_candidates: int = 24
    # Keys kept per story and channel: its strongest ones (a long-running story would
    # otherwise collect its whole vocabulary).
    max_story_terms: int = 300

    def channel_weights(self) -> dict[str, float]:
        return {"terms": self.term_weight, "lead_terms": self.lead_weight,
                "entities": self.entity_weight, "numbers": self.number_weight}


@dataclass
class Story:
    """A group of articles on one event."""

    id: int
    title: str  # the headline of the member closest to the story's mean vector
    first_seen: str | None
    last_seen: str | None
    outlets: list[str]
    articles: list[str]  # article ids, in the order they joined

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class _Members:
    """Everything a story remembers besides its vectors (plain data)."""

    articles: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    title: str = ""
    first_seen: str | None = None
    last_seen: str | None = None
    first_day: float | None = None
    last_day: float | None = None
    last_tick: int = 0
    # Per channel: the sum of the members' unit tf-idf vectors, and its squared norm
    # (kept up to date on each add).
    profiles: dict[str, dict[str, float]] = field(default_factory=lambda: {c: {} for c in CHANNELS})
    norms2: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0.0))


def day_number(published: str | None) -> float | None:
    """Days since year 1 (fractional with a time of day), or None when there is no date."""
    if not published:
        return None
    try:
        moment = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.fromisoformat(published.strip()[:10])
        except ValueError:
            return None
    return moment.toordinal() + (moment.hour * 3600 + moment.minute * 60 + moment.second) / 86400


class StoryGrouper:
    """Groups signatures into stories, one article at a time (see the module docstring)."""

    def __init__(self, settings: GroupingSettings | None = None) -> None:
        self.settings = settings or GroupingSettings()
        self._idf = {channel: Idf() for channel in CHANNELS}
        self._members: list[_Members] = []
        # Per-story arrays, row = story id, grown by doubling (see _grow).
        self._sums = np.zeros((0, 0), dtype=np.float32)  # sum of member vectors
        self._norms = np.zeros(0, dtype=np.float32)  # length of each sum
        self._title_vectors = np.zeros((0, 0), dtype=np.float32)  # the title's article vector
        self._first_days = np.zeros(0)  # NaN: an undated story
        self._last_days = np.zeros(0)
        self._last_ticks = np.zeros(0, dtype=np.int64)
        self._open = OpenSet()
        self._tick = 0  # articles added so far
        self._latest_day: float | None = None

    # ------------------------------------------------------------------ grouping

    def add(self, signature: StorySignature) -> int:
        """Put one article into a story; returns the story's id."""
        self._tick += 1
        day = day_number(signature.published)
        if day is not None:
            self._latest_day = day if self._latest_day is None else max(self._latest_day, day)
        sparse = {}
        for channel, weight in self.settings.channel_weights().items():
            if weight:  # a channel without weight is not even counted (time and memory)
                counts = getattr(signature, channel)
                self._idf[channel].add(counts)
                sparse[channel] = self._idf[channel].unit_vector(counts)
        vector = np.asarray(signature.vector, dtype=np.float32)
        story = self._best_story(vector, sparse, day)
        if story is None:
            story = self._new_story(vector.shape[0])
        self._join(story, signature, vector, sparse, day)
        if self._tick % PRUNE_EVERY == 0:
            self._prune_open()
        return story

    def add_many(self, signatures: Iterable[StorySignature]) -> Iterator[tuple[StorySignature, int]]:
        """`add` each signature in turn, yielding it with its story id, with BLAS on one thread: the
        one matrix-vector product per article is small, and OpenBLAS's threads handing it
        back and forth cost 40x the product itself on 2 busy cores (10^5 articles took over
        15 minutes instead of a few)."""
        from parallax.embeddings import single_threaded_blas

        with single_threaded_blas():
            for signature in signatures:
                yield signature, self.add(signature)

    def _reachable(self, ids: np.ndarray, day: float | None) -> np.ndarray:
        """Which of the open stories `ids` this article may join (time window or recent input)."""
        by_tick = self._tick - self._last_ticks[ids] <= self.settings.recent_articles
        if day is None:
            return by_tick
        first, last = self._first_days[ids], self._last_days[ids]
        gap = np.maximum(np.maximum(first - day, day - last), 0.0)
        return np.where(np.isnan(first), by_tick, gap <= self.settings.window_days)

    def _best_story(self, vector: np.ndarray, sparse: dict[str, dict[str, float]],
                    day: float | None) -> int | None:
        ids = self._open.ids[:self._open.size]
        if ids.size == 0:
            return None
        reachable = self._reachable(ids, day)
        dense = self._open.vectors[:self._open.size] @ vector
        ids, dense = ids[reachable], dense[reachable]
        if ids.size == 0:
            return None
        shortlist = self.settings.max_candidates
        if ids.size > shortlist:
            top = np.argpartition(-dense, shortlist)[:shortlist]
            ids, dense = ids[top], dense[top]
        best, best_score = None, -math.inf
        for story, cosine in sorted(zip(ids.tolist(), dense.tolist())):  # ties: the older story
            score = self._score(self._members[story], cosine, sparse, day)
            if score > best_score:
                best, best_score = story, score
        return best if best_score >= self.settings.join_threshold else None

    def _score(self, members: _Members, dense: float, sparse: dict[str, dict[str, float]],
               day: float | None) -> float:
        s = self.settings
        total, weights = s.dense_weight * dense, s.dense_weight
        for channel, weight in s.channel_weights().items():
            if weight and sparse.get(channel) and members.norms2[channel] > 0:
                total += weight * cosine_to_sum(sparse[channel], members.profiles[channel],
                                                 members.norms2[channel])
                weights += weight
        score = total / weights if weights else 0.0
        if day is not None and members.first_day is not None and s.window_days > 0:
            gap = max(members.first_day - day, day - members.last_day, 0.0)
            score += s.time_bonus * max(1.0 - gap / s.window_days, 0.0)
        return score

    def _new_story(self, width: int) -> int:
        story = len(self._members)
        if self._sums.shape[0] <= story:
            self._grow(max(64, 2 * story), width)
        self._members.append(_Members())
        return story

    def _grow(self, rows: int, width: int) -> None:
        """Reallocate the per-story arrays with `rows` rows (doubling: O(1) per story)."""
        n = len(self._members)

        def grown(old: np.ndarray, shape: tuple[int, ...], fill: float) -> np.ndarray:
            new = np.full(shape, fill, dtype=old.dtype)
            if n:
                new[:n] = old[:n]
            return new

        self._sums = grown(self._sums, (rows, width), 0.0)
        self._norms = grown(self._norms, (rows,), 0.0)
        self._title_vectors = grown(self._title_vectors, (rows, width), 0.0)
        self._first_days = grown(self._first_days, (rows,), np.nan)
        self._last_days = grown(self._last_days, (rows,), np.nan)
        self._last_ticks = grown(self._last_ticks, (rows,), 0)

    def _join(self, story: int, signature: StorySignature, vector: np.ndarray,
              sparse: dict[str, dict[str, float]], day: float | None) -> None:
        m = self._members[story]
        m.articles.append(signature.article_id)
        if signature.outlet and signature.outlet not in m.outlets:
            m.outlets.append(signature.outlet)
        if day is not None:
            if m.first_day is None or day < m.first_day:
                m.first_day, m.first_seen = day, signature.published
            if m.last_day is None or day > m.last_day:
                m.last_day, m.last_seen = day, signature.published
            self._first_days[story], self._last_days[story] = m.first_day, m.last_day
        m.last_tick = self._tick
        self._last_ticks[story] = self._tick
        for channel, vector_ in sparse.items():
            m.norms2[channel] = add_sparse(m.profiles[channel], vector_, m.norms2[channel],
                                            self.settings.max_story_terms)
        self._sums[story] += vector
        self._norms[story] = np.linalg.norm(self._sums[story])
        self._open.put(story, self._sums[story] / max(float(self._norms[story]), 1e-12))
        self._update_title(story, m, signature.title, vector)

    def _update_title(self, story: int, m: _Members, title: str, vector: np.ndarray) -> None:
        """Keep as title the headline whose vector is closest to the story's mean."""
        mean = self._sums[story]
        if not m.title or float(vector @ mean) > float(self._title_vectors[story] @ mean):
            m.title = title
            self._title_vectors[story] = vector

    def _prune_open(self) -> None:
        """Close the stories no later article can reach (inputs come in time order) and
        drop their term profiles, so memory grows with the open stories, not the corpus."""
        s = self.settings
        ids = self._open.ids[:self._open.size]
        recent = self._tick - self._last_ticks[ids] <= s.recent_articles
        if self._latest_day is not None:
            recent |= self._last_days[ids] + s.window_days >= self._latest_day
        for story in ids[~recent].tolist():  # closed for good: its profiles are never read again
            self._members[story].profiles = {channel: {} for channel in CHANNELS}
            self._members[story].norms2 = dict.fromkeys(CHANNELS, 0.0)
        self._open.keep(recent)

    # ------------------------------------------------------------------ results

    def stories(self) -> list[Story]:
        """Every story so far, in the order they started."""
        return [Story(id=i, title=m.title, first_seen=m.first_seen, last_seen=m.last_seen,
                      outlets=list(m.outlets), articles=list(m.articles))
                for i, m in enumerate(self._members)]

    def __len__(self) -> int:
        return len(self._members)

    # ------------------------------------------------------------------ state

    def state(self) -> dict[str, Any]:
        """The whole grouper as plain data (vectors as float32 arrays)."""
        n = len(self._members)
        return {"settings": dataclasses.asdict(self.settings), "tick": self._tick,
                "latest_day": self._latest_day,
                "df": {c: dict(idf.counts) for c, idf in self._idf.items()},
                "docs": {c: idf.docs for c, idf in self._idf.items()},
                "stories": [dataclasses.asdict(m) for m in self._members],
                "open": self._open.ids[:self._open.size].tolist(),
                "vector_sums": self._sums[:n].copy(), "vector_norms": self._norms[:n].copy(),
                "title_vectors": self._title_vectors[:n].copy()}

    @classmethod
    def from_state(cls, state: dict[str, Any], settings: GroupingSettings | None = None) -> StoryGrouper:
        """A grouper that continues where `state` left off (its own settings unless given)."""
        grouper = cls(settings or _saved_settings(state["settings"]))
        grouper._tick = int(state["tick"])
        grouper._latest_day = state["latest_day"]
        grouper._idf = {c: Idf(state["df"][c], int(state["docs"][c])) for c in CHANNELS}
        sums = np.asarray(state["vector_sums"], dtype=np.float32)
        if len(sums):
            grouper._grow(max(64, 2 * len(sums)), sums.shape[1])
            n = len(sums)
            grouper._sums[:n] = sums
            grouper._norms[:n] = np.asarray(state["vector_norms"], dtype=np.float32)
            grouper._title_vectors[:n] = np.asarray(state["title_vectors"], dtype=np.float32)
        grouper._members = [_restore_members(m) for m in state["stories"]]
        for i, m in enumerate(grouper._members):
            grouper._first_days[i] = np.nan if m.first_day is None else m.first_day
            grouper._last_days[i] = np.nan if m.last_day is None else m.last_day
            grouper._last_ticks[i] = m.last_tick
        for story in state["open"]:
            story = int(story)
            grouper._open.put(story, grouper._sums[story] / max(float(grouper._norms[story]), 1e-12))
        return grouper


def _saved_settings(saved: dict[str, Any]) -> GroupingSettings:
    """Settings saved by this or an older version: fields it no longer has are ignored,
    and fields it lacks take today's defaults."""
    known = {f.name for f in dataclasses.fields(GroupingSettings)}
    return GroupingSettings(**{key: value for key, value in saved.items() if key in known})


def _restore_members(data: dict[str, Any]) -> _Members:
    """A story's plain data back as _Members, with its own copies of lists and dicts."""
    return _Members(**{**data, "articles": list(data["articles"]), "outlets": list(data["outlets"]),
                       "profiles": {c: dict(p) for c, p in data["profiles"].items()},
                       "norms2": dict(data["norms2"])})


# Open stories are re-checked every this many articles: often enough to keep the open set
# near its true size, rarely enough that the check costs nothing per article.
PRUNE_EVERY = 256


def group(signatures: list[StorySignature], settings: GroupingSettings | None = None) -> list[Story]:
    """Stories of `signatures`, taken in publication order (undated ones keep input order)."""
    grouper = StoryGrouper(settings)
    for _ in grouper.add_many(publication_order(signatures)):
        pass
    return grouper.stories()


def publication_order(signatures: list[StorySignature]) -> list[StorySignature]:
    """Dated signatures by date; an undated one stays after the one it followed in input."""
    keyed, last = [], -math.inf
    for position, signature in enumerate(signatures):
        day = day_number(signature.published)
        last = day if day is not None else last
        keyed.append((last, position, signature))
    return [signature for _, _, signature in sorted(keyed, key=lambda item: item[:2])]


__all__ = ["GroupingSettings", "Story", "StoryGrouper", "day_number", "group", "publication_order"]

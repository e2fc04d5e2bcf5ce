"""Stories over the whole corpus: the partitions' signatures, grouped in publication order.

The costly part of story grouping is the signature (the title + lead encoder, ~5 ms an
article), and it is computed in parallel by the `sketch` tasks. The grouping itself is
online and cheap (parallax.corpus.stories: ~5,000 articles/s, memory bounded by the open
stories), so it runs here, on the client, over the signatures in the order one machine's
`parallax stories` takes them (parallax.store.corpus.iter_signatures): the dated ones by
(publication time, input position), then the undated ones by input position. The result
is then the single-machine grouping exactly, not an approximation of it: the same
signatures (the int8 encoder encodes each text alone, so batchmates change nothing) in
the same order through the same grouper.

The cluster sorts (Dask DataFrame sort_values, partition by partition to the client), so
the client holds one partition of signatures and the grouper's open stories, never the
corpus. Blocking by time window and candidate neighbours is the grouper's own: an article
is only scored against the stories open in its window, shortlisted by their vectors.
"""
from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from parallax.batch.rows import SIGNATURES, schemas, signature_from_row, story_rows
from parallax.corpus.stories import GroupingSettings, StoryGrouper

if TYPE_CHECKING:
    import pandas as pd

    from parallax.batch.output import Output

# The stories tables are written by the client whole, under this partition name.
STORIES_PART = "00000"


@dataclass
class Grouping:
    stories: int
    articles: int
    seconds: float  # the grouping itself, on the client (the sort and reads excluded)


def group_stories(out: Output, repeated: frozenset[int] | set[int] = frozenset(),
                  settings: GroupingSettings | None = None) -> Grouping:
    """Group the signatures under `out` (but those at `repeated` positions: ids stored
    earlier) and write the stories and story_articles tables."""
    grouper = StoryGrouper(settings)
    members: list[dict[str, Any]] = []
    busy = 0.0
    for frame in _in_order(out, repeated):
        started = time.process_time()
        for row in frame.to_dict("records"):
            story = grouper.add(signature_from_row(_plain(row)))
            members.append({"story_id": str(story + 1), "article_id": row["article_id"], "position": len(members)})
        busy += time.process_time() - started
    tables = schemas()
    out.write_table("stories", STORIES_PART, story_rows(grouper.stories()), tables["stories"])
    out.write_table("story_articles", STORIES_PART, members, tables["story_articles"])
    return Grouping(len(grouper), len(members), busy)


def _in_order(out: Output, repeated: frozenset[int] | set[int]) -> Iterator[pd.DataFrame]:
    """The signatures, a sorted partition at a time: dated by (time, position), then undated."""
    import dask.dataframe as dd

    table = dd.read_parquet(out.table_url(SIGNATURES), storage_options=None if out.local else out.fs.storage_options)
    if repeated:
        table = table[~table["position"].isin(sorted(repeated))]
    dated = table[table["published_at"].notnull()].sort_values(["published_at", "position"])
    undated = table[table["published_at"].isnull()].sort_values("position")
    for part in (dated, undated):
        part = part.persist()  # sorted once, then fetched a partition at a time
        for piece in part.to_delayed():
            frame = piece.compute()
            if len(frame):
                yield frame


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row from pandas with its missing values as None (pandas gives NaN for them)."""
    return {key: None if isinstance(value, float) and math.isnan(value) else value for key, value in row.items()}


__all__ = ["Grouping", "STORIES_PART", "group_stories"]

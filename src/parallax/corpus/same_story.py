"""Are these articles one story? The corpus's story grouping, run over a handful of articles.

`parallax compare` uses it to warn when its inputs are not one story (198 BASIL articles of
66 events compared as one gave 24 "conflicts", 17 of them between different events), and
to say how the grouping splits them.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from parallax.model import Analysis, Article


def story_groups(analyses: Sequence[Analysis], encode: Callable[[Analysis, list[str]], np.ndarray]) -> list[list[int]]:
    """The analyses' indices grouped into stories, in order of each story's first article;
    `encode(analysis, texts)` gives the unit vectors of an article's title + lead."""
    from parallax.corpus.signatures import lead_text, signature_of
    from parallax.corpus.stories import StoryGrouper, publication_order

    found = [signature_of(a.article, lead, encode(a, [lead])[0])
             for a, lead in ((a, lead_text(a.article)) for a in analyses)]
    position = {id(signature): index for index, signature in enumerate(found)}
    grouper, story_of = StoryGrouper(), {}
    for signature in publication_order(found):
        story_of[position[id(signature)]] = grouper.add(signature)
    groups: dict[int, list[int]] = {}
    for index in sorted(story_of):
        groups.setdefault(story_of[index], []).append(index)
    return list(groups.values())


def split_warning(articles: Sequence[Article], groups: list[list[int]], names: Sequence[str]) -> str | None:
    """A warning naming how the grouping splits the inputs, or None when they are one story."""
    if len(groups) <= 1:
        return None
    parts = "; ".join(f"[{number}] " + ", ".join(names[i] for i in group) for number, group in enumerate(groups, 1))
    return (f"these {len(articles)} articles look like {len(groups)} stories, not one: {parts}. Conflicts and "
            "omissions between different stories are not real; compare each story on its own "
            "(or use `parallax ingest` and `parallax stories` for a corpus)")


__all__ = ["split_warning", "story_groups"]

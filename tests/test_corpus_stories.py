"""Story grouping: table-driven cases on tiny real texts (through the packaged encoder),
the time window, state save/restore, and the signature's plain-data form."""
from __future__ import annotations

import json

import numpy as np
import pytest

from parallax.corpus.signatures import StorySignature, entity_keys, lead_text, numbers, signatures
from parallax.corpus.stories import GroupingSettings, Story, StoryGrouper, day_number, group, publication_order
from parallax.model import Article

QUAKE_A = ("Earthquake kills 12 in northern Chile",
           "A magnitude 6.8 earthquake struck the Atacama region of northern Chile on Tuesday, "
           "killing 12 people and destroying hundreds of homes in the town of Copiapo, officials said. "
           "Rescue teams from Santiago were searching collapsed buildings overnight.")
QUAKE_B = ("Deadly tremor hits Chile's Atacama desert",
           "At least 12 people died when a 6.8-magnitude quake shook Copiapo in Chile's Atacama "
           "region, the national emergency office said. Homes collapsed across the town and "
           "rescuers sent from Santiago dug through the rubble.")
SENATOR_RUN = ("Senator Maria Hollis launches bid for Ohio governor",
               "Senator Maria Hollis announced in Columbus on Monday that she will run for governor "
               "of Ohio in 2026, promising to cut property taxes and expand rural broadband. "
               "Hollis, a Democrat, said her campaign had raised 4.2 million dollars.")
SENATOR_CRASH = ("Senator Maria Hollis hurt in highway crash",
                 "Senator Maria Hollis was taken to hospital with a broken arm after her car collided "
                 "with a truck on Interstate 71 near Cincinnati, state troopers said. Hollis, a "
                 "Democrat, is expected to recover; the truck driver was unhurt.")
STRIKE_LATER = ("Port workers in Rotterdam strike over pay",
                "Dock workers at the port of Rotterdam walked out on Friday demanding a 9 percent "
                "raise, halting container traffic, the FNV union said. Ships queued outside the harbour.")

# (case, [(title, text, published)], the expected grouping: one story label per article)
CASES = [
    ("same event in different words", [(*QUAKE_A, None), (*QUAKE_B, None)], [0, 0]),
    ("same people, different event", [(*SENATOR_RUN, None), (*SENATOR_CRASH, None)], [0, 1]),
    ("same event, next day", [(*QUAKE_A, "2024-03-05"), (*QUAKE_B, "2024-03-06")], [0, 0]),
    ("same entities weeks apart", [(*QUAKE_A, "2024-03-05"), (*QUAKE_B, "2024-04-20")], [0, 1]),
    ("two events interleaved",
     [(*QUAKE_A, None), (*SENATOR_RUN, None), (*QUAKE_B, None), (*STRIKE_LATER, None)], [0, 1, 0, 2]),
]


def _articles(items: list[tuple[str, str, str | None]]) -> list[Article]:
    return [Article(text=f"{title}\n{body}", title=title, outlet=f"outlet{i}", published=published)
            for i, (title, body, published) in enumerate(items)]


def _same_partition(labels: list[int], expected: list[int]) -> bool:
    return all((labels[i] == labels[j]) == (expected[i] == expected[j])
               for i in range(len(labels)) for j in range(len(labels)))


@pytest.mark.parametrize(("case", "items", "expected"), CASES, ids=[c[0] for c in CASES])
def test_grouping_cases(case, items, expected):
    grouper = StoryGrouper()
    labels = [grouper.add(s) for s in signatures(_articles(items))]
    assert _same_partition(labels, expected), (case, labels)


# --------------------------------------------------------------- hand-made signatures

def _unit(rng: np.random.Generator, width: int = 16) -> np.ndarray:
    v = rng.normal(size=width).astype(np.float32)
    return v / np.linalg.norm(v)


def _signature(name: str, vector: np.ndarray, words: list[str], published: str | None = None,
               outlet: str = "") -> StorySignature:
    counts = {w: 1 for w in words}
    return StorySignature(article_id=name, outlet=outlet, published=published, title=name.upper(),
                          vector=vector, entities=dict(counts), terms=dict(counts),
                          lead_terms=dict(counts), numbers={})


def _stream(seed: int = 3, stories: int = 12, per_story: int = 5) -> list[StorySignature]:
    """Articles of `stories` latent events, each a noisy copy of its event, shuffled."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(stories):
        centre = _unit(rng)
        for j in range(per_story):
            noisy = centre + 0.35 * _unit(rng)
            words = [f"e{k}w{i}" for i in range(6) if rng.random() < 0.7] + [f"common{j}"]
            day = f"2024-01-{1 + k + j % 2:02d}"
            out.append(_signature(f"s{k}a{j}", noisy / np.linalg.norm(noisy), words, day, f"o{j % 3}"))
    order = rng.permutation(len(out))
    return publication_order([out[i] for i in order])


def test_identical_signatures_join_and_unrelated_ones_do_not():
    rng = np.random.default_rng(0)
    v, w = _unit(rng), _unit(rng)
    grouper = StoryGrouper()
    first = grouper.add(_signature("a", v, ["x", "y"]))
    assert grouper.add(_signature("b", v, ["x", "y"])) == first
    assert grouper.add(_signature("c", w, ["p", "q"])) != first


def test_time_window_closes_a_story():
    rng = np.random.default_rng(1)
    v = _unit(rng)
    settings = GroupingSettings(window_days=7)
    grouper = StoryGrouper(settings)
    a = grouper.add(_signature("a", v, ["x"], "2024-01-01"))
    b = grouper.add(_signature("b", v, ["x"], "2024-01-05"))
    c = grouper.add(_signature("c", v, ["x"], "2024-01-30"))
    assert a == b != c


def test_recent_articles_bounds_undated_candidates():
    rng = np.random.default_rng(2)
    v = _unit(rng)
    grouper = StoryGrouper(GroupingSettings(recent_articles=3))
    first = grouper.add(_signature("a", v, ["x"]))
    for i in range(4):
        grouper.add(_signature(f"filler{i}", _unit(rng), [f"f{i}"]))
    assert grouper.add(_signature("late", v, ["x"])) != first


def test_story_fields_and_title():
    stream = _stream()
    stories = group(stream)
    assert all(isinstance(s, Story) for s in stories)
    assert sorted(a for s in stories for a in s.articles) == sorted(s.article_id for s in stream)
    for story in stories:
        titles = {sig.article_id.upper() for sig in stream if sig.article_id in story.articles}
        assert story.title in titles
        assert story.first_seen <= story.last_seen
        assert set(story.as_dict()) == {"id", "title", "first_seen", "last_seen", "outlets", "articles"}


def test_state_restore_then_continue_equals_one_run():
    stream = _stream()
    whole = StoryGrouper()
    labels_whole = [whole.add(s) for s in stream]

    first = StoryGrouper()
    labels = [first.add(s) for s in stream[:27]]
    state = first.state()
    # Through JSON, as a store would keep it (vectors as lists, back to float32 arrays).
    plain = json.loads(json.dumps(state, default=lambda a: a.tolist()))
    restored = StoryGrouper.from_state(plain)
    labels += [restored.add(s) for s in stream[27:]]

    assert labels == labels_whole
    assert [s.as_dict() for s in restored.stories()] == [s.as_dict() for s in whole.stories()]
    assert len(set(labels_whole)) > 1 and len(set(labels_whole)) < len(stream)


def test_publication_order_keeps_undated_after_their_predecessor():
    rng = np.random.default_rng(4)
    items = [_signature(n, _unit(rng), [], d) for n, d in
             [("b", "2024-01-02"), ("u", None), ("a", "2024-01-01"), ("c", "2024-01-03")]]
    assert [s.article_id for s in publication_order(items)] == ["a", "b", "u", "c"]


def test_day_number():
    assert day_number("2024-01-02") - day_number("2024-01-01") == 1
    assert day_number("2024-01-01T12:00:00Z") - day_number("2024-01-01") == pytest.approx(0.5)
    assert day_number("not a date") is None and day_number(None) is None


# ------------------------------------------------------------------------ signatures

def test_entity_keys_heuristic():
    text = ("Perennial party girl Tara Reid checked into Promises Treatment Center, her rep told "
            "People. Reid launched a fashion line in December. The Bank of America said so.\n"
            "Lindsay Lohan Checks Into Betty Ford Center Again")
    keys = entity_keys(text)
    assert {"tara reid", "reid", "promises treatment center", "bank of america"} <= set(keys)
    assert keys["reid"] == 2  # "Reid" alone and as the last word of "Tara Reid"
    assert "perennial" not in keys and "december" not in keys and "the" not in keys
    assert "lindsay lohan" not in keys  # a title-case headline says nothing about names


def test_numbers_and_lead():
    assert numbers("On May 3, 2013 he paid $1,200 to 5 people, 5.6 magnitude") == {"2013": 1, "1200": 1, "5.6": 1}
    article = Article(text="Headline here\n" + " ".join(f"w{i}" for i in range(100)), title="Headline here")
    lead = lead_text(article, words=10)
    assert lead.startswith("Headline here\nw0 ") and len(lead.split()) == 10


def test_signature_is_plain_data():
    article = Article(text="Quake hits Chile\nA quake hit Copiapo in Chile in 2024.", title="Quake hits Chile",
                      outlet="wire", published="2024-03-05")
    (sig,) = signatures([article])
    assert sig.vector.dtype == np.float32 and abs(float(np.linalg.norm(sig.vector)) - 1) < 1e-5
    data = sig.as_dict()
    assert json.loads(json.dumps(data, default=lambda a: a.tolist()))["title"] == "Quake hits Chile"
    back = StorySignature.from_dict(data)
    assert back.terms == sig.terms and np.array_equal(back.vector, sig.vector)
    assert "copiapo" in sig.entities and "2024" in sig.numbers

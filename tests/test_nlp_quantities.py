"""find_quantities: text -> normalised (low, high, approximate, unit)."""
import pytest

from parallax.model import Quantity
from parallax.nlp.quantities import counted_noun, find_quantities, parse_number


@pytest.mark.parametrize("text, expected", [
    # (matched text, low, high, approximate, unit)
    ("hundreds of civilians have been killed", [("hundreds", 200, 999, True, "civilian")]),
    ("Between 26 and 43 civilians were reported killed",
     [("Between 26 and 43", 26, 43, False, "civilian")]),
    ("26 to 43 civilians", [("26 to 43", 26, 43, False, "civilian")]),
    ("killed over 60 soldiers and injured over 100 more",
     [("over 60", 61, None, False, "soldier"), ("over 100", 101, None, False, "soldier")]),
    ("more than 100 people", [("more than 100", 101, None, False, "people")]),
    ("at least 5 journalists", [("at least 5", 5, None, False, "journalist")]),
    ("fewer than 10 journalists", [("fewer than 10", 0, 9, False, "journalist")]),
    ("up to 300 fighters", [("up to 300", 0, 300, False, "fighter")]),
    ("close to half a million people",
     [("close to half a million", 500_000, 500_000, True, "people")]),
    ("about 3,000 troops", [("about 3,000", 3000, 3000, True, "troop")]),
    ("1.2 million refugees", [("1.2 million", 1_200_000, 1_200_000, False, "refugee")]),
    ("tens of thousands of refugees",
     [("tens of thousands", 20_000, 99_999, True, "refugee")]),
    ("dozens and dozens of units, including heavy weaponry",
     [("dozens and dozens", 24, 99, True, "unit")]),
    ("hundreds of armed groups are being armed", [("hundreds", 200, 999, True, "group")]),
    ("the five-year conflict", [("five", 5, 5, False, "year")]),
    ("told the 15-member council", [("15", 15, 15, False, "member")]),
    ("Just three weeks after", [("three", 3, 3, False, "week")]),
    ("no room for 100 percent trust", [("100 percent", 100, 100, False, "percent")]),
    ("12% of voters", [("12%", 12, 12, False, "percent")]),
    ("twenty-five soldiers died", [("twenty-five", 25, 25, False, "soldier")]),
    ("another three- or four-day pause", [("three- or four", 3, 4, False, "day")]),
    ("one of five veto-powers", [("five", 5, 5, False, "veto-power")]),
    ("seven children", [("seven", 7, 7, False, "child")]),
    ("a million people marched", [("a million", 1_000_000, 1_000_000, False, "people")]),
    ("More than 2.5 million Syrians", [("More than 2.5 million", 2_500_000, None, False, "syrian")]),
    ("nearly two-thirds of voters", [("nearly two-thirds", 66.7, 66.7, True, "percent")]),
    ("forced more than half of the population to leave",
     [("more than half", 50, 100, False, "percent")]),
    ("2000 soldiers", [("2000", 2000, 2000, False, "soldier")]),
    ("between 1,000 and 2,000 troops", [("between 1,000 and 2,000", 1000, 2000, False, "troop")]),
])
def test_quantities_are_normalised(text, expected):
    found = [(q.text, q.low, q.high, q.approximate, q.unit) for q in find_quantities(text)]
    assert found == expected


@pytest.mark.parametrize("text", [
    "the September 9 ceasefire deal",
    "Aleppo, Syria September 25, 2016",
    "26 September 2016",
    "in March 2011",
    "in 2016, the war",
    "at 10:30 the bomb fell",
    "tension rose often",
    "one of them said no one knew",
    "the 2016 election",
    "Resolution 2254 says",
    "F-16 jets and COVID-19 cases",
    "on 9/11 the towers fell",
])
def test_dates_times_and_words_are_not_quantities(text):
    assert find_quantities(text) == []


def test_offsets_are_shifted_into_the_article():
    text = "So far 26 to 43 civilians died."
    [quantity] = find_quantities(text, offset=100)
    assert isinstance(quantity, Quantity)
    assert (quantity.start, quantity.end) == (107, 115)
    assert text[quantity.start - 100:quantity.end - 100] == quantity.text == "26 to 43"


@pytest.mark.parametrize("text, value", [
    ("1,200", 1200), ("1.2 million", 1_200_000), ("twenty-five", 25),
    ("five hundred", 500), ("half a million", 500_000), ("a dozen", 12), ("a thousand", 1000),
    ("banana", None),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("after, noun", [
    (" of civilians have been", "civilian"), ("-member council", "member"),
    (" people, forced", "people"), (" killed in raids", ""), (", the rest", ""),
    (" of armed groups are", "group"), (" women and children", "woman"),
])
def test_counted_noun(after, noun):
    assert counted_noun(after) == noun

"""Place words folded to one key, so that descriptions of one person match.

    place_key(word) -> str | None
    PLACE_KEYS                          every key

"Moscow's U.N. envoy" and "Russian U.N. Ambassador Vitaly Churkin" describe one man:
a capital, a demonym and a country name all give the key "russia"; "the Florida
senator" and "Sen. Marco Rubio (R-Fla.)" share "florida". Two different keys in two
descriptions tell two people apart ("Britain's U.N. ambassador" is not Churkin).
The tables are small on purpose: the countries and capitals of international news
and the US states with their AP and postal abbreviations.
"""
from __future__ import annotations

# Country key -> the words that name it: the country, its demonym(s), its capital.
COUNTRIES: dict[str, str] = {
    "russia": "russia russian russians moscow kremlin",
    "united states": "us u.s. usa america american americans washington",
    "united kingdom": "uk u.k. britain british england english london",
    "france": "france french paris",
    "germany": "germany german berlin",
    "china": "china chinese beijing",
    "syria": "syria syrian syrians damascus",
    "iran": "iran iranian tehran",
    "iraq": "iraq iraqi baghdad",
    "israel": "israel israeli jerusalem",
    "turkey": "turkey turkish ankara",
    "ukraine": "ukraine ukrainian kiev kyiv",
    "japan": "japan japanese tokyo",
    "saudi arabia": "saudi riyadh",
    "mexico": "mexico mexican",
    "canada": "canada canadian ottawa",
    "india": "india indian delhi",
    "north korea": "pyongyang",
    "egypt": "egypt egyptian cairo",
    "italy": "italy italian rome",
}

# US states: full name, then AP abbreviation(s) and postal code, lower case.
STATES: dict[str, str] = {
    "alabama": "ala. al", "alaska": "ak", "arizona": "ariz. az", "arkansas": "ark. ar",
    "california": "calif. ca", "colorado": "colo. co", "connecticut": "conn. ct",
    "delaware": "del. de", "florida": "fla. fl", "georgia": "ga. ga", "hawaii": "hi",
    "idaho": "id", "illinois": "ill. il", "indiana": "ind. in", "iowa": "ia",
    "kansas": "kan. ks", "kentucky": "ky. ky", "louisiana": "la. la", "maine": "me",
    "maryland": "md. md", "massachusetts": "mass. ma", "michigan": "mich. mi",
    "minnesota": "minn. mn", "mississippi": "miss. ms", "missouri": "mo. mo",
    "montana": "mont. mt", "nebraska": "neb. ne", "nevada": "nev. nv",
    "new hampshire": "n.h. nh", "new jersey": "n.j. nj", "new mexico": "n.m. nm",
    "new york": "n.y. ny", "north carolina": "n.c. nc", "north dakota": "n.d. nd",
    "ohio": "oh", "oklahoma": "okla. ok", "oregon": "ore. or", "pennsylvania": "pa. pa",
    "rhode island": "r.i. ri", "south carolina": "s.c. sc", "south dakota": "s.d. sd",
    "tennessee": "tenn. tn", "texas": "texas tex. tx", "utah": "ut", "vermont": "vt. vt",
    "virginia": "va. va", "washington state": "wash. wa", "west virginia": "w.va. wv",
    "wisconsin": "wis. wi", "wyoming": "wyo. wy",
}

# Postal codes that are also English words ("in", "me", "or", "oh", "hi"): a state only
# inside a party tag ("R-Ind."), never in running text ("Miss." is also a title).
WORD_CODES = frozenset("al co de ga hi id in la me ma mi mo ms mt ne oh ok or pa va wa miss.".split())


def _index() -> tuple[dict[str, str], dict[str, str]]:
    words: dict[str, str] = {}
    codes: dict[str, str] = {}
    for key, names in COUNTRIES.items():
        for word in names.split():
            words[word] = key
        words[key] = key
    for state, abbreviations in STATES.items():
        words[state] = state
        for abbreviation in abbreviations.split():
            (codes if abbreviation in WORD_CODES else words)[abbreviation] = state
            codes[abbreviation] = state
    return words, codes


PLACE_WORDS, STATE_CODES = _index()
# Every key a place word folds to: what tells two descriptions' places apart.
PLACE_KEYS = frozenset(PLACE_WORDS.values()) | frozenset(STATE_CODES.values())


def place_key(word: str, in_tag: bool = False) -> str | None:
    """The place `word` names ("Moscow's" -> "russia", "Fla." -> "florida"), or None.
    `in_tag`: the word is the state of a party tag, where "Ind." or "IN" is a state."""
    word = word.lower().strip(",;:()").removesuffix("'s").removesuffix("’s")
    if in_tag:
        return STATE_CODES.get(word) or STATE_CODES.get(word + ".") or PLACE_WORDS.get(word)
    return PLACE_WORDS.get(word)


__all__ = ["PLACE_KEYS", "place_key"]

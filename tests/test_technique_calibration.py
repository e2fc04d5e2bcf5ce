"""Calibration of the technique detector (techniques/calibration.py): loading and applying it.

The spans are built by hand, so each case states exactly which span a user is shown and as
what; the last tests run the packaged model, including the regression of issue 11 ("World
War One film" came out as Reductio ad hitlerum).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax import techniques
from parallax.errors import ModelError
from parallax.techniques import calibration, fast
from parallax.techniques.calibration import REDUCTIO, UNCALIBRATED, Calibration, Candidate

LOADED, DOUBT, NAME = "Loaded_Language", "Doubt", "Name_Calling,Labeling"
BASE = 0.3  # the shipped decoding cut

PLAIN = "The film opens in cinemas on Friday. It runs for two hours."
NAZI = "He compared the minister to the Nazis. It runs for two hours."


def candidate(start: int, end: int, score: float, *ranking: tuple[str, float]) -> Candidate:
    return Candidate(start, end, score, tuple(ranking))


# (case, text, candidates, calibration, expected (start, end, technique) shown)
APPLY_CASES = [
    ("uncalibrated shows every span as its top technique", PLAIN,
     [candidate(4, 8, 0.31, (LOADED, 0.9)), candidate(37, 50, 0.5, (DOUBT, 0.6))], UNCALIBRATED,
     [(4, 8, LOADED), (37, 50, DOUBT)]),
    ("a technique threshold hides that technique only", PLAIN,
     [candidate(4, 8, 0.4, (LOADED, 0.9)), candidate(37, 50, 0.4, (DOUBT, 0.6))],
     Calibration({LOADED: 0.45}), [(37, 50, DOUBT)]),
    ("a span at exactly its threshold is shown", PLAIN,
     [candidate(4, 8, 0.45, (LOADED, 0.9))], Calibration({LOADED: 0.45}), [(4, 8, LOADED)]),
    ("min_score is a floor for every technique", PLAIN,
     [candidate(4, 8, 0.35, (LOADED, 0.9)), candidate(37, 50, 0.5, (DOUBT, 0.6))],
     Calibration({}, min_score=0.4), [(37, 50, DOUBT)]),
    ("the decoding cut wins over a lower technique threshold", PLAIN,
     [candidate(4, 8, 0.25, (LOADED, 0.9))], Calibration({LOADED: 0.2}), []),
    ("Reductio without a cue takes the next technique", PLAIN,
     [candidate(4, 8, 0.4, (REDUCTIO, 0.5), (NAME, 0.3))], Calibration(cue_rule=True), [(4, 8, NAME)]),
    ("Reductio with a Nazi in its sentence stays", NAZI,
     [candidate(3, 11, 0.4, (REDUCTIO, 0.5), (NAME, 0.3))], Calibration(cue_rule=True), [(3, 11, REDUCTIO)]),
    ("a cue in another sentence does not count", NAZI,
     [candidate(39, 52, 0.4, (REDUCTIO, 0.5), (NAME, 0.3))], Calibration(cue_rule=True), [(39, 52, NAME)]),
    ("the cue rule off keeps Reductio", PLAIN,
     [candidate(4, 8, 0.4, (REDUCTIO, 0.5), (NAME, 0.3))], Calibration(), [(4, 8, REDUCTIO)]),
    ("the fallback technique's threshold applies", PLAIN,
     [candidate(4, 8, 0.4, (REDUCTIO, 0.5), (NAME, 0.3))], Calibration({NAME: 0.5}, cue_rule=True), []),
    ("a span with only Reductio and no cue is dropped", PLAIN,
     [candidate(4, 8, 0.4, (REDUCTIO, 0.5))], Calibration(cue_rule=True), []),
]


@pytest.mark.parametrize("case, text, found, rules, expected", APPLY_CASES, ids=[c[0] for c in APPLY_CASES])
def test_apply(case: str, text: str, found: list[Candidate], rules: Calibration, expected: list) -> None:
    shown = calibration.apply(text, found, rules, BASE)
    assert [(x.start, x.end, x.technique) for x in shown] == expected


def test_a_shown_span_keeps_its_score_and_takes_its_techniques_probability() -> None:
    [shown] = calibration.apply(PLAIN, [candidate(4, 8, 0.4, (REDUCTIO, 0.5), (NAME, 0.3))],
                                Calibration(cue_rule=True), BASE)
    assert (shown.score, shown.technique_score) == (0.4, 0.3)


CUE_CASES = [
    ("The march was compared to a Nazi rally.", True),
    ("Critics called it a fascist theocracy.", True),
    ("Everyone is joining the boycott.", True),
    ("The World War One film \u201c1917\u201d was left out.", False),
    ("Phoenix played a loner who finds fame through violence.", False),
]


@pytest.mark.parametrize("sentence, cued", CUE_CASES)
def test_the_cue_is_read_from_the_spans_sentence(sentence: str, cued: bool) -> None:
    text = f"An unrelated opening line. {sentence} Hitler is named only in the next sentence."
    start = text.index(sentence)
    assert calibration.has_cue(text, start + 4, start + 10) is cued


def test_rerank_all_applies_the_rule_to_tc_rankings() -> None:
    text = PLAIN
    rankings = [[(REDUCTIO, 0.5), (NAME, 0.3), (LOADED, 0.2)]] * 2
    reranked = calibration.rerank_all(text, [(4, 8), (4, 8)], rankings, Calibration(cue_rule=True))
    assert reranked == [[(NAME, 0.3), (LOADED, 0.2)]] * 2
    assert calibration.rerank_all(text, [(4, 8)], rankings[:1], UNCALIBRATED) == rankings[:1]


# (case, calibration.json content, expected Calibration or the error's words)
LOAD_CASES = [
    ("values", {"thresholds": {LOADED: 0.4}, "min_score": 0.1, "cue_rule": True},
     Calibration({LOADED: 0.4}, 0.1, True)),
    ("notes beside the values are ignored", {"thresholds": {}, "cue_rule": True, "cv": {"folds": 5}},
     Calibration({}, 0.0, True)),
    ("empty object", {}, UNCALIBRATED),
    ("unknown technique", {"thresholds": {"Loaded": 0.4}}, "unknown techniques"),
    ("threshold out of range", {"thresholds": {LOADED: 1.5}}, "outside [0, 1)"),
    ("min_score out of range", {"min_score": -0.1}, "outside [0, 1)"),
    ("not an object", [0.4], "expected a JSON object"),
]


@pytest.mark.parametrize("case, content, expected", LOAD_CASES, ids=[c[0] for c in LOAD_CASES])
def test_load(tmp_path: Path, case: str, content, expected) -> None:
    (tmp_path / calibration.CALIBRATION_FILE).write_text(json.dumps(content), encoding="utf-8")
    if isinstance(expected, Calibration):
        assert calibration.load(tmp_path) == expected
    else:
        with pytest.raises(ModelError, match=expected.replace("[", r"\[").replace(")", r"\)")):
            calibration.load(tmp_path)


def test_a_folder_without_calibration_is_uncalibrated(tmp_path: Path) -> None:
    assert calibration.load(tmp_path) is UNCALIBRATED


def test_unreadable_json_is_a_model_error(tmp_path: Path) -> None:
    (tmp_path / calibration.CALIBRATION_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="unreadable"):
        calibration.load(tmp_path)


def test_save_then_load_round_trips(tmp_path: Path) -> None:
    rules = Calibration({DOUBT: 0.35, LOADED: 0.4}, 0.05, True)
    calibration.save(tmp_path, rules, {"chosen_by": "a test"})
    assert calibration.load(tmp_path) == rules
    assert json.loads((tmp_path / calibration.CALIBRATION_FILE).read_text())["chosen_by"] == "a test"


needs_model = pytest.mark.skipif(not (techniques.PACKAGED_MODEL / "config.json").is_file(), reason="no packaged model")

FILM = ("LOS ANGELES (Reuters) - Sam Mendes' World War One film \u201c1917\u201d, which follows two young British "
        "soldiers sent across no man's land to deliver a message, won the top prize at the Producers Guild "
        "Awards on Saturday. The film, shot to look like one continuous take, beat \u201cParasite\u201d and "
        "\u201cJoker\u201d. Those left out of the ensemble category include immersive World War One film "
        "\u201c1917\u201d, as well as \u201cMarriage Story\u201d and the novel adaptation \u201cLittle Women.\u201d")


@needs_model
def test_the_packaged_detector_loads_its_calibration() -> None:
    detector = techniques.load_detector()
    assert detector.calibration == calibration.load(techniques.model_dir())
    assert detector.calibration.cue_rule


@needs_model
def test_a_world_war_one_film_description_gets_no_reductio_ad_hitlerum() -> None:
    """Issue 11: "World War One film" in a Reuters entertainment story was Reductio ad hitlerum."""
    shown = techniques.detect(FILM)
    assert REDUCTIO not in {s.label for s in shown}


@needs_model
def test_calibration_only_hides_or_relabels_decoded_spans() -> None:
    raw = {(s.start, s.end) for s in techniques.detect(FILM, calibrated=False)}
    assert {(s.start, s.end) for s in techniques.detect(FILM)} <= raw


# Plain event reports with colourful words (written for this test), and a propaganda text.
PLAIN_REPORTS = [
    "Firefighters battled a massive blaze that tore through a downtown warehouse overnight, sending thick black "
    "smoke over the city. No one was hurt, the fire department said. Investigators are trying to find the cause of "
    "the devastating fire, which destroyed dozens of businesses.",
    "The home team suffered a humiliating 5-0 defeat on Sunday, its worst loss of a disastrous season. The coach "
    "said after the game that his players had been outplayed from the first whistle. The club has lost seven of its "
    "last eight matches.",
    "The pop singer was rushed to hospital on Friday after collapsing on stage in front of thousands of stunned "
    "fans, her spokesman said. The shocking scene unfolded midway through the concert. Doctors said she was in "
    "stable condition and expected to make a full recovery.",
]
# How far the int8 encoder's span scores move between CPU instruction sets (AVX2 against
# AVX-512 VNNI kernels): spans this close above their cut are the machine's, not the model's.
INT8_KERNEL_NOISE = 0.005
PROPAGANDA = ("The corrupt, treasonous elite are destroying our great nation. These traitors must be stopped before "
              "they unleash a new hell on innocent families. Wake up, America! The globalist puppet masters and their "
              "lapdog media will stop at nothing to crush the patriots who dare to speak the truth.")


# The genre prior over the whole text (2026-12-02) reads the football report as
# propaganda-rich (p 0.92), so its one span keeps the model's cut: a known miss, kept
# visible. That prior was chosen because it holds real plain news down better (ECB+ 1.99 ->
# 0.87, PolNeAR 4.82 -> 3.80, the 85 saved pages 10.3 -> 9.3 spans per 1,000 words,
# bench/technique_density.py); strict, so a prior that mends it shows here.
SPORTS_MISS = pytest.mark.xfail(strict=True, reason="the whole-text genre prior reads this sports report as "
                                "propaganda-rich (p 0.92)")


@needs_model
@pytest.mark.parametrize("text", [PLAIN_REPORTS[0], pytest.param(PLAIN_REPORTS[1], marks=SPORTS_MISS), PLAIN_REPORTS[2]],
                         ids=["fire", "football", "concert"])
def test_regression_plain_event_reports_are_not_flagged_for_their_colourful_words(text: str) -> None:
    """Issue 11: plain wire copy came out denser in techniques than propaganda-rich articles.
    A span may sit at its cut within INT8_KERNEL_NOISE: the quantised encoder's scores move
    by about 0.001 between CPUs (the football report's one span scores 0.4992 against a cut
    of 0.4983 on an AVX2-only machine, below it where the test was written)."""
    assert techniques.detect(text, calibrated=False), "the network decodes spans here: the case can fail"
    detector = techniques.load_detector()
    base = techniques._threshold(detector, None)
    offset = detector.calibration.offset(fast.encode_article(detector, text))
    assert offset > 0, "the genre prior reads the report as plain news"
    clear = [t for t in techniques.detect(text)
             if t.score >= detector.calibration.cut(t.label, base) + offset + INT8_KERNEL_NOISE]
    assert clear == []


@needs_model
def test_the_genre_prior_keeps_propaganda_spans() -> None:
    assert techniques.detect(PROPAGANDA) == techniques.detect(PROPAGANDA, calibrated=False) != []

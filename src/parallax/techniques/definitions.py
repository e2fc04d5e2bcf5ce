"""The 14 SemEval-2020 Task 11 techniques, with a one-line plain-English definition each."""
from __future__ import annotations

DEFINITIONS: dict[str, str] = {
    "Appeal_to_Authority": "Claims something is true because an authority or expert says so, without other evidence.",
    "Appeal_to_fear-prejudice": "Builds support for an idea by stirring up fear or prejudice against an alternative.",
    "Bandwagon,Reductio_ad_hitlerum": "Urges joining what 'everyone' does, or rejects an idea because a despised group holds it.",
    "Black-and-White_Fallacy": "Presents two options as the only ones possible when more exist.",
    "Causal_Oversimplification": "Assumes a single cause for an outcome that has several.",
    "Doubt": "Questions the credibility of someone or something without substantiation.",
    "Exaggeration,Minimisation": "Makes something seem much larger or smaller, better or worse, than it is.",
    "Flag-Waving": "Plays on strong national or group feeling to justify an action or idea.",
    "Loaded_Language": "Uses words and phrases with strong emotional charge to sway the reader.",
    "Name_Calling,Labeling": "Attaches a label the audience fears, hates or loves to a person or group.",
    "Repetition": "Repeats the same message again and again so the audience accepts it.",
    "Slogans": "A brief, striking phrase that may include labelling and stereotyping.",
    "Thought-terminating_Cliches": "Short, generic phrases that discourage critical thought and end a discussion.",
    "Whataboutism,Straw_Men,Red_Herring": "Deflects criticism by charging hypocrisy, distorting the opponent's position, or changing the subject.",
}

TECHNIQUES: tuple[str, ...] = tuple(DEFINITIONS)

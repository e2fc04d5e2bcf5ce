"""Paragraph-level cleaning shared by the file readers.

A body is a list of paragraphs. The readers split the file into blocks, drop the blocks
that are page furniture (rules, copyright lines, disclaimers, "Become a Member"), mend
paragraphs that a page capture cut in the middle of a sentence, and join the rest with
PARAGRAPH_BREAK. JSONL text never comes here: it is analysed verbatim.
"""
from __future__ import annotations

import re

# How paragraphs are separated in Article.text (DESIGN.md: body paragraphs split by a blank line).
PARAGRAPH_BREAK = "\n\n"

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
# Characters that render as nothing; copy-paste carries them into text and they split words.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Horizontal rules and section dingbats: "---", "***", "* * *", "___", "• • •".
_RULE = re.compile(r"[-*_=•·~#\s]{3,}")
# A paragraph ends a sentence if its last non-quote character is one of these.
_TERMINAL = re.compile(r"[.!?:;…][\"'”’»)\]]*$")

# Page furniture, matched against a whole cleaned paragraph (links and emphasis already
# stripped). Each pattern names one kind of block that is never article text.
BOILERPLATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^(copyright\b|©|\(c\)\s*\d{4}).{0,200}$",  # copyright line (short: not a paragraph on law)
        r"^the original source of this article is\b",  # repost credit (kept as metadata)
        r"^disclaimer\b",  # publisher disclaimer
        # Link-text appeals carry no sentence punctuation; "Comment on the vote was scarce." is text.
        r"^comment on\b[^.!?]{0,80}$",  # "Comment on Global Research Articles on our Facebook page"
        r"^become a (member|subscriber|patron)\b[^.!?]{0,80}$",  # membership appeal
        r"^(support|donate to)\b[^.!?]{0,60}\b(journalism|us|our work)!?$",  # donation appeal
        r"^articles by:",  # author archive link
        r"^(for )?media inquiries\b",  # press contact
        r"\bcopyrighted material\b.*\bfair use\b",  # fair-use notice
        r"^(share|print|email|tweet)( this)?( article| story)?:?$",  # sharing widgets
        r"^(related|recommended)( articles| posts| stories)?:?$",  # related-links header
    )
)


def split_blocks(text: str) -> list[str]:
    """The blank-line separated blocks of `text`, stripped, empty ones left out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [block.strip() for block in _BLANK_LINE.split(text) if block.strip()]


def normalise_whitespace(paragraph: str) -> str:
    """One paragraph on one line: invisible characters gone, every whitespace run one space.

    Page captures hard-wrap lines and use no-break spaces ("rebel\u00a0held"); neither
    carries meaning, and both break matching across outlets.
    """
    return " ".join(_INVISIBLE.sub("", paragraph).split())


def is_rule(block: str) -> bool:
    """True for a separator block such as "---" or "* * *" that holds no words."""
    return _RULE.fullmatch(block.strip()) is not None


def is_boilerplate(paragraph: str) -> bool:
    """True when the cleaned paragraph is page furniture rather than article text."""
    return any(pattern.search(paragraph) for pattern in BOILERPLATE_PATTERNS)


def _cut_mid_sentence(first: str, second: str) -> bool:
    """A paragraph break inside a sentence: no terminal punctuation, then a lower-case start."""
    return not _TERMINAL.search(first) and second[:1].islower()


def join_body(blocks: list[list[str]]) -> str:
    """Paragraphs grouped by source block -> body text with PARAGRAPH_BREAK between paragraphs.

    Mending: a block's first paragraph is joined onto the previous block's last when a
    capture split a sentence there ("couldn't have made this equipment" + "themselves.
    All of this ..."). Paragraphs of one block (Markdown list items) stay apart: the
    source separated them on purpose.
    """
    paragraphs: list[str] = []
    for block in blocks:
        kept = [p for p in (normalise_whitespace(p) for p in block) if p and not is_rule(p)]
        if kept and paragraphs and _cut_mid_sentence(paragraphs[-1], kept[0]):
            paragraphs[-1] = f"{paragraphs[-1]} {kept.pop(0)}"
        paragraphs.extend(kept)
    return PARAGRAPH_BREAK.join(paragraphs)

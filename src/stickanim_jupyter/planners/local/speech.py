"""Words said and thought: quotes and reported speech become markers the verb regex reads.

Before the story is split into clauses (a quote may hold commas and full stops), each piece of
speech is cut out and replaced by a marker: SAY or THINK followed by one character that indexes
its text. `小明对小红说：“你好，小红！”然后挥手` becomes `小明对小红说<SAY 0>然后挥手`,
`"Hi!" says Alice` becomes `Alice <SAY 0>`. The marker is a verb of its own (lexicon.py); the
text goes into params.text, markup stripped, at most MAX_SPEECH_CHARS characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from ...schema import MAX_SPEECH_CHARS
from ...text import clip

SAY, THINK = "\ue000", "\ue001"
_INDEX0, MAX_SAID = 0xE100, 250
MARKER = rf"[{SAY}{THINK}][\ue100-\ue1ff]"
_PRIVATE = re.compile("[\ue000-\ue1ff]")  # the story's own private-use characters: never markers
# Tags and entities (the same shapes the schema refuses in a bubble), removed from the words.
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>|&[A-Za-z#][A-Za-z0-9]*;")


class Said(NamedTuple):
    kind: str  # "say" | "think"
    text: str  # clean, at most MAX_SPEECH_CHARS characters ("" when nothing was left)
    clipped: bool  # the story's words were longer and were cut


def _quote(name: str) -> str:
    return (
        rf'(?P<{name}>"[^"\n]{{1,400}}"|“[^”\n]{{1,400}}”|「[^」\n]{{1,400}}」|『[^』\n]{{1,400}}』'
        rf"|(?<![A-Za-z])'[^'\n]{{1,400}}'(?![A-Za-z]))"
    )


_ZH_SAY = r"说道|说|讲道|讲|喊道|大喊|大叫|喊|叫道|问道|问|回答道|回答|答道|嘀咕|宣布|告诉|道"
_ZH_THINK = r"心里想|心想|想道|想|觉得|认为|寻思"
_EN_SAY = (
    r"say|says|said|saying|ask|asks|asked|shout|shouts|shouted|yell|yells|yelled|whisper|whispers|"
    r"whispered|reply|replies|replied|answer|answers|answered|exclaim|exclaims|exclaimed|scream|"
    r"screams|screamed|tell|tells|told|mutter|mutters|muttered|announce|announces|announced|"
    r"calls?\s+out|called\s+out"
)
_EN_THINK = r"think|thinks|thought|thinking|wonder|wonders|wondered|dream|dreams|dreamed|dreamt"
_ZH_VERB = rf"(?P<zs>{_ZH_SAY})|(?P<zt>{_ZH_THINK})"
_EN_VERB = rf"(?<![A-Za-z])(?i:(?P<es>{_EN_SAY})|(?P<et>{_EN_THINK}))(?![A-Za-z])"
_ZH_MID = r"(?P<mid>[^：:“”\"「」『』。！？!?\n]{0,8}?)"
_EN_MID = r"(?P<mid>(?:\s+(?:to|at)\s+[A-Za-z]+(?:\s+[A-Za-z]+)?|\s+[A-Z][a-z]+)?)"
_UNQUOTED_ZH = r"(?P<u>[^。！？!?\n“”\"「」『』]{1,200})"
_UNQUOTED_EN = r"(?P<u>[^.!?\n\"“”]{1,200})"
_END = r"(?P<end>[！？!?]?)"  # kept in place (it ends the clause), copied into the text
_EN_CUT = re.compile(r"(?i:\s+(?:and|then|but|while|so)\s.*|\s*[,;].*)$", re.S)
_ZH_CUT = re.compile(r"(?:然后|接着|之后|随后|于是|同时).*$", re.S)

# In order: each pass sees what the ones before left. The cut ends unquoted words before what
# follows them ("thinks it is late, then runs": the run stays in the story).
_PATTERNS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(p), cut)
    for p, cut in (
        (rf"(?:{_ZH_VERB}){_ZH_MID}\s*[：:]\s*{_quote('q')}", _ZH_CUT),  # 说：“你好”
        (rf"(?:{_ZH_VERB})\s*[，,]?\s*{_quote('q')}", _ZH_CUT),  # 说“你好”
        (rf"(?:{_ZH_VERB}){_ZH_MID}\s*[：:]\s*{_UNQUOTED_ZH}(?={_END})", _ZH_CUT),  # 说：你好
        (rf"(?P<zt>心里想|心想)\s*{_UNQUOTED_ZH}(?={_END})", _ZH_CUT),  # 心想明天要下雨
        (rf"(?:{_EN_VERB}){_EN_MID}\s*[:,]?\s*{_quote('q')}", _EN_CUT),  # says to Bob: "hi"
        (rf"{_quote('q')}\s*,?\s*(?:{_EN_VERB})\s+(?P<who>(?i:the\s+)?[A-Za-z]+)", _EN_CUT),  # "hi," says Bob
        (rf"(?:{_EN_VERB}){_EN_MID}\s*:\s*{_UNQUOTED_EN}(?={_END})", _EN_CUT),  # says: see you
        (
            rf"(?<![A-Za-z])(?i:(?P<et>thinks|thought|wonders|wondered)(?:\s+(?:that|about|of|if|whether))?)"
            rf"\s+{_UNQUOTED_EN}(?={_END})",
            _EN_CUT,
        ),  # thinks it is late
        (
            rf"(?<![A-Za-z])(?i:(?P<es>says|said|tells\s+\w+|told\s+\w+)\s+that)\s+{_UNQUOTED_EN}(?={_END})",
            _EN_CUT,
        ),  # says that he is tired
        (
            rf"(?P<who>(?<![A-Za-z])[A-Z][a-z]+|[\u4e00-\u9fff]{{1,4}})\s*[：:]\s*{_quote('q')}",
            _EN_CUT,
        ),  # Bob: "hi"
    )
)


def clean(text: str) -> tuple[str, bool]:
    """Words for a bubble: markup removed, one line; cut to MAX_SPEECH_CHARS (True when cut)."""
    prev = None
    while prev != text:  # "<<b>b>" leaves "<b>" after one pass
        prev, text = text, _MARKUP.sub("", text)
    text = " ".join(text.replace("<", "‹").replace(">", "›").split())
    return clip(text, MAX_SPEECH_CHARS), len(text) > MAX_SPEECH_CHARS


def extract(story: str) -> tuple[str, list[Said]]:
    """The story with each piece of speech replaced by a marker, and what was said."""
    said: list[Said] = []
    text = _PRIVATE.sub(" ", story)
    for pattern, cut in _PATTERNS:
        text = pattern.sub(_replacer(said, pattern, cut), text)
    return text, said


def _replacer(
    said: list[Said], pattern: re.Pattern[str], cut: re.Pattern[str]
) -> Callable[[re.Match[str]], str]:
    names = pattern.groupindex

    def group(m: re.Match[str], name: str) -> str:
        return (m.group(name) or "") if name in names else ""

    def replace(m: re.Match[str]) -> str:
        if len(said) >= MAX_SAID:
            return m.group()
        unquoted = group(m, "u")
        words = group(m, "q")[1:-1] or cut.sub("", unquoted)
        rest = unquoted[len(words) :]  # what follows the words stays in the story
        if not words.strip():
            return m.group()
        end = m.string[m.end() : m.end() + 1]
        if unquoted and not rest and end in "！？!?":
            words += end
        kind = "think" if group(m, "zt") or group(m, "et") else "say"
        text, clipped = clean(words)
        marker = (SAY if kind == "say" else THINK) + chr(_INDEX0 + len(said))
        said.append(Said(kind, text, clipped))
        who = group(m, "who")
        return f"{who} {marker}" if who else marker + group(m, "mid") + rest

    return replace


def index(marker: str) -> int:
    """The position in `extract`'s list of the words a marker stands for."""
    return ord(marker[-1]) - _INDEX0

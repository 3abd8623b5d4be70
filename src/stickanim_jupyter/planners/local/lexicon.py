"""The local planner's words and the patterns built from them, in both languages.

Per-action tables (timings, verb synonyms, caption words, which actions move, aim, take a
direction...) sit together in the marked section below; everything else here is about
words, not actions: English verb forms, nouns, names, numbers, directions, clause marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from ... import actions
from .idioms import IDIOMS
from .things import EN_ANIMALS, THING_TOKEN, THING_WORDS, ZH_ANIMALS

# --- building blocks ----------------------------------------------------------------------
_HAN = "\u4e00-\u9fff"
_L, _R = r"(?<![A-Za-z])", r"(?![A-Za-z])"  # word edges that also hold next to Chinese text


def _en(*words: str) -> str:
    """An English alternation, case-insensitive, bounded by non-letters."""
    return rf"{_L}(?i:{'|'.join(words)}){_R}"


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ZH_NUM = actions.ZH_COUNT
# Chinese verb-object words split by a count: 点了两下头, 鞠了三个躬, 拍了几下手.
_SPLIT = actions.ZH_SPLIT
_SPLIT_COUNT = re.compile(rf"(?P<czh>{_ZH_NUM})\s*[下次个回遍]")

# --- per-action tables: all derived from the action registry (actions.py) -----------------
_Timing = actions.Timing
_TIMING: dict[str, actions.Timing] = actions.timing_table()
for _name in ("say", "think"):  # written from quotes and idioms, not from the registry's words
    if _name in actions.BY_NAME and actions.BY_NAME[_name].timing:
        _TIMING.setdefault(_name, actions.BY_NAME[_name].timing)  # type: ignore[arg-type]
_MOVES = actions.locomotion()
_DIRECTIONAL = actions.directional()
# Actions aimed at someone: "waves at Bob" keeps Bob as params.target so the figure faces him.
_AIMED = actions.aimed()
# Chinese verbs that take a bare object (推小红, 拥抱妈妈): text after them may be a name.
_OBJECT_VERBS = actions.zh_object_verbs()
_RIGHT_HANDED = actions.right_handed()  # a wave or a point with no hand named uses the right one
# Verbs, most specific first: the regex alternation tries them in this order.
_ZH_VERBS = actions.zh_verb_patterns()
_EN_VERBS = actions.en_verb_entries()
# Caption words: plain, and aimed at a target.
_ZH_WORDS = actions.zh_words()
_ZH_AIMED = actions.zh_aimed_words()
_EN_WORDS = actions.en_words()
_EN_AIMED = actions.en_aimed_words()

# --- verb forms and the verb regex --------------------------------------------------------
_EN_IRREGULAR = actions.en_irregular()
_EN_DOUBLING = actions.en_doubling()


def _en_forms(verb: str, irregular: tuple[str, ...] = (), doubles: bool = False) -> list[str]:
    """wave -> wave|waves|waved|waving (plus irregular forms); longest first for the regex."""
    if verb.endswith("e") and not verb.endswith("ee"):
        forms = {verb, verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith(("s", "sh", "ch", "x")):
        forms = {verb, verb + "es", verb + "ed", verb + "ing"}
    elif doubles or verb in _EN_DOUBLING:
        forms = {verb, verb + "s", verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    else:
        forms = {verb, verb + "s", verb + "ed", verb + "ing"}
    forms.update(_EN_IRREGULAR.get(verb, ()), irregular)
    return sorted(forms, key=lambda f: (-len(f), f))


def _top_level(pattern: str) -> list[str]:
    """The alternatives of a regex at nesting depth 0 (to find the characters verbs start with)."""
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(pattern):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            parts.append(pattern[start:k])
            start = k + 1
    return [*parts, pattern[start:]]


class _Meaning(NamedTuple):
    action: str
    direction: str | None = None
    idiom: str | None = None  # idioms.py: a verb outside the vocabulary


def _verb_entries() -> list[tuple[str, str, _Meaning]]:
    """(first character, regex, meaning) of every verb alternative, most specific first: idioms,
    then the registry's Chinese and English words. English forms are split by first letter."""
    out: list[tuple[str, str, _Meaning]] = []

    def zh(pattern: str, meaning: _Meaning) -> None:
        out.extend((alt[0], alt, meaning) for alt in _top_level(pattern))

    def en(forms: list[str], suffix: str, meaning: _Meaning) -> None:
        for letter in dict.fromkeys(f[0].lower() for f in forms):
            same = [f for f in forms if f[0].lower() == letter]
            out.append((letter, rf"{_L}(?i:(?:{'|'.join(same)}){suffix}){_R}", meaning))

    for idiom in IDIOMS:
        meaning = _Meaning(idiom.actions[0], None, idiom.name)
        if idiom.zh:
            zh(idiom.zh, meaning)
        for v in idiom.en:
            en(_en_forms(v.verb, v.irregular, v.doubles), v.suffix, meaning)
    for pattern, action, direction in _ZH_VERBS:
        zh(pattern, _Meaning(action, direction))
    for verb, suffix, action, direction in _EN_VERBS:
        en(_en_forms(verb), suffix, _Meaning(action, direction))
    return out


def _verb_regexes() -> tuple[dict[str, re.Pattern[str]], list[_Meaning]]:
    """One regex per first character (a Chinese character, or an English word's first letter):
    at a given position only the verbs that can start there are tried, in priority order; the
    matching group's index says which entry matched. Idioms come first: 打电话 is a call, not
    打 (punch)."""
    entries = _verb_entries()
    buckets: dict[str, list[str]] = {}
    for i, (first, alt, _) in enumerate(entries):
        buckets.setdefault(first, []).append(f"(?P<v{i}>{alt})")
    return {k: re.compile("|".join(v)) for k, v in buckets.items()}, [m for _, _, m in entries]


_VERB_RES, _VERB_MEANING = _verb_regexes()
_ZH_FIRSTS = "".join(sorted(k for k in _VERB_RES if not k.isascii()))
_EN_VERB_WORDS = frozenset(
    f.lower()
    for forms in (
        *(_en_forms(v.verb, v.irregular, v.doubles) for i in IDIOMS for v in i.en),
        *(_en_forms(verb) for verb, _, _, _ in _EN_VERBS),
    )
    for f in forms
)
_VERB_START = re.compile(rf"[{_ZH_FIRSTS}]|{_L}[A-Za-z]+")


def _verb_matches(clause: str) -> Iterator[re.Match[str]]:
    """The verbs of a clause, left to right, not overlapping. Tried only where a verb can start
    (a Chinese verb's first character, an English word that is a verb form), and there only the
    verbs that start with that character: most positions cost a set lookup."""
    pos = 0
    for start in _VERB_START.finditer(clause):
        word = start.group()
        if start.start() < pos or (word.isascii() and word.lower() not in _EN_VERB_WORDS):
            continue
        m = _VERB_RES[word[0].lower() if word.isascii() else word].match(clause, start.start())
        if m:
            yield m
            pos = m.end()


# Two words for one action joined by "and" are one action: "trips and falls", "跳了又跳".
_SAME_WORD = re.compile(rf"\s*了?(?:{_L}(?i:and){_R}|并且?|又)?\s*")


# --- who ----------------------------------------------------------------------------------
class _Noun(NamedTuple):
    key: str  # characters of the same kind share it: "person", "woman", "小朋友"
    plural: bool
    gender: str | None


_GENERIC = frozenset({"person", "人", "火柴人"})
_EN_NOUN_FORMS: tuple[tuple[str, str, str | None], ...] = (
    ("person", "people", None), ("person", "persons", None), ("man", "men", "m"),
    ("woman", "women", "f"), ("boy", "boys", "m"), ("girl", "girls", "f"), ("kid", "kids", None),
    ("child", "children", None), ("friend", "friends", None), ("student", "students", None),
    ("dancer", "dancers", None), ("player", "players", None), ("guy", "guys", "m"),
    ("lady", "ladies", "f"), ("teacher", "teachers", None), ("robot", "robots", None),
    ("fighter", "fighters", None), ("soldier", "soldiers", None), ("athlete", "athletes", None),
    ("mother", "mothers", "f"), ("mom", "moms", "f"), ("father", "fathers", "m"),
    ("dad", "dads", "m"), ("brother", "brothers", "m"), ("sister", "sisters", "f"),
    ("baby", "babies", None),
    *((sg, pl, None) for sg, pl in EN_ANIMALS),
)  # fmt: skip
_EN_NOUNS: dict[str, _Noun] = {}
for _sg, _pl, _g in _EN_NOUN_FORMS:
    _EN_NOUNS[_sg] = _Noun(_sg, False, _g)
    _EN_NOUNS[_pl] = _Noun(_sg, True, _g)
for _form in ("stick figure", "stickman", "stick man", "figure", "someone", "somebody"):
    _EN_NOUNS[_form] = _Noun("person", False, None)
for _form in ("stick figures", "stickmen", "stick men", "figures"):
    _EN_NOUNS[_form] = _Noun("person", True, None)
_EN_PLURAL_OF = {sg: pl for sg, pl, _ in _EN_NOUN_FORMS if pl != "persons"}

_ZH_MALE = "男孩子 男孩 男生 男人 爸爸 哥哥 弟弟 小伙子 先生 爷爷 叔叔".split()
_ZH_FEMALE = "女孩子 女孩 女生 女人 妈妈 姐姐 妹妹 姑娘 女士 奶奶 阿姨".split()
_ZH_OTHER = [
    *"火柴人 小朋友 小伙伴 孩子 小孩 学生 同学 朋友 老人 老师 士兵 舞者 运动员 机器人 选手 人".split(),
    *ZH_ANIMALS,
]
_ZH_NOUNS: dict[str, str | None] = {
    **{n: "m" for n in _ZH_MALE},
    **{n: "f" for n in _ZH_FEMALE},
    **{n: None for n in _ZH_OTHER},
}
# A few common given names, so "he"/"she" can pick the right one of Alice and Bob.
_EN_FEMALE_NAMES = frozenset(
    "alice amy anna carol emma eve grace helen jane kate lily linda lucy mary sarah sophie "
    "emily olivia mia ella julia laura rose susan nancy betty".split()
)
_EN_MALE_NAMES = frozenset(
    "bob ben david frank jack james jerry john leo max mike paul peter sam tom tim dave "
    "charlie george henry harry oliver adam steve".split()
)
_ZH_FEMALE_CHARS = frozenset("红丽美芳娟婷雪花兰萍燕玲霞琳娜妹姐")
_ZH_MALE_CHARS = frozenset("明刚强军伟龙勇杰磊涛峰虎哥弟")
# Capitalised words that are not names (sentence starts, pronouns, fillers).
_EN_NOT_NAMES = (
    frozenset(
        "the a an then and but so after afterwards finally first next meanwhile later suddenly now "
        "once one two three four five six seven eight nine ten he she they it we i you everyone "
        "everybody both each all someone somebody there here when while as at in on with this that "
        "these those their his her our my your its today yesterday tomorrow yes no oh hello hi ok "
        "okay please let lets stick figure mr mrs ms dr what who how why where story scene".split()
    )
    | frozenset(_EN_NOUNS)
    | frozenset(w for w in THING_WORDS if w.isascii())
)

# Common words that an unknown run of Chinese characters must not be taken for a name.
# Seeing/meeting verbs: after a subject, whoever follows them is that subject's object.
_ZH_SEEING = tuple("看到 看见 见到 听到 听见 发现 遇到 遇见 碰到 碰见 注意到 望见 瞧见".split())
_ZH_NOT_NAMES = (
    *_ZH_SEEING,
    *"看着 望着 盯着 听说 觉得 知道 认识 喜欢 害怕 生气 观众 大家 别人 对手 东西 地方 门口 "
    "房间 一步 两步 几步 一圈 一声 自己 一起 一样 这样 那样 然后 已经 可以 应该 因为 所以".split(),
)

# --- numbers and directions ---------------------------------------------------------------
_EN_NUM_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "a couple of": 2, "a pair of": 2, "both": 2, "a few": 3,
    "several": 3, "a group of": 3, "some": 2,
}  # fmt: skip
_EN_DEFINITE = frozenset({"the", "this", "that", "these", "those", "both", "each", "every"})
_EN_NUM = r"\d{1,3}|" + "|".join(w for w in _EN_NUM_WORDS if " " not in w and len(w) > 2)
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip

_EN_COUNT_WORDS = "zero one two three four five six seven eight nine ten".split()
_EN_DIRS = {"left": "to the left", "right": "to the right", "forward": "forward", "back": "back", "away": "away"}  # fmt: skip
_ZH_DIRS = {"left": "向左", "right": "向右", "forward": "向前", "back": "向后"}
_ZH_NUMERALS = "零一两三四五六七八九十"
_EN_TIMES = {2: "twice", 3: "three times", 4: "four times", 5: "five times", 6: "six times", 7: "seven times",
             8: "eight times", 9: "nine times", 10: "ten times"}  # fmt: skip

# --- the tokens around verbs --------------------------------------------------------------
_EN_DETS = (
    _alt(w for w in _EN_NUM_WORDS if not w.isdigit())
    + r"|the\s+other|another|the|this|that|these|those|each|every|\d{1,3}"
)
_ZH_ADVERBS = (
    "突然 忽然 然后 接着 之后 随后 后来 最后 首先 先 再 又 也 就 便 还 同时 马上 立刻 开始 继续 "
    "正在 在 想 要 会 准备 终于 高兴 开心 轻轻 用力 大声 不停 今天 昨天 明天 有一天 一天 这时 此时 "
    "那时 有 了 着 过 起来 下来 下去 一下 一会儿 一会 地 得 的 很 非常 老是 小心 这 那 是 说 去 来 上 下"
).split()

_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # with accents: José, Zoë
_NAME = rf"[A-Z\u00c0-\u00d6\u00d8-\u00de][{_LATIN}]{{0,30}}"

# One tokenizer for the text around verbs, in both languages. Order matters: at a given
# position the first alternative that matches wins, so specific forms come first.
_TOKEN_PARTS: tuple[tuple[str, str], ...] = (
    ("thing", THING_TOKEN),  # first: a thing is never a character, nor a name
    ("efrom", rf"{_L}(?i:from\s+(?:the\s+)?(?P<efa>left|right)(?:\s+side)?(?:\s+(?:of\s+the\s+stage\s+)?(?:to|towards?)\s+(?:the\s+)?(?P<efb>left|right))?){_R}"),
    ("zfrom", r"从(?:舞台)?的?(?P<zfa>左|右)(?:边|面|侧)?"),
    ("count", rf"{_L}(?i:(?P<cen>{_EN_NUM})\s*(?:times?|x)|x\s*(?P<cx>\d{{1,3}})){_R}|(?P<czh>{_ZH_NUM})\s*(?:次|下|遍|回|声)"),
    ("cword", _en("once", "twice", "thrice", r"a\s+few\s+times", r"several\s+times", r"many\s+times", r"again\s+and\s+again", "repeatedly") + r"|好几[次下遍]|连续|不停地?"),
    ("hand", rf"{_L}(?i:(?P<hen>left|right|both)\s+hands?){_R}|(?P<hzh>左|右|双|两只?)手"),
    ("each", _en(r"each\s+other", r"one\s+another") + "|对方|彼此|互相|相互|相向|面对面|对面"),
    ("dir", rf"(?:向|往|朝|到)着?(?:舞台)?的?(?P<dzh>左|右|前|后)(?:边|面|方|侧)?|{_L}(?i:(?:to(?:wards?)?\s+)?(?:the\s+)?(?P<den>left|right)(?:wards?)?(?:\s+side)?){_R}(?!\s*(?i:hand|arm|foot|leg))|{_L}(?i:(?P<den2>forwards?|ahead|backwards?|back|away|off|towards?|closer)){_R}"),
    ("fast", _en("quickly", "quick", "fast", "rapidly", "swiftly", "hurriedly") + "|快速|迅速|飞快|急忙|赶紧|很快|快快"),
    ("slow", _en("slowly", "slow", "gently", "leisurely") + "|慢慢|缓缓|缓慢|慢悠悠"),
    ("noun", rf"{_L}(?i:(?:(?P<nde>{_EN_DETS})\s+(?:[a-z]+\s+){{0,2}}?)?(?P<nen>{_alt(_EN_NOUNS)})){_R}|(?P<ndz>(?:{_ZH_NUM})\s*(?:个|位|名|只|群)?|这个|那个|这位|那位|有个|一群|另一?[个位名]|另外一?[个位名])?(?P<nzh>{_alt(_ZH_NOUNS)})(?P<nmen>们)?"),
    ("plural", _en("they", "them", r"both(?:\s+of\s+them)?", r"all\s+of\s+them", r"the\s+two(?:\s+of\s+them)?", r"the\s+pair", "everyone", "everybody", "each", "we", "us") + "|他们|她们|它们|他俩|她俩|俩人|二人|大家|所有人|每个人|每人|双方|我们|咱们"),
    ("together", _en("together", "all") + "|一起|一块儿?|都"),
    ("single", rf"{_L}(?i:(?P<sm>he|him|his|himself)|(?P<sf>she|her|hers|herself)){_R}|(?P<szm>他)|(?P<szf>她)|它"),
    ("me", rf"{_L}(?:I|(?i:me|myself)){_R}|我"),
    ("other", _en(r"another\s+one", r"the\s+other(?:\s+one)?", "another") + "|另一个|另外一个|另一位|另外一位|另一人"),
    ("ename", rf"(?<![{_LATIN}]){_NAME}(?:[ \t]+{_NAME})?(?![{_LATIN}])"),  # "Alice", "Xiao Ming", "José"
    ("loc", rf"在[{_HAN}]{{1,6}}?(?:里|上|中|边|下|前|后|外|旁)"),
    ("zname", rf"(?:小|老|阿)[{_HAN}]"),
    ("passive", r"被"),
    ("tmark", r"对着|朝着|冲着|向|对|朝|冲|给|把|替"),
    ("amark", rf"和|跟|与|同|及|、|[,&，]|{_L}(?i:and){_R}"),
    ("adv", rf"{_alt(_ZH_ADVERBS)}|[{_HAN}]{{1,2}}地(?![上方])"),
    ("han", rf"[{_HAN}]"),
)  # fmt: skip


def _token_regex(parts: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    # Gate as for verbs: tokens start at Chinese text, a word start, a digit or a separator.
    return re.compile(
        rf"(?=[{_HAN}\d,&，、]|(?<![{_LATIN}])[{_LATIN}])(?:"
        + "|".join(f"(?P<{name}>{p})" for name, p in parts)
        + ")"
    )


_TOKEN_RE = _token_regex(_TOKEN_PARTS)
# The thing token is a long alternation tried at every word: text that names no thing skips it.
_TOKEN_RE_NO_THINGS = _token_regex(tuple(p for p in _TOKEN_PARTS if p[0] != "thing"))
_ZH_THING_ANY = re.compile(_alt(w for w in THING_WORDS if not w.isascii()))
_EN_THING_FIRST = frozenset(w.split()[0] for w in THING_WORDS if w.isascii())
_WORD = re.compile(r"[A-Za-z]+")


def _tokens_for(text: str) -> re.Pattern[str]:
    """The token regex for `text`: with the thing token only if a thing's word occurs in it."""
    if _ZH_THING_ANY.search(text) or not _EN_THING_FIRST.isdisjoint(w.lower() for w in _WORD.findall(text)):
        return _TOKEN_RE
    return _TOKEN_RE_NO_THINGS


# --- clauses ------------------------------------------------------------------------------
_ORDER_EN = _en(
    r"and\s+then", "then", r"after\s+that", "afterwards", "afterward", r"next(?!\s+to)", "finally", "later"
)
_PARALLEL_EN = _en("while", "meanwhile", r"at\s+the\s+same\s+time", "simultaneously")
_CLAUSE_RE = re.compile(
    r"(?P<sep>[。！？!?；;\n\r，,：:]+|\.(?=\s|$))"
    rf"|(?P<order>紧接着|然后|接着|之后|随后|后来|最后|于是|{_ORDER_EN})"
    rf"|(?P<par>与此同时|同时|{_PARALLEL_EN})"
)
_EN_GAP_CONJ = re.compile(rf"{_L}(?i:and|but){_R}|[,;&]")
_ZH_GAP_CONJ = re.compile(r"并且|而且|并|又|再(?!见)|还|便|就|且|然后|，|,")
_ZH_GAP_TAIL = re.compile(
    rf"^(?:了|着|过|起来|下来|下去|起|得|(?:到|向|往|朝)着?的?(?:左|右|前|后)(?:边|面|方|侧)?|(?:{_ZH_NUM})\s*(?:次|下|遍|回)|对方|彼此)*"
)
_ZH_GAP_PRE = re.compile(r"向|往|朝|对|和|跟|与|同|给|把|从|用|一起|先|也|都|慢慢|快速|迅速|被")
_LOCATION_END = frozenset("里上中边下前后外内旁")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

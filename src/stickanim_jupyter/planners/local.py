"""The built-in offline planner: a short story (Chinese or English) becomes a Script by rules.

No model, no network, no randomness: the same story always gives the same Script, in about a
tenth of a millisecond for a one-line story (~5 ms at the 2000-character cap). How it reads:

1. Split it into clauses at punctuation and order words (然后, then, after that...); a clause
   after "while"/"同时" runs in parallel with the one before.
2. Find the action words of each clause (synonym tables, most specific first, so 跳舞 is a
   dance and not a jump, "stands up" is not "stand").
3. The text before a verb names who acts (names, "two kids", pronouns); the text after it
   names the other character, the count ("三下", "twice"), the direction, the speed, the hand.
   A verb with no subject keeps the previous one ("sits down, then stands up").
4. Steps go on one timeline, one after another; everyone named by one subject acts at once.
   A walk or run lasts what the engine's gait (motions.py) needs for its distance and speed.
5. Characters are spread over the stage, face their partners, and walking distances are
   clamped so nobody leaves the stage. Title and descriptions are written in the story's
   language; what was not understood is said in the description.

`seed` is accepted for symmetry with the LLM planner but unused: variation belongs to the
compiler, and a rule planner that changed its reading with a seed would be harder to test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from ..motions import GAITS, MAX_SPEED, TURN_MS, Gait
from ..schema import (
    INTERACTIONS,
    MAX_ACTION_MS,
    MAX_ACTIONS_PER_SCENE,
    MAX_CHARACTERS,
    MAX_SCENE_MS,
    MAX_SCENES,
    MAX_STORY_CHARS,
    MAX_TEXT,
    MAX_TIMES,
    MAX_TOTAL_MS,
    Action,
    ActionParams,
    Character,
    Scene,
    Script,
    Stage,
    check_story,
)

__all__ = ["plan"]

_HAN = "\u4e00-\u9fff"
_L, _R = r"(?<![A-Za-z])", r"(?![A-Za-z])"  # word edges that also hold next to Chinese text


def _en(*words: str) -> str:
    """An English alternation, case-insensitive, bounded by non-letters."""
    return rf"{_L}(?i:{'|'.join(words)}){_R}"


# --- how long things take ------------------------------------------------------------------
class _Timing(NamedTuple):
    base: int  # ms: the whole action, or its fixed part when it repeats
    per: int = 0  # ms per repetition; 0 = not a repeating action
    times: int = 1  # repetitions when the story gives no count


_TIMING: dict[str, _Timing] = {
    "idle": _Timing(2000), "stand": _Timing(1500), "walk": _Timing(0), "run": _Timing(0),
    "jump": _Timing(200, 700), "wave": _Timing(300, 500, 2), "clap": _Timing(200, 400, 3),
    "bow": _Timing(300, 1300), "sit": _Timing(1200), "stand_up": _Timing(1200),
    "squat": _Timing(1200), "kneel": _Timing(1200), "point": _Timing(1500),  # no count: hold
    "nod": _Timing(200, 450, 2), "shake_head": _Timing(200, 450, 2), "turn": _Timing(900),
    "dance": _Timing(400, 1600, 2), "kick": _Timing(200, 800), "punch": _Timing(200, 600),
    "fall": _Timing(1200), "lie_down": _Timing(1500), "push": _Timing(1500),
    "pull": _Timing(1500), "hug": _Timing(2200), "shake_hands": _Timing(2000),
    "high_five": _Timing(1200),
}  # fmt: skip
_STAGE_WIDTH = float(Stage().width)  # stage units per stage width, to time walks in the gait's units
_WALK_DIST, _RUN_DIST = 0.3, 0.4  # default travel, stage widths
_EDGE = 0.06  # keep pelvises this far inside the stage
_MOVES = frozenset({"walk", "run"})
_DIRECTIONAL = frozenset({"walk", "run", "jump", "turn", "point", "fall"})
# Actions aimed at someone: "waves at Bob" keeps Bob as params.target so the figure faces him.
_AIMED = INTERACTIONS | {"wave", "bow", "nod", "point", "kick", "punch", "walk", "run", "shake_head"}
# Chinese verbs that take a bare object (推小红, 拥抱妈妈): text after them may be a name.
_OBJECT_VERBS = frozenset({"push", "pull", "hug", "kick", "punch", "point"})
_RIGHT_HANDED = frozenset({"wave", "point"})  # the design's example waves with the right hand

# --- action words ---------------------------------------------------------------------------
_ZH_NUM = r"[一二两三四五六七八九十几]{1,3}|\d{1,3}"
# Chinese verb-object words split by a count: 点了两下头, 鞠了三个躬, 拍了几下手.
_SPLIT = rf"(?:了|过)?(?:(?:{_ZH_NUM})\s*[下次个回遍]?|[下次个回遍])?"
_SPLIT_COUNT = re.compile(rf"(?P<czh>{_ZH_NUM})\s*[下次个回遍]")
# Chinese, most specific first: the regex alternation tries them in this order.
_ZH_VERBS: tuple[tuple[str, str, str | None], ...] = (
    (r"跳了?一?[支段]?舞|跳起舞来?|舞蹈|起舞|跳舞", "dance", None),
    (rf"打招呼|挥手致意|挥手告别|挥了?挥手?|招了?招手|挥{_SPLIT}手|招{_SPLIT}手|摆手", "wave", None),
    (r"打架|打斗|打起来|搏斗|格斗", "punch", "each"),  # a fight: each punches the other
    (r"挥拳|出拳|打拳|一拳|击打|揍|打了?一下|打", "punch", None),
    (r"站了?起来|站起身?|爬了?起来|爬起|起身|起立|起床", "stand_up", None),
    (r"跑开|跑走|跑掉|跑离|逃跑|逃走|逃开|逃离|逃", "run", "away"),
    (r"走开|走掉|走离|离开|走远", "walk", "away"),
    (r"相向而行|相向走来?|迎面走来|走过来|走过去|靠近|走近|走上前|迎上去", "walk", "toward"),
    (r"相向跑来?|跑过来|跑过去|冲过去", "run", "toward"),
    (r"前进", "walk", "forward"),
    (r"后退|倒退", "walk", "back"),
    (r"蹦蹦跳跳|跳了?跳|跳起来?|跳跃|蹦跳|蹦|跳", "jump", None),
    (r"跑步|奔跑|小跑|冲刺|跑", "run", None),
    (r"走来走去|走路|散步|漫步|步行|行走|走", "walk", None),
    (rf"鞠{_SPLIT}躬|弯腰|行礼", "bow", None),
    (r"坐了?下来?|坐", "sit", None),
    (r"蹲了?下来?|下蹲|蹲", "squat", None),
    (r"跪了?下来?|跪", "kneel", None),
    (r"躺了?下来?|卧倒|躺", "lie_down", None),
    (r"摔了?一?跤|摔倒|跌倒|滑倒|绊倒|倒下|倒地|摔|跌", "fall", None),
    (r"指了?指|指着|指向|指", "point", None),
    (rf"点了?点头|点{_SPLIT}头", "nod", None),
    (rf"摇了?摇头|摇{_SPLIT}头", "shake_head", None),
    (r"转过身来?|转了?一?个?圈|转身|转圈|回头|掉头|旋转|转", "turn", None),
    (r"踢了?踢|踢腿|踢", "kick", None),
    (r"推了?推|推开|推倒|推", "push", None),
    (r"拉了?拉|拉住|拉着|拉|拽", "pull", None),
    (r"拥抱|抱了?抱|抱住|抱", "hug", None),
    (rf"握了?握手|握{_SPLIT}手", "shake_hands", None),
    (rf"击{_SPLIT}掌", "high_five", None),
    (rf"拍了?拍手|拍{_SPLIT}手|鼓{_SPLIT}掌|拍{_SPLIT}掌|拍巴掌", "clap", None),
    (r"站着|站立|站", "stand", None),
    (r"发呆|等待|等着|休息", "idle", None),
)

# English: (verb, what must follow it, action, implied direction); verbs are inflected below.
_EN_VERBS: tuple[tuple[str, str, str, str | None], ...] = (
    ("stand", r"\s+(?:back\s+)?up", "stand_up", None),
    ("get", r"\s+(?:back\s+)?up", "stand_up", None),
    ("get", r"\s+(?:back\s+)?on\s+(?:his|her|their|its|one's)\s+feet", "stand_up", None),
    ("rise", r"(?:\s+up)?", "stand_up", None),
    ("shake", r"\s+(?:(?:his|her|their|its|my|your|our|the|a)\s+)?heads?", "shake_head", None),
    ("shake", r"\s+hands", "shake_hands", None),
    ("take", r"\s+a\s+bow", "bow", None),
    ("high", r"[\s-]*fiv(?:e|es|ed|ing)", "high_five", None),  # "high-fives", "high five"
    ("lie", r"\s+(?:down|on\s+the\s+(?:ground|floor))", "lie_down", None),
    ("lay", r"\s+down", "lie_down", None),
    ("run", r"\s+(?:away|off)", "run", "away"),
    ("walk", r"\s+(?:away|off)", "walk", "away"),
    ("say", r"\s+(?:hello|hi|goodbye|bye)", "wave", None),
    ("sit", r"(?:\s+(?:back\s+)?down)?", "sit", None),
    ("fall", r"(?:\s+(?:down|over))?", "fall", None),
    ("turn", r"(?:\s+a?round)?", "turn", None),
    ("stand", r"(?:\s+still)?", "stand", None),
    ("wave", "", "wave", None), ("greet", "", "wave", None),
    ("walk", "", "walk", None), ("stroll", "", "walk", None), ("march", "", "walk", None),
    ("wander", "", "walk", None), ("approach", "", "walk", "toward"),
    ("run", "", "run", None), ("jog", "", "run", None), ("sprint", "", "run", None),
    ("dash", "", "run", None), ("rush", "", "run", None), ("race", "", "run", None),
    ("flee", "", "run", "away"), ("escape", "", "run", "away"), ("leave", "", "walk", "away"),
    ("jump", "", "jump", None), ("hop", "", "jump", None), ("leap", "", "jump", None),
    ("bow", "", "bow", None), ("squat", "", "squat", None), ("crouch", "", "squat", None),
    ("kneel", "", "kneel", None), ("point", "", "point", None), ("nod", "", "nod", None),
    ("spin", "", "turn", None), ("dance", "", "dance", None), ("kick", "", "kick", None),
    ("punch", "", "punch", None), ("hit", "", "punch", None), ("strike", "", "punch", None),
    ("fight", "", "punch", "each"),  # a fight: each punches the other
    ("trip", "", "fall", None), ("tumble", "", "fall", None), ("collapse", "", "fall", None),
    ("push", "", "push", None), ("shove", "", "push", None),
    ("pull", "", "pull", None), ("drag", "", "pull", None), ("tug", "", "pull", None),
    ("hug", "", "hug", None), ("embrace", "", "hug", None), ("cuddle", "", "hug", None),
    ("clap", "", "clap", None), ("applaud", "", "clap", None),
    ("wait", "", "idle", None), ("idle", "", "idle", None),
)  # fmt: skip
_EN_IRREGULAR: dict[str, tuple[str, ...]] = {
    "run": ("ran",), "sit": ("sat",), "stand": ("stood",), "fall": ("fell", "fallen"),
    "lie": ("lay", "lain", "lying"), "get": ("got", "gotten"), "shake": ("shook", "shaken"),
    "kneel": ("knelt",), "take": ("took", "taken"), "rise": ("rose", "risen"), "spin": ("spun",),
    "leap": ("leapt",), "flee": ("fled",), "strike": ("struck",), "say": ("said",),
    "fight": ("fought",),  # not "left" for "leave": that is a direction
}  # fmt: skip
_EN_DOUBLING = frozenset("run sit get hop clap nod jog squat trip hug drag tug hit spin".split())


def _en_forms(verb: str) -> list[str]:
    """wave -> wave|waves|waved|waving (plus irregular forms); longest first for the regex."""
    if verb.endswith("e") and not verb.endswith("ee"):
        forms = {verb, verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith(("s", "sh", "ch", "x")):
        forms = {verb, verb + "es", verb + "ed", verb + "ing"}
    elif verb in _EN_DOUBLING:
        forms = {verb, verb + "s", verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    else:
        forms = {verb, verb + "s", verb + "ed", verb + "ing"}
    forms.update(_EN_IRREGULAR.get(verb, ()))
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


def _verb_regex() -> tuple[re.Pattern[str], list[tuple[str, str | None]]]:
    """One regex over both tables; the matching group's index says which entry matched."""
    parts: list[str] = []
    meaning: list[tuple[str, str | None]] = []
    for pattern, action, direction in _ZH_VERBS:
        parts.append(pattern)
        meaning.append((action, direction))
    for verb, suffix, action, direction in _EN_VERBS:
        parts.append(rf"{_L}(?i:(?:{'|'.join(_en_forms(verb))}){suffix}){_R}")
        meaning.append((action, direction))
    # A cheap gate first: only a Chinese verb's first character or an English word start can
    # begin a verb, so most positions skip the hundred alternatives (10x faster on long text).
    firsts = "".join(sorted({alt[0] for pattern, _, _ in _ZH_VERBS for alt in _top_level(pattern)}))
    gate = rf"(?=[{firsts}]|{_L}[A-Za-z])"
    regex = gate + "(?:" + "|".join(f"(?P<v{i}>{p})" for i, p in enumerate(parts)) + ")"
    return re.compile(regex), meaning


_VERB_RE, _VERB_MEANING = _verb_regex()


# --- who ------------------------------------------------------------------------------------
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
_ZH_OTHER = "火柴人 小朋友 小伙伴 孩子 小孩 学生 同学 朋友 老人 老师 士兵 舞者 运动员 机器人 选手 人".split()
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
_EN_NOT_NAMES = frozenset(
    "the a an then and but so after afterwards finally first next meanwhile later suddenly now "
    "once one two three four five six seven eight nine ten he she they it we i you everyone "
    "everybody both each all someone somebody there here when while as at in on with this that "
    "these those their his her our my your its today yesterday tomorrow yes no oh hello hi ok "
    "okay please let lets stick figure mr mrs ms dr what who how why where story scene".split()
) | frozenset(_EN_NOUNS)

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


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


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
    ("efrom", rf"{_L}(?i:from\s+(?:the\s+)?(?P<efa>left|right)(?:\s+side)?(?:\s+(?:of\s+the\s+stage\s+)?(?:to|towards?)\s+(?:the\s+)?(?P<efb>left|right))?){_R}"),
    ("zfrom", r"从(?:舞台)?的?(?P<zfa>左|右)(?:边|面|侧)?"),
    ("count", rf"{_L}(?i:(?P<cen>{_EN_NUM})\s*(?:times?|x)|x\s*(?P<cx>\d{{1,3}})){_R}|(?P<czh>{_ZH_NUM})\s*(?:次|下|遍|回|声)"),
    ("cword", _en("once", "twice", "thrice", r"a\s+few\s+times", r"several\s+times", r"many\s+times", r"again\s+and\s+again", "repeatedly") + r"|好几[次下遍]|连续|不停地?"),
    ("hand", rf"{_L}(?i:(?P<hen>left|right|both)\s+hands?){_R}|(?P<hzh>左|右|双|两只?)手"),
    ("each", _en(r"each\s+other", r"one\s+another") + "|对方|彼此|互相|相互|相向|面对面|对面"),
    ("dir", rf"(?:向|往|朝|到)着?(?:舞台)?的?(?P<dzh>左|右|前|后)(?:边|面|方|侧)?|{_L}(?i:(?:to(?:wards?)?\s+)?(?:the\s+)?(?P<den>left|right)(?:wards?)?(?:\s+side)?){_R}(?!\s*(?i:hand|arm|foot|leg))|{_L}(?i:(?P<den2>forwards?|ahead|backwards?|back|away|off|towards?|closer)){_R}"),
    ("fast", _en("quickly", "quick", "fast", "rapidly", "swiftly", "hurriedly") + "|快速|迅速|飞快|急忙|赶紧|很快|快快"),
    ("slow", _en("slowly", "slow", "gently", "leisurely") + "|慢慢|缓缓|缓慢|慢悠悠"),
    ("noun", rf"{_L}(?i:(?:(?P<nde>{_EN_DETS})\s+(?:[a-z]+\s+){{0,2}}?)?(?P<nen>{_alt(_EN_NOUNS)})){_R}|(?P<ndz>(?:{_ZH_NUM})\s*(?:个|位|名|只|群)?|这个|那个|这位|那位|有个|一群|另一?[个位名]|另外一?[个位名])?(?P<nzh>{_alt(_ZH_NOUNS)})"),
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
# Gate as for verbs: tokens start at Chinese text, a word start, a digit or a separator.
_TOKEN_RE = re.compile(
    rf"(?=[{_HAN}\d,&，、]|(?<![{_LATIN}])[{_LATIN}])(?:"
    + "|".join(f"(?P<{name}>{p})" for name, p in _TOKEN_PARTS)
    + ")"
)

# --- clauses --------------------------------------------------------------------------------
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


# --- the parse ------------------------------------------------------------------------------
class _Mention(NamedTuple):
    kind: str  # name | noun | plural | single | me | other | together
    text: str = ""
    count: int | None = None
    definite: bool = False
    gender: str | None = None
    plural: bool = False


@dataclass
class _Phrase:
    """What the text around a verb says: who, to whom, how often, where, how."""

    subjects: list[_Mention] = field(default_factory=list)
    targets: list[_Mention] = field(default_factory=list)
    each: bool = False
    direction: str | None = None
    from_side: str | None = None
    times: int | None = None
    speed: float | None = None
    hand: str | None = None
    pure: bool = True  # nothing but mentions and separators (a name list before a comma)


@dataclass
class _Char:
    key: str  # the kind of character ("person", "小朋友"), or "" for a named one
    name: str | None = None
    gender: str | None = None
    group: int | None = None  # introduced together ("two kids")
    zh: bool = False


@dataclass
class _Act:
    char: int
    action: str
    target: int | None = None
    direction: str | None = None
    times: int | None = None
    speed: float | None = None
    hand: str | None = None
    distance: float | None = None


@dataclass
class _Step:
    subject: tuple[int, ...]
    action: str
    acts: list[_Act]
    parallel: bool = False
    target: int | None = None  # one target for everyone, for the description
    times: int | None = None
    from_side: str | None = None
    mutual: bool = False  # everyone aims at someone else in the subject ("punch each other")
    start: float = 0.0
    end: float = 0.0


class _VerbHit(NamedTuple):
    start: int
    end: int
    action: str
    direction: str | None
    inner: str  # text swallowed when two mentions of one action merge ("打了他一拳")
    times: int | None = None  # a count inside the verb (点了两下头)


def _zh_number(text: str) -> int:
    if text.isdecimal():
        return int(text[:4])
    if text == "几" or text.endswith("几"):
        return 3
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _ZH_DIGITS.get(tens, 1) * 10 + _ZH_DIGITS.get(ones, 0)
    return _ZH_DIGITS.get(text[-1:], 1)


def _count_of(m: re.Match[str]) -> int:
    if m.group("cen"):
        word = m.group("cen").lower()
        return int(word) if word.isdecimal() else _EN_NUM_WORDS[word]
    if m.group("cx"):
        return int(m.group("cx"))
    return _zh_number(m.group("czh"))


def _count_word(word: str) -> int:
    return {"once": 1, "twice": 2, "thrice": 3}.get(word.lower(), 3)


def _direction(m: re.Match[str]) -> str:
    zh = {"左": "left", "右": "right", "前": "forward", "后": "back"}
    if m.group("dzh"):
        return zh[m.group("dzh")]
    if m.group("den"):
        return m.group("den").lower()
    word = m.group("den2").lower()
    if word.startswith("forward") or word == "ahead":
        return "forward"
    if word.startswith("back"):
        return "back"
    if word in ("away", "off"):
        return "away"
    return "toward"


def _noun_mention(m: re.Match[str]) -> _Mention:
    if m.group("nen"):
        noun = _EN_NOUNS[re.sub(r"\s+", " ", m.group("nen").lower())]
        det = re.sub(r"\s+", " ", (m.group("nde") or "").lower())
        if det in ("another", "the other"):
            return _Mention("other", noun.key, gender=noun.gender)
        count = int(det) if det.isdecimal() else _EN_NUM_WORDS.get(det)
        definite = det in _EN_DEFINITE or (noun.plural and not det)
        if count is None and noun.plural:
            count = None if definite else 2
        plural = noun.plural or (count or 1) > 1
        return _Mention(
            "noun", noun.key, min(count or 1, 99) if count else None, definite, noun.gender, plural
        )
    noun, det = m.group("nzh"), m.group("ndz") or ""
    if det.startswith("另"):
        return _Mention("other", noun, gender=_ZH_NOUNS[noun])
    if det[:1] in ("这", "那"):
        return _Mention("noun", noun, None, True, _ZH_NOUNS[noun])
    num = det.rstrip("个位名只群 ")
    count = 3 if det.endswith("群") else (_zh_number(num) if num and num != "有" else 1)
    return _Mention("noun", noun, min(count, 99), False, _ZH_NOUNS[noun], count > 1)


def _name_mention(text: str) -> _Mention | None:
    """A capitalised word or two, minus sentence starters: "Then Alice" -> Alice."""
    words = [w for w in text.split() if not _not_a_name(w)]
    if not words:
        return None
    first = words[0].lower()
    gender = "f" if first in _EN_FEMALE_NAMES else "m" if first in _EN_MALE_NAMES else None
    return _Mention("name", " ".join(words)[:40], gender=gender)


def _not_a_name(word: str) -> bool:
    low = word.lower()
    return low in _EN_NOT_NAMES or (low.endswith("ly") and len(low) > 4)


def _zh_name(text: str) -> _Mention:
    last = text[-1]
    gender = "f" if last in _ZH_FEMALE_CHARS else "m" if last in _ZH_MALE_CHARS else None
    return _Mention("name", text, gender=gender)


# Common words that an unknown run of Chinese characters must not be taken for a name.
# Seeing/meeting verbs: after a subject, whoever follows them is that subject's object.
_ZH_SEEING = tuple("看到 看见 见到 听到 听见 发现 遇到 遇见 碰到 碰见 注意到 望见 瞧见".split())
_ZH_NOT_NAMES = (
    *_ZH_SEEING,
    *"看着 望着 盯着 听说 觉得 知道 认识 喜欢 害怕 生气 观众 大家 别人 对手 东西 地方 门口 "
    "房间 一步 两步 几步 一圈 一声 自己 一起 一样 这样 那样 然后 已经 可以 应该 因为 所以".split(),
)


def _leftover_name(run: str) -> _Mention | None:
    """An unknown run of Chinese characters before a verb is taken as a name (明明跳了三下)."""
    if not 2 <= len(run) <= 4 or run[-1] in _LOCATION_END or any(w in run for w in _ZH_NOT_NAMES):
        return None
    return _zh_name(run)


_MENTION_KINDS = frozenset({"noun", "plural", "together", "single", "me", "other", "ename", "zname"})


def _parse_phrase(text: str, role: str, names_ok: bool, first: bool) -> _Phrase:
    """Read the text around a verb. role "head": before it (subject, then 向/对/把 + target);
    "tail": after it (its object). names_ok: unknown Chinese runs may be names here."""
    ph = _Phrase()
    side = ph.subjects if role == "head" else ph.targets
    patients: list[_Mention] = []
    run, run_end, listed, prev = "", -1, False, ""
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or ""
        if run and (kind != "han" or m.start() != run_end):
            side = _flush_run(ph, run, side, names_ok and (listed or not side), role)
            run = ""
        if kind == "han":  # unknown Chinese characters: gather the run, it may be a name
            if not run:
                listed = prev == "amark"  # 小明和明明: a name list goes on
            run, run_end = run + m.group(), m.end()
            continue
        side = _apply_token(ph, m, kind, side, role, first, patients)
        prev = kind
    if run:
        _flush_run(ph, run, side, names_ok and (listed or not side), role)
    if patients:  # 小红被小明推倒: 小明 acts, 小红 is the target
        ph.targets[:0] = patients
    if ph.pure and re.search(r"[A-Za-z]", _TOKEN_RE.sub(" ", text)):
        ph.pure = False  # words we do not know
    return ph


def _flush_run(ph: _Phrase, run: str, side: list[_Mention], names_ok: bool, role: str) -> list[_Mention]:
    """An unknown Chinese run: a name only where one is expected (the slot still empty, or a
    name list going on); after a subject, 看到/发现... make what follows an object (小红看到小明就跑开)."""
    mention = _leftover_name(run) if names_ok else None
    if mention:
        side.append(mention)
        return side
    ph.pure = False
    if role == "head" and side is ph.subjects and ph.subjects and any(w in run for w in _ZH_SEEING):
        return ph.targets
    return side


def _apply_token(
    ph: _Phrase,
    m: re.Match[str],
    kind: str,
    side: list[_Mention],
    role: str,
    first: bool,
    patients: list[_Mention],
) -> list[_Mention]:
    """Fold one token into the phrase; returns the list that further mentions go to."""
    if kind in _MENTION_KINDS:
        mention = _token_mention(m, kind)
        if mention:
            side.append(mention)
        else:
            ph.pure = False
        return side
    if kind == "amark":
        if (
            role == "head"
            and not first
            and not ph.subjects
            and side is ph.subjects
            and m.group() in "和跟与同"
        ):
            return ph.targets  # "...走过去和他握手": 和 means "with" here
        return side
    ph.pure = False
    if kind == "tmark" and role == "head":
        return ph.targets
    if kind == "passive" and role == "head":
        patients.extend(ph.subjects)
        ph.subjects.clear()
        return ph.subjects
    _apply_modifier(ph, m, kind)
    return side


def _apply_modifier(ph: _Phrase, m: re.Match[str], kind: str) -> None:
    if kind in ("efrom", "zfrom"):
        start = {"左": "left", "右": "right"}.get(m.group("zfa") or "", (m.group("efa") or "").lower())
        ph.from_side = start
        ph.direction = (m.group("efb") or "").lower() or ("right" if start == "left" else "left")
    elif kind == "count":
        ph.times = _count_of(m)
    elif kind == "cword":
        ph.times = _count_word(m.group())
    elif kind == "hand":
        hand = (m.group("hen") or m.group("hzh") or "").lower()
        ph.hand = {"左": "left", "右": "right", "双": "both"}.get(
            hand, "both" if hand.startswith("两") else hand
        )
    elif kind == "each":
        ph.each = True
        if m.group() in ("相向", "面对面"):
            ph.direction = "toward"
    elif kind == "dir":
        ph.direction = _direction(m)
    elif kind in ("fast", "slow"):
        ph.speed = 1.5 if kind == "fast" else 0.7


def _token_mention(m: re.Match[str], kind: str) -> _Mention | None:
    if kind == "noun":
        return _noun_mention(m)
    if kind == "single":
        female = m.group("sf") or m.group("szf")
        male = m.group("sm") or m.group("szm")
        return _Mention("single", gender="f" if female else "m" if male else None)
    if kind == "me":
        return _Mention("me", "我" if m.group() == "我" else "I")
    if kind == "ename":
        return _name_mention(m.group())
    if kind == "zname":
        return _zh_name(m.group())
    return _Mention(kind)  # plural, together, other


def _split_gap(gap: str, zh: bool) -> tuple[str, str]:
    """Text between two verbs: the first part belongs to the verb before (its object, count),
    the rest to the verb after (its subject, 向X...)."""
    if not zh:
        m = _EN_GAP_CONJ.search(gap)
        return (gap[: m.start()], gap[m.end() :]) if m else (gap, "")
    cut = _ZH_GAP_TAIL.match(gap).end()  # type: ignore[union-attr]  # `*` always matches
    rest = gap[cut:]
    m = _ZH_GAP_CONJ.search(rest)
    if m:
        return gap[: cut + m.start()], rest[m.end() :]
    p = _ZH_GAP_PRE.search(rest)
    if p:
        return gap[: cut + p.start()], rest[p.start() :]
    return gap, ""


def _clauses(text: str) -> Iterator[tuple[str, bool]]:
    """(clause, runs in parallel with the one before)."""
    pos, parallel = 0, False
    for m in _CLAUSE_RE.finditer(text):
        if m.start() > pos:
            yield text[pos : m.start()], parallel
            parallel = False
        parallel = parallel or bool(m.group("par"))
        pos = m.end()
    if pos < len(text):
        yield text[pos:], parallel


def _verbs(clause: str) -> list[_VerbHit]:
    hits: list[_VerbHit] = []
    for m in _VERB_RE.finditer(clause):
        action, direction = _VERB_MEANING[int((m.lastgroup or "v0")[1:])]
        prev = hits[-1] if hits else None
        gap = clause[prev.end : m.start()] if prev else ""
        if (
            prev
            and prev.action == action
            and (_SAME_WORD.fullmatch(gap) or (len(gap) <= 4 and not _has_conj(gap)))
        ):
            hits[-1] = prev._replace(end=m.end(), inner=prev.inner + gap)
            continue
        inside = _SPLIT_COUNT.search(m.group())
        times = _zh_number(inside.group("czh")) if inside else None
        hits.append(_VerbHit(m.start(), m.end(), action, direction, "", times))
    return hits


# Two words for one action joined by "and" are one action: "trips and falls", "跳了又跳".
_SAME_WORD = re.compile(rf"\s*了?(?:{_L}(?i:and){_R}|并且?|又)?\s*")


def _meaningful(clause: str) -> bool:
    """Worth reporting as not understood: more than fillers such as "Suddenly" or "突然"."""
    for word in re.findall(rf"[A-Za-z]+|[{_HAN}]+", clause):
        low = word.lower()
        if low not in _EN_NOT_NAMES and not low.endswith("ly") and word not in _ZH_ADVERBS:
            return True
    return False


def _has_conj(gap: str) -> bool:
    return bool(_EN_GAP_CONJ.search(gap) or _ZH_GAP_CONJ.search(gap))


# --- characters -----------------------------------------------------------------------------
class _Cast:
    """The characters met so far, and who "he", "they", "the other" mean right now."""

    def __init__(self, zh: bool) -> None:
        self.zh = zh
        self.chars: list[_Char] = []
        self.recent: list[int] = []  # most recently mentioned last
        self.last_subject: list[int] = []
        self.groups = 0
        self.capped = False  # the story asked for more characters than MAX_CHARACTERS

    def full(self) -> bool:
        return len(self.chars) >= MAX_CHARACTERS

    def new(
        self, key: str, name: str | None = None, gender: str | None = None, group: int | None = None
    ) -> int:
        if self.full():  # over the cap: reuse the most recent character rather than fail
            self.capped = True
            return self.recent[-1] if self.recent else 0
        zh = bool(re.search(f"[{_HAN}]", key)) if key else self.zh
        self.chars.append(_Char(key, name, gender, group, zh))
        return len(self.chars) - 1

    def default(self) -> list[int]:
        return [self.new("火柴人" if self.zh else "person")]

    def touch(self, ids: Iterable[int]) -> None:
        for i in ids:
            if i in self.recent:
                self.recent.remove(i)
            self.recent.append(i)

    def resolve(self, mentions: list[_Mention], exclude: Iterable[int] = ()) -> list[int]:
        """Mentions -> character indices (creating characters as needed), in order, unique."""
        out: list[int] = []
        skip = set(exclude)
        for mention in mentions:
            if mention.kind == "together" and (out or len(mentions) > 1):
                continue  # "Alice and Bob dance together": already everyone named
            for i in self._one(mention, skip):
                if i not in out and i not in skip:
                    out.append(i)
        return out

    def _one(self, m: _Mention, skip: set[int]) -> list[int]:
        if m.kind == "name":
            return [self._named(m.text, m.gender)]
        if m.kind == "me":
            return [self._named(m.text, None)]
        if m.kind == "noun":
            return self._noun(m)
        if m.kind in ("plural", "together"):
            return self._plural()
        if m.kind == "single":
            return self._pronoun(m.gender, skip)
        if m.kind == "other":
            return self._other(m, skip)
        return []

    def _named(self, name: str, gender: str | None) -> int:
        for i, c in enumerate(self.chars):
            if c.name == name:
                return i
        return self.new("", name, gender)

    def _noun(self, m: _Mention) -> list[int]:
        same = [i for i, c in enumerate(self.chars) if c.key == m.text and not c.name]
        if m.definite and same:  # "the woman", "这个人", "the kids"
            return same[: m.count] if m.count else same
        want = m.count or (2 if m.plural else 1)
        if not m.definite:  # Chinese repeats 两个人 for the same two people: reuse a same-sized group
            groups: dict[int | None, list[int]] = {}
            for i in same:
                groups.setdefault(self.chars[i].group if want > 1 else i, []).append(i)
            for ids in groups.values():
                if len(ids) == want:
                    return ids
        self.groups += 1
        self.capped = self.capped or want > MAX_CHARACTERS
        return [
            self.new(m.text, gender=m.gender, group=self.groups) for _ in range(min(want, MAX_CHARACTERS))
        ]

    def _plural(self) -> list[int]:
        if len(self.last_subject) > 1:
            return list(self.last_subject)
        while len(self.chars) < 2:  # "they" with nobody introduced yet: two figures
            self.new("火柴人" if self.zh else "person", group=0)
        return list(range(len(self.chars)))

    def _pronoun(self, gender: str | None, skip: set[int]) -> list[int]:
        candidates = [i for i in reversed(self.recent) if i not in skip]
        if gender:
            exact = [i for i in candidates if self.chars[i].gender == gender]
            if exact:
                return exact[:1]
            candidates = [i for i in candidates if self.chars[i].gender is None]
        subject = [i for i in self.last_subject if i in candidates]
        if len(subject) == 1:  # English keeps its subject: "Alice waves at Bob, then she..."
            found = subject
        else:
            found = candidates[:1] or ([] if skip else self.default())
        for i in found:  # "he" fixes an unknown gender, so a later "she" is someone else
            self.chars[i].gender = self.chars[i].gender or gender
        return found

    def _other(self, m: _Mention, skip: set[int]) -> list[int]:
        """ "another person", "另一个": someone not in the last subject, else a new figure."""
        for i, c in enumerate(self.chars):
            if i not in skip and i not in self.last_subject and (not m.text or c.key == m.text):
                return [i]
        return [self.new(m.text or ("火柴人" if self.zh else "person"), gender=m.gender)]

    def partner(self, subject: list[int]) -> int | None:
        """Someone for a lone subject to hug or push: the most recent other, or a new figure."""
        others = [i for i in reversed(self.recent) if i not in subject]
        if others:
            return others[0]
        made = self.new("火柴人" if self.zh else "person")
        return None if made in subject else made


# --- from clauses to steps ------------------------------------------------------------------
class _Reader:
    def __init__(self, zh: bool) -> None:
        self.zh = zh
        self.cast = _Cast(zh)
        self.steps: list[_Step] = []
        self.unknown: list[str] = []
        self.pending: list[int] = []  # a bare name list before a comma ("Alice, Bob and Carol dance")
        self.overflow = False  # the story went on past what the caps allow

    def read(self, text: str) -> None:
        budget = float(MAX_TOTAL_MS)  # stop reading once the timeline is surely full
        for clause, parallel in _clauses(text):
            if budget <= 0:
                self.overflow = True
                break
            if clause.strip():
                done = len(self.steps)
                self._clause(clause, parallel)
                budget -= sum(max(map(_duration, s.acts), default=0.0) for s in self.steps[done:])

    def _clause(self, clause: str, parallel: bool) -> None:
        hits = _verbs(clause)
        if not hits:
            self._verbless(clause)
            return
        head = clause[: hits[0].start]
        for i, hit in enumerate(hits):
            after = clause[hit.end : hits[i + 1].start] if i + 1 < len(hits) else clause[hit.end :]
            tail, next_head = (after, "") if i + 1 == len(hits) else _split_gap(after, self.zh)
            self._step(hit, head, hit.inner + " " + tail, first=i == 0, parallel=parallel and i == 0)
            head = next_head

    def _verbless(self, clause: str) -> None:
        ph = _parse_phrase(clause, "head", names_ok=False, first=True)
        mentions = ph.subjects + ph.targets
        first = self.cast.resolve(mentions[:1])
        ids = [*first, *(i for i in self.cast.resolve(mentions[1:], exclude=first))]
        if ids:  # "There are two people." introduces them for a later "they"
            self.cast.touch(reversed(ids))
            # A bare name list is the subject of what follows; otherwise only the first one
            # mentioned is ("小明看见小红，然后向她挥手": 小明 waves, at 小红).
            # "Alice, Bob, Carol and Dave dance": each comma ends a clause, so a list grows.
            self.pending = [*self.pending, *(i for i in ids if i not in self.pending)] if ph.pure else []
            self.cast.last_subject = self.pending or first
        if not ph.pure and _meaningful(clause):
            self.unknown.append(clause.strip())

    def _step(self, hit: _VerbHit, head_text: str, tail_text: str, first: bool, parallel: bool) -> None:
        head = _parse_phrase(head_text, "head", names_ok=True, first=first)
        tail = _parse_phrase(tail_text, "tail", names_ok=hit.action in _OBJECT_VERBS, first=False)
        subject = self.cast.resolve(head.subjects)
        if subject and self.pending and first:
            subject = [*self.pending, *(i for i in subject if i not in self.pending)]
        subject = subject or (self.pending if first else []) or self.cast.last_subject or self.cast.default()
        self.pending = []
        targets = self.cast.resolve(head.targets + tail.targets, exclude=subject)
        each = head.each or tail.each or hit.direction == "each"
        modifiers = _merge(head, tail)
        modifiers.times = modifiers.times or hit.times
        step = self._make_step(hit, subject, targets, each, modifiers)
        step.parallel = parallel and not set(step.subject) & set(self.steps[-1].subject if self.steps else ())
        self.steps.append(step)
        self.cast.touch(targets[:1])
        self.cast.touch(subject)
        self.cast.last_subject = subject

    def _make_step(
        self, hit: _VerbHit, subject: list[int], targets: list[int], each: bool, ph: _Phrase
    ) -> _Step:
        action = hit.action
        direction = (ph.direction or hit.direction) if action in _DIRECTIONAL else None
        target = targets[0] if targets and action in _AIMED else None
        times = min(ph.times, MAX_TIMES) if ph.times else None
        step = _Step(tuple(subject), action, [], target=target, times=times, from_side=ph.from_side)
        pairs = _pairs(subject) if action in INTERACTIONS and target is None and len(subject) > 1 else []
        if action in INTERACTIONS and target is None and not pairs:
            target = step.target = self.cast.partner(subject)
        for i in subject:
            partner = dict(pairs).get(i) if pairs else target
            if partner is None and each and len(subject) > 1 and action in _AIMED - INTERACTIONS:
                if len(subject) == 2:
                    partner = subject[1 - subject.index(i)]
                elif action not in _MOVES:  # "three kids fight": in pairs, as for interactions
                    partner = next(y if x == i else x for x, y in _pairs(subject) if i in (x, y))
            if action in INTERACTIONS and partner is None:
                continue  # nobody to do it with (only when the cast is full): drop it
            moving_toward = action in _MOVES and direction is None and (partner is not None or each)
            step.acts.append(
                _Act(i, action, partner, "toward" if moving_toward else direction, times, ph.speed, ph.hand)
            )
        step.mutual = len(step.acts) > 1 and all(a.target in subject for a in step.acts)
        return step


def _merge(head: _Phrase, tail: _Phrase) -> _Phrase:
    """Modifiers from both sides of a verb; the tail wins (English puts them after the verb)."""
    return _Phrase(
        direction=tail.direction or head.direction,
        from_side=tail.from_side or head.from_side,
        times=tail.times or head.times,
        speed=tail.speed or head.speed,
        hand=tail.hand or head.hand,
    )


def _pairs(group: list[int]) -> list[tuple[int, int]]:
    """Partners inside a group: 1-2, 3-4...; an odd last one joins the one before."""
    out = [(group[k], group[k + 1]) for k in range(0, len(group) - 1, 2)]
    if len(group) % 2:
        out.append((group[-1], group[-2]))
    return out


# --- staging: positions, facing, distances, times -------------------------------------------
def _start_positions(cast: _Cast, steps: list[_Step]) -> list[float]:
    n = len(cast.chars)
    toward = any(a.direction == "toward" for s in steps for a in s.acts)
    width = min(0.8, (0.6 if toward else 0.3) * (n - 1))
    xs = [0.5 if n == 1 else 0.5 - width / 2 + width * k / (n - 1) for k in range(n)]
    sides: dict[int, str] = {}
    for s in steps:
        for a in s.acts:
            if s.from_side and a.action in _MOVES:
                sides.setdefault(a.char, s.from_side)
    for side in ("left", "right"):
        who = [i for i, v in sides.items() if v == side]
        for k, i in enumerate(who):
            xs[i] = 0.12 + 0.1 * k if side == "left" else 0.88 - 0.1 * k
    return [round(min(0.95, max(0.05, x)), 3) for x in xs]


def _walk_distances(steps: list[_Step], xs: list[float]) -> None:
    """Give each walk/run a direction and a distance that keeps the walker on the stage."""
    pos = list(xs)
    for s in steps:
        movers = {a.char for a in s.acts if a.action in _MOVES}
        before = list(pos)  # everyone in a step sets off from where the step began
        for a in s.acts:
            if a.action in _MOVES:
                pos[a.char] = _place_move(a, s, before, movers)
        if s.action in INTERACTIONS:  # the pair ends up side by side
            for a in s.acts:
                if a.target is not None:
                    mid = (pos[a.char] + pos[a.target]) / 2
                    sign = 1 if pos[a.char] >= pos[a.target] else -1
                    pos[a.char], pos[a.target] = mid + sign * 0.06, mid - sign * 0.06


def _place_move(a: _Act, s: _Step, pos: list[float], movers: set[int]) -> float:
    """Set the move's direction and distance; returns where the mover ends up."""
    default = _RUN_DIST if a.action == "run" else _WALK_DIST
    here = pos[a.char]
    others = [p for i, p in enumerate(pos) if i != a.char]
    goal = pos[a.target] if a.target is not None else (sum(others) / len(others) if others else None)
    if a.direction is None:
        a.direction = "right" if here <= 0.5 else "left"
    if a.direction == "toward" and goal is not None:
        gap = abs(goal - here) - 0.12
        share = 2 if a.target in movers or (a.target is None and len(movers) > 1) else 1
        dist, sign = max(0.0, gap / share), (1 if goal >= here else -1)
    elif a.direction in ("left", "right", "away") or (a.direction == "toward" and goal is None):
        sign = -1 if a.direction == "left" else 1
        if a.direction == "away" and goal is not None:
            sign = 1 if here >= goal else -1
        dist = 1 - 2 * _EDGE if s.from_side else default
    else:  # forward/back: the compiler knows the facing; keep it modest
        a.distance = round(min(default, 0.2), 3)
        return here
    room = (1 - _EDGE - here) if sign > 0 else (here - _EDGE)
    a.distance = round(max(0.02, min(dist, room, 0.9)), 3)
    return here + sign * a.distance


def _facings(n: int, steps: list[_Step], xs: list[float]) -> list[str]:
    """Each figure first faces its first partner, or the way it first moves; else the viewer."""
    face: dict[int, str] = {}

    def look(i: int, at: float, away: bool = False) -> None:
        if at != xs[i]:
            face.setdefault(i, "right" if (at > xs[i]) != away else "left")

    for s in steps:
        for a in s.acts:
            others = [x for k, x in enumerate(xs) if k != a.char]
            if a.target is not None:
                look(a.char, xs[a.target])
                look(a.target, xs[a.char])
            elif a.action in _MOVES and a.direction in ("left", "right"):
                face.setdefault(a.char, a.direction)
            elif a.action in _MOVES and a.direction in ("toward", "away") and others:
                look(a.char, sum(others) / len(others), away=a.direction == "away")
    return [face.get(i, "front") for i in range(n)]


def _move_ms(action: str, distance: float, speed: float) -> float:
    """What the engine's gait needs for a walk/run of `distance` stage widths at `speed`: a turn
    to face the way, then the distance at the gait's pace (which already includes `speed`) plus
    the steps to start and stop and the ramps; the same margin as the gait's own schedule, so
    the planned time never has to squeeze it."""
    style = GAITS[action]
    v = min(style.speed * speed, MAX_SPEED)  # stage units per ms
    step = min(style.step * speed**0.5, style.max_step)
    return TURN_MS + Gait.RAMP + (distance * _STAGE_WIDTH + 3 * step) / v


def _duration(a: _Act) -> float:
    if a.action in _MOVES:
        return float(min(MAX_ACTION_MS, round(_move_ms(a.action, a.distance or 0.0, a.speed or 1.0))))
    t = _TIMING.get(a.action, _Timing(1500))
    ms = t.base + t.per * (a.times or t.times) if t.per else t.base * (a.times or 1)
    return float(min(MAX_ACTION_MS, round(ms / (a.speed or 1.0))))


def _schedule(steps: list[_Step]) -> list[list[_Step]]:
    """Steps on a timeline, split into scenes where one would pass a cap; drops what overflows."""
    scenes: list[list[_Step]] = [[]]
    cursor = prev_start = total = 0.0
    hold = 400.0
    for s in steps:
        length = max(_duration(a) for a in s.acts) if s.acts else 0.0
        start = prev_start if s.parallel and scenes[-1] else cursor
        n_acts = sum(len(x.acts) for x in scenes[-1])
        if scenes[-1] and (
            start + length + hold > MAX_SCENE_MS or n_acts + len(s.acts) > MAX_ACTIONS_PER_SCENE
        ):
            if len(scenes) == MAX_SCENES:
                break
            total += cursor + hold
            scenes.append([])
            start = cursor = 0.0
        if total + start + length + hold > MAX_TOTAL_MS:
            break
        s.start, s.end = start, start + length
        scenes[-1].append(s)
        prev_start, cursor = start, max(cursor, s.end)
    return [sc for sc in scenes if sc]


# --- words: titles and descriptions ----------------------------------------------------------
_ZH_WORDS: dict[str, str] = {
    "idle": "发呆", "stand": "站着", "walk": "走路", "run": "跑步", "jump": "跳", "wave": "挥手",
    "clap": "拍手", "bow": "鞠躬", "sit": "坐下", "stand_up": "站起来", "squat": "蹲下",
    "kneel": "跪下", "point": "指", "nod": "点头", "shake_head": "摇头", "turn": "转身",
    "dance": "跳舞", "kick": "踢腿", "punch": "出拳", "fall": "摔倒", "lie_down": "躺下",
    "push": "推", "pull": "拉", "hug": "拥抱", "shake_hands": "握手", "high_five": "击掌",
}  # fmt: skip
_ZH_AIMED: dict[str, str] = {
    "wave": "向{t}挥手", "bow": "向{t}鞠躬", "nod": "向{t}点头", "shake_head": "对{t}摇头",
    "point": "指向{t}", "shake_hands": "和{t}握手", "high_five": "和{t}击掌", "hug": "拥抱{t}",
    "push": "推{t}", "pull": "拉{t}", "kick": "踢{t}", "punch": "打{t}", "walk": "走向{t}",
    "run": "跑向{t}",
}  # fmt: skip
_EN_WORDS: dict[str, tuple[str, str]] = {
    "idle": ("stand idle", "stands idle"), "stand": ("stand", "stands"), "walk": ("walk", "walks"),
    "run": ("run", "runs"), "jump": ("jump", "jumps"), "wave": ("wave", "waves"),
    "clap": ("clap", "claps"), "bow": ("bow", "bows"), "sit": ("sit down", "sits down"),
    "stand_up": ("stand up", "stands up"), "squat": ("squat", "squats"), "kneel": ("kneel", "kneels"),
    "point": ("point", "points"), "nod": ("nod", "nods"), "shake_head": ("shake their heads", "shakes their head"),
    "turn": ("turn around", "turns around"), "dance": ("dance", "dances"), "kick": ("kick", "kicks"),
    "punch": ("punch", "punches"), "fall": ("fall down", "falls down"), "lie_down": ("lie down", "lies down"),
    "push": ("push", "pushes"), "pull": ("pull", "pulls"), "hug": ("hug", "hugs"),
    "shake_hands": ("shake hands", "shakes hands"), "high_five": ("high-five", "high-fives"),
}  # fmt: skip
_EN_AIMED: dict[str, str] = {
    "wave": "at", "bow": "to", "nod": "at", "shake_head": "at", "point": "at",
    "shake_hands": "with", "walk": "toward", "run": "toward",
}  # fmt: skip
_EN_COUNT_WORDS = "zero one two three four five six seven eight nine ten".split()
_EN_DIRS = {"left": "to the left", "right": "to the right", "forward": "forward", "back": "back", "away": "away"}  # fmt: skip
_ZH_DIRS = {"left": "向左", "right": "向右", "forward": "向前", "back": "向后"}
_ZH_NUMERALS = "零一两三四五六七八九十"
_EN_TIMES = {2: "twice", 3: "three times", 4: "four times", 5: "five times", 6: "six times", 7: "seven times",
             8: "eight times", 9: "nine times", 10: "ten times"}  # fmt: skip


def _zh_num(n: int) -> str:
    """0-99 in Chinese numerals: 2 alone is 两 (两次), inside a number it is 二 (十二, 二十)."""
    if n <= 10:
        return _ZH_NUMERALS[n]
    tens, ones = divmod(n, 10)
    digits = _ZH_NUMERALS.replace("两", "二")
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _moves_sideways(action: str, direction: str | None) -> bool:
    """A walk/run with a target that goes left/right/forward/back is described by its direction."""
    return action in _MOVES and direction not in (None, "toward", "away")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Writer:
    """Title and descriptions in the story's language, from the steps actually planned."""

    def __init__(self, zh: bool, chars: list[_Char], names: list[str]) -> None:
        self.zh, self.chars, self.names = zh, chars, names
        self.introduced: set[int] = set()

    def title(self, steps: list[_Step]) -> str:
        actions = list(dict.fromkeys(s.action for s in steps))[:3]
        if self.zh:
            return "、".join(_ZH_WORDS[a] for a in actions)
        words = [_EN_WORDS[a][0] for a in actions]
        text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        return text[:1].upper() + text[1:]

    def sentence(self, steps: list[_Step]) -> str:
        parts: list[str] = []
        prev: tuple[int, ...] = ()
        for s in steps:
            who = "" if s.subject == prev else self._who(s.subject)
            plural = len(s.subject) > 1 or self.chars[s.subject[0]].name == "I"
            what = self._zh_what(s) if self.zh else self._en_what(s, plural)
            glue = (
                ("，同时" if s.parallel else "，然后")
                if self.zh
                else (" while " if s.parallel else ", then ")
            )
            parts.append((glue if parts else "") + who + ("" if self.zh or not who else " ") + what)
            prev = s.subject
        text = "".join(parts)
        text = text[:1].upper() + text[1:]
        return text + ("。" if self.zh else ".")

    def _who(self, ids: tuple[int, ...]) -> str:
        fresh = [i for i in ids if i not in self.introduced]
        self.introduced.update(ids)
        first = self.chars[ids[0]]
        kin = [c for c in self.chars if c.key == first.key and c.name is None]
        if len(fresh) == len(ids) == len(kin) and all(self.chars[i] in kin for i in ids):
            return self._counted(len(ids), first.key)  # "two kids", "一个火柴人"
        if len(ids) > 1 and len(ids) == len(self.chars) and not fresh:
            return "他们" if self.zh else "they"
        names = [self._ref(i) for i in ids]
        if len(names) == 1:
            return names[0]
        return (
            "、".join(names[:-1]) + "和" + names[-1]
            if self.zh
            else ", ".join(names[:-1]) + " and " + names[-1]
        )

    def _possessive(self, ids: tuple[int, ...]) -> str:
        if len(ids) > 1:
            return "their"
        c = self.chars[ids[0]]
        return "my" if c.name == "I" else {"f": "her", "m": "his"}.get(c.gender or "", "their")

    def _ref(self, i: int) -> str:
        """A character by name; in English a lone unnamed one is "the woman"."""
        c = self.chars[i]
        if self.zh or c.name or sum(k.key == c.key and k.name is None for k in self.chars) > 1:
            return self.names[i]
        return "the " + self.names[i].lower()

    def _counted(self, n: int, key: str) -> str:
        if self.zh:
            noun = "火柴人" if key in _GENERIC or not key else key
            return f"{_zh_num(n) if n <= 99 else n}个{noun}"
        if key in _GENERIC or not key or re.search(f"[{_HAN}]", key):
            noun = "stick figure" if n == 1 else "people"
        else:
            noun = key if n == 1 else _EN_PLURAL_OF.get(key, key + "s")
        if n == 1:
            return ("an " if noun[0] in "aeiou" else "a ") + noun
        return f"{_EN_COUNT_WORDS[n] if n < len(_EN_COUNT_WORDS) else n} {noun}"

    def _zh_what(self, s: _Step) -> str:
        a = s.action
        direction = s.acts[0].direction if s.acts else None
        if s.target is not None and a in _MOVES and direction == "away":
            core = ("跑离" if a == "run" else "走离") + self._ref(s.target)
        elif s.target is not None and a in _ZH_AIMED and not _moves_sideways(a, direction):
            core = _ZH_AIMED[a].format(t=self._ref(s.target))
        elif a in _MOVES and s.from_side:
            verb = "跑" if a == "run" else "走"
            other = "右" if s.from_side == "left" else "左"
            core = f"从{'左' if s.from_side == 'left' else '右'}边{verb}到{other}边"
        elif a in _MOVES and direction == "toward":
            if len(s.subject) > 1:
                core = "相向跑去" if a == "run" else "相向而行"
            else:  # one figure: toward the others, not "each other"
                core = "跑过去" if a == "run" else "走过去"
        elif a in _MOVES and direction == "away":
            core = "跑开" if a == "run" else "走开"
        elif a in _MOVES and direction in _ZH_DIRS:
            core = _ZH_DIRS[direction] + ("跑" if a == "run" else "走")
        elif a in _DIRECTIONAL and direction in _ZH_DIRS:
            core = _ZH_DIRS[direction] + _ZH_WORDS[a]
        elif s.mutual and a not in _MOVES:
            core = "互相" + _ZH_WORDS[a]
        else:
            core = _ZH_WORDS[a]
        if s.times and s.times > 1:
            core += f"{_zh_num(s.times)}次"
        return core

    def _en_what(self, s: _Step, plural: bool) -> str:
        a = s.action
        verb = _EN_WORDS[a][0 if plural else 1]
        if a == "shake_head":  # keep the story's pronoun: "shakes her head", "I shake my head"
            mine = self._possessive(s.subject)
            verb = "shake my head" if mine == "my" else verb.replace("their", mine)
        direction = s.acts[0].direction if s.acts else None
        if s.target is not None and a in _MOVES and direction == "away":
            core = f"{verb} away from {self._ref(s.target)}"
        elif s.target is not None and not _moves_sideways(a, direction):
            prep = _EN_AIMED.get(a)
            core = f"{verb} {prep} {self._ref(s.target)}" if prep else f"{verb} {self._ref(s.target)}"
        elif a in _MOVES and s.from_side:
            core = f"{verb} from the {s.from_side} to the {'right' if s.from_side == 'left' else 'left'}"
        elif direction == "toward":
            core = f"{verb} toward each other" if plural else f"{verb} forward"
        elif direction in _EN_DIRS and a in _DIRECTIONAL:
            core = f"{verb} {_EN_DIRS[direction]}"
        elif s.mutual and a not in _MOVES:
            prep = _EN_AIMED.get(a)
            core = f"{verb} {prep} each other" if prep else f"{verb} each other"
        else:
            core = verb
        if s.times and s.times > 1:
            core += " " + _EN_TIMES.get(s.times, f"{s.times} times")
        return core


# --- assembly -------------------------------------------------------------------------------
_PALETTE = ("#2196F3", "#E91E63", "#4CAF50", "#FF9800", "#9C27B0", "#009688", "#795548", "#607D8B")


def _display_names(chars: list[_Char]) -> list[str]:
    """Named characters keep their names; others are named by kind, numbered when several."""
    base = []
    for c in chars:
        if c.name:
            base.append(c.name)
        elif c.zh:
            base.append("火柴人" if c.key in _GENERIC else c.key)
        else:
            base.append("Stick figure" if c.key in _GENERIC else c.key.capitalize())
    out: list[str] = []
    for i, name in enumerate(base):
        if chars[i].name or base.count(name) == 1:
            out.append(name)
        else:
            k = base[: i + 1].count(name)
            out.append(f"{name}{k}" if chars[i].zh else f"{name} {k}")
    return out


def _excerpt(story: str) -> str:
    return _clip(_CONTROL.sub(" ", story).strip(), 120)


def plan(story: str, seed: int | None = None) -> Script:
    """Plan `story` into a Script with bilingual rules. Deterministic; `seed` is unused.

    Raises StoryError only for an empty or whitespace-only story; any other text gives a
    valid Script (an idle figure and a note when no action word is found). Text over
    MAX_STORY_CHARS is cut to that length rather than refused.
    """
    del seed  # see the module docstring
    text = check_story(story.strip()[:MAX_STORY_CHARS] if isinstance(story, str) else story)
    zh = bool(re.search(f"[{_HAN}]", text))
    reader = _Reader(zh)
    reader.read(text)
    steps = [s for s in reader.steps if s.acts]
    if not steps:
        return _idle_script(text, zh)
    return _build(text, zh, reader, steps)


def _build(text: str, zh: bool, reader: _Reader, steps: list[_Step]) -> Script:
    cast = reader.cast
    xs = _start_positions(cast, steps)
    _walk_distances(steps, xs)
    facing = _facings(len(cast.chars), steps, xs)
    scenes_steps = _schedule(steps)
    names = _display_names(cast.chars)
    writer = _Writer(zh, cast.chars, names)
    planned = [s for sc in scenes_steps for s in sc]
    description = writer.sentence(planned)
    if reader.unknown:
        notes = "; ".join(_excerpt(u) for u in reader.unknown[:3])
        description += f"（未识别：{notes}）" if zh else f" (Not understood: {notes})"
    if cast.capped:
        description += (
            f"（最多{MAX_CHARACTERS}个角色，多出的省略了）"
            if zh
            else f" (At most {MAX_CHARACTERS} characters fit on the stage; the others were left out.)"
        )
    if len(planned) < len(steps) or reader.overflow:
        description += (
            "（故事太长，后面的动作省略了）" if zh else " (The story is long; later actions were left out.)"
        )
    scenes = [_scene(k, sc, _Writer(zh, cast.chars, names)) for k, sc in enumerate(scenes_steps)]
    characters = [
        Character(
            id=f"char_{i + 1}",
            name=_clip(names[i], MAX_TEXT),
            color=_PALETTE[i % len(_PALETTE)],
            x=xs[i],
            facing=facing[i],
        )
        for i in range(len(cast.chars))
    ]
    return Script(
        title=_clip(writer.title(planned), MAX_TEXT),
        description=_clip(description, 4 * MAX_TEXT),
        characters=characters,
        scenes=scenes,
    )


def _scene(k: int, steps: list[_Step], writer: _Writer) -> Scene:
    actions = [_action(s, a) for s in steps for a in s.acts]
    end = max(a.end for a in actions)
    return Scene(
        id=f"scene_{k + 1}",
        description=_clip(writer.sentence(steps).rstrip("。."), MAX_TEXT),
        duration=min(MAX_SCENE_MS, end + 400),
        actions=actions,
    )


def _action(s: _Step, a: _Act) -> Action:
    t = _TIMING.get(a.action, _Timing(0))
    times = a.times or (t.times if t.per else None)
    params = ActionParams(
        hand=a.hand or ("right" if a.action in _RIGHT_HANDED else None),
        times=min(times, MAX_TIMES) if times else None,
        speed=a.speed,
        direction=a.direction if a.action in _DIRECTIONAL else None,
        target=f"char_{a.target + 1}" if a.target is not None else None,
        distance=a.distance if a.action in _MOVES else None,
    )
    return Action(
        character=f"char_{a.char + 1}", action=a.action, start=s.start, duration=_duration(a), params=params
    )


def _idle_script(text: str, zh: bool) -> Script:
    """Nothing understood: one figure idles, and the description says so."""
    name = "火柴人" if zh else "Stick figure"
    excerpt = _excerpt(text)
    if zh:
        title, description, scene_text = (
            "发呆",
            f"没有识别出动作：{excerpt}。{name}在原地发呆。",
            f"{name}在原地发呆",
        )
    else:
        title, description = "Idle", f"No known action found in: {excerpt}. The stick figure stands idle."
        scene_text = "The stick figure stands idle"
    return Script(
        title=title,
        description=_clip(description, 4 * MAX_TEXT),
        characters=[Character(id="char_1", name=name, color=_PALETTE[0], x=0.5, facing="front")],
        scenes=[
            Scene(
                id="scene_1",
                description=scene_text,
                actions=[
                    Action(character="char_1", action="idle", start=0, duration=float(_TIMING["idle"].base))
                ],
            )
        ],
    )

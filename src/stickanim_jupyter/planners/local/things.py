"""Words for things (props) and animals, and the modifiers that change how a group acts.

A thing is never a character: its words are tokens of their own (before the character nouns),
each mapped to one of schema.PROP_KINDS; the prop keeps the story's word as its name (a sofa
is a chair named 沙发, a newspaper a book named "newspaper"). An animal is a character drawn
as a person, with a note saying so.
"""

from __future__ import annotations

import re

from ...schema import ACTIONS, PROP_KINDS

# kind -> Chinese words (longest first in the regex, so 书桌 is a table and not a book).
_ZH_THINGS: dict[str, str] = {
    "board": "白板 黑板 板子 写字板 公告板 黑板报 讲台",
    "chair": "椅子 凳子 长椅 沙发 板凳 长凳 座位 摇椅 小凳子",
    "ball": "足球 篮球 排球 网球 皮球 乒乓球 羽毛球 雪球 球 石头 石子 小石头",
    "box": "箱子 盒子 纸箱 纸盒 包裹 行李箱 行李 栏杆 跨栏 书包 礼物",
    "table": "桌子 书桌 餐桌 课桌 茶几",
    "bed": "床 床铺 小床",
    "door": "门 大门 房门 门口",
    "tree": "树 大树 小树 树木 苹果树",
    "ladder": "梯子 楼梯 台阶",
    "book": "书 书本 报纸 杂志 课本 本子 笔记本 小说 故事书 漫画",
    "cup": "杯子 茶杯 水杯 杯 茶 水 咖啡 牛奶 果汁 饮料 瓶子 水瓶",
    "car": "汽车 车 小车 车子 出租车 公交车 卡车 自行车",
    "phone": "电话 手机 电话机",
    "flower": "花 花朵 鲜花 花儿 玫瑰 花盆 植物 盆栽",
}
# English: (singular, plural) per kind; two-word forms first in the regex by length.
_EN_THINGS: dict[str, str] = {
    "board": "whiteboard blackboard chalkboard board",
    "chair": "chair bench sofa couch stool seat armchair",
    "ball": "ball football soccer_ball basketball volleyball tennis_ball stone rock pebble snowball",
    "box": "box crate package parcel suitcase bag fence hurdle present gift",
    "table": "table desk",
    "bed": "bed",
    "door": "door gate",
    "tree": "tree",
    "ladder": "ladder stepladder stairs",
    "book": "book newspaper magazine novel letter notebook comic",
    "cup": "cup mug glass tea coffee water milk juice bottle",
    "car": "car truck bus taxi van cart wagon",
    "phone": "phone telephone cellphone smartphone mobile",
    "flower": "flower plant rose tulip",
}
_EN_IRREGULAR_PLURAL = {"stairs": "stairs", "glass": "glasses"}


def _plural(word: str) -> str:
    if word in _EN_IRREGULAR_PLURAL:
        return _EN_IRREGULAR_PLURAL[word]
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


# word (lower case, one space) -> kind
THING_WORDS: dict[str, str] = {}
for _kind, _words in _ZH_THINGS.items():
    for _w in _words.split():
        THING_WORDS[_w] = _kind
for _kind, _words in _EN_THINGS.items():
    for _w in _words.split():
        _w = _w.replace("_", " ")
        THING_WORDS[_w] = _kind
        THING_WORDS[_plural(_w)] = _kind
for _w in ("cup of tea", "cup of coffee", "glass of water", "glass of milk", "mug of coffee", "cup of water"):
    THING_WORDS[_w] = "cup"
assert set(THING_WORDS.values()) <= set(PROP_KINDS)

# Words that are also something else right after: 水果 is fruit, 花园 a garden, 门口 stays a door.
_ZH_NOT_AFTER = {"花": "园钱了生", "水": "果平里中边", "车": "站", "书": "法记"}


def _zh_pattern() -> str:
    words = sorted((w for w in THING_WORDS if re.search(r"[\u4e00-\u9fff]", w)), key=len, reverse=True)
    parts = []
    for w in words:
        stop = _ZH_NOT_AFTER.get(w)
        parts.append(re.escape(w) + (f"(?![{stop}])" if stop else ""))
    return "|".join(parts)


def _en_pattern() -> str:
    words = sorted((w for w in THING_WORDS if re.match(r"[a-z]", w)), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


# --- the thing token (lexicon.py puts it first among the tokens around verbs) -------------------
_EN_PREP = r"over|onto|on|into|in|to(?:wards?)?|at|under|behind|across|up|off|from|with|near|by|beside"
_EN_DET = r"the|a|an|his|her|their|its|my|your|our|this|that|these|those|some|two|three|four|\d{1,2}"
_EN_FUNCTION = r"(?:and|or|then|the|a|an|to|of|with|at|on|in|he|she|they|it|is|are|was|his|her)\s"
_ZH_PREP = r"跳过|越过|过|在|到|把|往|向|朝|从|对着|朝着|向着|对|爬上|上"
_ZH_MEASURE = r"个|张|把|本|杯|辆|棵|扇|只|块|件|台|部|份|朵|束|盆|颗|条|根|瓶|碗|盒|箱|封"
_ZH_PLACE = (
    r"前面?|上面?|下面?|旁边|边上|里面?|后面?|外面?|附近|跟前|面前|那里|那儿|这里|上|下|前|后|旁|边|里"
)
THING_TOKEN = (
    rf"(?<![A-Za-z])(?i:(?:(?P<tpe>{_EN_PREP})\s+)?(?:(?P<tde>{_EN_DET})\s+)?"
    rf"(?:(?!{_EN_FUNCTION})[a-z]+\s+)?(?P<ten>{_en_pattern()}))(?![A-Za-z])"
    rf"|(?P<tpz>{_ZH_PREP})?(?:[一两三四五六七八九十几]\s*)?(?:{_ZH_MEASURE})?(?P<tzh>{_zh_pattern()})"
    rf"(?:{_ZH_PLACE})?"
)

# --- animals: characters drawn as people, with a note ----------------------------------------
EN_ANIMALS: tuple[tuple[str, str], ...] = (
    ("dog", "dogs"), ("puppy", "puppies"), ("cat", "cats"), ("kitten", "kittens"), ("bird", "birds"),
    ("horse", "horses"), ("rabbit", "rabbits"), ("bunny", "bunnies"), ("bear", "bears"),
    ("monkey", "monkeys"), ("fox", "foxes"), ("mouse", "mice"), ("pig", "pigs"), ("cow", "cows"),
    ("lion", "lions"), ("tiger", "tigers"), ("elephant", "elephants"), ("panda", "pandas"),
    ("frog", "frogs"), ("sheep", "sheep"), ("chicken", "chickens"),
)  # fmt: skip
ZH_ANIMALS = (
    "狗 小狗 狗狗 猫 小猫 猫咪 小鸟 鸟 兔子 小兔 小白兔 熊 小熊 猴子 小猴 狐狸 老鼠 小老鼠 猪 小猪 "
    "奶牛 狮子 老虎 大象 小鸡 小羊 熊猫 青蛙 小马 小狗狗"
).split()
ANIMALS = frozenset(ZH_ANIMALS) | frozenset(sg for sg, _ in EN_ANIMALS)

# --- how a group acts: in turn, together, in place -------------------------------------------
# Masked out of the clause before verbs are read, so "in turn" is no turn and "take turns" no
# action; each sets a flag on the clause's steps.
MODIFIERS = re.compile(
    r"(?P<turn>(?<![A-Za-z])(?i:in\s+turns?|by\s+turns|take\s+turns(?:\s+to)?|taking\s+turns(?:\s+to)?|"
    r"took\s+turns(?:\s+to)?|one\s+after\s+(?:another|the\s+other)|one\s+by\s+one)(?![A-Za-z])|轮流|依次|挨个儿?|一个接一个地?|一个一个地?)"
    r"|(?P<place>(?<![A-Za-z])(?i:in\s+place|on\s+the\s+spot)(?![A-Za-z])|原地|在原地)"
    r"|(?P<together>(?<![A-Za-z])(?i:together|as\s+a\s+group|side\s+by\s+side)(?![A-Za-z])|一起|一块儿?|齐步|并排)"
)

# Which kinds an action naturally uses, most fitting first (for the thing it takes from a clause
# that names several: "爷爷坐在沙发上看报纸" sits on the sofa, reads the newspaper).
_HELD = ("ball", "book", "cup", "phone", "flower", "box")
SUITS: dict[str, tuple[str, ...]] = {
    "sit": ("chair", "bed", "box", "table"),
    "lie_down": ("bed", "chair", "table"),
    "sleep": ("bed", "chair"),
    "kick": ("ball", "box", "door", "car", "chair", "cup", "book"),
    "throw": _HELD, "catch": _HELD, "pick_up": _HELD, "put_down": _HELD, "carry": _HELD,
    "push": ("box", "car", "door", "chair", "table", "bed", "ball"),
    "pull": ("box", "car", "door", "chair", "table", "bed"),
    "climb": ("ladder", "tree", "chair", "table", "box", "car", "bed"),
    "read": ("book", "board", "phone"),
    "open": ("door", "box", "book", "car"),
    "drink": ("cup",),
    "say": ("phone",),
    "jump": ("box", "ball", "chair", "book", "cup", "flower"),
    "point": PROP_KINDS, "look": PROP_KINDS, "walk": PROP_KINDS, "run": PROP_KINDS, "jog": PROP_KINDS,
}  # fmt: skip
SUITS = {a: kinds for a, kinds in SUITS.items() if a in ACTIONS}
# Where a thing starts for the action that first uses it: under the figure, in reach, ahead.
HELD_KINDS = frozenset(_HELD)
UNDER = frozenset({"sit", "lie_down", "sleep"})
IN_FRONT = frozenset({"kick", "push", "pull", "open", "jump", "climb"})
AFAR = frozenset({"point", "look", "walk", "run", "jog"})

"""Verbs outside the action vocabulary: the closest depiction, and whether to say so in a note.

The registry's words name what the engine can draw; these name what people write that it
cannot draw as such: a phone call is talking with a phone in hand (打电话 is no punch), singing
is a bubble of notes, watering the flowers is pointing at them (with a note). Each idiom lists
the actions that depict it best first; the first one the vocabulary has is used, and a note
is written when the idiom asks for one or the best one is missing.

They are tried before the registry's verbs, so 打电话 and 打扫 win over 打 (punch).
"""

from __future__ import annotations

from typing import NamedTuple

from ...schema import ACTIONS
from .speech import SAY, THINK


class IdiomVerb(NamedTuple):
    verb: str
    suffix: str = ""  # regex after the verb's forms
    irregular: tuple[str, ...] = ()
    doubles: bool = False


class Idiom(NamedTuple):
    name: str
    actions: tuple[str, ...]  # the closest depictions, best first
    zh: str = ""  # regex (top-level alternatives start with literal characters)
    en: tuple[IdiomVerb, ...] = ()
    note: bool = False  # not what the story said: write "not understood: ..."
    zh_text: str | None = None  # the bubble of a say/think depiction
    en_text: str | None = None
    kind: str | None = None  # a thing it implies: a phone call needs a phone
    each: bool = False  # a group does it to each other, in turn (聊天, argue)
    by_kind: tuple[tuple[str, str], ...] = ()  # with such a thing, this action instead


_GREETINGS = r"hello|hi|goodbye|good-?bye|bye|sorry|thanks|thank\s+you|good\s+(?:morning|night|evening|afternoon)|yes|no|ok(?:ay)?"
_ZH_GREETINGS = r"你好|再见|谢谢|对不起|早上好|晚上好|晚安|拜拜|没关系"
_BALL_GAMES = r"篮球|排球|乒乓球|羽毛球|网球|雪仗|足球|球"

IDIOMS: tuple[Idiom, ...] = (
    Idiom("said", ("say", "wave"), zh=f"{SAY}[\ue100-\ue1ff]"),  # speech.py's markers
    Idiom("thought", ("think", "idle"), zh=f"{THINK}[\ue100-\ue1ff]"),
    Idiom("greeting", ("say", "wave"), zh=rf"说(?:了|一声|了一声)?(?:{_ZH_GREETINGS})|问好|问候|道别|告别|道谢|致谢|道歉",
          en=(IdiomVerb("say", rf"\s+(?:{_GREETINGS})", ("said",)), IdiomVerb("apologize"), IdiomVerb("apologise"),
              IdiomVerb("thank"))),
    Idiom("phone", ("say", "wave"), zh=r"打(?:了|过)?(?:个|一个|一通|一会儿?)?电话|通电话|接电话|讲电话|打手机",
          en=(IdiomVerb("call"), IdiomVerb("phone", r"(?=\s+[A-Z]|\s+(?:him|her|them|home|me))")),
          zh_text="喂？", en_text="Hello?", kind="phone", each=True),
    Idiom("talk", ("say", "nod"), zh=r"聊天|聊了?聊|聊起天来?|说说话|说话|谈话|交谈|谈天|讨论|商量|对话|聊",
          en=(IdiomVerb("talk"), IdiomVerb("chat", doubles=True), IdiomVerb("discuss"), IdiomVerb("whisper"),
              IdiomVerb("tell", irregular=("told",)),
              IdiomVerb("speak", irregular=("spoke", "spoken")), IdiomVerb("converse")),
          zh_text="……", en_text="Blah blah...", each=True),
    Idiom("ask", ("say", "nod"), zh=r"提问|问道|问", en=(IdiomVerb("ask"),), zh_text="？", en_text="?"),
    Idiom("answer", ("say", "nod"), zh=r"回答道?|答道",
          en=(IdiomVerb("reply", irregular=("replies", "replied")), IdiomVerb("answer")),
          zh_text="……", en_text="..."),
    Idiom("argue", ("say", "shake_head"), zh=r"吵架|争吵|吵了?起来|吵嘴|争论|吵",
          en=(IdiomVerb("argue"), IdiomVerb("quarrel", irregular=("quarrelled",)), IdiomVerb("bicker")),
          zh_text="哼！", en_text="No way!", each=True),
    Idiom("ponder", ("think", "idle"), zh=r"思考|沉思|想了?想|琢磨",
          en=(IdiomVerb("think", irregular=("thought",)), IdiomVerb("wonder"), IdiomVerb("ponder")),
          zh_text="？", en_text="?"),
    Idiom("sing", ("say", "dance"), zh=r"唱了?一?首歌|唱歌|歌唱|唱", en=(IdiomVerb("sing", irregular=("sang", "sung")),),
          zh_text="♪ ♪ ♪", en_text="La la la!"),
    Idiom("shout", ("say", "wave"), zh=r"大喊大叫|大喊|呼喊|喊叫|叫喊|喊",
          en=(IdiomVerb("shout"), IdiomVerb("yell"), IdiomVerb("scream")), zh_text="喂！", en_text="Hey!"),
    Idiom("ball_game", ("throw", "jump"), zh=rf"打(?=(?:了|过)?(?:一场|一会儿?)?(?:{_BALL_GAMES}))"),
    Idiom("lie_on", ("lie_down",),  # "lies on the bed": the registry knows "lie down"
          en=(IdiomVerb("lie", r"(?=\s+(?:on|in)\s)", ("lay", "lain", "lying")),)),
    Idiom("water", ("point",), zh=r"浇(?:了|过)?水|浇",
          en=(IdiomVerb("water", r"(?=\s+(?:the\s+|her\s+|his\s+|their\s+|my\s+|some\s+)?(?:flowers?|plants?|garden|trees?|roses?|lawn|grass))"),),
          note=True),
    Idiom("clean", ("walk",), zh=r"打扫卫生|打扫|扫地|拖地|擦桌子|擦窗户|擦|扫|清洁|洗碗|洗衣服|洗",
          en=(IdiomVerb("clean"), IdiomVerb("sweep", irregular=("swept",)), IdiomVerb("mop", doubles=True),
              IdiomVerb("wash"), IdiomVerb("wipe"), IdiomVerb("tidy", irregular=("tidies", "tidied")),
              IdiomVerb("vacuum")), note=True),
    Idiom("cook", ("point",), zh=r"做饭|烧饭|煮饭|炒菜|做菜|烹饪|煮|炒",
          en=(IdiomVerb("cook"), IdiomVerb("bake"), IdiomVerb("fry", irregular=("fries", "fried"))), note=True),
    Idiom("eat", ("drink", "nod"), zh=r"吃早饭|吃午饭|吃晚饭|吃饭|吃东西|吃",
          en=(IdiomVerb("eat", irregular=("ate", "eaten")),), note=True),
    Idiom("write", ("point",), zh=r"写字|写作业|写信|写|画画儿?|画",
          en=(IdiomVerb("write", irregular=("wrote", "written")), IdiomVerb("draw", irregular=("drew", "drawn")),
              IdiomVerb("paint")), note=True),
    Idiom("play", ("jump",), zh=r"玩耍|玩游戏|玩", en=(IdiomVerb("play"),), note=True,
          by_kind=(("ball", "kick"),)),
    Idiom("swim", ("walk",), zh=r"游泳|游了?一?会儿?泳", en=(IdiomVerb("swim", irregular=("swam", "swum"), doubles=True),),
          note=True),
    Idiom("drive", ("walk",), zh=r"开车|骑车|骑自行车|骑马|骑",
          en=(IdiomVerb("drive", irregular=("drove", "driven")), IdiomVerb("ride", irregular=("rode", "ridden"))),
          note=True),
)  # fmt: skip
BY_NAME = {i.name: i for i in IDIOMS}


def depiction(idiom: Idiom) -> tuple[str, bool]:
    """The action that shows it, and whether that deserves a note (asked, or not the best one)."""
    for k, action in enumerate(idiom.actions):
        if action in ACTIONS:
            return action, idiom.note or k > 0
    return "idle", True

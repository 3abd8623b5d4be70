"""The Script vocabulary: one ActionDef per action, in the order of schema.ACTIONS.

Adding an action is one entry here (its params, timing, words, caption and prompt line), one
builder in the motions package, then `python -m stickanim_jupyter.readme`. What the rest of the
package derives from these entries is in actions.py.
"""

from __future__ import annotations

from .action_types import REQUIRED, ZH_SPLIT, ActionDef, EnVerb, Timing, ZhVerb


def _p(**defaults: object) -> tuple[tuple[str, object], ...]:
    return tuple(defaults.items())


_NONE = "none"
_MOVE = (
    "direction (left|right|toward|away|forward|back), distance (0..1 of the stage width), "
    'speed (0.25..4), target (with direction "toward")'
)
_PAIR = "target (required: the other character's id); they bring the two characters together"
_PAIR_THING = (
    "target (the other character's id; they come together) or object (a box, car or door's prop id: "
    "it moves with the hands)"
)
_MOVE_PARAMS = _p(direction="forward", distance=None, speed=1.0, target=None, in_place=False, object=None)
_MOVING = _MOVE + ", in_place (true: on the spot), object (a prop id: goes up to it)"
_THING = "object (the prop id of the thing it uses)"
_WORDS = "text (required: at most 80 characters of plain words), target"

# In the order of the Script vocabulary (schema.ACTIONS, the JSON schema's enum).
REGISTRY: tuple[ActionDef, ...] = (
    ActionDef(
        "idle", "stays where it is and breathes", _NONE, timing=Timing(2000),
        zh=(ZhVerb(320, r"发呆|等待|等着|休息"),),
        en=(EnVerb(620, "wait"), EnVerb(630, "idle")),
        zh_word="发呆", en_words=("stand idle", "stands idle"),
    ),
    ActionDef(
        "stand", "gets up if needed and stands", _NONE, timing=Timing(1500), ends_in="stand",
        zh=(ZhVerb(310, r"站着|站立|站"),),
        en=(EnVerb(160, "stand", r"(?:\s+still)?"),),
        zh_word="站着", en_words=("stand", "stands"),
    ),
    ActionDef(
        "walk", "walks to a side, toward or away from someone, forward or back; planted feet never slide",
        _MOVING, params=_MOVE_PARAMS, timing=Timing(0), ends_in="stand",
        travels=True, aimed=True, directional=True, uses_prop=True,
        zh=(
            ZhVerb(60, r"走开|走掉|走离|离开|走远", "away"),
            ZhVerb(70, r"相向而行|相向走来?|迎面走来|走过来|走过去|靠近|走近|走上前|迎上去", "toward"),
            ZhVerb(90, r"前进", "forward"),
            ZhVerb(100, r"后退|倒退", "back"),
            ZhVerb(130, r"走来走去|走路|散步|漫步|步行|行走|走"),
        ),
        en=(
            EnVerb(110, "walk", r"\s+(?:away|off)", "away"),
            EnVerb(190, "walk"), EnVerb(200, "stroll"), EnVerb(210, "march"), EnVerb(220, "wander"),
            EnVerb(230, "approach", direction="toward"), EnVerb(320, "leave", direction="away"),
        ),
        zh_word="走路", en_words=("walk", "walks"), zh_aimed="走向{t}", en_aimed="toward",
    ),
    ActionDef(
        "run", "runs like walk, faster, with both feet in the air between steps",
        _MOVING, params=_MOVE_PARAMS, timing=Timing(0), ends_in="stand",
        travels=True, aimed=True, directional=True, uses_prop=True,
        zh=(
            ZhVerb(50, r"跑开|跑走|跑掉|跑离|逃跑|逃走|逃开|逃离|逃", "away"),
            ZhVerb(80, r"相向跑来?|跑过来|跑过去|冲过去", "toward"),
            ZhVerb(120, r"跑步|奔跑|冲刺|跑"),
        ),
        en=(
            EnVerb(100, "run", r"\s+(?:away|off)", "away"),
            EnVerb(240, "run", irregular=("ran",), doubles=True),
            EnVerb(260, "sprint"), EnVerb(270, "dash"), EnVerb(280, "rush"), EnVerb(290, "race"),
            EnVerb(300, "flee", direction="away", irregular=("fled",)),
            EnVerb(310, "escape", direction="away"),
        ),
        zh_word="跑步", en_words=("run", "runs"), zh_aimed="跑向{t}", en_aimed="toward",
    ),
    ActionDef(
        "jump", "jumps in place, ahead to a side by `distance`, or over a thing (`over`)",
        "times, over (a prop id: jumps over it)",
        params=_p(times=None, direction=None, distance=None, speed=1.0, over=None),
        timing=Timing(200, 700), ends_in="stand", directional=True, uses_prop=True,
        zh=(ZhVerb(110, r"蹦蹦跳跳|跳了?跳|跳起来?|跳跃|蹦跳|蹦|跳"),),
        en=(
            EnVerb(330, "jump"), EnVerb(340, "hop", doubles=True),
            EnVerb(350, "leap", irregular=("leapt",)),
        ),
        zh_word="跳", en_words=("jump", "jumps"),
    ),
    ActionDef(
        "wave", "waves a hand above the shoulder", "hand (left|right|both), times",
        params=_p(hand="right", times=None, speed=1.0), timing=Timing(300, 500, 2),
        aimed=True, right_handed=True,
        zh=(
            ZhVerb(10, rf"打招呼|挥手致意|挥手告别|挥了?挥手?|招了?招手|挥{ZH_SPLIT}手|招{ZH_SPLIT}手|摆手"),
        ),
        en=(
            EnVerb(120, "say", r"\s+(?:hello|hi|goodbye|bye)", irregular=("said",)),
            EnVerb(170, "wave"), EnVerb(180, "greet"),
        ),
        zh_word="挥手", en_words=("wave", "waves"), zh_aimed="向{t}挥手", en_aimed="at",
    ),
    ActionDef(
        "clap", "claps both hands", "times", params=_p(times=None, speed=1.0), timing=Timing(200, 400, 3),
        zh=(ZhVerb(300, rf"拍了?拍手|拍{ZH_SPLIT}手|鼓{ZH_SPLIT}掌|拍{ZH_SPLIT}掌|拍巴掌"),),
        en=(EnVerb(600, "clap", doubles=True), EnVerb(610, "applaud")),
        zh_word="拍手", en_words=("clap", "claps"),
    ),
    ActionDef(
        "bow", "bows from the waist, to someone or in profile", _NONE, params=_p(times=1, target=None),
        timing=Timing(300, 1300), ends_in="stand", aimed=True,
        zh=(ZhVerb(140, rf"鞠{ZH_SPLIT}躬|弯腰|行礼"),),
        en=(EnVerb(60, "take", r"\s+a\s+bow", irregular=("took", "taken")), EnVerb(360, "bow")),
        zh_word="鞠躬", en_words=("bow", "bows"), zh_aimed="向{t}鞠躬", en_aimed="to",
    ),
    ActionDef(
        "sit", "sits down on the ground, or on a chair (`object`)", "object (a chair's prop id: sits on it)",
        params=_p(object=None), timing=Timing(1200), ends_in="sit", uses_prop=True,
        zh=(ZhVerb(150, r"坐了?下来?|坐"),),
        en=(EnVerb(130, "sit", r"(?:\s+(?:back\s+)?down)?", irregular=("sat",), doubles=True),),
        zh_word="坐下", en_words=("sit down", "sits down"),
    ),
    ActionDef(
        "stand_up", "gets up from any posture", _NONE, timing=Timing(1200), ends_in="stand",
        zh=(ZhVerb(40, r"站了?起来|站起身?|爬了?起来|爬起|起身|起立|起床"),),
        en=(
            EnVerb(0, "stand", r"\s+(?:back\s+)?up", irregular=("stood",)),
            EnVerb(10, "get", r"\s+(?:back\s+)?up", irregular=("got", "gotten"), doubles=True),
            EnVerb(20, "get", r"\s+(?:back\s+)?on\s+(?:his|her|their|its|one's)\s+feet"),
            EnVerb(30, "rise", r"(?:\s+up)?", irregular=("rose", "risen")),
        ),
        zh_word="站起来", en_words=("stand up", "stands up"),
    ),
    ActionDef(
        "squat", "squats down and stays; with `times`, squats and rises that many times", _NONE,
        params=_p(times=None), timing=Timing(1200), ends_in="squat",
        zh=(ZhVerb(160, r"蹲了?下来?|下蹲|蹲"),),
        en=(EnVerb(370, "squat", doubles=True), EnVerb(380, "crouch")),
        zh_word="蹲下", en_words=("squat", "squats"),
    ),
    ActionDef(
        "kneel", "kneels on one knee", _NONE, timing=Timing(1200), ends_in="kneel",
        zh=(ZhVerb(170, r"跪了?下来?|跪"),),
        en=(EnVerb(390, "kneel", irregular=("knelt",)),),
        zh_word="跪下", en_words=("kneel", "kneels"),
    ),
    ActionDef(
        "point", "points an arm ahead, to a side or at a thing, turning first if needed",
        "hand, direction, object (a prop id: points at it)",
        params=_p(hand="right", direction=None, object=None), timing=Timing(1500),
        aimed=True, directional=True, zh_object=True, right_handed=True, uses_prop=True,
        zh=(ZhVerb(200, r"指了?指|指着|指向|指"),),
        en=(EnVerb(400, "point"),),
        zh_word="指", en_words=("point", "points"), zh_aimed="指向{t}", en_aimed="at",
    ),
    ActionDef(
        "nod", "nods", "times", params=_p(times=2), timing=Timing(200, 450, 2), aimed=True,
        zh=(ZhVerb(210, rf"点了?点头|点{ZH_SPLIT}头"),),
        en=(EnVerb(410, "nod", doubles=True),),
        zh_word="点头", en_words=("nod", "nods"), zh_aimed="向{t}点头", en_aimed="at",
    ),
    ActionDef(
        "shake_head", "shakes the head", "times",
        params=_p(times=3), timing=Timing(200, 450, 2), aimed=True,
        zh=(ZhVerb(220, rf"摇了?摇头|摇{ZH_SPLIT}头"),),
        en=(
            EnVerb(40, "shake", r"\s+(?:(?:his|her|their|its|my|your|our|the|a)\s+)?heads?",
                   irregular=("shook", "shaken")),
        ),
        zh_word="摇头", en_words=("shake their heads", "shakes their head"), zh_aimed="对{t}摇头",
        en_aimed="at",
    ),
    ActionDef(
        "turn", "turns to a side, to the front, or around (the default)", "direction",
        params=_p(direction="back"), timing=Timing(900), directional=True,
        zh=(ZhVerb(230, r"转过身来?|转了?一?个?圈|转身|转圈|回头|掉头|旋转|转"),),
        en=(
            EnVerb(150, "turn", r"(?:\s+a?round)?"),
            EnVerb(420, "spin", irregular=("spun",), doubles=True),
        ),
        zh_word="转身", en_words=("turn around", "turns around"),
    ),
    ActionDef(
        "dance", "dances: bouncing knees, arms swinging in turn", _NONE, params=_p(times=None, speed=1.0),
        timing=Timing(400, 1600, 2), ends_in="stand",
        zh=(ZhVerb(0, r"跳了?一?[支段]?舞|跳起舞来?|舞蹈|起舞|跳舞"),),
        en=(EnVerb(430, "dance"),),
        zh_word="跳舞", en_words=("dance", "dances"),
    ),
    ActionDef(
        "kick", "kicks toward someone or a side (`hand` names the leg); a kicked ball flies and lands",
        "times, object (a ball's prop id: it flies)",
        params=_p(hand="right", times=1, direction=None, target=None, object=None),
        timing=Timing(200, 800), ends_in="stand",
        aimed=True, zh_object=True, uses_prop=True,
        zh=(ZhVerb(240, r"踢了?踢|踢腿|踢"),),
        en=(EnVerb(440, "kick"),),
        zh_word="踢腿", en_words=("kick", "kicks"), zh_aimed="踢{t}",
    ),
    ActionDef(
        "punch", "punches toward someone or a side; both hands: in turn", "hand, times",
        params=_p(hand="right", times=1, direction=None, target=None),
        timing=Timing(200, 600), ends_in="stand",
        aimed=True, zh_object=True,
        zh=(
            ZhVerb(20, r"打架|打斗|打起来|搏斗|格斗", "each"),  # a fight: each punches the other
            ZhVerb(30, r"挥拳|出拳|打拳|一拳|击打|揍|打了?一下|打"),
        ),
        en=(
            EnVerb(450, "punch"), EnVerb(460, "hit", doubles=True),
            EnVerb(470, "strike", irregular=("struck",)),
            EnVerb(480, "fight", direction="each", irregular=("fought",)),  # each punches the other
        ),
        zh_word="出拳", en_words=("punch", "punches"), zh_aimed="打{t}",
    ),
    ActionDef(
        "fall", "falls forward onto the ground", _NONE, params=_p(direction="forward"), timing=Timing(1200),
        ends_in="lie_front", directional=True,
        zh=(ZhVerb(190, r"摔了?一?跤|摔倒|跌倒|滑倒|绊倒|倒下|倒地|摔|跌"),),
        en=(
            EnVerb(140, "fall", r"(?:\s+(?:down|over))?", irregular=("fell", "fallen")),
            EnVerb(490, "trip", doubles=True), EnVerb(500, "tumble"), EnVerb(510, "collapse"),
        ),
        zh_word="摔倒", en_words=("fall down", "falls down"),
    ),
    ActionDef(
        "lie_down", "lies down on the back, on the ground or on a bed (`object`)",
        "object (a bed's prop id: lies on it)", params=_p(object=None), timing=Timing(1500),
        ends_in="lie_back", uses_prop=True,
        zh=(ZhVerb(180, r"躺了?下来?|卧倒|躺"),),
        en=(
            EnVerb(80, "lie", r"\s+(?:down|on\s+the\s+(?:ground|floor))", irregular=("lay", "lain", "lying")),
            EnVerb(90, "lay", r"\s+down"),
        ),
        zh_word="躺下", en_words=("lie down", "lies down"),
    ),
    ActionDef(
        "push", "walks up to the target and pushes it back a step; or pushes a thing along",
        _PAIR_THING, params=_p(target=REQUIRED, object=None),
        timing=Timing(1500), ends_in="stand", interaction=True, aimed=True, zh_object=True, uses_prop=True,
        zh=(ZhVerb(250, r"推了?推|推开|推倒|推"),),
        en=(EnVerb(520, "push"), EnVerb(530, "shove")),
        zh_word="推", en_words=("push", "pushes"), zh_aimed="推{t}",
    ),
    ActionDef(
        "pull", "takes the target by the hand and pulls it along; or pulls a thing along",
        _PAIR_THING, params=_p(target=REQUIRED, object=None),
        timing=Timing(1500), ends_in="stand", interaction=True, aimed=True, zh_object=True, uses_prop=True,
        zh=(ZhVerb(260, r"拉了?拉|拉住|拉着|拉|拽"),),
        en=(EnVerb(540, "pull"), EnVerb(550, "drag", doubles=True), EnVerb(560, "tug", doubles=True)),
        zh_word="拉", en_words=("pull", "pulls"), zh_aimed="拉{t}",
    ),
    ActionDef(
        "hug", "walks up to the target and hugs it", _PAIR, params=_p(target=REQUIRED), timing=Timing(2200),
        ends_in="stand", interaction=True, aimed=True, zh_object=True,
        zh=(ZhVerb(270, r"拥抱|抱了?抱|抱住|抱"),),
        en=(EnVerb(570, "hug", doubles=True), EnVerb(580, "embrace"), EnVerb(590, "cuddle")),
        zh_word="拥抱", en_words=("hug", "hugs"), zh_aimed="拥抱{t}",
    ),
    ActionDef(
        "shake_hands", "walks up to the target and shakes its right hand", _PAIR,
        params=_p(target=REQUIRED), timing=Timing(2000), ends_in="stand", interaction=True, aimed=True,
        zh=(ZhVerb(280, rf"握了?握手|握{ZH_SPLIT}手"),),
        en=(EnVerb(50, "shake", r"\s+hands"),),
        zh_word="握手", en_words=("shake hands", "shakes hands"), zh_aimed="和{t}握手", en_aimed="with",
    ),
    ActionDef(
        "high_five", "walks up to the target and high-fives it", _PAIR, params=_p(target=REQUIRED),
        timing=Timing(1200), ends_in="stand", interaction=True, aimed=True,
        zh=(ZhVerb(290, rf"击{ZH_SPLIT}掌"),),
        en=(EnVerb(70, "high", r"[\s-]*fiv(?:e|es|ed|ing)"),),  # "high-fives", "high five"
        zh_word="击掌", en_words=("high-five", "high-fives"), zh_aimed="和{t}击掌",
    ),
    # --- a wider vocabulary: things, words, feelings ---------------------------------------
    ActionDef(
        "jog", "runs slowly, like walk (or on the spot with `in_place`)",
        _MOVING, params=_MOVE_PARAMS, timing=Timing(0), ends_in="stand",
        travels=True, aimed=True, directional=True, uses_prop=True,
        zh=(ZhVerb(115, r"慢跑|小跑"),),
        en=(EnVerb(250, "jog", doubles=True), EnVerb(255, "trot", doubles=True)),
        zh_word="慢跑", en_words=("jog", "jogs"), zh_aimed="跑向{t}", en_aimed="toward",
    ),
    ActionDef(
        "sleep", "lies down (on a bed with `object`) and sleeps, breathing slowly",
        "object (a bed's prop id: sleeps on it)", params=_p(object=None), timing=Timing(3000),
        ends_in="lie_back", uses_prop=True,
        zh=(ZhVerb(172, r"睡午觉|睡觉|睡着了?|入睡|打盹|睡"),),
        en=(
            EnVerb(135, "fall", r"\s+asleep", irregular=("fell", "fallen")),
            EnVerb(640, "sleep", irregular=("slept",)), EnVerb(641, "nap", doubles=True),
            EnVerb(642, "doze"),
        ),
        zh_word="睡觉", en_words=("sleep", "sleeps"),
    ),
    ActionDef(
        "climb", "climbs a ladder or a tree (`object`): rises along it hand over hand",
        "object (a ladder's or tree's prop id: climbs it)", params=_p(object=None),
        timing=Timing(3000), ends_in="stand", uses_prop=True,
        zh=(ZhVerb(45, r"爬上去?|爬到|攀爬|攀登|爬树|爬梯子|爬"),),
        en=(EnVerb(650, "climb"), EnVerb(651, "scale")),
        zh_word="爬", en_words=("climb", "climbs"),
    ),
    ActionDef(
        "push_up", "does push-ups on the floor, `times` of them, and ends lying face down", "times",
        params=_p(times=None, speed=1.0), timing=Timing(1600, 900, 3), ends_in="lie_front",
        zh=(ZhVerb(5, rf"做{ZH_SPLIT}俯卧撑|俯卧撑"),),
        en=(EnVerb(505, "push", r"[\s-]*ups?"), EnVerb(506, "do", r"\s+(?:some\s+)?push[\s-]*ups?",
                                                        irregular=("does", "did", "done"))),
        zh_word="做俯卧撑", en_words=("do push-ups", "does push-ups"),
    ),
    ActionDef(
        "pick_up", "bends down and picks a thing up (`object`): it stays in the hand(s)", _THING,
        params=_p(object=None, hand=None), timing=Timing(1500), ends_in="stand", uses_prop=True,
        zh=(ZhVerb(236, r"捡了?起来?|拾了?起来?|拿了?起来?|捡|拾"),),
        en=(
            EnVerb(55, "pick", r"(?:\s+[a-z]+){0,3}?\s+up"),
            EnVerb(58, "lift"), EnVerb(59, "grab", doubles=True),
        ),
        zh_word="捡起", en_words=("pick up", "picks up"),
    ),
    ActionDef(
        "put_down", "bends down and puts the thing it holds on the ground", _THING,
        params=_p(object=None), timing=Timing(1500), ends_in="stand", uses_prop=True,
        zh=(ZhVerb(237, r"放了?下来?|放到|放在|放回|搁下"),),
        en=(
            EnVerb(56, "put", r"(?:\s+[a-z]+){0,3}?\s+down", irregular=("put",), doubles=True),
            EnVerb(57, "set", r"(?:\s+[a-z]+){0,3}?\s+down", irregular=("set",), doubles=True),
            EnVerb(715, "drop", doubles=True),
        ),
        zh_word="放下", en_words=("put down", "puts down"),
    ),
    ActionDef(
        "throw", "winds up and throws a thing (`object`) to someone or a side: it flies and lands",
        "object, target or direction (where it flies)",
        params=_p(object=None, hand="right", direction=None, target=None), timing=Timing(1300),
        ends_in="stand", aimed=True, directional=True, right_handed=True, uses_prop=True,
        zh=(ZhVerb(238, r"扔出去?|扔掉|扔|抛出去?|抛|投掷|投|丢出去?|丢"),),
        en=(
            EnVerb(660, "throw", irregular=("threw", "thrown")), EnVerb(661, "toss"),
            EnVerb(662, "fling", irregular=("flung",)), EnVerb(663, "hurl"),
        ),
        zh_word="扔", en_words=("throw", "throws"), zh_aimed="扔给{t}", en_aimed="to",
    ),
    ActionDef(
        "catch", "reaches out and catches a thing (`object`) in both hands", _THING,
        params=_p(object=None), timing=Timing(1200), ends_in="stand", uses_prop=True,
        zh=(ZhVerb(239, r"接住|接到|接球|抓住"),),
        en=(EnVerb(670, "catch", irregular=("caught",)),),
        zh_word="接住", en_words=("catch", "catches"),
    ),
    ActionDef(
        "carry", "holds a thing (`object`) in front with both arms, walking if a direction is given",
        "object, direction, distance (walks holding it)",
        params=_p(object=None, direction=None, distance=None), timing=Timing(2500), ends_in="stand",
        directional=True, uses_prop=True,
        zh=(ZhVerb(241, r"搬运|搬起|搬着|搬|扛着|扛|拿着|提着|端着"),),
        en=(
            EnVerb(680, "carry", irregular=("carries", "carried")), EnVerb(681, "haul"),
            EnVerb(682, "lug", doubles=True),
        ),
        zh_word="搬着", en_words=("carry", "carries"),
    ),
    ActionDef(
        "read", "reads a book (`object`) held open in both hands", _THING,
        params=_p(object=None), timing=Timing(3000), uses_prop=True,
        zh=(ZhVerb(195, r"看书|读书|看报纸?|读报纸?|看杂志|看小说|阅读|朗读|读"),),
        en=(EnVerb(690, "read", irregular=("read",)),),
        zh_word="看书", en_words=("read", "reads"),
    ),
    ActionDef(
        "open", "reaches out and pulls a door (`object`) open", _THING,
        params=_p(object=None, hand="right"), timing=Timing(1500), ends_in="stand",
        right_handed=True, uses_prop=True,
        zh=(ZhVerb(245, r"打开|开了?门|开窗"),),
        en=(EnVerb(700, "open"),),
        zh_word="打开", en_words=("open", "opens"),
    ),
    ActionDef(
        "drink", "lifts a cup (`object`) to the mouth and drinks", _THING,
        params=_p(object=None, hand="right"), timing=Timing(2000), right_handed=True, uses_prop=True,
        zh=(ZhVerb(246, r"喝水|喝茶|喝咖啡|喝了?一?口|喝|饮"),),
        en=(EnVerb(710, "drink", irregular=("drank", "drunk")), EnVerb(711, "sip", doubles=True)),
        zh_word="喝", en_words=("drink", "drinks"),
    ),
    ActionDef(
        "say", "speaks with a small gesture; a speech bubble shows `text`", _WORDS,
        params=_p(text=REQUIRED, target=None), timing=Timing(2000), aimed=True, offline=False,
        zh=(ZhVerb(247, r"说话|说道|讲话|说|讲|喊道|问道|回答"),),
        en=(
            EnVerb(720, "say", irregular=("said",)), EnVerb(721, "tell", irregular=("told",)),
            EnVerb(722, "talk"), EnVerb(723, "speak", irregular=("spoke", "spoken")),
            EnVerb(724, "shout"), EnVerb(725, "yell"), EnVerb(726, "whisper"), EnVerb(727, "ask"),
            EnVerb(728, "reply", irregular=("replies", "replied")),
        ),
        zh_word="说", en_words=("say", "says"), zh_aimed="对{t}说", en_aimed="to",
    ),
    ActionDef(
        "think", "ponders, hand to chin; a thought bubble shows `text`", _WORDS,
        params=_p(text=REQUIRED, target=None), timing=Timing(2500), offline=False,
        zh=(ZhVerb(248, r"心里想|心想|想着|思考|沉思|想了?想|琢磨"),),
        en=(
            EnVerb(730, "think", irregular=("thought",)), EnVerb(731, "wonder"), EnVerb(732, "ponder"),
        ),
        zh_word="想", en_words=("think", "thinks"),
    ),
    ActionDef(
        "cry", "cries: hands to the face, shoulders shaking", _NONE, timing=Timing(2500),
        zh=(ZhVerb(249, r"大哭|哭泣|哭了?起来|流泪|哭"),),
        en=(
            EnVerb(740, "cry", irregular=("cries", "cried")), EnVerb(741, "weep", irregular=("wept",)),
            EnVerb(742, "sob", doubles=True),
        ),
        zh_word="哭", en_words=("cry", "cries"),
    ),
    ActionDef(
        "laugh", "laughs: leans back, shoulders bouncing", _NONE, timing=Timing(2000),
        zh=(ZhVerb(251, r"哈哈大笑|大笑|笑了?起来|微笑|笑"),),
        en=(
            EnVerb(750, "laugh"), EnVerb(751, "giggle"), EnVerb(752, "chuckle"), EnVerb(753, "smile"),
            EnVerb(754, "grin", doubles=True),
        ),
        zh_word="笑", en_words=("laugh", "laughs"),
    ),
    ActionDef(
        "look", "turns the head toward someone, a thing or a side and looks",
        "target, object or direction (what it looks at)",
        params=_p(target=None, object=None, direction=None), timing=Timing(1500),
        aimed=True, directional=True, uses_prop=True,
        zh=(ZhVerb(252, r"看着|望着|看向|望向|盯着|看了?看|张望|观看|瞧(?!见)|看(?![到见起])"),),
        en=(
            EnVerb(760, "look", r"(?:\s+around)?"), EnVerb(761, "watch"), EnVerb(762, "stare"),
            EnVerb(763, "gaze"), EnVerb(764, "glance"),
        ),
        zh_word="看", en_words=("look", "looks"), zh_aimed="看着{t}", en_aimed="at",
    ),
    ActionDef(
        "pose", "eases through keyframes of joint angles: for a motion no other action covers",
        # CHANNELS: the prompt fills in schema.POSE_CHANNELS
        'keyframes [{"t": 0..1 of the action, "angles": {channel: degrees}}] with channels '
        "CHANNELS; only for a motion no other action covers",
        params=_p(keyframes=REQUIRED), ends_in="custom", offline=False,
    ),
)  # fmt: skip

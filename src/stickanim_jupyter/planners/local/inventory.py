"""The things of a story (props): one per name, in the order they appear, and which one an action uses."""

from __future__ import annotations

from ...schema import MAX_PROPS
from .model import _Thing, _ThingMention
from .things import AFAR, SUITS


class _Things:
    """The things met so far. The same word is the same thing ("the ball" after "a ball")."""

    def __init__(self) -> None:
        self.things: list[_Thing] = []
        self.capped = False  # the story named more than MAX_PROPS things

    def get(self, mention: _ThingMention, fresh: bool = False) -> int | None:
        """The thing a mention names, added when new (or always, when `fresh`: one phone each)."""
        if not fresh:
            for i, t in enumerate(self.things):
                if t.name == mention.word:
                    return i
        if len(self.things) >= MAX_PROPS:
            self.capped = True
            same = [i for i, t in enumerate(self.things) if t.kind == mention.kind]
            return same[-1] if same else None
        self.things.append(_Thing(mention.kind, mention.word))
        return len(self.things) - 1

    def add_all(self, mentions: list[_ThingMention]) -> None:
        for m in mentions:
            self.get(m)


def choose(action: str, mentions: list[_ThingMention]) -> tuple[_ThingMention | None, _ThingMention | None]:
    """(object, over): the thing `action` uses among those its clause names, and the thing a jump
    goes over. 把X first (it is the object), then the best fitting kind; none when nothing fits."""
    over = next((m for m in mentions if m.rel == "over"), None) if action == "jump" else None
    kinds = SUITS.get(action, ())
    usable = [m for m in mentions if m is not over and m.kind in kinds]
    if action in AFAR:  # walk to it, point or look at it: not what one walks with or away from
        usable = [m for m in usable if m.rel not in ("with", "from")]
    if action == "jump":
        usable = []  # a jump uses a thing only to go over it
    usable.sort(key=lambda m: (m.rel != "obj", kinds.index(m.kind)))
    return (usable[0] if usable else None), over

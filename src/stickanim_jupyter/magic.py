"""IPython magics: `%%animate` turns the cell's story into an animation; `%animate` reports.

Loading the extension registers this class and nothing else: the planner, the compiler, the
widget (anywidget) and litellm are imported inside the magics' bodies, on first use.

User errors (a bad story, an unknown provider, a bad option, a failed provider) are printed
as ONE line on stderr and the magic returns normally: no traceback, the kernel unharmed, and
nothing displayed, so earlier outputs stay as they were. Bugs still raise with a traceback.

In a Jupyter kernel, a cell with an LLM provider does not wait for it: the player shows at once
with a status line (loading LiteLLM, connecting, thinking, receiving N tokens, elapsed time),
the cell returns and the kernel stays free; the player fills when the Script arrives, and
`-o VAR` is set then. A failure there shows in the player's error bar. `--json`, `--save` and
`--wait` wait as before, and so does the local planner (it is instant).
"""

from __future__ import annotations

import json
import keyword
import os
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from IPython.core import magic_arguments as ma
from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class, no_var_expand
from IPython.utils.process import arg_split
from traitlets import Integer, Unicode

from .errors import StickanimError, StoryError, ValidationError
from .options import GenerationOptions
from .schema import MAX_FPS, MIN_FPS, Animation, check_story
from .text import error_line, notes_line

# A list holding no list or object, e.g. a joint's [x, y] (4 lines each when indented).
_FLAT_LIST = re.compile(r"\[([^\[\]{}]*)\]")
_FLAT_WIDTH = 100
# `{{`, `}}` (escaped braces) or `{...}` (a placeholder), as in str.format.
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_F = TypeVar("_F", bound=Callable[..., Any])


def report(err: BaseException, stream: Any = None) -> None:
    """Print an error as one line: 'StoryError: the story is empty' (text.error_line, as the widget)."""
    print(error_line(err, with_type=True), file=stream or sys.stderr)


def interpolate(story: str, namespace: Mapping[str, Any]) -> str:
    """Replace `{name}` with `str(namespace[name])`; `{{` and `}}` are literal braces."""

    def substitute(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1).strip()
        if not name.isidentifier():
            raise StoryError(
                f"--interpolate: {token} is not a variable name (write {{{{ and }}}} for literal braces)"
            )
        if name not in namespace:
            raise StoryError(f"--interpolate: name {name!r} is not defined")
        return str(namespace[name])

    return _PLACEHOLDER.sub(substitute, story)


def _named(marker: Callable[[Any], Any], name: str) -> Callable[[_F], _F]:
    """`@cell_magic(name)` / `@line_magic(name)`, typed: IPython annotates the call's result as a
    union (the function or a decorator) that a type checker cannot apply."""
    decorate: Callable[[_F], _F] = marker(name)
    return decorate


def _parse(magic: Any, line: str, name: str) -> Any:
    """The magic's options, split like a shell would; a bad one is a UsageError pointing at help.

    `magic` is a method decorated by magic_arguments, which gives it a `parser` attribute."""
    # ma.parse_argstring splits with posix=False, which keeps the quotes of a quoted path.
    argv = arg_split(line, posix=os.name != "nt")
    try:
        return magic.parser.parse_args(argv)
    except UsageError as err:
        raise UsageError(f"{name}: {err} (see %animate help)") from None


def _check_var(name: str) -> str:
    if not name.isidentifier() or keyword.iskeyword(name):
        raise UsageError(f"-o: {name!r} is not a valid Python variable name")
    return name


def _one_line(match: re.Match[str]) -> str:
    # json.dumps escapes newlines inside strings, so a newline here is always indentation.
    flat = "[" + re.sub(r"\s*\n\s*", " ", match.group(1)).strip() + "]"
    return flat if len(flat) <= _FLAT_WIDTH else match.group(0)


def _display_json(data: dict[str, Any]) -> None:
    """JupyterLab renders application/json as a tree; text/plain is indented JSON."""
    from IPython.display import display

    text = _FLAT_LIST.sub(_one_line, json.dumps(data, ensure_ascii=False, indent=2))
    bundle = {"application/json": data, "text/plain": text}
    display(bundle, raw=True, metadata={"application/json": {"expanded": False, "root": "animation"}})


def _print_notes(anim: Animation) -> None:
    """What the planner could not depict, on one line before the player (meta.notes)."""
    line = notes_line(anim.meta.notes)
    if line:
        print(line, file=sys.stderr)


class _HelpFormatter(ma.MagicHelpFormatter):
    # A fixed width: help built from the terminal's width would differ between machines.
    def __init__(self, prog: str, **kwargs: Any) -> None:
        super().__init__(prog, width=96, max_help_position=26)


@magics_class
class AnimateMagics(Magics):
    """`%%animate` and `%animate`. Defaults are set with `%config AnimateMagics.<name> = ...`."""

    default_provider = Unicode(
        "", help="Provider used when %%animate has no -p (empty: the config file's llm.provider)."
    ).tag(config=True)
    default_model = Unicode("", help="Model used when %%animate has no -m (empty: the provider's).").tag(
        config=True
    )
    default_fps = Integer(
        None, allow_none=True, min=MIN_FPS, max=MAX_FPS, help="Frames per second (None: 24)."
    ).tag(config=True)
    default_seed = Integer(None, allow_none=True, help="Seed for the planner and the compiler.").tag(
        config=True
    )
    config_path = Unicode(
        "", help="Path to config.yml (empty: $STICKANIM_CONFIG, ./config.yml, user dir, packaged)."
    ).tag(config=True)
    # LLM cells in the background (True), blocking (False) or, with None, in the background
    # exactly when running in a Jupyter kernel. Not a %config option: --wait is the user's switch.
    background: bool | None = None

    # --- %%animate -----------------------------------------------------------------------
    @no_var_expand  # options are literal: `--save "a{b}.json"` must not be expanded
    @ma.magic_arguments(name="%animate")  # the help formatter adds one "%"
    @ma.kwds(formatter_class=_HelpFormatter)
    @ma.argument(
        "-p",
        "--provider",
        help="provider name from config.yml (default: AnimateMagics.default_provider, else the config's)",
    )
    @ma.argument("-m", "--model", help="override the provider's model")
    @ma.argument("--fps", type=int, metavar="N", help=f"frames per second ({MIN_FPS}-{MAX_FPS}; default 24)")
    @ma.argument("--seed", type=int, metavar="N", help="seed for a reproducible animation")
    @ma.argument(
        "--no-cache", action="store_true", help="ask the provider again instead of reusing a cached Script"
    )
    @ma.argument("-o", "--output", metavar="VAR", help="store the Animation in this variable")
    @ma.argument(
        "--save", metavar="PATH", help="also write the animation to PATH (.json .gif .svg .html .png)"
    )
    @ma.argument("--json", action="store_true", help="show the Animation's JSON instead of the player")
    @ma.argument(
        "--interpolate",
        action="store_true",
        help="replace {name} in the story with variables ({{ }} for braces)",
    )
    @ma.argument(
        "--wait",
        action="store_true",
        help="with an LLM provider, block until the animation is ready (default in a notebook: "
        "the player shows at once, fills in when ready, and -o VAR is set then)",
    )
    @_named(cell_magic, "animate")
    def animate_cell(self, line: str, cell: str) -> None:
        """Turn the cell's story into a stick-figure animation and show it.

        The cell body is the story, in any language; braces in it are literal unless
        --interpolate is given.
        """
        try:
            self._animate(line, cell)
        except (StickanimError, UsageError) as err:
            report(err)

    def _animate(self, line: str, cell: str) -> None:
        args = _parse(self.animate_cell, line, "%%animate")
        var = _check_var(args.output) if args.output else None
        story = interpolate(cell, self._user_ns) if args.interpolate else cell
        story = check_story(story)  # stripped; fails fast, before the planner and compiler load
        options = self._generation_options(args)
        if not (args.json or args.save or args.wait) and self._in_background():
            provider = _llm_provider(options)  # None for the local planner: it is instant
            if provider:
                self._start_widget(story, options.replace(provider=provider), var)
                return
        from .api import generate_with

        anim = generate_with(story, options)
        _print_notes(anim)
        if args.save:
            saved = anim.save(os.path.expanduser(args.save))  # an unwritable path is an ExportError
            print(f"saved {saved}")  # as the CLI says it
        if var:
            self._user_ns[var] = anim
        if args.json:
            _display_json(anim.model_dump(mode="json"))
        else:
            self._display_widget(anim, story, options)

    def _generation_options(self, args: Any) -> GenerationOptions:
        """The magic's flags, a flag not given taking its %config default."""
        defaults = {"provider": self.default_provider, "model": self.default_model, "seed": self.default_seed,
                    "fps": self.default_fps, "config": self.config_path}  # fmt: skip
        try:
            return GenerationOptions.from_flags(args, **defaults)
        except ValidationError as err:  # e.g. --fps 0: the message starts with the option's name
            raise UsageError(f"--{err}") from None

    @property
    def _user_ns(self) -> dict[str, Any]:
        """The kernel's variables (a loaded magic always has its shell)."""
        assert self.shell is not None
        return self.shell.user_ns

    def _in_background(self) -> bool:
        """LLM cells run in the background in a Jupyter kernel (a frontend to show the player)."""
        if self.background is not None:
            return bool(self.background)
        return getattr(self.shell, "kernel", None) is not None

    def _start_widget(self, story: str, options: GenerationOptions, var: str | None) -> None:
        """Show the player at once, generating; it fills (and `var` is set) when the Script arrives."""
        from IPython.display import display

        from .widget import AnimationWidget

        user_ns = self._user_ns

        def done(anim: Animation) -> None:
            if var:
                user_ns[var] = anim

        display(AnimationWidget.generating(story, options, on_done=done))

    def _display_widget(self, anim: Animation, story: str, options: GenerationOptions) -> None:
        from IPython.display import display

        from .widget import AnimationWidget  # anywidget loads here, not at %load_ext

        # The dropdown regenerates the same story with the same options (the provider aside).
        display(AnimationWidget.from_animation(anim, story=story, generate_options=options))

    # --- %animate ------------------------------------------------------------------------
    @no_var_expand
    @ma.magic_arguments(name="animate")
    @ma.kwds(formatter_class=_HelpFormatter)
    @ma.argument(
        "command", nargs="?", default="help", help="providers | health [PROVIDER] | config | version | help"
    )
    @ma.argument("provider", nargs="?", help="for health: check only this provider")
    @_named(line_magic, "animate")
    def animate_line(self, line: str) -> None:
        """Report on the stick-figure animation setup; a story goes in a %%animate cell."""
        try:
            args = _parse(self.animate_line, line, "%animate")
            self._command(args.command, args.provider)()
        except (StickanimError, UsageError) as err:
            report(err)

    def _command(self, name: str, provider: str | None) -> Callable[[], None]:
        commands: dict[str, Callable[[], None]] = {
            "providers": self._providers,
            "health": lambda: self._health(provider),
            "config": self._config,
            "version": _version,
            "help": self._help,
        }
        if name not in commands:
            raise UsageError(
                f"%animate: unknown command {name!r} (use providers, health [PROVIDER], config, version or help; "
                "a story goes in a %%animate cell)"
            )
        if provider and name != "health":
            raise UsageError(f"%animate {name} takes no argument (got {provider!r})")
        return commands[name]

    def _stickanim_config(self) -> Any:
        from .config import load_config

        return load_config(self.config_path or None)

    def _default_provider(self, cfg: Any) -> str:
        return self.default_provider or cfg.provider

    def _providers(self) -> None:
        from .config import providers_info

        cfg = self._stickanim_config()
        default = self._default_provider(cfg)
        for row in providers_info(cfg):
            print(_provider_line(row, default))

    def _health(self, provider: str | None) -> None:
        from .health import format_health, health

        print(format_health(health(self._stickanim_config(), provider=provider)))

    def _config(self) -> None:
        from .config import providers_info
        from .userconfig import config_lines

        cfg = self._stickanim_config()
        default = self._default_provider(cfg)
        print("\n".join(config_lines(cfg)))  # the file used, where the user's own goes
        for path in cfg.keys_files:  # paths only: keys are shown masked, per provider, below
            print(f"keys file: {path}")
        print(f"default provider: {default}")
        print(f"fallbacks: {', '.join(cfg.fallbacks) or '(none)'}")
        for trait in sorted(self.trait_names(config=True)):
            print(f"AnimateMagics.{trait} = {getattr(self, trait)!r}")
        print("providers:")
        for row in providers_info(cfg):
            print("  " + _provider_line(row, default, with_key=True))

    def _help(self) -> None:
        print(usage())


def _llm_provider(options: GenerationOptions) -> str | None:
    """The provider name the options resolve to when it is an LLM; None for the local planner.

    An unknown provider or a model override it cannot take raise here, as one line, before
    anything is shown.
    """
    from .config import load_config
    from .planners import chosen_planner  # litellm loads on the first request, not here

    planner = chosen_planner(options, load_config(options.config))
    return None if planner.offline else planner.name


def _version() -> None:
    from .version import version_line

    print(version_line())


def _provider_line(row: Mapping[str, Any], default: str, *, with_key: bool = False) -> str:
    """'* local   -   built in': a mark for the default; the key only ever as providers_info masks it.

    The state is what is known without a request ("key present", "configured"); whether the
    provider answers is for `%animate health` to say."""
    mark = "*" if row.get("name") == default else " "
    state = row.get("state") or f"unavailable: {row.get('reason') or 'unknown'}"
    line = f"{mark} {row.get('name', '?'):<14} {row.get('model') or '-':<40} {state}"
    key = row.get("key")
    if with_key and key:
        line += f"  key {key}"
    return line


def usage() -> str:
    """Both magics' usage and options and the %config knobs, for `%animate help`."""
    cell = _plain(AnimateMagics.animate_cell.parser.format_help())
    traits = ", ".join(sorted(AnimateMagics.class_trait_names(config=True)))
    return "\n".join(
        [
            cell,
            "",
            "%animate providers | health [PROVIDER] | config | version | help",
            "",
            f"%config AnimateMagics.<name> = value   ({traits})",
        ]
    )


def _plain(help_text: str) -> str:
    # IPython's help formatter writes the usage as a reST literal block ("::" + 2-space indent).
    text = help_text.replace("::\n\n", "", 1)
    usage_block, _, rest = text.partition("\n\n")
    usage_block = "\n".join(ln[2:] for ln in usage_block.splitlines())
    return f"{usage_block}\n\n{rest}".strip()

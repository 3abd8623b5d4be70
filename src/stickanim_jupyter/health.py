"""Provider health (configured / key present / reachable) and `verify` (one story end to end).

health() rows carry the seed's JSON shape first: {"status": "healthy", "provider": "..."}, then
details. Status is "healthy" (answered a cheap request), "unhealthy" (configured with a key
but the request failed) or "unavailable" (no key: nothing was sent). A built-in (offline)
planner such as `local` is always healthy.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from .cli_output import fail, print_json
from .config import Config, load_config
from .errors import ConfigError, StickanimError
from .planners import planner_for
from .secrets import redact

HEALTHY, UNHEALTHY, UNAVAILABLE = "healthy", "unhealthy", "unavailable"
VERIFY_STORY = "一个人挥手"


def health(cfg: Config, provider: str | None = None, *, timeout: float = 10.0) -> list[dict[str, Any]]:
    """One row per provider (or just `provider`); a cheap request per provider that has a key."""
    names = [cfg.get(provider).name] if provider else cfg.names
    return [_check(cfg, name, timeout) for name in names]


def _check(cfg: Config, name: str, timeout: float) -> dict[str, Any]:
    pc = cfg.get(name)
    planner = planner_for(name, cfg)
    row: dict[str, Any] = {"status": HEALTHY, "provider": name, "model": pc.model, "configured": True,
                           "default": name == cfg.provider}  # fmt: skip
    if planner.offline:
        return {**row, "key": None, "key_source": None, "reachable": True, "latency_ms": 0.0, "error": None}
    try:
        info = cfg.key_info(name)
    except ConfigError as err:  # a broken llm_config.yml: reported, nothing sent
        row.update(key=None, key_source=None, api_base=pc.api_base)
        return {**row, "status": UNAVAILABLE, "reachable": None, "latency_ms": None, "error": str(err)}
    row.update(key=info.masked, key_source=info.source, api_base=pc.api_base)
    if not info.ok:
        reason = f"no API key (looked in {', '.join(info.looked)})"
        return {**row, "status": UNAVAILABLE, "reachable": None, "latency_ms": None, "error": reason}
    result = planner.ping(timeout)  # imports litellm: only when something is to be pinged
    return {
        **row,
        "status": HEALTHY if result["ok"] else UNHEALTHY,
        "reachable": result["reachable"],
        "latency_ms": result["latency_ms"],
        "error": result["error"],
    }


def health_exit_code(rows: list[dict[str, Any]], explicit: bool) -> int:
    """1 when a checked provider failed: the asked one (or the default one) is not healthy, or
    any provider that was sent a request is unhealthy ([ERR]). Providers without a key were
    not checked (nothing was sent), so they fail only when asked for or the default."""
    asked = rows if explicit else [r for r in rows if r.get("default")]
    if not asked or any(r["status"] != HEALTHY for r in asked):
        return 1
    return 1 if any(r["status"] == UNHEALTHY for r in rows) else 0


def format_health(rows: list[dict[str, Any]]) -> str:
    """Plain-text table for `stickanim health` and `%animate health`."""
    lines = []
    for r in rows:
        mark = {"healthy": "ok ", "unhealthy": "ERR", "unavailable": "-- "}[r["status"]]
        key = r.get("key") or ("(none needed)" if r["status"] != UNAVAILABLE else "(missing)")
        reach = {True: "reachable", False: "unreachable", None: "not checked"}[r.get("reachable")]
        latency = f" {r['latency_ms']:.0f} ms" if r.get("latency_ms") else ""
        star = "*" if r.get("default") else " "
        line = f"[{mark}] {star}{r['provider']:<12} {r.get('model') or 'built-in':<34} key {key:<14} {reach}{latency}"
        if r.get("error"):
            line += f"\n        {r['error']}"
        lines.append(line)
    return "\n".join(lines)


# --- verify ---------------------------------------------------------------------------------
def verify(
    config: Config | str | os.PathLike | None = None,
    provider: str | None = None,
    *,
    story: str = VERIFY_STORY,
    timeout: float = 10.0,
) -> list[dict[str, Any]]:
    """Config loads, provider resolves, it is reachable, one story generates and validates.

    Each step: {"step", "ok", "ms", "detail"}. Steps after a failed one are reported as skipped
    (ok False), so the list always has the same five steps.
    """
    steps: list[dict[str, Any]] = []
    state: dict[str, Any] = {}

    def load() -> str:
        cfg = load_config(config)
        state["cfg"] = cfg
        return f"{cfg.path or 'built-in defaults'} ({cfg.source}, {cfg.load_ms:.1f} ms)"

    def resolve() -> str:
        cfg: Config = state["cfg"]
        name = provider or cfg.provider
        planner = planner_for(name, cfg)
        state["name"], state["planner"] = name, planner
        if planner.offline:
            return f"{name} (built-in planner, no key)"
        key = cfg.key_info(name)
        cfg.require_key(name)
        return f"{name} -> {planner.model}; key {key.masked or '(none needed)'} from {key.source or '-'}"

    def init() -> str:
        if state["planner"].offline:
            return "not needed"
        from .planners.llm import litellm_module

        litellm_module()
        return "litellm imported"

    def reach() -> str:
        row = health(state["cfg"], state["name"], timeout=timeout)[0]
        if row["status"] != HEALTHY:
            raise _StepFailed(row["error"] or row["status"])
        return f"answered in {row['latency_ms']:.0f} ms" if row.get("latency_ms") else "built in"

    def generate() -> str:
        from .api import generate as api_generate

        anim = api_generate(story, provider=state["name"], config=state["cfg"], cache=False)
        m = anim.meta
        tokens = f", {m.tokens} tokens" if m.tokens else ""
        return f"{story!r} -> {len(anim.scenes)} scene(s), {anim.duration_ms:.0f} ms of animation{tokens}"

    plan: list[tuple[str, Callable[[], str]]] = [
        ("config loads", load),
        ("provider resolves", resolve),
        ("litellm initialises", init),
        ("provider reachable", reach),
        ("story generates and validates", generate),
    ]
    failed = False
    for name, fn in plan:
        if failed:
            steps.append({"step": name, "ok": False, "ms": 0.0, "detail": "skipped"})
            continue
        step = _run_step(name, fn)
        if "cfg" in state:  # belt and braces: no key in any detail, whatever raised
            step["detail"] = redact(step["detail"], state["cfg"].secrets())
        steps.append(step)
        failed = not step["ok"]
    return steps


class _StepFailed(Exception):
    pass


def _run_step(name: str, fn: Callable[[], str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        detail, ok = fn(), True
    except (StickanimError, _StepFailed) as err:
        detail, ok = str(err), False
    except Exception as err:  # verify reports, it does not crash: the type is enough to act on
        detail, ok = f"{type(err).__name__}: {err}", False
    return {"step": name, "ok": ok, "ms": round((time.perf_counter() - t0) * 1000, 1), "detail": detail}


def format_verify(steps: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"[{'PASS' if s['ok'] else 'FAIL'}] {s['step']:<30} {s['ms']:>8.1f} ms  {s['detail']}" for s in steps
    )


# --- CLI: `stickanim health [PROVIDER] [--json]`, `stickanim verify [PROVIDER] [--json]` -----------
def add_cli_commands(sub: Any) -> None:
    """Called by cli.build_parser: adds the health and verify subcommands."""
    h = sub.add_parser("health", help="per provider: configured, key present (masked), reachable")
    h.add_argument("provider", nargs="?", help="check only this provider")
    h.add_argument("--timeout", type=float, default=10.0, help="seconds for the reachability request")
    h.set_defaults(func=cmd_health)
    v = sub.add_parser("verify", help="config loads, provider resolves, is reachable, one story generates")
    v.add_argument("provider", nargs="?", help="default: the config's llm.provider")
    v.add_argument("--story", default=VERIFY_STORY)
    v.add_argument("--timeout", type=float, default=10.0)
    v.set_defaults(func=cmd_verify)
    for p in (h, v):
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.add_argument("--config", help="path to config.yml")


def health_json(rows: list[dict[str, Any]], explicit: bool) -> dict[str, Any]:
    """The seed's {"status", "provider", ...} object: the asked provider's row; without one, the
    default provider's row with every row nested under "providers"."""
    if explicit:
        return rows[0]
    default = next((r for r in rows if r.get("default")), rows[0])
    return {**default, "providers": rows}


def cmd_health(args: Any) -> int:
    """--json: see health_json. Exit code: health_exit_code."""
    try:
        rows = health(load_config(args.config), args.provider, timeout=args.timeout)
    except StickanimError as err:
        return fail(err, args.json)
    if args.json:
        print_json(health_json(rows, bool(args.provider)))
    else:
        print(format_health(rows))
    return health_exit_code(rows, explicit=bool(args.provider))


def cmd_verify(args: Any) -> int:
    """Exit code 0 only when every step passes."""
    steps = verify(args.config, args.provider, story=args.story, timeout=args.timeout)
    ok = all(s["ok"] for s in steps)
    if args.json:
        print_json({"success": ok, "steps": steps})
    else:
        print(format_verify(steps))
    return 0 if ok else 1

"""End to end through LiteLLM, offline: `stickanim` commands against a loopback LLM server.

Run: python bench/loopback_demo.py

It starts tests/llmserver.py on 127.0.0.1 (an OpenAI-compatible endpoint that answers with a
valid Script), writes a temporary config.yml with a `loopback` provider (model
openai/test-model, api_base http://127.0.0.1:PORT/v1) plus an llm_config.yml holding a fake
key, points STICKANIM_CONFIG at it, and runs the real `stickanim` command line in
subprocesses, printing each command, its exit code, wall time and output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from llmserver import LLMServer, write_config  # noqa: E402

FAKE_KEY = "sk-DEMOKEY-not-a-real-key-0000"
STORY = "一个人挥手"


def stickanim() -> list[str]:
    exe = shutil.which("stickanim")
    return [exe] if exe else [sys.executable, "-m", "stickanim_jupyter.cli"]


def run(args: list[str], env: dict[str, str]) -> int:
    shown = " ".join(a if a.isascii() and " " not in a else f'"{a}"' for a in ["stickanim", *args])
    t0 = time.perf_counter()
    done = subprocess.run([*stickanim(), *args], env=env, capture_output=True, text=True, timeout=120)
    ms = (time.perf_counter() - t0) * 1000
    print(f"$ {shown}\n  -> exit {done.returncode} in {ms:.0f} ms")
    out = (done.stdout + done.stderr).strip()
    if "--json" in args and args[0] == "generate" and done.returncode == 0:
        meta = json.loads(done.stdout)["data"]["meta"]  # the whole Animation is thousands of lines
        out = f'{{"success": true, "data": {{..., "meta": {json.dumps(meta, ensure_ascii=False)}}}}}'
    lines = out.splitlines()
    for line in lines[:25]:
        print(f"  {line}")
    if len(lines) > 25:
        print(f"  ... ({len(lines) - 25} more lines)")
    assert FAKE_KEY not in out, "the key leaked into the output"
    return done.returncode


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="stickanim-loop-") as tmp, LLMServer() as server:
        config = write_config(Path(tmp) / "config.yml", server.url)
        (Path(tmp) / "llm_config.yml").write_text(f"loopback: {{api_key: {FAKE_KEY}}}\n")
        env = {**os.environ, "STICKANIM_CONFIG": str(config), "STICKANIM_CACHE_DIR": str(Path(tmp) / "cache")}
        print(f"loopback server {server.url}; STICKANIM_CONFIG={config}\n")
        codes = [
            run(["providers"], env),
            run(["health", "loopback", "--json"], env),
            run(["generate", STORY, "--provider", "loopback"], env),
            run(["generate", STORY, "--provider", "loopback", "--json"], env),  # a cache hit
            run(
                ["generate", STORY, "--provider", "loopback", "--no-cache", "--save", f"{tmp}/wave.json"], env
            ),
            run(["verify", "loopback"], env),
        ]
        print(
            f"\nserver hits: {server.hit_count} (health ping 1, generate 1, cache hit 0, --no-cache 1, verify 2)"
        )
    return 0 if not any(codes) else 1


if __name__ == "__main__":
    sys.exit(main())

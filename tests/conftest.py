from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI machines are shared and slow at times: no per-example deadline, so timing never fails a property test
settings.register_profile("hostplan", deadline=None)
settings.load_profile("hostplan")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CATEGORIES = ["apparel", "3c", "food", "home", "beauty"]


def run_hostplan(*args: str, cwd: Path | None = None, input: str | None = None,
                 timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess, as a user would (exit codes, stderr, no traceback)."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("HOSTPLAN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "hostplan", *args], cwd=cwd, input=input, capture_output=True,
                          text=True, timeout=timeout, env=env)


@pytest.fixture
def hostplan():
    return run_hostplan

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


# A contract as blocks: ("h", heading), ("p", paragraph), ("table", rows). The same blocks make a Markdown
# contract and a Word one, so tests can check that both give the same findings.
Blocks = list[tuple[str, object]]


def contract_markdown(blocks: Blocks) -> str:
    out: list[str] = []
    for kind, value in blocks:
        if kind == "h":
            out += [f"{'#' if not out else '##'} {value}", ""]
        elif kind == "p":
            out += [str(value), ""]
        else:
            rows: list[list[str]] = value  # type: ignore[assignment]
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * len(rows[0]))
            out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            out.append("")
    return "\n".join(out)


def contract_docx(path: Path, blocks: Blocks) -> None:
    import docx

    document = docx.Document()
    for kind, value in blocks:
        if kind == "h":
            document.add_heading(str(value), level=1)
        elif kind == "p":
            document.add_paragraph(str(value))
        else:
            rows: list[list[str]] = value  # type: ignore[assignment]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for col, cell in enumerate(row):
                    table.cell(r, col).text = cell
    document.save(str(path))

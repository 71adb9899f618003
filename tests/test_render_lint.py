"""The boilerplate the templates add must pass review: rendered examples lint clean as documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from hostplan.cli import app
from hostplan.render.files import render_files, resolve_targets

SPECS = [p for p in EXAMPLES if "\nstandards:" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("example", SPECS, ids=[p.stem for p in SPECS])
def test_rendered_example_has_no_vague_wording(example: Path, tmp_path: Path) -> None:
    out = tmp_path / example.stem
    render_files(example, resolve_targets(example, "all", out))
    category = example.stem
    r = CliRunner().invoke(app, ["lint", str(out.with_suffix(".md")), str(out.with_suffix(".docx")), "--format",
                                 "json", "--fail-on", "info", "-c", category, "-j", "1"])
    findings = json.loads(r.stdout)
    assert [f for f in findings if f["code"].startswith("HP1")] == []
    assert findings == [] and r.exit_code == 0

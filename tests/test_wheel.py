"""A plain, non-editable install of the wheel finds its data (categories, templates, ...) and works."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    res = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert res.returncode == 0, res.stderr
    (whl,) = out.glob("hostplan-*.whl")
    return whl


def test_wheel_contains_every_data_folder(wheel):
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    names = zipfile.ZipFile(wheel).namelist()
    for source, target in mapping.items():
        files = [p for p in (ROOT / source).rglob("*") if p.is_file()]
        assert files, source
        for f in files:
            assert f"{target}/{f.relative_to(ROOT / source).as_posix()}" in names


def test_installed_wheel_runs_new_outside_the_checkout(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    res = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    # dependencies come from this environment; hostplan itself only from the new venv
    deps = os.pathsep.join(p for p in site.getsitepackages() if "site-packages" in p)
    env = {**os.environ, "PYTHONPATH": deps, "NO_COLOR": "1"}
    work = tmp_path / "work"
    work.mkdir()
    where = subprocess.run([str(py), "-c", "import hostplan, hostplan.resources as r; "
                            "print(hostplan.__file__); print(r.data_dir('categories'))"],
                           cwd=work, env=env, capture_output=True, text=True)
    assert where.returncode == 0, where.stderr
    module_file, data = where.stdout.split("\n")[:2]
    assert module_file.startswith(str(env_dir)) and data.startswith(str(env_dir))
    res = subprocess.run([str(env_dir / "bin" / "hostplan"), "new", "--category", "apparel", "-o", "p.yaml"],
                         cwd=work, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    res = subprocess.run([str(py), "-m", "hostplan", "validate", "p.yaml"], cwd=work, env=env, capture_output=True,
                         text=True)
    assert res.returncode == 0, res.stderr
    assert "尺码表" in (work / "p.yaml").read_text(encoding="utf-8")

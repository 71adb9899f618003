"""hostplan as a pre-commit hook, run by the real pre-commit in a throw-away contract repo.

The contract repo pins this checkout at its current HEAD, as a user pins a tag, so what is tested is
the committed hook manifest and package. pre-commit installs the package into its own virtualenv once
per test session (PRE_COMMIT_HOME is a temporary folder), which needs a package index.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (pip install -e '.[test]')"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout: pre-commit clones the hook repo"),
]

# signs that pre-commit could not download the hook's dependencies, as opposed to a broken hook
OFFLINE = re.compile(r"NewConnectionError|Temporary failure in name resolution|Network is unreachable|"
                     r"Could not find a version that satisfies|No matching distribution found")


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def contract_repo(tmp_path_factory):
    home = tmp_path_factory.mktemp("pre-commit-home")
    repo = tmp_path_factory.mktemp("contract-repo")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "HOSTPLAN_DEBUG"):
        env.pop(var, None)
    head = _git("rev-parse", "HEAD", cwd=ROOT, env=env).strip()
    if "hostplan-lint" not in _git("show", "HEAD:.pre-commit-hooks.yaml", cwd=ROOT, env=env):
        pytest.fail("HEAD has no hostplan-lint hook in .pre-commit-hooks.yaml")
    _git("init", "-q", "-b", "main", cwd=repo, env=env)
    config = {"repos": [{"repo": str(ROOT), "rev": head, "hooks": [{"id": "hostplan-lint"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")

    clean = (ROOT / "examples" / "apparel.yaml").read_text(encoding="utf-8")
    (repo / "specs").mkdir()
    (repo / "specs" / "悦衣坊 方案.yaml").write_text(clean, encoding="utf-8")
    planted = "description: 物流查询、修改地址与订单信息，当日处理"
    assert planted in clean
    vague = clean.replace(planted, "description: 及时回复买家的物流查询和修改地址请求")
    (repo / "specs" / "vague.yaml").write_text(vague, encoding="utf-8")
    vague_line = vague.splitlines().index(next(ln for ln in vague.splitlines() if "及时回复" in ln)) + 1
    (repo / "README.md").write_text("# 合同仓库\n\n客服应及时回复。\n", encoding="utf-8")  # excluded by the hook
    # YAML that is not a spec, as contract repos hold: the hook must pass over it
    (repo / "docker-compose.yml").write_text('version: "3"\nservices:\n  web:\n    image: nginx\n', encoding="utf-8")
    shutil.copytree(ROOT / "examples" / "actuals", repo / "actuals")
    # the repo's own exclude: CI's `hostplan lint .` skips drafts/, so must the hook, which names the file
    (repo / ".hostplan.toml").write_text('[lint]\nexclude = ["drafts"]\n', encoding="utf-8")
    (repo / "drafts").mkdir()
    (repo / "drafts" / "草稿.md").write_text("乙方应及时回复，提供最佳的服务。\n", encoding="utf-8")  # HP101, HP601
    # a repo that sets its own args (which replace the manifest's args in pre-commit)
    with_args = {"repos": [{"repo": str(ROOT), "rev": head,
                            "hooks": [{"id": "hostplan-lint", "args": ["--fail-on", "error"]}]}]}
    (repo / "with-args.yaml").write_text(yaml.safe_dump(with_args), encoding="utf-8")
    _git("add", "-A", cwd=repo, env=env)

    def run(*files: str, config: str | None = None) -> subprocess.CompletedProcess[str]:
        chosen = ["-c", config] if config else []
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", *chosen, "--files", *files], cwd=repo,
                              env=env, capture_output=True, text=True, timeout=900)

    # the first run installs the hook environment; tell "no index reachable" apart from a broken hook
    first = run("README.md")
    if first.returncode not in (0, 1):
        log = home / "pre-commit.log"
        text = first.stdout + first.stderr + (log.read_text(encoding="utf-8", errors="replace") if log.exists() else "")
        if OFFLINE.search(text):
            pytest.skip("pre-commit could not install the hook's dependencies: no package index reachable")
        pytest.fail(f"pre-commit failed to install or run the hook:\n{text}")
    return run, vague_line


def test_clean_spec_passes(contract_repo):
    run, _ = contract_repo
    result = run("specs/悦衣坊 方案.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"hostplan lint\.+Passed", result.stdout), result.stdout


def test_vague_spec_fails_with_its_finding(contract_repo):
    run, line = contract_repo
    result = run("specs/vague.yaml", "specs/悦衣坊 方案.yaml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"hostplan lint\.+Failed", result.stdout), result.stdout
    assert "exit code: 1" in result.stdout
    assert re.search(rf"specs/vague\.yaml:{line}:\d+", result.stdout), result.stdout
    assert re.search(r"HP1\d\d", result.stdout) and "及时" in result.stdout
    assert "悦衣坊 方案.yaml:" not in result.stdout  # the clean file passed along adds nothing


def test_excluded_files_are_not_linted(contract_repo):
    run, _ = contract_repo
    result = run("README.md", ".pre-commit-config.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"hostplan lint\.+\(no files to check\)Skipped", result.stdout), result.stdout


def test_yaml_that_is_not_a_spec_passes(contract_repo):
    run, _ = contract_repo
    result = run("docker-compose.yml", "actuals/2026-01.yaml", "specs/悦衣坊 方案.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"hostplan lint\.+Passed", result.stdout), result.stdout


def test_files_the_config_excludes_are_not_linted_when_named(contract_repo):
    # pre-commit passes file names; the hook's --force-exclude applies [lint] exclude to them, as CI's folder walk does
    run, _ = contract_repo
    result = run("drafts/草稿.md", "specs/悦衣坊 方案.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"hostplan lint\.+Passed", result.stdout), result.stdout
    # a repo's own args replace the manifest's, and the exclusion still holds (--force-exclude is in the entry)
    result = run("drafts/草稿.md", config="with-args.yaml")
    assert result.returncode == 0, result.stdout + result.stderr

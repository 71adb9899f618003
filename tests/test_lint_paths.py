"""Which files `hostplan lint` reads: exclude and per-path-ignores patterns as .gitignore and ruff users write
them, --force-exclude for named files (pre-commit), folders and files that cannot be read, unsupported files,
git-ignored files, and config errors that say where in the config file they are."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hostplan.cli import app
from hostplan.config import find_config
from hostplan.errors import HostplanError
from hostplan.lint import lint_paths
from hostplan.lint.paths import matches

runner = CliRunner()
VAGUE = "乙方应及时回复。\n"


def _tree(root: Path, *files: str) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(VAGUE, encoding="utf-8")


def _linted(root: Path, *paths: str | Path, **kwargs: object) -> list[str]:
    result = lint_paths([root / p for p in paths] if paths else [root], **kwargs)  # type: ignore[arg-type]
    return sorted(Path(f).resolve().relative_to(root.resolve()).as_posix() for f in result.files)


# --- patterns ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("pattern", "excluded"), [
    ("drafts", ["contracts/drafts/b.md", "drafts/a.md"]),  # a name: at any depth
    ("./drafts", ["contracts/drafts/b.md", "drafts/a.md"]),
    ("drafts/", ["contracts/drafts/b.md", "drafts/a.md"]),
    ("**/drafts", ["contracts/drafts/b.md", "drafts/a.md"]),  # ** includes no folder at all
    ("/drafts", ["drafts/a.md"]),  # anchored to the config folder
    ("contracts/drafts", ["contracts/drafts/b.md"]),
    ("contracts\\drafts\\", ["contracts/drafts/b.md"]),  # written on Windows
    ("legacy\\*.md", ["legacy/c.md"]),
    ("*.tmp.md", ["contracts/x.tmp.md"]),
])
def test_exclude_patterns_read_as_gitignore_users_write_them(tmp_path: Path, pattern: str, excluded: list[str]) -> None:
    files = ["drafts/a.md", "contracts/drafts/b.md", "legacy/c.md", "contracts/x.tmp.md", "top.md"]
    _tree(tmp_path, *files)
    (tmp_path / ".hostplan.toml").write_text(f"[lint]\nexclude = [{json.dumps(pattern)}]\n", encoding="utf-8")
    assert _linted(tmp_path) == sorted(set(files) - set(excluded))


def test_per_path_ignores_written_with_backslashes_apply(tmp_path: Path) -> None:
    _tree(tmp_path, "legacy/c.md", "current/c.md")
    (tmp_path / ".hostplan.toml").write_text('[lint]\nper-path-ignores = { "legacy\\\\*.md" = ["HP1"] }\n',
                                             encoding="utf-8")
    result = lint_paths([tmp_path])
    assert sorted(Path(f.path).parent.name for f in result.findings) == ["current"]


def test_matching_a_named_file_looks_at_its_folders() -> None:
    assert matches("contracts/drafts/b.md", ["drafts"])
    assert matches("contracts/drafts/b.md", ["contracts/drafts"])
    assert not matches("contracts/drafts/b.md", ["drafts"], whole=False)  # a walk checks each folder as it enters
    assert not matches("/elsewhere/contracts/drafts/b.md", ["contracts/drafts"])  # outside the config folder
    # outside it, the folders above (/tmp, /home/…) are not the repo's: only the file's own name counts
    assert not matches("/tmp/drafts/b.md", ["drafts"]) and not matches("/tmp/x/z.md", ["tmp"])
    assert matches("/tmp/drafts/b.md", ["*.md"])


@pytest.mark.parametrize(("line", "column", "pattern", "why"), [
    (3, 4, "../shared", "不能指到它外面"),
    (2, 13, ".", "是空的"),
    (2, 13, "C:\\\\work\\\\drafts", "是绝对路径"),
])
def test_a_pattern_that_cannot_match_is_a_config_error_where_it_is_written(
        tmp_path: Path, line: int, column: int, pattern: str, why: str) -> None:
    (tmp_path / "a.md").write_text(VAGUE, encoding="utf-8")
    config = tmp_path / ".hostplan.toml"
    if line == 3:
        config.write_text(f'[lint]\nexclude = [\n  "{pattern}",\n]\n', encoding="utf-8")
    else:
        config.write_text(f'[lint]\nexclude = ["{pattern}"]\n', encoding="utf-8")
    with pytest.raises(HostplanError) as err:
        lint_paths([tmp_path / "a.md"])
    assert f".hostplan.toml:{line}:{column}: 配置项 exclude 中的 " in str(err.value), str(err.value)
    assert why in str(err.value)


# --- config errors name the file, line and column ----------------------------------------------------------


@pytest.mark.parametrize(("toml", "where", "message"), [
    ('[lint]\nfail-on = "warn"\n', "2:11", "fail-on = 'warn'：应为 error、warning 或 info"),
    ('[lint]\nselect = ["HP1"]\nseverity = { HP104 = "low" }\n', "3:14", "severity.HP104 = 'low'"),
    ('[lint]\nfail-on = "error"\nexlude = ["drafts"]\n', "3:", "[lint] 中有未知配置项 exlude"),
    ('[lint]\ndocument-modules = "maybe"\n', "2:20", "document-modules = 'maybe'"),
    ('[lint]\nper-path-ignores = { "legacy/*.md" = ["HP9"] }\n', "2:40", "没有以 HP9 开头的规则"),
    ('[lint]\nignore = "HP1O1"\n', "2:11", "没有以 HP1O1 开头的规则"),
])
def test_config_errors_name_the_file_line_and_column(tmp_path: Path, toml: str, where: str, message: str) -> None:
    (tmp_path / "a.md").write_text(VAGUE, encoding="utf-8")
    (tmp_path / ".hostplan.toml").write_text(toml, encoding="utf-8")
    r = runner.invoke(app, ["lint", str(tmp_path / "a.md")])
    assert r.exit_code == 2
    assert f".hostplan.toml:{where}" in r.output and message in r.output, r.output
    assert "内部错误" not in r.output


def test_pyproject_config_errors_name_pyproject(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(VAGUE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "c"\n\n[tool.hostplan.lint]\nfail-on = "fatal"\n',
                                             encoding="utf-8")
    r = runner.invoke(app, ["lint", str(tmp_path / "a.md")])
    assert r.exit_code == 2 and "pyproject.toml:5:11: fail-on = 'fatal'" in r.output, r.output


def test_unknown_category_in_config_names_the_config(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(VAGUE, encoding="utf-8")
    (tmp_path / ".hostplan.toml").write_text('[lint]\ndocument-modules = "always"\ncategory = "pets"\n',
                                             encoding="utf-8")
    r = runner.invoke(app, ["lint", str(tmp_path / "a.md")])
    assert r.exit_code == 2 and ".hostplan.toml:3:12: 未知类目 pets" in r.output, r.output
    r = runner.invoke(app, ["lint", str(tmp_path / "a.md"), "--category", "toys"])
    assert r.exit_code == 2 and "未知类目 toys" in r.output and ".hostplan.toml" not in r.output


# --- --force-exclude: exclude also applies to paths named on the command line ------------------------------


def test_force_exclude_applies_exclude_to_named_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, "drafts/草稿.md", "contracts/drafts/b.md", "contracts/a.md", "node_modules/x/readme.md")
    (tmp_path / ".hostplan.toml").write_text('[lint]\nexclude = ["drafts/"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # named without the option: linted, as ruff does (naming a file is asking for it)
    r = runner.invoke(app, ["lint", "drafts/草稿.md", "--format", "json"])
    assert r.exit_code == 1 and [f["path"] for f in json.loads(r.stdout)] == ["drafts/草稿.md"]
    # with it, as the pre-commit hook runs: the excluded files are left out, the others are linted
    r = runner.invoke(app, ["lint", "--force-exclude", "drafts/草稿.md", "contracts/drafts/b.md", "contracts/a.md",
                            "node_modules/x/readme.md", "--format", "json"])
    assert r.exit_code == 1 and [f["path"] for f in json.loads(r.stdout)] == ["contracts/a.md"]
    # only excluded files named (a commit touching drafts/ alone): nothing to lint, success, and a note why
    r = runner.invoke(app, ["lint", "--force-exclude", "drafts/草稿.md", "drafts"])
    assert r.exit_code == 0 and r.stdout == ""
    assert "没有要审阅的文件：给出的路径都在配置的 exclude 中（--force-exclude）" in r.stderr
    # an editor piping the buffer of an excluded file
    r = runner.invoke(app, ["lint", "-", "--stdin-filename", "drafts/草稿.md", "--force-exclude"], input=VAGUE)
    assert r.exit_code == 0 and r.stdout == ""


def test_force_exclude_can_be_set_in_the_config(tmp_path: Path) -> None:
    _tree(tmp_path, "drafts/草稿.md", "a.md")
    config = tmp_path / ".hostplan.toml"
    config.write_text('[lint]\nexclude = ["drafts"]\nforce-exclude = true\n', encoding="utf-8")
    assert _linted(tmp_path, "drafts/草稿.md", "a.md") == ["a.md"]
    config.write_text('[lint]\nexclude = ["drafts"]\nforce-exclude = "yes"\n', encoding="utf-8")
    with pytest.raises(HostplanError, match=r"\.hostplan\.toml:3:17: force-exclude = 'yes'：应为 true 或 false"):
        lint_paths([tmp_path / "a.md"])


# --- folders and files that cannot be read -----------------------------------------------------------------


@pytest.fixture
def lock(monkeypatch: pytest.MonkeyPatch):
    """lock(folder): make a folder unreadable and unsearchable, as chmod 000 does. Root ignores permissions, so
    there the system calls are made to fail as they would for another user."""
    locked: list[Path] = []
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        yield lambda folder: (folder.chmod(0), locked.append(folder))
        for folder in locked:
            folder.chmod(0o755)
        return
    real_stat, real_scandir = os.stat, os.scandir

    def denied(p: object) -> PermissionError:
        return PermissionError(errno.EACCES, "Permission denied", os.fsdecode(p))  # type: ignore[arg-type]

    def under(p: object) -> bool:
        if isinstance(p, int):
            return False
        path = Path(os.fsdecode(p)).absolute()  # type: ignore[arg-type]
        return any(folder in path.parents for folder in locked)

    def stat(p: object, *args: object, **kwargs: object) -> os.stat_result:
        if under(p):
            raise denied(p)
        return real_stat(p, *args, **kwargs)  # type: ignore[arg-type]

    def scandir(p: object = ".") -> object:
        if not isinstance(p, int) and (Path(os.fsdecode(p)).absolute() in locked or under(p)):  # type: ignore[arg-type]
            raise denied(p)
        return real_scandir(p)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "scandir", scandir)
    yield lambda folder: locked.append(folder.absolute())


def test_a_folder_that_cannot_be_read_is_reported_and_exits_2(tmp_path: Path, lock) -> None:
    _tree(tmp_path, "locked/a.md", "outer/b.md", "outer/inner/c.md")
    # a config inside the locked folder cannot be seen: the search goes on above it, no PermissionError
    (tmp_path / "locked" / ".hostplan.toml").write_text("[lint]\n", encoding="utf-8")
    lock(tmp_path / "locked")
    lock(tmp_path / "outer" / "inner")
    r = runner.invoke(app, ["lint", str(tmp_path / "locked"), "--format", "json"])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 2
    assert [(f["path"], f["code"], f["message"]) for f in json.loads(r.stdout)] == [
        (str(tmp_path / "locked"), "HP001", "目录无法读取：没有读取权限，其中的文件没有审阅")]
    # a folder inside a walked one is not passed over in silence: the others are linted, the exit code is 2
    result = lint_paths([tmp_path / "outer"])
    assert [(Path(f.path).relative_to(tmp_path).as_posix(), f.code) for f in result.findings] == [
        ("outer/b.md", "HP101"), ("outer/inner", "HP001")]
    assert result.exit_code() == 2 and result.unreadable == [str(tmp_path / "outer" / "inner")]
    # a file named inside a locked folder
    r = runner.invoke(app, ["lint", str(tmp_path / "locked" / "a.md"), "--format", "json"])
    assert r.exit_code == 2 and [f["message"] for f in json.loads(r.stdout)] == ["没有读取权限"]


def test_an_unsupported_file_is_reported_beside_the_others(tmp_path: Path) -> None:
    _tree(tmp_path, "a.md")
    (tmp_path / "d.doc").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1"))
    (tmp_path / "x.xml").write_text("<a/>", encoding="utf-8")
    r = runner.invoke(app, ["lint", str(tmp_path / "a.md"), str(tmp_path / "d.doc"), str(tmp_path / "x.xml"),
                            "--format", "json"])
    assert r.exit_code == 2
    assert [(Path(f["path"]).name, f["code"], f["message"]) for f in json.loads(r.stdout)] == [
        ("a.md", "HP101", "“及时”没有给出时限：请写明多少分钟/小时内"),
        ("d.doc", "HP001", "不支持的文件类型 .doc：这是旧版 Word 97–2003 文件，请在 Word 中“另存为” .docx 后再审阅"),
        ("x.xml", "HP001", "不支持的文件类型 .xml：可审阅 .yaml/.yml 规格和 .md/.markdown/.txt/.docx 合同")]
    # --select never hides it, and the parallel path (more than 50 files) reports it the same way
    r = runner.invoke(app, ["lint", str(tmp_path / "d.doc"), "--select", "HP6", "--format", "json"])
    assert r.exit_code == 2 and [f["code"] for f in json.loads(r.stdout)] == ["HP001"]
    for i in range(55):
        (tmp_path / f"c{i:02}.md").write_text("托管方应在 2 小时内回复。\n", encoding="utf-8")
    result = lint_paths([tmp_path, tmp_path / "d.doc"], jobs=2)
    assert result.exit_code() == 2 and [(Path(f.path).name, f.code) for f in result.findings] == [
        ("a.md", "HP101"), ("d.doc", "HP001")]


# --- folder walks: what git ignores, and the repo's own documentation --------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    (tmp_path / ".gitignore").write_text("out/\n*.local.md\n", encoding="utf-8")
    _tree(tmp_path, "contracts/a.md", "contracts/b.local.md", "out/r.md", "out/sub/s.md", "new/n.md", "README.md",
          "contracts/README.md", "CHANGELOG.md")
    return tmp_path


def test_a_folder_walk_passes_over_what_git_ignores_and_the_repos_docs(repo: Path, monkeypatch) -> None:
    # untracked but not ignored (new/n.md, a contract not yet added) is linted
    assert _linted(repo) == ["contracts/a.md", "new/n.md"]
    assert _linted(repo, "contracts") == ["contracts/a.md"]
    # named, they are linted: an ignored folder, a README
    assert _linted(repo, "out") == ["out/r.md", "out/sub/s.md"]
    assert _linted(repo, "README.md") == ["README.md"]
    # turned off on the command line or in the config
    monkeypatch.chdir(repo)
    r = runner.invoke(app, ["lint", ".", "--no-respect-gitignore", "--format", "json"])
    assert sorted({f["path"] for f in json.loads(r.stdout)}) == [
        "contracts/a.md", "contracts/b.local.md", "new/n.md", "out/r.md", "out/sub/s.md"]
    (repo / ".hostplan.toml").write_text("[lint]\nrespect-gitignore = false\n", encoding="utf-8")
    find_config.cache_clear()  # found once per folder and process: this one was looked up before the file existed
    assert len(_linted(repo)) == 5


def test_without_git_a_folder_walk_lints_everything_it_finds(repo: Path, monkeypatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert _linted(repo) == ["contracts/a.md", "contracts/b.local.md", "new/n.md", "out/r.md", "out/sub/s.md"]


def test_a_repo_git_refuses_to_read_is_linted_whole_and_says_why(repo: Path, monkeypatch) -> None:
    from hostplan.lint import gitignore

    refused = "fatal: detected dubious ownership in repository at '/w'\nTo add an exception ... safe.directory /w\n"
    monkeypatch.setattr(gitignore.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(
        a[0], 128, b"", refused.encode()))
    result = lint_paths([repo])
    assert sorted(Path(f).relative_to(repo).as_posix() for f in result.files) == [
        "contracts/a.md", "contracts/b.local.md", "new/n.md", "out/r.md", "out/sub/s.md"]
    (note,) = result.notes
    assert "fatal: detected dubious ownership in repository at '/w'" in note and "safe.directory" in note
    monkeypatch.chdir(repo)
    r = runner.invoke(app, ["lint", ".", "--format", "json"])
    assert "git 拒绝读取" in r.stderr and r.stderr.count("git 拒绝读取") == 1

"""`hostplan render` as a user runs it: outputs, exit codes, overwrite protection, atomic writes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from hostplan.cli import app

APPAREL = ROOT / "examples" / "apparel.yaml"


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "shop.yaml"
    shutil.copy(APPAREL, target)
    return target


def run(*args: str | Path) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_default_output_is_docx_next_to_the_spec(spec: Path) -> None:
    r = run("render", spec)
    assert r.exit_code == 0, r.output
    out = spec.with_suffix(".docx")
    assert out.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in spec.parent.iterdir()) == ["shop.docx", "shop.yaml"]


def test_all_formats_and_output_naming(spec: Path, tmp_path: Path) -> None:
    assert run("render", spec, "--format", "all").exit_code == 0
    assert spec.with_suffix(".md").read_text(encoding="utf-8").startswith("# 悦衣坊女装旗舰店售后托管服务方案\n")
    outdir = tmp_path / "out"
    outdir.mkdir()
    assert run("render", spec, "--format", "all", "-o", outdir).exit_code == 0
    assert sorted(p.name for p in outdir.iterdir()) == ["shop.docx", "shop.md"]
    assert run("render", spec, "--format", "md", "-o", outdir, "--force").exit_code == 0  # a folder: same stem
    assert (outdir / "shop.md").read_text(encoding="utf-8") == spec.with_suffix(".md").read_text(encoding="utf-8")
    assert run("render", spec, "-o", tmp_path / "x.md").exit_code == 0  # format from the extension
    assert (tmp_path / "x.md").read_text(encoding="utf-8") == spec.with_suffix(".md").read_text(encoding="utf-8")


def test_markdown_to_stdout(spec: Path) -> None:
    r = run("render", spec, "-o", "-")
    assert r.exit_code == 0
    assert r.stdout.startswith("# 悦衣坊女装旗舰店售后托管服务方案\n") and r.stdout.endswith("年　　月　　日 |\n")
    assert sorted(p.name for p in spec.parent.iterdir()) == ["shop.yaml"]
    r = run("render", spec, "--format", "docx", "-o", "-")
    assert r.exit_code == 2 and "终端" in r.output


def test_existing_output_is_never_overwritten_without_force(spec: Path) -> None:
    out = spec.with_suffix(".docx")
    out.write_bytes(b"merchant's own edits")
    r = run("render", spec)
    assert r.exit_code == 2 and "--force" in r.output
    assert out.read_bytes() == b"merchant's own edits"
    assert run("render", spec, "--force").exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_format_all_checks_both_targets_before_writing_either(spec: Path) -> None:
    md = spec.with_suffix(".md")
    md.write_text("keep me", encoding="utf-8")
    r = run("render", spec, "--format", "all")
    assert r.exit_code == 2
    assert not spec.with_suffix(".docx").exists() and md.read_text(encoding="utf-8") == "keep me"


def test_invalid_spec_prints_problems_and_writes_nothing(spec: Path) -> None:
    spec.write_text(spec.read_text(encoding="utf-8").replace("threshold: 30分钟", "threshold: 30"), encoding="utf-8")
    r = run("render", spec, "--format", "all")
    assert r.exit_code == 2
    assert "shop.yaml:" in r.output and "threshold" in r.output and "Traceback" not in r.output
    assert sorted(p.name for p in spec.parent.iterdir()) == ["shop.yaml"]


def test_control_character_is_refused_with_its_field(spec: Path) -> None:
    text = spec.read_text(encoding="utf-8").replace("name: 杭州速达电商服务有限公司", 'name: "杭州速达\\u000b电商服务有限公司"')
    spec.write_text(text, encoding="utf-8")
    r = run("render", spec)
    assert r.exit_code == 2
    assert "parties.agency.name" in r.output and "U+000B" in r.output
    assert not spec.with_suffix(".docx").exists()


def test_interrupted_write_leaves_no_file(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        from hostplan.render.files import render_files, resolve_targets

        render_files(spec, resolve_targets(spec, "docx", None))
    assert sorted(p.name for p in spec.parent.iterdir()) == ["shop.yaml"]  # no output, no temp file


def test_two_renders_are_byte_identical(spec: Path, tmp_path: Path) -> None:
    assert run("render", spec, "--format", "all", "-o", tmp_path / "a").exit_code == 0
    assert run("render", spec, "--format", "all", "-o", tmp_path / "b").exit_code == 0
    for suffix in (".docx", ".md"):
        assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()


def test_date_option_and_source_date_epoch(spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("render", spec, "-o", tmp_path / "d.md", "--date", "2026-03-15").exit_code == 0
    assert "**编制日期**：2026年3月15日" in (tmp_path / "d.md").read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772582400")  # 2026-03-04
    assert run("render", spec, "-o", tmp_path / "e.md").exit_code == 0
    assert "**编制日期**：2026年3月4日" in (tmp_path / "e.md").read_text(encoding="utf-8")
    r = run("render", spec, "-o", tmp_path / "f.md", "--date", "15/03/2026")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output


def test_template_dir_from_option_and_from_repo_config(spec: Path, tmp_path: Path) -> None:
    tpl = tmp_path / "company-templates" / "sections"
    tpl.mkdir(parents=True)
    (tpl / "signature.md.j2").write_text("甲方签章：{{ spec.parties.merchant.name }}\n", encoding="utf-8")
    assert run("render", spec, "-o", tmp_path / "opt.md", "--template-dir", tpl.parent).exit_code == 0
    assert (tmp_path / "opt.md").read_text(encoding="utf-8").endswith("甲方签章：杭州悦衣坊服饰有限公司\n")
    (tmp_path / ".hostplan.toml").write_text('template-dir = "company-templates"\n', encoding="utf-8")
    from hostplan.config import find_config

    find_config.cache_clear()
    try:
        assert run("render", spec, "-o", tmp_path / "cfg.md").exit_code == 0
    finally:
        find_config.cache_clear()
    assert (tmp_path / "cfg.md").read_text(encoding="utf-8").endswith("甲方签章：杭州悦衣坊服饰有限公司\n")


def test_sandbox_violation_in_user_template_exits_2(spec: Path, tmp_path: Path) -> None:
    tpl = tmp_path / "evil"
    tpl.mkdir()
    (tpl / "proposal.md.j2").write_text("{{ cycler.__init__.__globals__.os.system('touch pwned') }}", encoding="utf-8")
    r = run("render", spec, "-o", tmp_path / "x.md", "--template-dir", tpl)
    assert r.exit_code == 2 and "沙箱" in r.output
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "x.md").exists()


def test_missing_reference_docx_exits_2(spec: Path, tmp_path: Path) -> None:
    r = run("render", spec, "--reference-docx", tmp_path / "nope.docx")
    assert r.exit_code == 2 and "参考文档不存在" in r.output
    assert not spec.with_suffix(".docx").exists()


def test_subprocess_render_has_no_traceback(spec: Path, hostplan) -> None:  # type: ignore[no-untyped-def]
    r = hostplan("render", str(spec), "--format", "md", cwd=spec.parent)
    assert r.returncode == 0, r.stderr
    assert "已生成" in r.stderr and spec.with_suffix(".md").exists()
    r = hostplan("render", str(spec.parent / "missing.yaml"), cwd=spec.parent)
    assert r.returncode == 2 and "文件不存在" in r.stderr and "Traceback" not in r.stderr


def test_separate_processes_produce_identical_docx(spec: Path, tmp_path: Path, hostplan) -> None:  # type: ignore[no-untyped-def]
    for name in ("one.docx", "two.docx"):
        r = hostplan("render", str(spec), "-o", str(tmp_path / name), cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "one.docx").read_bytes() == (tmp_path / "two.docx").read_bytes()


def test_output_folder_with_trailing_slash_is_created(spec: Path, tmp_path: Path) -> None:
    r = run("render", spec, "--format", "all", "-o", "out/")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["shop.docx", "shop.md"]


def test_output_folder_is_not_created_for_an_invalid_spec(spec: Path, tmp_path: Path) -> None:
    spec.write_text("version: 1\n", encoding="utf-8")
    r = run("render", spec, "-o", "out/")
    assert r.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_missing_folder_without_slash_is_an_error(spec: Path, tmp_path: Path) -> None:
    r = run("render", spec, "-o", "nowhere/shop.docx")
    assert r.exit_code == 2
    assert "不存在" in r.output
    assert not (tmp_path / "nowhere").exists()

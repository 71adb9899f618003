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
    for fmt in ("docx", "md"):
        r = run("render", spec, "--format", fmt)
        assert r.exit_code == 2
        assert "shop.yaml:18:" in r.output and "parties.agency.name" in r.output and "U+000B" in r.output
        # a wrong value (HP005), never HP008, the code of a suppression comment without a reason
        assert "[HP005]" in r.output and "HP008" not in r.output and "Traceback" not in r.output
    assert sorted(p.name for p in spec.parent.iterdir()) == ["shop.yaml"]


SUPPORTED = "支持的格式：.docx（Word，--format docx）、.md 或 .markdown（Markdown，--format md）"


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "shop.pdf"], "-o shop.pdf：扩展名 .pdf，无法确定输出格式"),
    (["-o", "shop.txt", "--format", "md"], "-o shop.txt：扩展名 .txt，无法确定输出格式"),
    (["-o", "shop"], "-o shop：没有扩展名，无法确定输出格式"),
    (["-o", "shop.md", "--format", "docx"], "-o shop.md：扩展名 .md 是 Markdown，与 --format docx 不符：请把文件名改为 shop.docx"),
    (["-o", "shop.docx", "--format", "md"], "-o shop.docx：扩展名 .docx 是 Word，与 --format md 不符：请把文件名改为 shop.md"),
    (["-o", "shop.pdf", "--format", "all"], "-o shop.pdf：--format all 需要目录或不带扩展名的路径"),
])
def test_unknown_or_mismatched_extension_exits_2(spec: Path, args: list[str], message: str) -> None:
    r = run("render", spec, *args)
    assert r.exit_code == 2
    assert message in r.output and SUPPORTED in r.output
    assert sorted(p.name for p in spec.parent.iterdir()) == ["shop.yaml"]  # nothing written under any name


def test_extension_chooses_or_confirms_the_format(spec: Path, tmp_path: Path) -> None:
    assert run("render", spec, "-o", "a.markdown").exit_code == 0
    assert (tmp_path / "a.markdown").read_text(encoding="utf-8").startswith("# 悦衣坊女装旗舰店售后托管服务方案\n")
    assert run("render", spec, "-o", "B.DOCX", "--format", "docx").exit_code == 0
    assert (tmp_path / "B.DOCX").read_bytes()[:2] == b"PK"
    assert run("render", spec, "-o", "c.md", "--format", "md").exit_code == 0
    assert run("render", spec, "--format", "all", "-o", "both").exit_code == 0  # no extension: one per format
    assert {"both.docx", "both.md"} <= {p.name for p in tmp_path.iterdir()}


def test_failed_write_names_the_format_and_file(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    r = run("render", spec, "--format", "md")
    assert r.exit_code == 2
    assert f"无法写入 Markdown 文件 {spec.with_suffix('.md')}：磁盘空间不足" in r.output and "Word" not in r.output
    r = run("render", spec, "-o", "out.docx")
    assert r.exit_code == 2 and "无法写入 Word 文件 out.docx：磁盘空间不足" in r.output
    assert sorted(p.name for p in spec.parent.iterdir()) == ["shop.yaml"]  # no partial file, no temp file


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


BROKEN_TEMPLATES = [
    ("甲方：{{ spec.parties.merchant.nme }}\n", 1, "PartyInfo 没有字段 nme"),
    ("甲方签章\n\n{{ spec.nothing_here }}\n", 3, "Spec 没有字段 nothing_here"),
    ("甲方签章\n{% if spec.title %}\n{{ spec.title }}\n", 3, "模板在 {% if %} 块关闭之前就结束了：缺少 {% endif %}"),
    ("甲方签章\n{% endfor %}\n", 2, "未知或多余的标签 {% endfor %}"),
    ("甲方签章\n\n{{ spec.title | upper_cn }}\n", 3, "没有名为 upper_cn 的过滤器"),
    ("甲方签章\n{% include 'sections/seal.md.j2' %}\n", 2, "找不到模板 sections/seal.md.j2"),
    ("甲方签章\n{{ 1 // 0 }}\n", 2, "模板中的计算除以零"),
    ("甲方签章\n{{ none }}\n", 2, "模板输出了空值（None）"),
]


@pytest.mark.parametrize(("template", "line", "message"), BROKEN_TEMPLATES)
def test_broken_custom_template_names_its_file_and_line(spec: Path, tmp_path: Path, template: str, line: int,
                                                        message: str) -> None:
    sections = tmp_path / "company" / "sections"
    sections.mkdir(parents=True)
    (sections / "signature.md.j2").write_text(template, encoding="utf-8")
    for fmt in ("md", "docx"):
        r = run("render", spec, "--format", fmt, "--template-dir", "company")
        assert r.exit_code == 2
        assert f"company/sections/signature.md.j2:{line}: {message}" in r.output, r.output
        assert "Traceback" not in r.output
    assert sorted(p.name for p in spec.parent.iterdir()) == ["company", "shop.yaml"]


def test_template_that_is_not_utf8_names_the_line(spec: Path, tmp_path: Path) -> None:
    sections = tmp_path / "company" / "sections"
    sections.mkdir(parents=True)
    (sections / "signature.md.j2").write_bytes(b"<!-- signature -->\n" + "甲方签章".encode("gbk") + b"\n")
    r = run("render", spec, "--format", "md", "--template-dir", "company")
    assert r.exit_code == 2
    assert ("company/sections/signature.md.j2:2:1: 模板文件必须是 UTF-8 编码：第 2 行第 1 列（文件第 20 个字节，0xBC）"
            "不是有效的 UTF-8：看起来是 GBK/GB18030 编码") in r.output


def test_broken_template_in_a_real_process_has_no_traceback(spec: Path, tmp_path: Path, hostplan) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "company").mkdir()
    (tmp_path / "company" / "proposal.md.j2").write_text("# {{ spec.title }}\n\n{{ spec.parties.agency.nmae }}\n",
                                                        encoding="utf-8")
    (tmp_path / ".hostplan.toml").write_text('template-dir = "company"\n', encoding="utf-8")
    r = hostplan("render", "shop.yaml", cwd=tmp_path)
    assert r.returncode == 2
    assert "company/proposal.md.j2:3: PartyInfo 没有字段 nmae" in r.stderr and "Traceback" not in r.stderr


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

"""`hostplan lint` as a user runs it: formats, exit codes, statistics, text output, errors without tracebacks."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, run_hostplan
from hostplan.cli import app
from hostplan.errors import HostplanError
from hostplan.lint import all_rules, lint_paths
from hostplan.lint.report import render_report

PLANTED = ROOT / "tests" / "fixtures" / "lint" / "planted.yaml"
runner = CliRunner()


def test_text_report_groups_by_file_and_marks_the_term() -> None:
    r = run_hostplan("lint", str(PLANTED), str(ROOT / "examples" / "food.yaml"))
    assert r.returncode == 1
    out = r.stdout
    assert "\x1b[" not in out  # plain when not a terminal
    assert out.splitlines()[0] == str(PLANTED)
    assert f"{PLANTED}:17:40: HP101 警告 “及时”没有给出时限" in out
    lines = out.splitlines()
    i = next(n for n, ln in enumerate(lines) if ":17:40: HP101" in ln)
    assert lines[i + 1].endswith("及时处理客户的售后申请}  # expect: HP101")
    source = PLANTED.read_text(encoding="utf-8").splitlines()[16]
    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in source[:39])
    assert lines[i + 2] == "    | " + " " * width + "^^^^"  # 及时 is two wide characters
    assert "共 15 个问题（2 个错误，13 个警告），检查了 2 个文件" in out
    assert "HP101 ×1" in out and "Traceback" not in r.stderr


def test_statistics_and_exit_zero() -> None:
    r = run_hostplan("lint", str(PLANTED), "--statistics", "--exit-zero")
    assert r.returncode == 0
    assert any(line.split()[:2] == ["1", "HP503"] for line in r.stdout.splitlines())


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("info", 1)])
def test_fail_on_levels(fail_on: str, code: int) -> None:
    assert runner.invoke(app, ["lint", str(PLANTED), "--fail-on", fail_on]).exit_code == code


def test_fail_on_error_passes_when_only_warnings(tmp_path: Path) -> None:
    doc = tmp_path / "c.md"
    doc.write_text("托管方应尽快处理。\n", encoding="utf-8")
    assert runner.invoke(app, ["lint", str(doc), "--fail-on", "error"]).exit_code == 0
    assert runner.invoke(app, ["lint", str(doc)]).exit_code == 1
    assert runner.invoke(app, ["lint", str(doc), "--ignore", "HP101"]).exit_code == 0


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["lint", str(PLANTED), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["lint", str(PLANTED), "--fail-on", "fatal"]).exit_code == 2
    odd = tmp_path / "x.pdf"
    odd.write_text("x", encoding="utf-8")
    r = run_hostplan("lint", str(odd))
    # reported like a file that cannot be read: in the report, beside the other files' findings
    assert r.returncode == 2 and "不支持的文件类型 .pdf" in r.stdout and "Traceback" not in r.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_hostplan("lint", str(empty)).returncode == 2
    bad_config = tmp_path / "bad.toml"
    bad_config.write_text("[lint]\nfail-on = 3\n", encoding="utf-8")
    assert runner.invoke(app, ["lint", str(PLANTED), "--config", str(bad_config)]).exit_code == 2


def test_every_format_renders_from_the_same_result() -> None:
    result = lint_paths([PLANTED])
    data = json.loads(render_report("json", result.findings, result.rules, result.files))
    assert [(d["line"], d["code"]) for d in data] == [(f.line, f.code) for f in result.findings]
    for fmt in ("sarif", "github", "junit", "text"):
        assert render_report(fmt, result.findings, result.rules, result.files).strip()
    with pytest.raises(HostplanError):
        render_report("pdf", result.findings, result.rules, result.files)


def test_output_file_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    r = runner.invoke(app, ["lint", str(PLANTED), "--format", "json", "-o", str(out)])
    assert r.exit_code == 1 and len(json.loads(out.read_text(encoding="utf-8"))) == 15
    assert runner.invoke(app, ["lint", str(PLANTED), "--format", "json", "-o", str(out)]).exit_code == 2
    assert runner.invoke(app, ["lint", str(PLANTED), "--format", "json", "-o", str(out), "--force"]).exit_code == 1


def test_all_rules_api() -> None:
    rules = all_rules()
    assert rules["HP101"].name == "vague-deadline" and rules["HP601"].severity == "error"


def test_coloured_text_is_the_plain_text_with_styles() -> None:
    import re

    from rich.console import Console

    from hostplan.lint.report.text import render, render_rich

    result = lint_paths([PLANTED])
    console = Console(force_terminal=True, soft_wrap=True, highlight=False, width=100)
    with console.capture() as cap:
        console.print(render_rich(result.findings, result.rules, result.files), end="", emoji=False, highlight=False)
    coloured = cap.get()
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render(result.findings, result.rules, result.files)


def test_named_yaml_that_is_not_a_spec_is_skipped_with_a_note(tmp_path: Path) -> None:
    compose = tmp_path / "docker-compose.yml"
    compose.write_text('version: "3"\nservices:\n  web:\n    image: nginx\n', encoding="utf-8")
    result = run_hostplan("lint", str(compose), str(ROOT / "lexicons" / "vague.yaml"))
    assert result.returncode == 0, result.stderr
    assert f"跳过 {compose}：不是托管方案规格" in result.stderr
    assert "lexicons/vague.yaml：不是托管方案规格" in result.stderr
    # a spec named beside it is still linted
    vague = tmp_path / "spec.yaml"
    vague.write_text((ROOT / "examples" / "apparel.yaml").read_text(encoding="utf-8").replace(
        "物流查询、修改地址与订单信息，当日处理", "物流查询，及时处理"), encoding="utf-8")
    mixed = run_hostplan("lint", str(compose), str(vague))
    assert mixed.returncode == 1
    assert "HP101" in mixed.stdout and "spec.yaml:" in mixed.stdout


def test_spec_keys_follow_the_model() -> None:
    from hostplan.lint.engine import SPEC_KEYS
    from hostplan.spec.model import Spec

    assert set(SPEC_KEYS) == {f.alias or name for name, f in Spec.model_fields.items()}


def test_a_spec_written_as_json_is_linted_not_skipped(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load((ROOT / "examples" / "apparel.yaml").read_text(encoding="utf-8"))
    data["scope"]["basic"][0]["description"] = "及时回复买家咨询"
    spec = tmp_path / "spec.yaml"
    spec.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    result = run_hostplan("lint", str(spec), "--format", "json")
    assert "跳过" not in result.stderr
    assert result.returncode == 1
    assert [f["code"] for f in json.loads(result.stdout)] == ["HP101"]


def test_a_named_spec_that_cannot_be_read_is_reported_not_skipped(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_bytes((ROOT / "examples" / "apparel.yaml").read_text(encoding="utf-8").encode("utf-16"))
    result = run_hostplan("lint", str(empty), str(utf16), "--format", "json")
    assert "跳过" not in result.stderr
    assert result.returncode == 2  # the UTF-16 file cannot be read
    assert [(Path(f["path"]).name, f["code"]) for f in json.loads(result.stdout)] == [("empty.yaml", "HP004"),
                                                                                    ("utf16.yaml", "HP001")]


def test_stdin_filename_lints_standard_input_as_that_file(tmp_path: Path) -> None:
    # editors pipe the unsaved buffer and name the file it belongs to
    import docx

    spec = (ROOT / "examples" / "apparel.yaml").read_text(encoding="utf-8").replace("只统计服务时间内的会话", "只统计服务时间内的会话，客服应尽快回复", 1)
    on_disk = tmp_path / "shop.yaml"
    on_disk.write_text(spec, encoding="utf-8")
    from_file = json.loads(runner.invoke(app, ["lint", str(on_disk), "--format", "json"]).stdout)
    r = runner.invoke(app, ["lint", "-", "--stdin-filename", str(on_disk), "--format", "json"], input=spec.encode())
    assert r.exit_code == 1, r.output
    assert json.loads(r.stdout) == from_file and from_file  # the same findings, positions and path as the file
    # a Word file on standard input
    word = tmp_path / "合同.docx"
    document = docx.Document()
    document.add_paragraph("第一条 乙方应尽快处理客户投诉。")
    document.save(str(word))
    r = runner.invoke(app, ["lint", "-", "--stdin-filename", "合同.docx", "--format", "json"], input=word.read_bytes())
    assert [(f["path"], f["line"], f["column"], f["code"], f["field"]) for f in json.loads(r.stdout)] == [
        ("合同.docx", 1, 8, "HP101", "段落 1")]
    # without a name a zip is said to be one, not "not UTF-8"
    r = runner.invoke(app, ["lint", "-", "--format", "json"], input=word.read_bytes())
    assert r.exit_code == 2 and "--stdin-filename" in json.loads(r.stdout)[0]["message"]
    # the option means nothing without -
    r = runner.invoke(app, ["lint", str(on_disk), "--stdin-filename", "x.yaml"])
    assert r.exit_code == 2 and "--stdin-filename 只用于从标准输入读取时" in r.output

"""Linting specs: examples and starters are clean, planted defects are found at their lines and nothing else,
invalid specs become HP0xx findings without stopping the run, suppressions, config, and the import budget."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import CATEGORIES, EXAMPLES, ROOT
from hostplan.cli import app
from hostplan.lint import LintOptions, lint_paths, lint_text

FIXTURES = ROOT / "tests" / "fixtures" / "lint"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_lint_clean(example: Path) -> None:
    r = invoke("lint", str(example), "--format", "json", "--fail-on", "info")
    assert json.loads(r.stdout) == []
    assert r.exit_code == 0


@pytest.mark.parametrize("category", CATEGORIES)
def test_new_starter_lints_clean(category: str, tmp_path: Path) -> None:
    spec = tmp_path / f"{category}.yaml"
    assert invoke("new", "-c", category, "-o", str(spec)).exit_code == 0
    r = invoke("lint", str(spec), "--format", "json", "--fail-on", "info")
    assert json.loads(r.stdout) == [] and r.exit_code == 0


def test_planted_defects_found_at_their_lines_and_nothing_else() -> None:
    path = FIXTURES / "planted.yaml"
    text = path.read_text(encoding="utf-8")
    expected = {(n, m.group(1)) for n, line in enumerate(text.splitlines(), 1)
                for m in re.finditer(r"expect: (HP\d{3})", line)}
    assert len(expected) >= 12
    result = lint_paths([path])
    assert {(f.line, f.code) for f in result.findings} == expected
    assert len(result.findings) == len(expected)
    assert result.exit_code() == 1


def test_term_columns_point_at_the_term() -> None:
    result = lint_paths([FIXTURES / "planted.yaml"])
    by_code = {f.code: f for f in result.findings}
    vague = by_code["HP101"]
    assert vague.source[vague.column - 1:vague.end_column - 1] == "及时" == vague.text
    assert vague.field == "scope.basic[1].description"
    claim = by_code["HP601"]
    assert claim.source[claim.column - 1:claim.end_column - 1] == "销量第一"
    settle = by_code["HP504"]
    assert settle.source[settle.column - 1:].startswith("31")
    # a finding about a value carries the value as its text, as the carets mark it (JSON `text`)
    assert [(by_code[c].text, by_code[c].field) for c in ("HP503", "HP504", "HP508", "HP509", "HP401")] == [
        ("2025-12-31", "term.end"), ("31", "fees.settlement.day"), ("3000元", "standards[3].remedy.amount"),
        ("both", "responsibilities.shared[0].lead"), ("emphasis", "emphasis")]


def test_invalid_spec_gives_positioned_hp0_findings_and_other_files_still_linted(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "examples" / "apparel.yaml").read_text(encoding="utf-8").replace("  cap: 30%", "  capp: 30%")
                   .replace("monthly_fee: 5000元", "monthly_fee: 5000元\n  monthly_fee: 6000元", 1), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\ntitle: [未闭合\n", encoding="utf-8")
    other = tmp_path / "vague.md"
    other.write_text("客服应及时回复。\n", encoding="utf-8")
    result = lint_paths([bad, broken, other])
    got = [(Path(f.path).name, f.code) for f in result.findings]
    assert ("broken.yaml", "HP002") in got
    assert ("vague.md", "HP101") in got
    dup = [f for f in result.findings if f.path == str(bad)]
    lines = bad.read_text(encoding="utf-8").splitlines()
    # a duplicate key no longer stops before the model: the misspelt cap is reported in the same run
    assert [(f.code, lines[f.line - 1].strip()) for f in dup] == [
        ("HP006", "monthly_fee: 6000元"), ("HP003", "capp: 30%"), ("HP004", "capp: 30%")]
    assert result.exit_code() == 1 and result.unreadable == []


def test_select_never_hides_an_invalid_spec(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\ntitle: [未闭合\n", encoding="utf-8")
    r = invoke("lint", str(broken), "--select", "HP1", "--format", "json")
    assert [f["code"] for f in json.loads(r.stdout)] == ["HP002"] and r.exit_code == 1


def test_unknown_key_is_hp003_at_its_line(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "apparel.yaml").read_text(encoding="utf-8").replace("  cap: 30%", "  capp: 30%")
    found = lint_text(text, "x.yaml", kind="spec")
    assert [(f.code, text.splitlines()[f.line - 1].strip()) for f in found] == [("HP003", "capp: 30%"), ("HP004", "capp: 30%")]
    assert "cap" in found[1].message


def test_unreadable_file_exits_2_but_others_are_reported(tmp_path: Path) -> None:
    other = tmp_path / "vague.md"
    other.write_text("客服应及时回复。\n", encoding="utf-8")
    gbk = tmp_path / "gbk.yaml"  # a spec must be UTF-8 (a GBK contract is read: test_lint_docs)
    gbk.write_bytes("title: 客服应及时回复。".encode("gb18030"))
    r = invoke("lint", str(tmp_path / "missing.yaml"), str(gbk), str(other), "--format", "json")
    findings = json.loads(r.stdout)
    assert r.exit_code == 2
    assert [(Path(f["path"]).name, f["code"]) for f in findings] == [("missing.yaml", "HP001"), ("gbk.yaml", "HP001"),
                                                                     ("vague.md", "HP101")]
    assert "GBK" in findings[1]["message"]
    # the position of the first byte that is not UTF-8, after "title: "
    assert (findings[1]["line"], findings[1]["column"]) == (1, 8)
    assert findings[1]["message"].startswith("文件必须是 UTF-8 编码：第 1 行第 8 列（文件第 8 个字节，0xBF）")


def test_yaml_suppressions(tmp_path: Path) -> None:
    text = (FIXTURES / "planted.yaml").read_text(encoding="utf-8")
    text = text.replace("# expect: HP101", "# hostplan: ignore[HP101] 已在附件二量化")
    text = text.replace("    - 定期培训客服产品知识  # expect: HP104",
                        "    # hostplan: ignore[HP104] 培训频率见附件三\n    - 定期培训客服产品知识")
    text = text.replace("title: \"悦衣坊女装旗舰店售后托管服务方案\"", "title: \"悦衣坊女装旗舰店售后托管服务方案\"  # hostplan: ignore[HP601] 旧理由")
    text = text.replace("# expect: HP106", "# hostplan: ignore[HP106]")
    found = lint_text(text, "s.yaml", kind="spec")
    got = {(f.code, text.splitlines()[f.line - 1].split("#")[0].strip()) for f in found}
    assert not any(c in ("HP101", "HP104", "HP106") for c, _ in got)
    assert ("HP009", 'title: "悦衣坊女装旗舰店售后托管服务方案"') in got  # unused
    assert ("HP008", "- 其他相关费用由商家承担") in got  # no reason given
    assert ("HP601", "- {name: 老客维护, description: 向老客户宣传本店销量第一}") in got  # not suppressed


def test_config_select_ignore_severity_and_fail_on(tmp_path: Path) -> None:
    spec = tmp_path / "planted.yaml"
    spec.write_text((FIXTURES / "planted.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".hostplan.toml").write_text(
        '[lint]\nignore = ["HP5"]\nseverity = { HP1 = "info", HP601 = "warning" }\nfail-on = "error"\n',
        encoding="utf-8")
    result = lint_paths([spec])
    codes = {f.code for f in result.findings}
    assert not any(c.startswith("HP5") for c in codes)
    assert {f.severity for f in result.findings if f.code.startswith("HP1")} == {"info"}
    assert [f.severity for f in result.findings if f.code == "HP601"] == ["warning"]
    assert result.rules["HP101"].severity == "info"
    assert result.exit_code() == 0  # nothing at error level left
    r = invoke("lint", str(spec), "--select", "HP1,HP6", "--format", "json", "--fail-on", "warning")
    assert {f["code"] for f in json.loads(r.stdout)} == {"HP101", "HP103", "HP104", "HP106", "HP601"}
    assert r.exit_code == 1
    assert invoke("lint", str(spec), "--exit-zero").exit_code == 0
    assert invoke("lint", str(spec), "--select", "HP9").exit_code == 2


def test_pyproject_tool_table_and_per_path_ignores(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "contracts"\n\n[tool.hostplan.lint]\nper-path-ignores = { "legacy/*" = ["HP1"] }\n'
        'exclude = ["drafts"]\n', encoding="utf-8")
    for folder in ("legacy", "current", "drafts", ".hidden"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "c.md").write_text("客服应及时回复。托管方应确保服务质量。\n", encoding="utf-8")
    (tmp_path / "current" / "ci.yaml").write_text("jobs: {}\n", encoding="utf-8")  # not a spec: skipped
    result = lint_paths([tmp_path])
    assert sorted(Path(f).relative_to(tmp_path).as_posix() for f in result.files) == ["current/c.md", "legacy/c.md"]
    got = sorted((Path(f.path).parent.name, f.code) for f in result.findings)
    assert got == [("current", "HP101"), ("current", "HP201"), ("legacy", "HP201")]


def test_parallel_run_matches_serial(tmp_path: Path) -> None:
    base = (FIXTURES / "planted.yaml").read_text(encoding="utf-8")
    for i in range(60):
        (tmp_path / f"s{i:02}.yaml").write_text(base, encoding="utf-8")
    serial = lint_paths([tmp_path], jobs=1)
    parallel = lint_paths([tmp_path], jobs=2)
    assert len(serial.files) == 60
    assert serial.findings == parallel.findings
    assert len(serial.findings) == 60 * 15


def test_lint_path_for_yaml_imports_no_docx_jinja_or_openpyxl() -> None:
    code = ("import sys\nfrom hostplan.cli import app\nfrom typer.testing import CliRunner\n"
            f"r = CliRunner().invoke(app, ['lint', {str(EXAMPLES[0])!r}])\n"
            "assert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'jinja2', 'openpyxl')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_options_from_code_without_config() -> None:
    found = lint_text("托管方应定期培训客服。", options=LintOptions(ignore=("HP104",)))
    assert found == []


def test_lint_path_for_markdown_does_not_load_the_spec_model(tmp_path: Path) -> None:
    # a pre-commit run over contracts pays for pydantic (~40 ms) only when a spec is among the files
    doc = tmp_path / "合同.md"
    # long enough to be a whole contract: its title is read for the category, its modules are checked
    doc.write_text("# 服饰鞋包售后托管服务合同\n\n第一条 乙方应及时回复。\n第二条 乙方应及时退款（30 分钟内）。\n"
                   + "第三条 乙方负责天猫店铺的售前售后客服，首次响应不超过 30 分钟，每日 9:00-23:00 在线。\n" * 12,
                   encoding="utf-8")
    code = ("import sys\nfrom hostplan.cli import main\nsys.argv = ['hostplan', 'lint', " + repr(str(doc)) + "]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'docx', 'jinja2', 'openpyxl'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "1 []"


# --- a named spec with misspelled keys is linted; other YAML a hook passes is still skipped ---------------


MISSPELLED = "titel: 悦衣坊售后托管方案\nversoin: 1\ncategroy: apparel\nparites:\n  merchant: {name: 甲}\n"
NOT_SPECS = {
    "docker-compose.yml": 'version: "3.8"\nservices:\n  web:\n    image: nginx\nvolumes:\n  data: {}\n'
                          "networks:\n  default: {}\nsecrets:\n  token: {file: ./t}\n",
    ".pre-commit-config.yaml": "default_language_version:\n  python: python3.12\nminimum_pre_commit_version: '3.0'\n"
                               "repos:\n  - repo: local\n    hooks: []\nexclude: ^vendor/\nfail_fast: false\n",
    "ci.yml": "name: CI\non: [push, pull_request]\npermissions:\n  contents: read\nconcurrency: ci\nenv:\n  A: 1\n"
              "defaults:\n  run: {shell: bash}\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
    "deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n"
                       "status: {}\n",
}


def test_named_spec_with_misspelled_keys_is_linted_not_skipped(tmp_path: Path) -> None:
    spec = tmp_path / "proposal.yaml"
    spec.write_text(MISSPELLED, encoding="utf-8")
    result = lint_paths([spec])
    assert result.skipped == [] and result.files == [str(spec)]
    unknown = [(f.line, f.column, f.end_column, f.message) for f in result.findings if f.code == "HP003"]
    assert unknown == [(1, 1, 6, "未知字段 titel，是否想写 title？"), (2, 1, 8, "未知字段 versoin，是否想写 version？"),
                       (3, 1, 9, "未知字段 categroy，是否想写 category？"), (4, 1, 8, "未知字段 parites，是否想写 parties？")]
    assert result.exit_code() == 1
    r = invoke("lint", str(spec))
    assert r.exit_code == 1 and "跳过" not in r.output and "是否想写 title" in r.output
    # found in a folder too: a misspelled spec is not "some other YAML"
    assert lint_paths([tmp_path]).files == [str(spec)]


@pytest.mark.parametrize("name", sorted(NOT_SPECS))
def test_other_yaml_is_still_skipped_named_or_in_a_folder(tmp_path: Path, name: str) -> None:
    path = tmp_path / ("sub/.github/workflows" if name == "ci.yml" else "sub") / name
    path.parent.mkdir(parents=True)
    path.write_text(NOT_SPECS[name], encoding="utf-8")
    named = lint_paths([path])
    assert (named.files, named.skipped, named.findings) == ([], [str(path)], [])
    assert named.exit_code() == 0
    visible = tmp_path / "visible" / name.lstrip(".")  # hidden files and folders are skipped for that alone
    visible.parent.mkdir()
    visible.write_text(NOT_SPECS[name], encoding="utf-8")
    assert lint_paths([tmp_path / "visible"]).files == []


# --- positions: a finding covers its value only, in flow and block style alike -------------------------------

APPAREL = (ROOT / "examples" / "apparel.yaml").read_text(encoding="utf-8")
BLOCK_REMEDY = "    remedy:\n      type: percent_of_fee\n      percent: 250%  # 笔误\n"


def _spans(path: Path) -> dict[str, list[tuple[str, int, int, int, str]]]:
    """code -> (format, line, column, end column, covered text), from the json, sarif and text outputs."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: dict[str, list[tuple[str, int, int, int, str]]] = {}
    for f in json.loads(invoke("lint", str(path), "--format", "json").stdout):
        cover = lines[f["line"] - 1][f["column"] - 1:f["end_column"] - 1]
        assert f["end_line"] == f["line"]
        out.setdefault(f["code"], []).append(("json", f["line"], f["column"], f["end_column"], cover))
    for res in json.loads(invoke("lint", str(path), "--format", "sarif").stdout)["runs"][0]["results"]:
        r = res["locations"][0]["physicalLocation"]["region"]
        cover = lines[r["startLine"] - 1][r["startColumn"] - 1:r["endColumn"] - 1]
        out[res["ruleId"]].append(("sarif", r["startLine"], r["startColumn"], r["endColumn"], cover))
    text = invoke("lint", str(path)).stdout.splitlines()
    for i, row in enumerate(text):
        m = re.match(rf"  {re.escape(str(path))}:(\d+):(\d+): (HP\d+) ", row)
        if m and i + 2 < len(text) and text[i + 2].lstrip().startswith("| ") and "^" in text[i + 2]:
            line, col = int(m.group(1)), int(m.group(2))
            carets = text[i + 2].count("^")  # display width: a CJK character takes two
            src = lines[line - 1]
            end = col
            while sum(2 if ord(c) > 0x2E7F else 1 for c in src[col - 1:end - 1]) < carets:
                end += 1
            out[m.group(3)].append(("text", line, col, end, src[col - 1:end - 1]))
    return out


def _assert_covers(spans: dict[str, list[tuple[str, int, int, int, str]]], code: str, line: int, cover: str) -> None:
    got = [s for s in spans[code] if s[1] == line]
    assert {s[0] for s in got} == {"json", "sarif", "text"}, spans[code]
    assert {s[4] for s in got} == {cover}, got
    assert len({(s[2], s[3]) for s in got}) == 1, got


def test_check_findings_cover_only_the_value_in_flow_and_block_style(tmp_path: Path) -> None:
    text = APPAREL.replace("percent: 30%}", "percent: 300%}", 1)
    text = text.replace("    remedy: {type: percent_of_fee, percent: 10%}\n", BLOCK_REMEDY, 1)
    text = text.replace("    day: 10\n", "    day: 31  # 月末\n", 1)
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    spans = _spans(path)
    flow = line_no(text, "percent: 300%}")
    _assert_covers(spans, "HP505", flow, "300%")  # not "300%}"
    assert [s[2:4] for s in spans["HP505"] if s[1] == flow][0] == (45, 49)  # exclusive end: 4 characters
    _assert_covers(spans, "HP505", line_no(text, "percent: 250%"), "250%")
    _assert_covers(spans, "HP504", line_no(text, "day: 31"), "31")


def test_problem_findings_cover_only_the_value_in_flow_collections(tmp_path: Path) -> None:
    text = APPAREL.replace("by: 3个月, data_source: platform}", "by: 3个月, data_source: platfrom}", 1)
    text = text.replace("by: 3个月, data_source: platform}", 'by: 3个月, data_source: "plat, form}"}', 1)
    text = text.replace("remedy: {type: fixed_per_breach, amount: 50元}", "remedy: {type: fixed_per_breach, amout: 50元}", 1)
    text = text.replace("evidence: [聊天记录, 工单记录, 平台规则]", "evidence: [聊天记录, [工单, 截图], 平台规则]", 1)
    text = text.replace("  venue: 协商不成的，提交商家所在地有管辖权的人民法院诉讼解决", "  venue: [法院, 仲裁]", 1)
    text = text.replace("    data_source: platform\n    trigger:", "    data_source: |\n      platform, shared\n    trigger:", 1)
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    spans = _spans(path)
    _assert_covers(spans, "HP005", line_no(text, "platfrom}"), "platfrom")
    _assert_covers(spans, "HP005", line_no(text, '"plat, form}"'), '"plat, form}"')  # the quotes hold , and }
    _assert_covers(spans, "HP003", line_no(text, "amout: 50元"), "amout")
    _assert_covers(spans, "HP004", line_no(text, "amout: 50元"), "{type: fixed_per_breach, amout: 50元}")
    _assert_covers(spans, "HP005", line_no(text, "[工单, 截图]"), "[工单, 截图]")  # an item of a flow sequence
    _assert_covers(spans, "HP005", line_no(text, "venue: [法院"), "[法院, 仲裁]")  # a whole flow sequence
    # a block scalar runs onto the next lines: the finding covers what its first line holds, not a piece of it
    _assert_covers(spans, "HP005", line_no(text, "data_source: |"), "|")


def line_no(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# --- one error no longer hides the others -------------------------------------------------------------------


def _qa_spec() -> str:
    """QA's file: a duplicate key, an unknown key and two thresholds without a unit."""
    text = APPAREL.replace("  chat_log_retention: 3个月", "  chat_log_retention: 3个月\n  chat_log_retention: 6个月", 1)
    text = text.replace("deductions:\n  cap: 30%", "deduction:\n  cap: 30%", 1)
    return text.replace("threshold: 4.5分", "threshold: 4.5", 1).replace("threshold: 95%", "threshold: 0.95", 1)


def test_duplicate_key_unknown_key_and_bad_thresholds_in_one_run() -> None:
    text = _qa_spec()
    found = [(f.code, f.line, f.column, f.end_column, f.field)
             for f in lint_text(text, "qa.yaml", kind="spec") if f.code.startswith("HP0")]
    assert found == [
        ("HP005", line_no(text, "threshold: 0.95"), 16, 20, "standards[3].threshold"),
        ("HP005", line_no(text, "threshold: 4.5"), 16, 19, "standards[5].threshold"),
        ("HP006", line_no(text, "chat_log_retention: 6个月"), 3, 21, "responsibilities.chat_log_retention"),
        ("HP003", line_no(text, "deduction:"), 1, 10, "deduction"),
    ]


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("3个月", "6个月", []),  # both fine: only the duplicate
    ("三个月", "6个月", []),  # the first is replaced by the second: its error is not reported
    ("3个月", "很久", ["HP005"]),  # the value used is wrong: reported at the second value, not the first
])
def test_duplicate_key_keeps_the_last_value_and_its_position(first: str, second: str, expected: list[str]) -> None:
    text = APPAREL.replace("  chat_log_retention: 3个月", f"  chat_log_retention: {first}\n  chat_log_retention: {second}", 1)
    found = [(f.code, f.line, f.column) for f in lint_text(text, "d.yaml", kind="spec") if f.code.startswith("HP0")]
    second_line = line_no(text, f"chat_log_retention: {second}")
    assert found == [("HP006", second_line, 3), *((code, second_line, 23) for code in expected)]


RICH_QA = [  # (old, new) on the apparel example
    ("  exclusions:", "  exclusion:"),  # HP003, touching nothing a check reads
    ("threshold: 4.5分", "threshold: 4.5"),  # HP005 on SLA-6 ...
    ("percent: 30%}", "percent: 300%}"),  # ... whose remedy is still checked: HP505
    ("start: 2026-01-01", "start: 2027-01-01"),  # HP503
    ("deductions:\n  cap: 30%", "deductions:\n  cap: 130%"),  # HP501 only: a cap over 100% is not also HP505
    ("    day: 10", "    day: 31"),  # HP504
    ("deposit: 20%", "deposit: 35%"),  # HP701
]


def _consistency(text: str) -> list[tuple[str, int, int, str]]:
    return sorted((f.code, f.line, f.column, f.field) for f in lint_text(text, "s.yaml", kind="spec")
                  if f.code[:3] in ("HP5", "HP7"))


def test_schema_errors_no_longer_hide_the_consistency_checks() -> None:
    text = APPAREL
    for old, new in RICH_QA:
        assert old in text
        text = text.replace(old, new, 1)
    found = sorted((f.code, f.line, f.column, f.field) for f in lint_text(text, "s.yaml", kind="spec"))
    assert found == sorted([
        ("HP003", line_no(text, "  exclusion:"), 3, "scope.exclusion"),
        ("HP005", line_no(text, "threshold: 4.5"), 16, "standards[5].threshold"),
        ("HP505", line_no(text, "percent: 300%}"), 45, "standards[5].remedy.percent"),
        ("HP503", line_no(text, "end: 2026-12-31"), 8, "term.end"),
        ("HP501", line_no(text, "cap: 130%"), 8, "deductions.cap"),
        ("HP504", line_no(text, "day: 31"), 10, "fees.settlement.day"),
        ("HP701", line_no(text, "deposit: 35%"), 12, "fees.deposit"),
    ])
    # the same checks as once the two schema errors are fixed
    fixed = text.replace("  exclusion:", "  exclusions:", 1).replace("threshold: 4.5", "threshold: 4.5分", 1)
    assert _consistency(fixed) == _consistency(text)


@pytest.mark.parametrize(("old", "new", "kept", "gone"), [
    # the same value is not reported twice: HP005 says a share cannot exceed 100%, HP505 would say it again
    ("threshold: 95%", "threshold: 105%", "HP005", []),
    # a misspelt deductions: its cap is not "missing" (HP501 would say so)
    ("deductions:\n  cap: 30%", "deduction:\n  cap: 30%", "HP003", []),
    # an invalid cap is not a missing cap either
    ("deductions:\n  cap: 30%", "deductions:\n  cap: 30", "HP005", []),
    # a start that is no date: the goal dates cannot be compared with the term (HP503)
    ("start: 2026-01-01", "start: 2026-02-30", "HP005", ["HP503", "HP701"]),
    # a fee model that does not exist: the deposit cannot be set against the fee (HP701), nor a penalty (HP508)
    ("model: fixed", "model: fixd", "HP005", ["HP508", "HP701"]),
    # a metric that does not exist: the trial condition is not compared with it (HP502)
    ("metric: store_rating", "metric: store_ratting", "HP005", ["HP502"]),
    # the middle standard cannot be read: the ones after it keep their own line numbers
    ("    metric: satisfaction_rate\n", "    metric: [satisfaction_rate]\n", "HP005", []),
])
def test_no_consistency_finding_is_a_consequence_of_an_invalid_value(old: str, new: str, kept: str,
                                                                     gone: list[str]) -> None:
    text = APPAREL.replace("amount: 500元}", "amount: 5000元}", 1)  # HP508 at SLA-5, after the broken ones
    text = text.replace("deposit: 20%", "deposit: 20000元", 1)  # HP701 against the monthly fee x the term
    text = text.replace("{metric: complaint_rate, name: 投诉率", "{metric: store_rating, name: 评分", 1)
    text = text.replace('comparator: "<", threshold: 8%}', 'comparator: ">=", threshold: 4.0分}', 1)  # HP502
    text = text.replace("by: 3个月, data_source: platform}", "by: 2027-06-30, data_source: platform}", 1)  # HP503
    baseline = _consistency(text)
    assert {c for c, *_ in baseline} == {"HP502", "HP503", "HP508", "HP701"}
    broken = text.replace(old, new, 1)
    assert broken != text
    found = lint_text(broken, "s.yaml", kind="spec")
    invalid = [f for f in found if f.code.startswith("HP0")]
    at = "deduction:" if "deduction:" in new else new.strip().split("\n")[-1]
    assert [f.code for f in invalid] == [kept] and invalid[0].line == line_no(broken, at)
    left = _consistency(broken)
    # nothing new, nothing moved (standards after a dropped one keep their numbers): only what the invalid value
    # feeds is gone, and what it does not feed is all still there
    assert set(left) <= set(baseline)
    assert sorted(c for c, *_ in set(baseline) - set(left)) == gone
    assert not any(line == invalid[0].line for _, line, _, _ in left)


JUNK = ["", "x", "-1", "0", "31", "105%", "130%", "-5%", "1e9", "[a, b]", "{a: 1}", "{type: fee_waiver}",
        "2026-02-30", "2025-01-01", "both", "3个月", "很久", "~", "5000美元", "500元", "4.5", "fixd", "platfrom"]
_VALUE_LINES = [i for i, line in enumerate(APPAREL.split("\n")) if re.match(r"^\s*(- )?[a-z_]+: \S", line)]


@settings(max_examples=120, deadline=None)
@given(st.dictionaries(st.sampled_from(_VALUE_LINES), st.tuples(st.sampled_from(["junk", "drop", "typo", "twice"]),
                                                                 st.sampled_from(JUNK)), min_size=1, max_size=4))
# an empty `deductions:` and an invalid first key (where a finding about the whole spec would be placed)
@example(edits={4: ("junk", ""), 5: ("junk", ""), 6: ("drop", ""), 161: ("drop", "")})
def test_a_partly_invalid_spec_never_crashes_and_never_reports_an_invalid_value_twice(edits) -> None:
    lines = APPAREL.split("\n")
    for i, (how, junk) in sorted(edits.items(), reverse=True):  # bottom up: earlier line numbers stay put
        indent, key, value = re.match(r"^(\s*(?:- )?)([a-z_]+): (.*)$", lines[i]).groups()
        if how == "junk":
            lines[i] = f"{indent}{key}: {junk}"
        elif how == "drop" and not indent.endswith("- "):
            lines[i] = ""
        elif how == "typo":
            lines[i] = f"{indent}{key[:-1] or 'x'}: {value}"
        elif how == "twice" and not indent.endswith("- "):
            lines[i:i + 1] = [lines[i], f"{indent}{key}: {junk}"]
    text = "\n".join(lines)
    found = lint_text(text, "s.yaml", kind="spec")
    n = text.count("\n") + 1
    assert all(1 <= f.line <= n and f.column >= 1 and f.end_column > f.column for f in found)
    invalid = {(f.line, f.column) for f in found if f.code.startswith("HP0")}
    # a finding about the spec as a whole (no field: a missing section) sits at the first key, whatever that holds
    assert not [f for f in found if f.code[:3] in ("HP5", "HP7") and f.code != "HP702" and f.field
                and (f.line, f.column) in invalid]


def test_an_empty_deductions_section_is_reported_at_its_key() -> None:
    text = APPAREL.replace("deductions:\n  cap: 30%\n", "deductions:\n", 1)
    found = [(f.code, f.line, f.column, f.field) for f in lint_text(text, "s.yaml", kind="spec")]
    assert found == [("HP501", line_no(text, "deductions:"), 1, "deductions")]
    # no section at all: about the whole spec
    gone = [f for f in lint_text(text.replace("deductions:\n", "", 1), "s.yaml", kind="spec")]
    assert [(f.code, f.field) for f in gone] == [("HP501", "")]

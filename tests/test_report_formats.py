"""Machine-readable lint outputs (json, sarif, github, junit), built from Finding objects directly."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostplan.lint.finding import Finding, RuleMeta
from hostplan.lint.report import github, json_, junit, sarif

# The OASIS SARIF 2.1.0 schema is not part of the repository: it is read from the workspace's shared schemas
# (beside the checkout), or from the file HOSTPLAN_SARIF_SCHEMA names. Without it only schema validation skips;
# the SARIF structure tests below still run.
SARIF_SCHEMA = Path(os.environ.get("HOSTPLAN_SARIF_SCHEMA")
                    or Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json")

RULES = {
    "HP101": RuleMeta("HP101", "vague-term", "warning", "含糊措辞：没有可执行的时限或标准",
                      "“及时”“尽快”等词无法判定是否违约。写明数字和单位，例如“首次响应 ≤ 30 分钟”。"),
    "HP201": RuleMeta("HP201", "unquantified-standard", "error", "服务标准没有阈值"),
    "HP301": RuleMeta("HP301", "missing-module", "info", "缺少模块"),
}

VAGUE = Finding(path="specs/服饰 方案.yaml", line=12, column=9, end_line=12, end_column=13, code="HP101",
                severity="warning", message="“及时回复”没有时限：写明首次响应时间，如“≤ 30 分钟”",
                text="及时回复", suggestion="首次响应 ≤ 30 分钟", source="  promise: 客服及时回复买家咨询",
                field="standards[0].promise")
UNQUANTIFIED = Finding(path="contract.md", line=3, column=1, end_line=4, end_column=6, code="HP201",
                       severity="error", message="服务标准“保证服务质量”没有阈值、单位或统计口径",
                       text="保证服务质量", source="乙方应保证服务质量，")
MISSING = Finding(path="contract.md", line=0, column=0, end_line=0, end_column=0, code="HP301",
                  severity="info", message="缺少争议解决条款")
TRICKY = Finding(path="a,b: c/合同%1.md", line=5, column=2, end_line=5, end_column=4, code="HP101",
                 severity="error", message="第一行: 含逗号, 冒号与百分号 100%\n第二行\r\n::warning::注入",
                 text="尽快", source="尽快处理")
ALL = [VAGUE, UNQUANTIFIED, MISSING, TRICKY]
FILES = ["specs/服饰 方案.yaml", "contract.md", "clean.yaml", "a,b: c/合同%1.md"]


# ---------------------------------------------------------------- json

def test_json_keeps_every_field_in_a_fixed_order_and_chinese_unescaped():
    out = json_.render([VAGUE, MISSING], RULES, FILES)
    assert "及时回复" in out and "\\u" not in out
    assert out.splitlines()[1].startswith('{"path": "specs/服饰 方案.yaml"')  # one finding per line, for grep
    data = json.loads(out)
    assert list(data[0])[:11] == ["path", "line", "column", "end_line", "end_column", "code", "severity",
                                  "message", "text", "suggestion", "field"]
    assert data[0] == {
        "path": "specs/服饰 方案.yaml", "line": 12, "column": 9, "end_line": 12, "end_column": 13,
        "code": "HP101", "severity": "warning", "message": VAGUE.message, "text": "及时回复",
        "suggestion": "首次响应 ≤ 30 分钟", "field": "standards[0].promise", "source": VAGUE.source,
        "rule": "vague-term", "source_column": 1,
    }
    assert data[1]["suggestion"] is None and data[1]["line"] == 0


def test_json_without_findings_is_an_empty_list():
    assert json_.render([], RULES, ["clean.yaml"]) == "[]\n"


# ---------------------------------------------------------------- sarif

@pytest.fixture(scope="module")
def sarif_validator():
    import jsonschema

    if not SARIF_SCHEMA.is_file():
        return None
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    # every format jsonschema knows, so artifact URIs are checked as uri-reference (needs rfc3986-validator)
    checker = jsonschema.FormatChecker()
    assert "uri-reference" in checker.checkers, "install the test extras: rfc3986-validator checks SARIF URIs"
    return cls(schema, format_checker=checker)


def _validated(validator, doc, only_schema: bool = False) -> None:
    """Validate doc against the schema; without the schema, skip a test that checks nothing else."""
    if validator is not None:
        validator.validate(doc)
    elif only_schema:
        pytest.skip(f"no SARIF schema at {SARIF_SCHEMA}: set HOSTPLAN_SARIF_SCHEMA to a copy of sarif-schema-2.1.0.json")


def _sarif(findings, files=FILES):
    return json.loads(sarif.render(findings, RULES, files))


def test_sarif_validates_against_the_official_schema(sarif_validator):
    doc = _sarif(ALL)
    _validated(sarif_validator, doc, only_schema=True)
    assert doc["version"] == "2.1.0"


def test_sarif_without_findings_is_valid_and_lists_the_files(sarif_validator):
    doc = _sarif([], ["clean.yaml"])
    _validated(sarif_validator, doc)
    run = doc["runs"][0]
    assert run["results"] == []
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["clean.yaml"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["HP101", "HP201", "HP301"]


def test_sarif_rules_carry_metadata_and_default_levels():
    driver = _sarif(ALL)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "hostplan"
    rule = driver["rules"][0]
    assert rule["id"] == "HP101" and rule["name"] == "vague-term"
    assert rule["shortDescription"]["text"] == "含糊措辞：没有可执行的时限或标准"
    assert rule["fullDescription"]["text"].startswith("“及时”“尽快”")
    assert rule["help"]["text"] == rule["fullDescription"]["text"]
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
    assert levels == {"HP101": "warning", "HP201": "error", "HP301": "note"}
    # without a long help text the summary stands in
    assert driver["rules"][1]["fullDescription"]["text"] == "服务标准没有阈值"


def test_sarif_results_point_at_the_finding():
    run = _sarif(ALL)["runs"][0]
    results = run["results"]
    assert [r["level"] for r in results] == ["warning", "error", "note", "error"]
    first = results[0]
    assert first["ruleId"] == "HP101"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "HP101"
    assert first["message"]["text"] == VAGUE.message + "\n建议：首次响应 ≤ 30 分钟"
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "specs/%E6%9C%8D%E9%A5%B0%20%E6%96%B9%E6%A1%88.yaml"
    assert run["artifacts"][loc["artifactLocation"]["index"]]["location"]["uri"] == loc["artifactLocation"]["uri"]
    assert loc["region"] == {"startLine": 12, "startColumn": 9, "endLine": 12, "endColumn": 13,
                             "snippet": {"text": "及时回复"}}
    assert first["properties"]["field"] == "standards[0].promise"
    # a multi-line finding keeps both ends; a file-level one lands on line 1 without columns
    assert results[1]["locations"][0]["physicalLocation"]["region"]["endLine"] == 4
    assert results[2]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "endLine": 1}
    # ':' in a path must not read as a URI scheme
    assert results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "a,b%3A%20c/%E5%90%88%E5%90%8C%251.md"


def test_docx_findings_name_the_paragraph_or_cell():
    cell = Finding(path="合同.docx", line=4, column=6, end_line=4, end_column=8, code="HP101", severity="warning",
                   message="“尽快”没有给出时限", text="尽快", field="表格 1 第 2 行 第 2 列")
    result = _sarif([cell], [])["runs"][0]["results"][0]
    assert result["message"]["text"] == "“尽快”没有给出时限\n位置：表格 1 第 2 行 第 2 列"
    assert _parse_command(github.render([cell], RULES, []).rstrip("\n"))[2] == "“尽快”没有给出时限\n位置：表格 1 第 2 行 第 2 列"
    # in a spec the line is real; the field path stays in properties only
    assert "位置" not in _sarif([VAGUE])["runs"][0]["results"][0]["message"]["text"]


def test_sarif_artifacts_cover_clean_files_once():
    uris = [a["location"]["uri"] for a in _sarif(ALL)["runs"][0]["artifacts"]]
    assert len(uris) == len(set(uris)) == 4
    assert "clean.yaml" in uris


def test_sarif_absolute_paths_inside_cwd_become_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inside = Finding(**{**_fields(VAGUE), "path": str(tmp_path / "sub" / "x.yaml")})
    uri = _sarif([inside], [])["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "sub/x.yaml"


def _fields(f: Finding) -> dict:
    return {name: getattr(f, name) for name in Finding.__slots__}


def _fp(f: Finding) -> str:
    return _sarif([f])["runs"][0]["results"][0]["partialFingerprints"]["hostplan/v1"]


def test_sarif_fingerprint_survives_lines_added_above_and_reindentation():
    moved = Finding(**{**_fields(VAGUE), "line": 40, "end_line": 40, "column": 13, "end_column": 17,
                       "source": "      promise:   客服及时回复买家咨询"})
    assert _fp(moved) == _fp(VAGUE)


@pytest.mark.parametrize("change", [{"code": "HP102"}, {"path": "other.yaml"}, {"text": "尽快"},
                                    {"source": "  promise: 客服及时回复卖家咨询"}])
def test_sarif_fingerprint_changes_with_what_the_finding_is(change):
    assert _fp(Finding(**{**_fields(VAGUE), **change})) != _fp(VAGUE)


def test_sarif_identical_findings_get_distinct_fingerprints():
    twice = Finding(**{**_fields(VAGUE), "line": 30, "end_line": 30})
    fps = [r["partialFingerprints"]["hostplan/v1"] for r in _sarif([VAGUE, twice])["runs"][0]["results"]]
    assert fps[0].endswith(":1") and fps[1].endswith(":2") and fps[0][:-2] == fps[1][:-2]


def test_sarif_describes_codes_missing_from_the_rule_table(sarif_validator):
    odd = Finding(**{**_fields(VAGUE), "code": "HP001", "severity": "error"})
    doc = _sarif([odd])
    _validated(sarif_validator, doc)
    run = doc["runs"][0]
    assert run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]["id"] == "HP001"


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
findings = st.builds(
    Finding,
    path=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00/\\"),
                 min_size=1, max_size=15),
    line=st.integers(0, 5000), column=st.integers(0, 200), end_line=st.integers(0, 5000),
    end_column=st.integers(0, 200), code=st.sampled_from(["HP101", "HP201", "HP301", "HP002"]),
    severity=st.sampled_from(["error", "warning", "info"]), message=texts.filter(bool), text=texts,
    suggestion=st.none() | texts, source=texts, field=texts,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(findings, max_size=5))
def test_sarif_always_validates(sarif_validator, found):
    doc = _sarif(found, [])
    _validated(sarif_validator, doc, only_schema=True)
    assert len(doc["runs"][0]["results"]) == len(found)


@settings(max_examples=60, deadline=None)
@given(findings, st.integers(1, 500), st.text(alphabet=" \t", max_size=4))
def test_sarif_fingerprint_ignores_position_and_indentation(f, shift, indent):
    moved = Finding(**{**_fields(f), "line": f.line + shift, "end_line": f.end_line + shift,
                       "source": indent + f.source.replace(" ", "  ")})
    assert sarif.fingerprint(moved) == sarif.fingerprint(f)


# ---------------------------------------------------------------- github

def _unescape(value: str) -> str:
    # what the Actions runner does (ActionCommand.cs: Unescape)
    for raw, esc in ((",", "%2C"), (":", "%3A"), ("\n", "%0A"), ("\r", "%0D"), ("%", "%25")):
        value = value.replace(esc, raw)
    return value


def _parse_command(line: str) -> tuple[str, dict[str, str], str]:
    m = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert m, line
    props = dict(part.split("=", 1) for part in m.group(2).split(","))
    return m.group(1), {k: _unescape(v) for k, v in props.items()}, _unescape(m.group(3))


def test_github_command_for_a_finding():
    out = github.render([VAGUE], RULES, FILES)
    assert out == ("::warning file=specs/服饰 方案.yaml,line=12,col=9,endLine=12,endColumn=12,title=HP101::"
                   "“及时回复”没有时限：写明首次响应时间，如“≤ 30 分钟”%0A建议：首次响应 ≤ 30 分钟\n")


def test_github_levels_and_positions():
    lines = github.render(ALL, RULES, FILES).splitlines()
    assert len(lines) == 4
    cmds = [_parse_command(line) for line in lines]
    assert [c[0] for c in cmds] == ["warning", "error", "notice", "error"]
    # multi-line: GitHub refuses col/endColumn there
    assert cmds[1][1] == {"file": "contract.md", "line": "3", "endLine": "4", "title": "HP201"}
    # file-level finding: no position at all
    assert cmds[2][1] == {"file": "contract.md", "title": "HP301"}


def test_github_escapes_so_nothing_can_break_out_of_the_command():
    line = github.render([TRICKY], RULES, FILES)
    assert line.count("\n") == 1 and "\r" not in line
    assert line.startswith("::error file=a%2Cb%3A c/合同%251.md,line=5,col=2,endLine=5,endColumn=3,title=HP101::")
    assert line.rstrip("\n").endswith("第一行: 含逗号, 冒号与百分号 100%25%0A第二行%0D%0A::warning::注入")
    _, props, message = _parse_command(line.rstrip("\n"))
    assert props["file"] == TRICKY.path and message == TRICKY.message


@settings(max_examples=100, deadline=None)
@given(findings)
def test_github_round_trips_any_text(f):
    line = github.render([f], RULES, [])
    assert line.endswith("\n") and line.count("\n") == 1 and "\r" not in line
    kind, props, message = _parse_command(line[:-1])
    assert kind == {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
    assert props["file"] == f.path and props["title"] == f.code
    assert message.startswith(f.message)


def test_github_without_findings_prints_nothing():
    assert github.render([], RULES, ["clean.yaml"]) == ""


# ---------------------------------------------------------------- junit

def _junit(findings, files=FILES):
    from junitparser import JUnitXml

    return JUnitXml.fromstring(junit.render(findings, RULES, files).encode("utf-8"))


def test_junit_one_suite_per_file_and_a_failure_per_finding():
    from junitparser import Failure

    xml = _junit(ALL)
    suites = {s.name: s for s in xml}
    assert list(suites) == FILES
    spec = suites["specs/服饰 方案.yaml"]
    assert (spec.tests, spec.failures, spec.errors) == (1, 1, 0)
    (case,) = list(spec)
    assert case.name == "HP101 specs/服饰 方案.yaml:12:9"
    (failure,) = case.result
    assert isinstance(failure, Failure)
    assert failure.type == "HP101" and failure.message == VAGUE.message
    assert "建议：首次响应 ≤ 30 分钟" in failure.text and "原文：  promise: 客服及时回复买家咨询" in failure.text
    # info findings are reported but do not fail
    contract = suites["contract.md"]
    assert (contract.tests, contract.failures) == (2, 1)
    info = [c for c in contract if c.name.startswith("HP301")][0]
    assert info.is_passed and "缺少争议解决条款" in info.system_out
    # a clean file is one passing case
    clean = suites["clean.yaml"]
    assert clean.tests == 1 and clean.failures == 0 and all(c.is_passed for c in clean)
    assert (xml.tests, xml.failures) == (5, 3)


def test_junit_without_findings_passes():
    xml = _junit([], ["a.yaml", "b.md"])
    assert [s.name for s in xml] == ["a.yaml", "b.md"]
    assert xml.tests == 2 and xml.failures == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(findings, max_size=5))
def test_junit_always_parses(found):
    # control characters from Word documents must not make the XML unreadable
    xml = _junit(found, [])
    assert xml.failures == sum(f.severity != "info" for f in found)
    assert xml.tests == sum(max(len([f for f in found if f.path == p]), 1) for p in {f.path for f in found})


# ---------------------------------------------------------------- through the CLI

PLANTED = "tests/fixtures/lint/planted.yaml"


@pytest.fixture(scope="module")
def planted_outputs():
    from conftest import ROOT, run_hostplan

    if not (ROOT / PLANTED).is_file():
        pytest.skip(f"{PLANTED} is not in this checkout")
    outs = {fmt: run_hostplan("lint", "--format", fmt, PLANTED, "examples/apparel.yaml", cwd=ROOT)
            for fmt in ("json", "sarif", "github", "junit")}
    for fmt, proc in outs.items():
        assert proc.returncode == 1, (fmt, proc.stderr)
        assert "Traceback" not in proc.stderr
    return outs


def test_every_format_reports_the_same_findings_from_the_cli(planted_outputs, sarif_validator):
    found = json.loads(planted_outputs["json"].stdout)
    assert found and {f["path"] for f in found} == {PLANTED}
    doc = json.loads(planted_outputs["sarif"].stdout)
    _validated(sarif_validator, doc)
    run = doc["runs"][0]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]] == \
        [(f["code"], max(f["line"], 1)) for f in found]
    assert [a["location"]["uri"] for a in run["artifacts"]] == [PLANTED, "examples/apparel.yaml"]
    lines = planted_outputs["github"].stdout.splitlines()
    assert [_parse_command(line)[1]["title"] for line in lines] == [f["code"] for f in found]

    from junitparser import JUnitXml

    xml = JUnitXml.fromstring(planted_outputs["junit"].stdout.encode("utf-8"))
    assert xml.failures == sum(f["severity"] != "info" for f in found)
    assert [s.name for s in xml] == [PLANTED, "examples/apparel.yaml"]


def _few(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # the renderer builds each distinct path, message and line once: draw repeats and near-repeats too
    return st.sampled_from(["", "a.md", 'b"c\\.md', "及时\n回复"]) | strategy


@given(st.lists(st.builds(
    Finding, path=_few(st.text(max_size=8)), line=st.integers(0, 10**6), column=st.integers(0, 999),
    end_line=st.integers(0, 10**6), end_column=st.integers(0, 999), code=st.sampled_from(["HP101", "HP999"]),
    severity=st.sampled_from(["error", "warning", "info"]), message=_few(st.text(max_size=20)),
    text=_few(st.text(max_size=5)), suggestion=st.none() | _few(st.text(max_size=5)),
    source=_few(st.text(max_size=20)), field=_few(st.text(max_size=5)),
    source_column=st.integers(1, 999)), max_size=8))
def test_json_rows_are_exactly_what_the_json_encoder_writes(findings) -> None:
    from hostplan.lint import all_rules
    from hostplan.lint.report import json_

    rules = all_rules()
    def as_dict(f: Finding) -> dict[str, object]:
        return {"path": f.path, "line": f.line, "column": f.column, "end_line": f.end_line, "end_column": f.end_column,
                "code": f.code, "severity": f.severity, "message": f.message, "text": f.text,
                "suggestion": f.suggestion, "field": f.field, "source": f.source,
                "rule": rules[f.code].name if f.code in rules else "", "source_column": f.source_column}

    expected = "[\n" + ",\n".join(json.dumps(as_dict(f), ensure_ascii=False) for f in findings) + "\n]\n"
    assert json_.render(findings, rules, []) == (expected if findings else "[]\n")

"""Every way a spec can be wrong gets a message at its file:line:column, exit code 2, no traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from hostplan import SpecError, load_spec

BASE = (ROOT / "examples" / "apparel.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def problems_of(tmp_path: Path, text: str | bytes, name: str = "spec.yaml"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as exc:
        load_spec(path)
    return exc.value.problems


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_valid(example):
    loaded = load_spec(example)
    assert loaded.spec.standards
    assert loaded.spec.category == example.stem


def test_yaml_syntax_error_points_at_the_line(tmp_path):
    text = BASE.replace("  exclusions:\n", "  exclusions:\n   - [未闭合\n", 1)
    (p,) = problems_of(tmp_path, text)
    assert p.code == "HP002"
    assert "YAML 语法错误" in p.message
    assert p.line >= line_of(text, "[未闭合")


def test_tab_indentation_is_explained(tmp_path):
    (p,) = problems_of(tmp_path, "title: x\n\tcategory: apparel\n")
    assert p.code == "HP002"
    assert p.line == 2


def test_wrong_type_is_reported_at_its_value(tmp_path):
    text = BASE.replace("    day: 10", "    day: 十号", 1)
    (p,) = problems_of(tmp_path, text)
    assert (p.line, p.field, p.code) == (line_of(text, "day: 十号"), "fees.settlement.day", "HP005")
    assert p.column == 10
    assert p.message == "应为整数"
    assert "day: 十号" in p.source


def test_missing_unit_is_an_error_not_a_guess(tmp_path):
    text = BASE.replace("threshold: 30分钟", "threshold: 30", 1)
    (p,) = problems_of(tmp_path, text)
    assert p.field == "standards[0].threshold"
    assert p.line == text.splitlines().index("    threshold: 30") + 1
    assert p.column == 16
    assert "缺少单位" in p.message


def test_wrong_unit_for_the_metric(tmp_path):
    text = BASE.replace("threshold: 30分钟", "threshold: 30%", 1)
    (p,) = problems_of(tmp_path, text)
    assert p.field == "standards[0].threshold"
    assert "时长" in p.message


def test_unknown_key_suggests_the_right_one(tmp_path):
    text = BASE.replace("  exclusions:", "  exclusion:", 1)
    (p,) = problems_of(tmp_path, text)
    assert p.code == "HP003"
    assert p.field == "scope.exclusion"
    assert p.line == line_of(text, "  exclusion:")
    assert p.column == 3
    assert "是否想写 exclusions" in p.message


def test_unknown_key_inside_a_list_item_and_a_remedy(tmp_path):
    text = BASE.replace("remedy: {type: fixed_per_breach, amount: 50元}",
                        "remedy: {type: fixed_per_breach, amout: 50元}", 1)
    problems = problems_of(tmp_path, text)
    fields = {p.field: p for p in problems}
    assert "standards[0].remedy.amout" in fields
    assert "是否想写 amount" in fields["standards[0].remedy.amout"].message


def test_every_problem_is_reported_at_once(tmp_path):
    text = (BASE.replace("  exclusions:", "  exclusion:", 1).replace("threshold: 30分钟", "threshold: 30", 1)
            .replace("    day: 10", "    day: ten", 1).replace("cap: 30%", "cap: 30", 1))
    problems = problems_of(tmp_path, text)
    assert [p.field for p in problems] == ["scope.exclusion", "standards[0].threshold", "fees.settlement.day",
                                          "deductions.cap"]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_missing_required_module(tmp_path):
    start = BASE.index("\nfees:")
    end = BASE.index("\n# 扣款上限")
    text = BASE[:start] + BASE[end:]
    (p,) = problems_of(tmp_path, text)
    assert (p.code, p.field) == ("HP004", "fees")
    assert "缺少必填字段 fees" in p.message


def test_fee_model_needs_its_amounts(tmp_path):
    text = BASE.replace("  monthly_fee: 5000元\n", "", 1)
    (p,) = problems_of(tmp_path, text)
    assert p.field == "fees"
    assert "monthly_fee" in p.message


def test_duplicate_key_would_silently_drop_a_clause(tmp_path):
    text = BASE.replace("deductions:\n  cap: 30%", "deductions:\n  cap: 30%\n  cap: 50%", 1)
    (p,) = problems_of(tmp_path, text)
    assert p.code == "HP006"
    assert p.line == line_of(text, "cap: 50%")


@pytest.mark.parametrize("text", ["", "\n\n", "# 只有注释\n"])
def test_empty_file(tmp_path, text):
    (p,) = problems_of(tmp_path, text)
    assert "文件为空" in p.message


def test_top_level_must_be_a_mapping(tmp_path):
    (p,) = problems_of(tmp_path, "- a\n- b\n")
    assert "顶层应为映射" in p.message


def test_gbk_file_is_named_as_such(tmp_path):
    (p,) = problems_of(tmp_path, BASE.encode("gbk"))
    assert p.code == "HP001"
    assert "UTF-8" in p.message and "GBK" in p.message


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert load_spec(path).spec.title


def test_fifty_megabyte_file_ends_quickly(tmp_path):
    path = tmp_path / "big.yaml"
    with path.open("w") as fh:
        fh.write("title: x\nnotes: |\n")
        line = "  " + "很长的备注" * 20 + "\n"
        fh.write(line * (50 * 1024 * 1024 // len(line.encode())))
    start = time.monotonic()
    with pytest.raises(SpecError) as exc:
        load_spec(path)
    assert time.monotonic() - start < 5
    assert "文件过大" in exc.value.problems[0].message


def test_billion_laughs_ends_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    start = time.monotonic()
    (p,) = problems_of(tmp_path, "\n".join(lines) + "\n")
    assert time.monotonic() - start < 5
    assert "十亿笑声" in p.message


def test_deep_nesting_ends_with_an_error(tmp_path):
    (p,) = problems_of(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert p.code == "HP002"


def test_directory_given_as_a_file(tmp_path):
    with pytest.raises(SpecError) as exc:
        load_spec(tmp_path)
    assert "目录" in exc.value.problems[0].message


def test_yaml_11_surprises_do_not_happen(tmp_path):
    # `9:00` must not become 540 and `no` must not become False
    text = BASE.replace('start: "09:00"', "start: 9:00", 1).replace("name: 售前咨询", "name: no", 1)
    loaded = load_spec(_write(tmp_path, text))
    assert loaded.spec.scope.service_hours.start == "9:00"
    assert loaded.spec.scope.basic[0].name == "no"


def test_unknown_category_lists_the_known_ones(tmp_path):
    text = BASE.replace('category: "apparel"', "category: toys", 1)
    (p,) = problems_of(tmp_path, text)
    assert p.code == "HP007"
    assert p.line == line_of(text, "category: toys")
    assert "apparel" in p.message and "food" in p.message


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the CLI: format, exit codes, no traceback ---------------------------------------------------


def test_validate_cli_prints_path_line_col_field_and_the_line(tmp_path, hostplan):
    text = BASE.replace("  exclusions:", "  exclusion:", 1)
    path = _write(tmp_path, text)
    res = hostplan("validate", str(path))
    assert res.returncode == 2
    line = line_of(text, "  exclusion:")
    assert f"{path}:{line}:3: scope.exclusion: 未知字段 exclusion，是否想写 exclusions？ [HP003]" in res.stderr
    assert "  exclusion:" in res.stderr
    assert "Traceback" not in res.stderr + res.stdout


def test_validate_cli_ok_and_mixed(tmp_path, hostplan):
    good = EXAMPLES[0]
    res = hostplan("validate", str(good))
    assert res.returncode == 0, res.stderr
    bad = _write(tmp_path, "")
    res = hostplan("validate", str(good), str(bad), str(tmp_path / "missing.yaml"), str(tmp_path))
    assert res.returncode == 2
    assert "文件为空" in res.stderr and "文件不存在" in res.stderr and "目录" in res.stderr
    assert "Traceback" not in res.stderr


def test_usage_error_is_exit_2(hostplan):
    res = hostplan("validate", "--no-such-option")
    assert res.returncode == 2
    res = hostplan("no-such-command")
    assert res.returncode == 2

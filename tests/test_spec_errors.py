"""Every way a spec can be wrong gets a message at its file:line:column, exit code 2, no traceback."""

from __future__ import annotations

import json
import re
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


def test_misspelt_choice_suggests_the_allowed_value(tmp_path):
    text = BASE.replace("    data_source: platform", "    data_source: platfrom", 1)
    (p,) = problems_of(tmp_path, text)
    assert (p.code, p.line) == ("HP005", line_of(text, "data_source: platfrom"))
    assert p.message.endswith("。是否想写 platform？")
    assert "'merchant', 'agency', 'platform'" in p.message  # the whole list is still there


def test_reversed_comparator_is_not_guessed_as_another_one(tmp_path):
    text = BASE.replace('comparator: "<="', 'comparator: "=<"', 1)
    (p,) = problems_of(tmp_path, text)
    assert p.code == "HP005" and p.message.startswith("取值应为以下之一：'<=', '>='")
    assert "是否想写" not in p.message


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


def test_duplicate_key_does_not_hide_the_other_problems(tmp_path):
    text = BASE.replace("deductions:\n  cap: 30%", "deductions:\n  cap: 30%\n  cap: 50%", 1)
    text = text.replace("  exclusions:", "  exclusion:", 1).replace("    day: 10", "    day: ten", 1)
    problems = problems_of(tmp_path, text)
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("HP003", line_of(text, "  exclusion:"), 3), ("HP005", line_of(text, "day: ten"), 10),
        ("HP006", line_of(text, "cap: 50%"), 3)]


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
    # the line is shown as the user's editor shows it, not as GBK bytes read as UTF-8: 食品 in GBK (CA B3 C6 B7)
    # happens to be valid UTF-8 (ʳƷ), so the first byte that is not UTF-8 comes two characters later
    (p,) = problems_of(tmp_path, ("# 食品保健售后托管方案\n" + BASE).encode("gbk"))
    assert (p.line, p.column, p.source) == (1, 5, "# 食品保健售后托管方案")


def test_encoding_error_has_the_same_1_based_position_in_validate_and_lint(tmp_path, hostplan):
    # line 2 starts "# " then Chinese: the first GBK byte is the 3rd character of line 2
    raw = BASE.encode("gbk")
    offset = raw.index(b"\n") + 1 + 2
    path = tmp_path / "gbk.yaml"
    path.write_bytes(raw)
    (p,) = problems_of(tmp_path, raw, "gbk.yaml")
    assert (p.line, p.column) == (2, 3)
    assert p.message == (f"文件必须是 UTF-8 编码：第 2 行第 3 列（文件第 {offset + 1} 个字节，0x{raw[offset]:02X}）"
                         "不是有效的 UTF-8：看起来是 GBK/GB18030 编码，请用编辑器另存为 UTF-8")
    assert p.source == BASE.splitlines()[1]  # shown as the editor shows it, not as mojibake
    validate = hostplan("validate", str(path))
    assert validate.returncode == 2
    assert f"{path}:2:3: 文件必须是 UTF-8 编码" in validate.stderr
    lint = hostplan("lint", "--format", "json", str(path))
    assert lint.returncode == 2
    (finding,) = json.loads(lint.stdout)
    assert (finding["line"], finding["column"], finding["code"]) == (2, 3, "HP001")


def test_encoding_error_column_counts_characters_before_the_bad_byte(tmp_path):
    raw = "title: 方案\n名称: 甲".encode() + "乙".encode("gbk") + b"\n"
    (p,) = problems_of(tmp_path, raw)
    assert (p.line, p.column) == (2, 6)
    assert "文件第 26 个字节，0xD2" in p.message


# --- values that cannot exist: ratings above the scale, shares above 100%, days that are not in the month ---


@pytest.mark.parametrize("value", ["5.5分", "-1分"])
def test_rating_above_the_scale_or_negative_is_positioned(tmp_path, value):
    text = BASE.replace("threshold: 4.5分", f"threshold: {value}", 1)
    (p,) = problems_of(tmp_path, text)
    assert (p.code, p.field, p.line, p.column) == ("HP005", "standards[5].threshold", line_of(text, value), 16)
    assert p.message.startswith(f"评分 {value} 超出范围：店铺评分为 5 分制，应在 0–5分 之间")


def test_share_metric_above_100_percent_is_positioned(tmp_path):
    text = BASE.replace("threshold: 95%", "threshold: 105%", 1).replace("threshold: 8%}", "threshold: 108%}", 1)
    first, second = problems_of(tmp_path, text)
    assert (first.field, first.line, first.column) == ("standards[3].threshold", line_of(text, "105%"), 16)
    assert first.message == "指标 satisfaction_rate（客户满意度（好评率））是占比，标准值应在 0%–100% 之间，而不是 105%"
    assert (second.field, second.line) == ("trial.exit_if_not_met[0].threshold", line_of(text, "108%"))
    assert "投诉率" in second.message and "0%–100%" in second.message


def test_growth_goals_and_custom_metrics_may_exceed_100_percent(tmp_path):
    # a goal (销售额增长 150%) or a custom metric (达成率 ≥ 120%) is not a share of tickets
    text = BASE.replace("baseline: 20%, comparator: \"<=\", target: 12%", "baseline: 20%, comparator: \">=\", "
                        "target: 150%", 1)
    text = text.replace("threshold: 4.5分", "threshold: 4.5分", 1)
    loaded = load_spec(_write(tmp_path, text))
    assert str(loaded.spec.goals[1].target) == "150%"


def test_trial_condition_unit_must_match_its_metric(tmp_path):
    text = BASE.replace("threshold: 8%}", "threshold: 4.5分}", 1)
    (p,) = problems_of(tmp_path, text)
    assert p.field == "trial.exit_if_not_met[0].threshold"
    assert p.message == "指标 complaint_rate（投诉率）的标准值应为百分比，而不是 4.5分"


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("start: 2026-01-01", "start: 2026-02-30", "term.start", "2026-02-30 不是有效日期：2 月没有 30 日（2026 年 2 月只有 28 天）"),
    ("end: 2026-12-31", "end: 2026-04-31", "term.end", "2026-04-31 不是有效日期：4 月没有 31 日（2026 年 4 月只有 30 天）"),
    ("start: 2026-01-01", "start: 2026-02-29", "term.start", "2026-02-29 不是有效日期：2026 年不是闰年，2 月没有 29 日"),
    ("end: 2026-12-31", "end: 2026-13-01", "term.end", "2026-13-01 不是有效日期：月份应为 1–12，没有 13 月"),
    ("start: 2026-01-01", "start: 2026-1-1", "term.start", "日期应写成 YYYY-MM-DD（月、日各两位）：2026-01-01"),
    ("start: 2026-01-01", "start: 2026/01/01", "term.start", "应为日期，格式 YYYY-MM-DD"),
    # a goal's deadline is a duration or a date: a date-shaped value is judged as a date only
    ("by: 3个月, data_source: platform}", "by: 2026-06-31, data_source: platform}", "goals[0].by",
     "2026-06-31 不是有效日期：6 月没有 31 日（2026 年 6 月只有 30 天）"),
])
def test_a_day_that_does_not_exist_is_named(tmp_path, old, new, field, message):
    text = BASE.replace(old, new, 1)
    (p,) = problems_of(tmp_path, text)
    assert (p.code, p.field, p.message) == ("HP005", field, message)
    assert p.line == line_of(text, new)


def test_leap_day_is_a_date(tmp_path):
    text = BASE.replace("start: 2026-01-01", "start: 2028-02-29", 1).replace("end: 2026-12-31", "end: 2029-02-28", 1)
    assert str(load_spec(_write(tmp_path, text)).spec.term.start) == "2028-02-29"


# --- control characters and PyYAML's own errors -------------------------------------------------------


def test_raw_control_character_is_rejected_at_its_position(tmp_path):
    text = BASE.replace("name: 杭州悦衣坊服饰有限公司", "name: 杭州悦衣坊\x07服饰有限公司", 1)
    assert text != BASE
    (p,) = problems_of(tmp_path, text)
    line = line_of(text, "\x07")
    col = text.splitlines()[line - 1].index("\x07") + 1
    assert (p.code, p.line, p.column) == ("HP002", line, col)
    assert p.message == "有控制字符 U+0007（BEL）：合同文本中不能有控制字符（Word 文档也无法保存它们），请删除"
    assert "\u2407" in p.source and "\x07" not in p.source  # printing it must not ring the terminal bell


def test_control_characters_in_comments_and_several_at_once(tmp_path):
    text = "# 备注\x1b[31m\nversion: 1\ntitle: a\x00b\n"
    problems = problems_of(tmp_path, text)
    assert [(p.line, p.column, p.message.split("：")[0]) for p in problems] == [
        (1, 5, "有控制字符 U+001B（ESC）"), (3, 9, "有控制字符 U+0000（NUL）")]


def test_control_character_from_an_escape_is_rejected_at_its_value(tmp_path):
    text = BASE.replace("name: 杭州悦衣坊服饰有限公司", 'name: "某某\\a服饰有限公司"', 1)
    (p,) = problems_of(tmp_path, text)
    assert (p.code, p.field, p.line) == ("HP005", "parties.merchant.name", line_of(text, "\\a服饰"))
    assert p.message.startswith("转义序列产生了控制字符 U+0007（BEL）")


def test_tab_newline_and_crlf_are_not_control_problems(tmp_path):
    text = BASE.replace("\n", "\r\n").replace("name: 杭州悦衣坊服饰有限公司", "name: \"某某\t服饰有限公司\"", 1)
    assert load_spec(_write(tmp_path, text)).spec.parties.merchant.name == "某某\t服饰有限公司"


YAML_ERRORS = [
    ("mapping", "title: 方案: 二\n", (1, 10), "此处不能出现“键: 值”"),
    ("colon", "title: a\nparties\nfees: 1\n", (2, 1), "缺少冒号“:”"),  # the key, not the next line
    ("token", "title: @方案\n", (1, 8), "字符“@”不能作为值的开头"),
    ("tab", "title: a\n\tfees: 1\n", (2, 1), "不能用 Tab 缩进或对齐，请改用空格"),
    ("quote", 'title: "未闭合\nfees: 1\n', (1, 8), "引号没有闭合"),
    ("bracket", "exclusions: [a, b\n", (1, 13), "右方括号“]”没有闭合"),
    ("alias", "title: *plan\n", (1, 8), "引用了未定义的别名“*plan”：请先用 &plan 定义锚点"),
    ("anchor", "title: *方案\n", (1, 9), "锚点 & 或别名 * 后缺少名称"),
    ("indent", "fees:\n  model: fixed\n model2: x\n", (3, 2), "缩进不一致"),
    ("extra", 'title: "方案" 二\n', (1, 13), "值后面多了内容"),
    ("documents", "title: a\n---\ntitle: b\n", (2, 1), "文件中有多个 YAML 文档"),
    ("escape", 'title: "a\\qb"\n', (1, 10), "无效的转义"),  # PyYAML: 1:11, after the backslash
    ("bom", "title: a\n\ufefffees: 1\n", (2, 2), "此处有不可见字符 U+FEFF"),
]


@pytest.mark.parametrize(("text", "where", "words"), [c[1:] for c in YAML_ERRORS], ids=[c[0] for c in YAML_ERRORS])
@pytest.mark.parametrize("loader", ["C", "Python"])
def test_yaml_errors_are_chinese_with_line_and_column(tmp_path, monkeypatch, loader, text, where, words):
    import yaml

    from hostplan.spec import load

    if loader == "Python":
        monkeypatch.setattr(load, "_Loader", yaml.SafeLoader)
        if "\ufeff" in text:
            pytest.skip("PyYAML reads a BOM inside the text as part of the key")
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("libyaml not installed")
    try:
        load.parse_yaml(text, "spec.yaml")
    except SpecError as exc:
        (p,) = exc.problems
    else:
        raise AssertionError("no error")
    assert p.code == "HP002"
    assert p.message.startswith("YAML 语法错误：") and words in p.message, p.message
    if loader == "Python" and "转义" in words:
        where = (where[0], where[1] + 1)
    assert (p.line, p.column) == where, p.message
    assert not re.search(r"[A-Za-z]{4,} [a-z]{3,}", p.message), p.message  # no English sentence left


def test_unknown_yaml_error_keeps_its_text_after_a_chinese_prefix():
    import yaml

    from hostplan.spec.yamlerrors import translate

    mark = yaml.Mark("spec.yaml", 0, 2, 4, None, None)
    err = yaml.scanner.ScannerError(None, None, "something new went wrong", mark)
    assert translate(err, "abc\nabc\nabcdef\n") == (3, 5, "YAML 语法错误：无法解析（something new went wrong）")


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


TRICKY_SCALARS = ["2026-01-01", "0x1F", "1_000", ".inf", "yes", "no", "on", "~", "null", "NULL", "true", "False",
                  "-5", "+3", "1.5", "1e3", "3.", "'5'", '"true"', "30分钟", "¥5,000", "=", "<<: 1", "", "!!str 5",
                  "!!int '7'", "[1, two, 3.0]", "𑱐", "١٢", "٣.٥", "08", "0", "-0", "+12", "{a: 1}", "|\n  多行\n  文本"]


@pytest.mark.parametrize("scalar", TRICKY_SCALARS)
def test_fast_resolver_types_scalars_as_the_full_resolver_would(scalar: str) -> None:
    import yaml

    from hostplan.spec import load

    text = f"x: {scalar}\n" if not scalar.startswith("<<") else f"x:\n  {scalar}\n"

    def with_loader(loader: type) -> object:
        node = yaml.compose(text, Loader=loader)
        builder = load._Builder("t.yaml", text)
        return builder.build(node, ()), builder.problems

    assert with_loader(load._Loader) == with_loader(load._BaseLoader)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_fast_resolver_reads_the_examples_unchanged(example: Path) -> None:
    import yaml

    from hostplan.spec import load

    text = example.read_text(encoding="utf-8")
    fast, _ = load.parse_yaml(text, str(example))
    full = load._Builder(str(example), text).build(yaml.compose(text, Loader=load._BaseLoader), ())
    assert fast == full


@pytest.mark.parametrize(("scalar", "value"), [("08", "08"), ("010", "010"), ("0", 0), ("-12", -12), ("1.5", 1.5),
                                               ("𑱐", "𑱐"), ("null", None), ("yes", "yes")])
def test_plain_scalars_are_typed_as_yaml_would_or_kept_as_text(scalar: str, value: object) -> None:
    from hostplan.spec.load import parse_yaml

    assert parse_yaml(f"x: {scalar}\n", "t.yaml")[0] == {"x": value}

"""A broken --actuals file through the real CLI: every problem at file:line:column with its field, in Chinese,
printed as `hostplan validate` prints spec problems, exit code 2, nothing on stdout, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT

APPAREL = str(ROOT / "examples" / "apparel.yaml")
IDS = "SLA-1、SLA-2、SLA-3、SLA-4、SLA-5、SLA-6"
HEAD = "month: 2026-02\norders: 1100\n"


def settle_with(tmp_path: Path, hostplan, content: str | bytes, *extra: str):
    path = tmp_path / "actuals.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path, hostplan("settle", APPAREL, "--actuals", str(path), "--month", "2026-02", *extra)


def problem_lines(res, path: Path) -> list[str]:
    """The `file:line:col: field: message [code]` lines, with the file name taken off."""
    prefix = f"{path}:"
    return [line.removeprefix(prefix) for line in res.stderr.splitlines() if line.startswith(prefix)]


CASES = [
    # values that cannot exist, as the spec loader says it
    ("rating_above_scale", HEAD + "metrics:\n  SLA-6: 5.5分\n",
     ["4:10: metrics.SLA-6: 评分 5.5分 超出范围：店铺评分为 5 分制，应在 0–5分 之间 [HP005]"]),
    ("day_not_in_month", HEAD + "due_on: 2026-02-30\n",
     ["3:9: due_on: 2026-02-30 不是有效日期：2 月没有 30 日（2026 年 2 月只有 28 天） [HP005]"]),
    ("not_a_leap_year", HEAD + "due_on: 2026-02-29\n",
     ["3:9: due_on: 2026-02-29 不是有效日期：2026 年不是闰年，2 月没有 29 日 [HP005]"]),
    ("date_not_padded", HEAD + "due_on: 2026-3-5\n",
     ["3:9: due_on: 日期应写成 YYYY-MM-DD（月、日各两位）：2026-03-05 [HP005]"]),
    ("date_wrong_shape", HEAD + "due_on: 3月13日\n",
     ["3:9: due_on: 应为日期，格式 YYYY-MM-DD，而不是 3月13日 [HP005]"]),
    ("month_13", "month: 2026-13\n", ["1:8: month: 应为结算月份 YYYY-MM，如 2026-01，而不是 2026-13 [HP005]"]),
    # keys
    ("unknown_clause", HEAD + "metrics:\n  SLA-9: 1次\n",
     [f"4:3: metrics.SLA-9: SLA-9 既不是规格中的条款编号（{IDS}），也不是指标键（如 satisfaction_rate、store_rating） [HP003]"]),
    ("metric_key_typo", HEAD + "metrics:\n  satisfaction_rat: 93%\n",
     [f"4:3: metrics.satisfaction_rat: satisfaction_rat 既不是规格中的条款编号（{IDS}），也不是指标键，"
      "是否想写 satisfaction_rate？ [HP003]"]),
    ("unknown_field", HEAD + "ticket: 480\n", ["3:1: ticket: 未知字段 ticket，是否想写 tickets？ [HP003]"]),
    ("unknown_field_far_off", HEAD + "备注: 双方已核对\n",
     ["3:1: 备注: 未知字段 备注：可用字段为 month、tickets、orders、trial_orders、share_basis、prepay、due_on、metrics [HP003]"]),
    ("same_field_twice", HEAD + "订单数: 1200\n", ["3:1: 订单数: 重复的字段：订单数 与 orders 是同一字段，请只写一个 [HP006]"]),
    ("same_key_twice", HEAD + "metrics:\n  SLA-6: 4.6分\n  SLA-6: 4.7分\n",
     ["5:3: metrics.SLA-6: 重复的键 SLA-6：后一个会覆盖前一个，请合并 [HP006]"]),
    # units
    ("wrong_unit", HEAD + "metrics:\n  SLA-4: 4.6分\n",
     ["4:10: metrics.SLA-4: SLA-4 客户满意度（好评率）的数值应为百分比（标准值为 95%），而不是 4.6分 [HP005]"]),
    ("missing_unit", HEAD + "metrics:\n  SLA-4: 93\n",
     ["4:10: metrics.SLA-4: 缺少单位：93 含义不明，请写成带 % 的百分比，如 95% [HP005]"]),
    ("duration_for_a_count", HEAD + "metrics:\n  SLA-1: 45分钟\n",
     ["4:10: metrics.SLA-1: SLA-1 首次响应时间按单计，应填超过标准的次数，如 3次，而不是 45分钟 [HP005]"]),
    ("share_above_100", HEAD + "metrics:\n  SLA-3: 120%\n",
     ["4:10: metrics.SLA-3: SLA-3 投诉24小时解决率是占比，应在 0%–100% 之间，而不是 120% [HP005]"]),
    ("metric_key_unit", HEAD + "metrics:\n  store_rating: 46分\n",
     ["4:17: metrics.store_rating: 评分 46分 超出范围：店铺评分为 5 分制，应在 0–5分 之间（如果指时长，请写 46分钟） [HP005]"]),
    ("blank_value", HEAD + "metrics:\n  SLA-5:\n  SLA-6: 4.6分\n",
     ["4:9: metrics.SLA-5: 没有填写数值：请填上或删除这一行（没有数值的条款标为无法评估） [HP005]"]),
    ("money", HEAD + "share_basis: 八万\n",
     ["3:14: share_basis: 无法识别的金额 '八万'：请写成 5000元、¥5,000 或 1.2万元 [HP005]"]),
    ("count", "month: 2026-02\norders: -3\n", ["2:9: orders: 应为当月订单数（非负整数，如 1100），而不是 -3 [HP005]"]),
    ("prepay", HEAD + "prepay: monthly\n",
     ["3:9: prepay: 应为 quarterly（季付）、half_yearly（半年付）或 yearly（年付），而不是 monthly [HP005]"]),
    ("prepay_the_spec_does_not_discount", HEAD + "prepay: 半年付\n",
     ["3:9: prepay: 规格 fees.prepay_discounts 中没有半年付（half_yearly）的折扣，只有 季付（quarterly）、年付（yearly） [HP005]"]),
    ("chinese_keys_are_named_as_written", "月份: 2026-02\n指标:\n  SLA-6: 五分\n",
     ["3:10: 指标.SLA-6: 无法识别的阈值 '五分'：请带单位，如 30分钟、95%、4.5分、3次、500元 [HP005]"]),
    # the file as a whole
    ("month_differs", "month: 2026-03\n", ["1:8: month: 月份为 2026-03，与结算月份 --month 2026-02 不一致 [HP005]"]),
    ("yaml_syntax", HEAD + "metrics:\n  SLA-4: [93%\n",
     ["4:10: YAML 语法错误：列表 [ ] 中缺少逗号，或右方括号“]”没有闭合 [HP002]"]),
    ("tab_indent", HEAD + "metrics:\n\tSLA-4: 93%\n", ["4:1: YAML 语法错误：不能用 Tab 缩进或对齐，请改用空格 [HP002]"]),
    ("control_character", "month: 2026-02\norders: 1\x07100\n",
     ["2:10: 有控制字符 U+0007（BEL）：合同文本中不能有控制字符（Word 文档也无法保存它们），请删除 [HP002]"]),
    ("not_utf8", "month: 2026-02\n# 店铺评分\n".encode("gbk"),
     ["2:3: 文件必须是 UTF-8 编码：第 2 行第 3 列（文件第 18 个字节，0xB5）不是有效的 UTF-8：看起来是 GBK/GB18030 编码，"
      "请用编辑器另存为 UTF-8 [HP001]"]),
    ("empty", "# 还没填\n", ["1:1: 文件为空：当月数据至少要写 month 和 metrics（格式见 README“手工填报的当月数据”） [HP004]"]),
    ("not_a_mapping", "- 2026-02\n", ["1:1: 当月数据文件的顶层应为映射（键: 值），例如 month: 2026-01 [HP005]"]),
]


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_actuals_are_positioned(tmp_path, hostplan, content, expected):
    path, res = settle_with(tmp_path, hostplan, content)
    assert res.returncode == 2, res.stderr
    assert problem_lines(res, path) == expected
    assert res.stdout == ""
    assert "Traceback" not in res.stderr
    assert not any(line.startswith("错误：") for line in res.stderr.splitlines())  # positioned, not a bare error


def test_the_line_is_shown_with_a_caret_under_the_value(tmp_path, hostplan):
    path, res = settle_with(tmp_path, hostplan, HEAD + "metrics:\n  SLA-6: 5.5分\n")
    assert res.stderr.splitlines() == [
        f"{path}:4:10: metrics.SLA-6: 评分 5.5分 超出范围：店铺评分为 5 分制，应在 0–5分 之间 [HP005]",
        "      SLA-6: 5.5分",
        "             ^",
    ]


def test_every_problem_in_the_file_is_reported_at_once(tmp_path, hostplan):
    # field problems are all found when the file is read; metric values are all found against the spec
    path, res = settle_with(tmp_path, hostplan, "month: 2026-02\norders: -3\nticket: 480\ndue_on: 2026-02-30\n")
    assert [line.split(": ")[0] for line in problem_lines(res, path)] == ["2:9", "3:1", "4:9"]
    path, res = settle_with(tmp_path, hostplan, HEAD + "metrics:\n  SLA-1: 45分钟\n  SLA-9: 1次\n  SLA-4: 4.6分\n")
    assert [line.split(": ")[:2] for line in problem_lines(res, path)] == [
        ["4:10", "metrics.SLA-1"], ["5:3", "metrics.SLA-9"], ["6:10", "metrics.SLA-4"]]


def test_missing_file_and_directory(tmp_path, hostplan):
    missing = tmp_path / "none.yaml"
    res = hostplan("settle", APPAREL, "--actuals", str(missing))
    assert res.returncode == 2 and res.stderr.strip() == f"{missing}: 文件不存在 [HP001]"
    res = hostplan("settle", APPAREL, "--actuals", str(tmp_path))
    assert res.returncode == 2
    assert res.stderr.strip() == f"{tmp_path}: 这是一个目录，不是文件：请给出 .yaml 当月数据文件的路径 [HP001]"


def test_chinese_keys_settle_as_the_english_ones(tmp_path, hostplan):
    english = (ROOT / "examples" / "actuals" / "2026-02.yaml").read_text(encoding="utf-8")
    chinese = english.replace("month:", "月份:").replace("orders:", "订单数:").replace("metrics:", "指标:")
    assert chinese != english
    path, res = settle_with(tmp_path, hostplan, chinese, "--format", "json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    # the README's 2026-02 figures: SLA-1 150 + SLA-3 500 + SLA-4 200 + SLA-5 500 = 1350 deducted, 3650 due
    assert (data["deductions_total"], data["total_due"], data["complete"]) == ("1350.00", "3650.00", True)

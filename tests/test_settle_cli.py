"""`hostplan metrics` and `hostplan settle` as a user runs them: outputs, files, exit codes."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hostplan.cli import app
from hostplan.spec.load import load_spec

ROOT = Path(__file__).resolve().parents[1]
APPAREL = str(ROOT / "examples" / "apparel.yaml")
TICKETS = str(ROOT / "examples" / "tickets-2026-01.csv")
ACTUALS_01 = str(ROOT / "examples" / "actuals" / "2026-01.yaml")
ACTUALS_02 = str(ROOT / "examples" / "actuals" / "2026-02.yaml")
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})


def test_settle_readme_example_text() -> None:
    r = run("settle", APPAREL, "--tickets", TICKETS, "--month", "2026-01")
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "[SLA-1] 首次响应时间  标准 ≤ 30分钟  实际 超时 3 张 / 共 39 张  未达标  -150.00 元" in out
    assert "扣款合计            -1350.00 元（上限 1500.00 元）" in out
    assert "应付总额            3650.00 元" in out
    assert "第 43 行：售后单号 AS202601120015 与第 18 行重复（已跳过）" in out
    assert "SLA-6 月度店铺评分" in out.split("结算单不完整")[1]


def test_settle_tickets_plus_actuals_json() -> None:
    r = run("settle", APPAREL, "--tickets", TICKETS, "--actuals", ACTUALS_01, "--month", "2026-01", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["month"] == "2026-01" and data["base_fee"] == "5000.00"
    assert data["deductions_total"] == "1350.00" and data["total_due"] == "3650.00"
    assert data["complete"] is True
    assert [(x["clause"], x["amount"]) for x in data["lines"]] == [
        ("fees.monthly_fee", "5000.00"), ("SLA-1", "-150.00"), ("SLA-2", "0.00"), ("SLA-3", "-500.00"),
        ("SLA-4", "-200.00"), ("SLA-5", "-500.00"), ("SLA-6", "0.00")]
    trial = data["trial"]
    assert trial["entitled_to_exit"] is False and trial["conditions"][0]["actual"] == "0.75%"


def test_settle_actuals_markdown_with_late_payment(tmp_path: Path) -> None:
    out = tmp_path / "statement.md"
    r = run("settle", APPAREL, "--actuals", ACTUALS_02, "--paid-on", "2026-03-20", "--format", "md", "-o", str(out))
    assert r.exit_code == 0, r.output
    md = out.read_text(encoding="utf-8")
    # due 2026-03-13 (10th + 3 workdays), paid 7 days late: 3650 × 0.05% × 7 = 12.775 → 12.78
    assert "| 六（五）逾期付款 | 滞纳金 | — | — |  | 12.78 | 应付日 2026-03-13" in md and "= 12.78 元（规格 fees.late_payment） |" in md
    assert "| **应付总额** | **3662.78** |" in md
    again = run("settle", APPAREL, "--actuals", ACTUALS_02, "--format", "md", "-o", str(out))
    assert again.exit_code == 2 and "--force" in again.output


def test_settle_usage_errors_exit_2(tmp_path: Path) -> None:
    r = run("settle", APPAREL, "--month", "2026-01")
    assert r.exit_code == 2 and "--actuals" in r.output
    r = run("settle", APPAREL, "--actuals", ACTUALS_02, "--month", "2026-13")
    assert r.exit_code == 2 and "YYYY-MM" in r.output
    r = run("settle", APPAREL, "--actuals", ACTUALS_02, "--paid-on", "3月20日")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output
    r = run("settle", APPAREL, "--actuals", ACTUALS_02, "--format", "pdf")
    assert r.exit_code == 2 and "text、json、md、docx" in r.output
    r = run("settle", APPAREL, "--tickets", str(tmp_path / "none.csv"), "--month", "2026-01")
    assert r.exit_code == 2 and "不存在" in r.output
    assert "Traceback" not in r.output


def test_settle_invalid_spec_lists_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(APPAREL).read_text(encoding="utf-8").replace("monthly_fee: 5000元", "monthly_fee: 五千"),
                   encoding="utf-8")
    r = run("settle", str(bad), "--actuals", ACTUALS_02)
    assert r.exit_code == 2
    assert "bad.yaml:" in r.output and "fees.monthly_fee" in r.output


def test_settle_bad_ticket_header_exit_2(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text("单号,时间\n1,2026-01-01 10:00\n", encoding="utf-8")
    r = run("settle", APPAREL, "--tickets", str(f), "--month", "2026-01")
    assert r.exit_code == 2 and "缺少必需的列 售后单号、申请时间" in r.output


def test_metrics_text_json_csv() -> None:
    r = run("metrics", TICKETS, "--spec", APPAREL, "--month", "2026-01", "--orders", "1200")
    assert r.exit_code == 0, r.output
    assert "共 42 行数据，使用 40 行，跳过 2 行" in r.stdout
    assert "第 2 行：申请时间 2025-12-31 21:40 不在 2026-01（已跳过）" in r.stdout
    assert "[SLA-3] 投诉24小时解决率  标准 ≥ 90%  实际 88.89%  未达标" in r.stdout
    data = json.loads(run("metrics", TICKETS, "--month", "2026-01", "--format", "json", "--spec", APPAREL).stdout)
    assert (data["rows_total"], data["rows_used"], data["rows_skipped"]) == (42, 40, 2)
    assert [s["met"] for s in data["standards"]] == [False, True, False, False, False, None]
    rows = list(csv.reader(io.StringIO(run("metrics", TICKETS, "--month", "2026-01", "--format", "csv", "-s", APPAREL).stdout)))
    assert rows[0] == ["section", "clause", "name", "target", "actual", "result", "explanation"]
    assert ["standard", "SLA-5", "因托管方过错被投诉到平台", "≤ 0次", "1次", "missed"] in [r[:6] for r in rows]
    assert rows[-1][:2] == ["issue", "row 43"]


def test_metrics_with_a_spec_counts_only_the_contract_term(tmp_path: Path) -> None:
    # a term starting 2026-01-15: of the 40 January rows used for a whole month, 19 were applied 1–14 Jan
    # (20 rows in those days; one of them, row 43, repeats row 18), so 21 remain
    text = Path(APPAREL).read_text(encoding="utf-8")
    mid = tmp_path / "mid.yaml"
    mid.write_text(text.replace("start: 2026-01-01", "start: 2026-01-15"), encoding="utf-8")
    r = run("metrics", TICKETS, "--spec", str(mid), "--month", "2026-01", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["rows_total"], data["rows_used"]) == (42, 21)
    assert "警告：服务期限自 2026-01-15 起：2026-01 只有 2026-01-15 至 2026-01-31 在服务期限内，期限外申请的工单不计入" in r.stderr
    text_out = run("metrics", TICKETS, "--spec", str(mid), "--month", "2026-01").stdout
    assert "第 3 行：申请时间 2026-01-01 10:05 早于服务期限开始日 2026-01-15（已跳过）" in text_out
    # a month wholly outside the term: nothing to hold against the contract's standards, as in settle
    late = tmp_path / "late.yaml"
    late.write_text(text.replace("start: 2026-01-01", "start: 2026-03-01"), encoding="utf-8")
    r = run("metrics", TICKETS, "--spec", str(late), "--month", "2026-01")
    assert r.exit_code == 2 and r.stdout == ""
    assert (f"错误：{late}:23：统计月份 2026-01 早于服务期限开始日 2026-03-01（合同服务期限 term：2026-03-01 至 2026-12-31），"
            "不在服务期限内的月份不能按方案的服务标准统计") in r.stderr
    # without a spec there is no term: the log's month is counted whole
    assert json.loads(run("metrics", TICKETS, "--month", "2026-01", "--format", "json").stdout)["rows_used"] == 40


def test_metrics_needs_month_when_log_spans_months() -> None:
    r = run("metrics", TICKETS)
    assert r.exit_code == 2 and "--month" in r.output


def test_metrics_template_xlsx_round_trip(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "工单.xlsx"
    r = run("metrics", "--template", "-o", str(path))
    assert r.exit_code == 0, r.output
    wb = load_workbook(path)
    ws = wb["工单"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["售后单号", "订单号"] and "申请时间" in header and "状态" in header
    assert "不可重复" in ws["A1"].comment.text
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"待审核,质检中,补偿方案,客户确认,已完结,已撤销"' in lists
    assert any("质量" in f and "尺码" in f for f in lists if f)
    assert "填写说明" in wb.sheetnames
    # fill one month in and read it back
    col = {h: i + 1 for i, h in enumerate(header)}
    ws.cell(2, col["售后单号"], "T1")
    ws.cell(2, col["申请时间"], "2026-03-02 10:00")
    ws.cell(2, col["首次响应时间"], "2026-03-02 10:40")
    ws.cell(2, col["状态"], "已完结")
    wb.save(path)
    data = json.loads(run("metrics", str(path), "-s", APPAREL, "--format", "json").stdout)
    assert data["month"] == "2026-03" and data["rows_used"] == 1 and data["blank_rows"] == 0
    assert data["standards"][0]["actual"] == "超时 1 张 / 共 1 张"
    again = run("metrics", "--template", "-o", str(path))
    assert again.exit_code == 2 and "--force" in again.output
    assert run("metrics", "--template", "-o", str(path), "--force").exit_code == 0


def test_metrics_template_without_output_prints_csv_header_and_writes_nothing(tmp_path: Path) -> None:
    # --help promises stdout when -o is left out; nothing may appear in the working folder
    r = runner.invoke(app, ["metrics", "--template"], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0].split(",")[:2] == ["售后单号", "订单号"] and not r.stdout.startswith("\ufeff")
    assert len(r.stdout.splitlines()) == 1
    assert "-o 售后工单模板.xlsx" in r.stderr
    dash = run("metrics", "--template", "-o", "-")
    assert dash.exit_code == 0 and dash.stdout == r.stdout


def test_metrics_template_without_output_leaves_cwd_untouched(hostplan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = hostplan("metrics", "--template", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("售后单号,订单号,")
    assert list(tmp_path.iterdir()) == []


def test_metrics_template_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("mine", encoding="utf-8")
    r = run("metrics", "--template", "-o", str(path))
    assert r.exit_code == 2 and "文件已存在，未覆盖" in r.output and "--force" in r.output
    assert path.read_text(encoding="utf-8") == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]  # no temporary file left behind
    assert run("metrics", "--template", "-o", str(path), "--force").exit_code == 0
    assert path.read_text(encoding="utf-8-sig").startswith("售后单号,")


def test_metrics_template_csv(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    assert run("metrics", "--template", "-o", str(path)).exit_code == 0
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[0] == "售后单号" and "是否平台介入" in header
    assert run("metrics", "--template", "-o", str(tmp_path / "t.txt")).exit_code == 2


def test_worked_example_in_rendered_proposal() -> None:
    render = pytest.importorskip("hostplan.render")
    md = render.render_markdown(load_spec(APPAREL))
    # 3 late replies × 50 = 150; 93% vs 95% → 2 points × 2% × 5000 = 200; 5000 − 350 = 4650
    sentence = ("示例：若某月有 3 张工单的首次响应时间超过 30分钟（SLA-1）、客户满意度（好评率）为 93%（SLA-4，标准 ≥ 95%），"
                "其余标准均达标，则按上表 SLA-1 扣 150.00 元、SLA-4 扣 200.00 元，共扣款 350.00 元，"
                "当月应付 5000.00 − 350.00 = 4650.00 元。")
    assert md.count(sentence) == 1
    for vague in ("及时", "尽快", "适当"):
        assert vague not in sentence
    cli = run("render", APPAREL, "--format", "md", "-o", "-")
    assert cli.exit_code == 0, cli.output
    assert cli.stdout.count(sentence) == 1
    # it sits under the service-standards table, after the SLA rows
    assert cli.stdout.index("| 月度店铺评分（SLA-6） |") < cli.stdout.index(sentence)


def test_worked_example_uses_a_whole_month_when_the_term_starts_mid_month() -> None:
    from hostplan.settle import worked_example
    from hostplan.spec.model import Term

    spec = load_spec(APPAREL).spec
    mid = spec.model_copy(update={"term": Term(start=dt.date(2026, 1, 15), end=dt.date(2026, 12, 31))})
    # the same sentence as for a term starting on the 1st: 5000 − 350 = 4650, not a pro-rated January
    assert worked_example(mid) == worked_example(spec)
    assert "当月应付 5000.00 − 350.00 = 4650.00 元" in (worked_example(mid) or "")
    short = spec.model_copy(update={"term": Term(start=dt.date(2026, 1, 15), end=dt.date(2026, 2, 20))})
    assert worked_example(short) is None  # no whole month in the term: no example rather than a wrong one


def test_settle_docx(tmp_path: Path) -> None:
    pytest.importorskip("hostplan.render.docx")
    from docx2python import docx2python

    out = tmp_path / "statement.docx"
    r = run("settle", APPAREL, "--actuals", ACTUALS_02, "--format", "docx", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = docx2python(out).text
    assert "2026-02 月度结算单" in text and "3650.00" in text and "1 次 × 500元 = 500.00 元" in text
    r = run("settle", APPAREL, "--actuals", ACTUALS_02, "--format", "docx")
    assert r.exit_code == 2 and "-o" in r.output


def test_readme_statement_is_the_real_output(hostplan) -> None:  # type: ignore[no-untyped-def]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cmd = "hostplan settle examples/apparel.yaml --tickets examples/tickets-2026-01.csv --month 2026-01"
    block = readme.split(f"$ {cmd}\n", 1)[1].split("```", 1)[0]
    r = hostplan(*cmd.split()[1:], cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout == block


def test_settle_prepay_option() -> None:
    # yearly prepay at 80%: 20% × 5000 = 1000 off; deductions on the undiscounted 5000:
    # 150 + 10% × 5000 + 4% × 5000 + 500 = 1350 ≤ 30% × 5000 = 1500; due 5000 − 1000 − 1350 = 2650
    r = run("settle", APPAREL, "--actuals", ACTUALS_02, "--prepay", "yearly", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["base_fee"], data["discount"], data["fee_payable"]) == ("5000.00", "1000.00", "4000.00")
    assert (data["deductions_total"], data["deductions_cap"], data["total_due"]) == ("1350.00", "1500.00", "2650.00")
    assert run("settle", APPAREL, "--actuals", ACTUALS_02, "--prepay", "monthly").exit_code == 2


def test_help_texts_describe_the_behaviour() -> None:
    # help is wrapped by display width, so a phrase may break anywhere: compare without whitespace
    metrics_help = "".join(run("metrics", "--help").stdout.split())
    assert "省略-o时把CSV表头输出到标准输出" in metrics_help
    assert "无数据" in metrics_help
    settle_help = "".join(run("settle", "--help").stdout.split())
    assert "服务期限" in settle_help and "按天折算" in settle_help and "无数据" in settle_help
    assert "docx必须指定文件" in settle_help
    for text in (metrics_help, settle_help):
        assert "[default:" not in text and "x>=1" not in text and "Show" not in text  # option texts are Chinese


def test_orders_must_be_a_positive_whole_number() -> None:
    for bad in ("0", "-5", "abc", "1.5"):
        r = run("settle", APPAREL, "--actuals", ACTUALS_02, "--orders", bad)
        assert r.exit_code == 2 and f"--orders {bad}：应为当月订单数（正整数）" in r.output, r.output
    r = run("metrics", TICKETS, "--month", "2026-01", "--orders", "0")
    assert r.exit_code == 2 and "正整数" in r.output


# --- the contract term --------------------------------------------------------------------------


def test_settle_month_outside_term_exits_2_naming_month_and_term() -> None:
    r = run("settle", APPAREL, "--actuals", ACTUALS_02, "--month", "2025-12")
    assert r.exit_code == 2
    assert "apparel.yaml:23" in r.output  # the term: line of the spec
    assert "结算月份 2025-12 早于服务期限开始日 2026-01-01（合同服务期限 term：2026-01-01 至 2026-12-31）" in r.output
    r = run("settle", APPAREL, "--tickets", TICKETS, "--month", "2027-01", "--format", "json")
    assert r.exit_code == 2 and "结算月份 2027-01 晚于服务期限结束日 2026-12-31" in r.output
    assert r.stdout == "" and "Traceback" not in r.output


def test_settle_partial_month_warns_and_prorates(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(Path(APPAREL).read_text(encoding="utf-8").replace("start: 2026-01-01", "start: 2026-01-15"),
                    encoding="utf-8")
    r = runner.invoke(app, ["settle", str(spec), "--actuals", ACTUALS_01, "--tickets", TICKETS],
                      env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    # 5000 × 17 / 31 = 2741.94, every standard met inside the term (see test_settle_statement)
    # the contract's own clause: 六（一）服务费, item 2 (首月或末月不足整月的…按天数折算)
    assert "[六（一）服务费（fees.monthly_fee）] 固定月服务费  2741.94 元" in r.stdout
    assert ("合同约定固定月服务费 5000元；服务期限自 2026-01-15 起，本月在服务期限内 17 天（共 31 天），"
            "按合同六（一）2，不足整月的按天折算：5000.00 × 17 / 31 = 2741.94 元\n") in r.stdout
    contract = runner.invoke(app, ["render", str(spec), "--format", "md", "-o", "-"]).stdout
    assert ("### （一）服务费\n\n1. 月服务费为 5000元。本方案所称“当月服务费”即当月的月服务费（预付优惠前）。\n"
            "2. 服务期限的首月或末月不足整月的，月服务费按该月在服务期限内的天数折算"
            "（月服务费 × 服务天数 ÷ 当月天数）。\n") in contract and "## 六、费用与结算\n" in contract
    assert "应付总额            2741.94 元" in r.stdout
    assert "警告：服务期限自 2026-01-15 起：2026-01 只有 17 天（共 31 天）在服务期限内，固定服务费按天折算" in r.stderr


# --- months with nothing to count --------------------------------------------------------------


def _invoke(*args: str):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})


def _header_only(tmp_path: Path) -> str:
    """The example log's header with no rows: a month in which the store had no after-sales tickets."""
    path = tmp_path / "tickets-2026-02.csv"
    path.write_text(Path(TICKETS).read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    return str(path)


def test_settle_month_without_tickets_is_no_data_in_every_format(tmp_path: Path) -> None:
    # A log with no rows for February: 0 tickets, nothing may read as 达标.
    args = ("settle", APPAREL, "--tickets", _header_only(tmp_path), "--month", "2026-02")
    r = _invoke(*args)
    assert r.exit_code == 0, r.output
    assert "[SLA-1] 首次响应时间  标准 ≤ 30分钟  实际 —  无数据  不计" in r.stdout
    assert "  达标" not in r.stdout
    assert "应付总额            5000.00 元" in r.stdout
    assert "警告：" in r.stderr and "在 2026-02 没有可用的工单（0 张）" in r.stderr
    assert "5 项服务标准无数据" in r.stderr
    data = json.loads(_invoke(*args, "--format", "json").stdout)
    assert [x["status"] for x in data["lines"][1:]] == ["no_data"] * 5 + ["not_evaluable"]
    assert len(data["no_data"]) == 5 and data["total_due"] == "5000.00"
    md = _invoke(*args, "--format", "md").stdout
    assert "| SLA-4 | 客户满意度（好评率） | ≥ 95% | — | 无数据 | — |" in md and "| 达标 |" not in md
    if importlib.util.find_spec("hostplan.render.docx") is not None:
        from docx2python import docx2python

        out = tmp_path / "s.docx"
        r = _invoke(*args, "--format", "docx", "-o", str(out))
        assert r.exit_code == 0 and "无数据" in r.stderr
        text = docx2python(out).text
        assert "无数据" in text and "达标" not in text.replace("不算达标也不算未达标", "")


def test_metrics_month_without_tickets_is_no_data_in_every_format(tmp_path: Path) -> None:
    args = ("metrics", _header_only(tmp_path), "--spec", APPAREL, "--month", "2026-02")
    r = _invoke(*args)
    assert r.exit_code == 0, r.output
    assert "[SLA-2] 复杂问题答复时间  标准 ≤ 2小时  实际 —  无数据" in r.stdout
    assert "  达标" not in r.stdout and "未达标" not in r.stdout
    assert "警告：" in r.stderr and "0 张" in r.stderr
    data = json.loads(_invoke(*args, "--format", "json").stdout)
    assert [(s["status"], s["met"]) for s in data["standards"]] == [("no_data", None)] * 5 + [("not_evaluable", None)]
    rows = list(csv.reader(io.StringIO(_invoke(*args, "--format", "csv").stdout)))
    assert [r[5] for r in rows if r[0] == "standard"] == ["no_data"] * 5 + ["not_evaluable"]


def test_a_month_the_log_has_no_tickets_for_is_an_input_error(tmp_path: Path) -> None:
    # The example log holds January (40 tickets) and one December row: --month 2026-02 is a mistake, not a
    # month without tickets (which would settle as a clean 5000.00 bill).
    for command in (("settle", APPAREL, "--tickets", TICKETS), ("metrics", TICKETS, "--spec", APPAREL)):
        r = _invoke(*command, "--month", "2026-02")
        assert r.exit_code == 2 and r.stdout == ""
        assert (f"{TICKETS}：没有申请时间在 2026-02 的工单，表中 41 张工单的申请时间在 2025-12（1 张）、2026-01（40 张）。"
                "请检查结算月份（--month）或工单表是否选错；2026-02 确实没有售后工单时，请给出只有表头的工单表") in r.output
        assert "Traceback" not in r.output
    # the month taken from the actuals file is checked the same way
    feb = tmp_path / "feb.yaml"
    feb.write_text("month: 2026-02\norders: 900\n", encoding="utf-8")
    r = _invoke("settle", APPAREL, "--tickets", TICKETS, "--actuals", str(feb))
    assert r.exit_code == 2 and "没有申请时间在 2026-02 的工单" in r.output
    # actuals for another month than --month: already an error at the actuals' month line
    r = _invoke("settle", APPAREL, "--actuals", ACTUALS_02, "--month", "2026-03")
    assert r.exit_code == 2 and "month: 月份为 2026-02，与结算月份 --month 2026-03 不一致" in r.output


@pytest.mark.parametrize(("paid_on", "message"), [
    ("2026-02-30", "错误：--paid-on: 2026-02-30 不是有效日期：2 月没有 30 日（2026 年 2 月只有 28 天）"),
    ("2027-02-29", "错误：--paid-on: 2027-02-29 不是有效日期：2027 年不是闰年，2 月没有 29 日"),
    ("2026-13-01", "错误：--paid-on: 2026-13-01 不是有效日期：月份应为 1–12，没有 13 月"),
    ("2026-3-5", "错误：--paid-on: 日期应写成 YYYY-MM-DD（月、日各两位）：2026-03-05"),
    ("3月20日", "错误：--paid-on: 3月20日 的格式应为 YYYY-MM-DD"),
    ("20260320", "错误：--paid-on: 20260320 的格式应为 YYYY-MM-DD"),  # date.fromisoformat would take it
])
def test_paid_on_names_what_is_wrong_with_the_date(paid_on: str, message: str) -> None:
    r = _invoke("settle", APPAREL, "--actuals", ACTUALS_02, "--paid-on", paid_on)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.output.strip() == message

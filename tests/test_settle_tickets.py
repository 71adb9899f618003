"""Reading ticket logs: every bad row reported with its spreadsheet row number, nothing dropped silently."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from hostplan.errors import HostplanError
from hostplan.settle.metrics import LogFigures, Measure, Missing, log_summary, service_days
from hostplan.settle.statement import settle
from hostplan.settle.tickets import parse_rows, read_tickets
from hostplan.spec.load import load_spec

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "tickets-2026-01.csv"
HEADER = ["售后单号", "申请时间", "首次响应时间", "完结时间", "是否投诉"]


def rows(*data: list[str], month: str | None = "2026-01", header: list[str] = HEADER):
    return parse_rows(header, [list(r) for r in data], month=month, source="t.csv", mapping={})


def only_issue(log) -> tuple[int, str]:
    assert len(log.issues) == 1, log.issues
    return log.issues[0].row, log.issues[0].message


def test_missing_required_columns_are_named() -> None:
    with pytest.raises(HostplanError, match="缺少必需的列 申请时间") as exc:
        parse_rows(["售后单号", "首次响应时间"], [], month="2026-01", source="t.csv", mapping={})
    assert "t.csv" in str(exc.value)


def test_unparsable_timestamp_has_row_number() -> None:
    log = rows(["A1", "2026-01-02 10:00", "2026-01-02 10:05", "", "否"],
               ["A2", "2026-01-02 11:00", "昨天下午", "", "否"])
    row, message = only_issue(log)
    assert row == 3 and "首次响应时间 '昨天下午' 无法识别" in message
    assert [t.ticket_no for t in log.tickets] == ["A1"]
    assert log.rows_total == 2 and len(log.skipped) == 1


def test_response_before_application() -> None:
    log = rows(["A1", "2026-01-02 10:00", "2026-01-02 09:55", "", "否"])
    assert only_issue(log) == (2, "首次响应时间 2026-01-02 09:55 早于申请时间 2026-01-02 10:00")
    assert log.tickets == []


def test_duplicate_after_sales_number_names_first_row() -> None:
    log = rows(["A1", "2026-01-02 10:00", "", "", "否"], ["A2", "2026-01-03 10:00", "", "", "否"],
               ["A1", "2026-01-04 10:00", "", "", "否"])
    assert only_issue(log) == (4, "售后单号 A1 与第 2 行重复")
    assert len(log.tickets) == 2


def test_tickets_outside_the_month_are_counted_as_skipped() -> None:
    log = rows(["A1", "2025-12-31 23:59", "", "", "否"], ["A2", "2026-01-01 00:00", "", "", "否"],
               ["A3", "2026-02-01 00:00", "", "", "否"])
    assert [i.row for i in log.skipped] == [2, 4]
    assert all("不在 2026-01" in i.message for i in log.skipped)
    assert log.other_month == 2 and [t.ticket_no for t in log.tickets] == ["A2"]
    assert "使用 1 行，跳过 2 行" in log.summary()


def test_month_must_be_given_when_the_log_spans_months() -> None:
    with pytest.raises(HostplanError, match="2025-12（1 行）、2026-01（1 行）"):
        rows(["A1", "2025-12-31 10:00", "", "", "否"], ["A2", "2026-01-01 10:00", "", "", "否"], month=None)
    assert rows(["A2", "2026-01-01 10:00", "", "", "否"], month=None).month == "2026-01"


def test_bad_flags_and_empty_ids_and_blank_rows() -> None:
    log = rows(["A1", "2026-01-02 10:00", "", "", "也许"], ["", "2026-01-02 10:00", "", "", "否"],
               ["", "", "", "", ""], ["A3", "2026/1/5 9:07", "", "", "是"], ["", "", "", "", ""])
    assert [(i.row, i.message) for i in log.skipped] == [(2, "是否投诉 应填 是 或 否，而不是 '也许'"), (3, "售后单号为空")]
    assert log.blank_rows == 1  # the trailing blank row is not data
    assert log.tickets[0].applied_at == dt.datetime(2026, 1, 5, 9, 7) and log.tickets[0].complaint is True


def test_english_headers_and_config_mapping(tmp_path: Path) -> None:
    log = parse_rows(["After Sales No", "created_at", "First Reply At"], [["X1", "2026-01-03T08:00", "2026-01-03T08:20"]],
                     month="2026-01", mapping={})
    assert log.tickets[0].first_response_at == dt.datetime(2026, 1, 3, 8, 20)
    (tmp_path / ".hostplan.toml").write_text('[ticket-columns]\nticket_no = "服务单编号"\napplied_at = ["进线时间"]\n',
                                             encoding="utf-8")
    f = tmp_path / "log.csv"
    f.write_text("服务单编号,进线时间\nK1,2026-01-03 08:00\n", encoding="utf-8")
    assert read_tickets(f, "2026-01").tickets[0].ticket_no == "K1"


def test_gbk_csv_and_xlsx(tmp_path: Path) -> None:
    f = tmp_path / "gbk.csv"
    f.write_bytes("售后单号,申请时间,满意度\nG1,2026-01-03 08:00,好评\n".encode("gb18030"))
    assert read_tickets(f, "2026-01").tickets[0].satisfaction == "good"

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["售后单号", "申请时间", "首次响应时间", "是否投诉"])
    ws.append(["X1", dt.datetime(2026, 1, 3, 10, 0), dt.datetime(2026, 1, 3, 10, 40), "是"])
    ws.append(["X2", "2026-01-03 11:00", dt.datetime(2026, 1, 3, 10, 0), "否"])
    ws.append(["X1", dt.datetime(2026, 1, 4, 10, 0), None, "否"])
    path = tmp_path / "log.xlsx"
    wb.save(path)
    log = read_tickets(path, "2026-01")
    assert [t.ticket_no for t in log.tickets] == ["X1"]
    assert [(i.row, i.message) for i in log.skipped] == [
        (3, "首次响应时间 2026-01-03 10:00 早于申请时间 2026-01-03 11:00"), (4, "售后单号 X1 与第 2 行重复")]
    (tmp_path / "bad.xlsx").write_text("not a zip")
    with pytest.raises(HostplanError, match="无法作为 Excel 文件读取"):
        read_tickets(tmp_path / "bad.xlsx", "2026-01")


def test_sample_log_figures_checked_by_hand() -> None:
    # examples/tickets-2026-01.csv, read row by row:
    #   42 data rows; row 2 is 2025-12-31 (other month), row 43 repeats AS202601120015 (row 18) → 40 used
    #   first reply > 30 min: row 6 (45 min), row 12 (52), row 20 (70); row 21 came in at 23:10, outside 09:00–22:00
    #   complaints: rows 4 9 14 17 22 24 28 33 40 = 9; row 14 took 30 h, the rest ≤ 23 h → 8/9 = 88.89%
    #   rated: 30 (10 blank), 中评 row 4, 差评 row 6 → 28/30 = 93.33%
    #   escalated to the platform: rows 14 (agency fault) and 24 (courier damage, not the agency) → 1
    spec = load_spec(ROOT / "examples" / "apparel.yaml").spec
    log = read_tickets(SAMPLE, "2026-01")
    assert (log.rows_total, len(log.tickets), [i.row for i in log.skipped]) == (42, 40, [2, 43])
    figs = LogFigures(log, spec.scope.service_hours, orders=1200)
    by_id = {s.id: figs.measure(s) for s in spec.standards}
    sla1 = by_id["SLA-1"]
    assert isinstance(sla1, Measure) and sla1.breaches == 3
    assert "第 6 行、第 12 行、第 20 行" in sla1.basis and "外申请的 1 张不计入（第 21 行）" in sla1.basis
    assert isinstance(by_id["SLA-2"], Measure) and by_id["SLA-2"].breaches == 0
    assert by_id["SLA-3"].value == Decimal(800) / 9  # type: ignore[union-attr]
    assert by_id["SLA-4"].actual == "93.33%"  # type: ignore[union-attr]
    assert by_id["SLA-5"].value == 1 and "第 14 行" in by_id["SLA-5"].basis  # type: ignore[union-attr]
    assert isinstance(by_id["SLA-6"], Missing)
    summary = log_summary(log, spec, orders=1200)
    general = {g["name"]: g["value"] for g in summary["general"]}
    assert general["投诉工单"] == "9 张，投诉率 0.75%（订单 1200 单）"
    assert general["运费补偿合计"] == "56.00元"  # rows 3, 8, 11, 24, 38: 12 + 12 + 10 + 12 + 10
    assert summary["top_causes"][0] == {"category": "尺码 → 偏小 → 腰围", "count": 7}


def test_statement_from_the_sample_log() -> None:
    # 150 (SLA-1) + 500 (SLA-3) + 200 (SLA-4: 1.67 points → 2 × 2%) + 500 (SLA-5) = 1350 → 3650;
    # SLA-6 (store rating) is not in a ticket log → not evaluable.
    spec = load_spec(ROOT / "examples" / "apparel.yaml").spec
    st = settle(spec, "2026-01", log=read_tickets(SAMPLE, "2026-01"))
    assert st.deductions_total == Decimal("1350.00") and st.total_due == Decimal("3650.00")
    assert st.not_evaluable == ["SLA-6 月度店铺评分"]
    assert st.data_notes[0].startswith(f"{SAMPLE}：共 42 行数据，使用 40 行，跳过 2 行")
    assert st.trial is not None and st.trial.entitled_to_exit is None  # complaint rate needs the order count


def test_no_first_response_counts_as_late_and_service_hours_filter() -> None:
    spec = load_spec(ROOT / "examples" / "apparel.yaml").spec
    log = rows(["A1", "2026-01-05 10:00", "", "", "否"], ["A2", "2026-01-05 08:30", "2026-01-05 10:00", "", "否"],
               ["A3", "2026-01-05 12:00", "2026-01-05 12:30", "", "否"])
    fig = LogFigures(log, spec.scope.service_hours).measure(spec.standards[0])
    # A1 has no reply (counted late), A2 arrived before 09:00 (not counted), A3 took exactly 30 min (met)
    assert isinstance(fig, Measure) and fig.breaches == 1
    assert "无首次响应记录 1 张按超时计（第 2 行）" in fig.basis
    all_hours = spec.standards[0].model_copy(update={"service_hours_only": False})
    assert LogFigures(log, spec.scope.service_hours).measure(all_hours).breaches == 2  # type: ignore[union-attr]


def test_missing_optional_column_makes_the_metric_not_evaluable() -> None:
    spec = load_spec(ROOT / "examples" / "apparel.yaml").spec
    log = rows(["A1", "2026-01-05 10:00", "2026-01-05 10:05", "", "否"])
    fig = LogFigures(log, spec.scope.service_hours).measure(spec.standards[3])  # satisfaction
    assert isinstance(fig, Missing) and fig.reason == "工单表缺少列 满意度"


def test_service_days() -> None:
    assert service_days("每天") == frozenset(range(7))
    assert service_days("工作日") == frozenset(range(5))
    assert service_days("周一至周六") == frozenset(range(6))
    assert service_days("星期六到星期日") == frozenset({5, 6})
    assert service_days("节假日除外") is None


def test_tab_separated_and_excel_serial_times(tmp_path: Path) -> None:
    f = tmp_path / "export.csv"
    f.write_text("售后单号\t申请时间\t备注\nT1\t2026-01-03 08:00\t客户说：尺码偏小, 要换大一码\n", encoding="utf-8")
    log = read_tickets(f, "2026-01")
    assert [t.ticket_no for t in log.tickets] == ["T1"] and not log.issues
    # 46024.4375 is 2026-01-02 10:30 as an Excel serial number (cell not formatted as a date)
    log = parse_rows(["售后单号", "申请时间"], [["S1", 46024.4375]], month="2026-01", mapping={})
    assert log.tickets[0].applied_at == dt.datetime(2026, 1, 2, 10, 30)


def test_impossible_dates_are_unparsable() -> None:
    log = rows(["A1", "2026-02-30 10:00", "", "", "否"], ["A2", "2026-01-05 25:10", "", "", "否"])
    assert [(i.row, i.message) for i in log.skipped] == [
        (2, "申请时间 '2026-02-30 10:00' 无法识别，应为 YYYY-MM-DD HH:MM"),
        (3, "申请时间 '2026-01-05 25:10' 无法识别，应为 YYYY-MM-DD HH:MM")]


def test_rates_and_other_durations_from_a_log() -> None:
    from hostplan.spec.model import Standard

    header = ["售后单号", "申请时间", "退款审核时间", "完结时间", "是否投诉", "是否平台介入"]
    log = parse_rows(header, [
        ["R1", "2026-01-05 10:00", "2026-01-05 20:00", "2026-01-06 10:00", "是", "是"],  # review 10 h, resolved 24 h
        ["R2", "2026-01-05 11:00", "2026-01-07 11:00", "2026-01-08 11:00", "否", "否"],  # review 48 h, resolved 72 h
        ["R3", "2026-01-05 12:00", "", "", "否", "否"],  # no refund; never resolved
        ["R4", "2026-01-05 13:00", "", "2026-01-05 14:00", "是", "否"],
    ], month="2026-01", mapping={})

    def std(metric: str, comparator: str, threshold: str) -> Standard:
        return Standard.model_validate({"id": "X-1", "name": "x", "metric": metric, "comparator": comparator,
                                        "threshold": threshold, "service_hours_only": False})

    figs = LogFigures(log, None, orders=200)
    review = figs.measure(std("refund_review_time", "<=", "24小时"))
    assert isinstance(review, Measure) and review.breaches == 1 and review.actual == "超时 1 张 / 共 2 张"
    resolution = figs.measure(std("resolution_time", "<=", "48小时"))
    assert isinstance(resolution, Measure) and resolution.breaches == 2  # R2 took 72 h, R3 never resolved
    esc = figs.measure(std("escalation_rate", "<=", "1%"))
    assert isinstance(esc, Measure) and esc.value == Decimal(25) and esc.actual == "25%"  # 1 of 4
    rate = figs.measure(std("complaint_rate", "<", "5%"))
    assert isinstance(rate, Measure) and rate.value == Decimal(1) and rate.basis == "投诉 2 张 / 订单 200 单 = 1%"
    assert isinstance(LogFigures(log, None).measure(std("complaint_rate", "<", "5%")), Missing)

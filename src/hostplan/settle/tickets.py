"""After-sales ticket logs (售后工单表): CSV or .xlsx, Chinese or English headers -> validated tickets.

Every row ends up either used or skipped with a reason and its spreadsheet row number (header = row 1),
so a statement built from the log can say exactly what it counted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import HostplanError


@dataclass(frozen=True)
class Column:
    key: str
    name: str  # the Chinese header the template writes
    aliases: tuple[str, ...]
    note: str  # header note in the template
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("ticket_no", "售后单号", ("after_sales_no", "ticket_no", "ticket_id", "ticket", "工单号", "售后编号"),
           "每张售后工单唯一的编号，不可重复", required=True),
    Column("order_no", "订单号", ("order_no", "order_id", "order"), "平台订单号"),
    Column("category_1", "一级分类", ("category_1", "category1", "category", "问题分类", "问题类型"),
           "问题一级分类，如 质量、尺码、物流、服务"),
    Column("category_2", "二级分类", ("category_2", "category2"), "问题二级分类，如 面料"),
    Column("category_3", "三级分类", ("category_3", "category3"), "问题三级分类，如 起球"),
    Column("complaint", "是否投诉", ("complaint", "is_complaint", "投诉"), "是/否：客户明确投诉的工单填 是"),
    Column("complex", "是否复杂问题", ("complex", "is_complex", "复杂问题"), "是/否：需核实后才能答复的问题填 是"),
    Column("urgency", "紧急程度", ("urgency", "priority"), "1–5，5 最紧急"),
    Column("applied_at", "申请时间", ("applied_at", "created_at", "opened_at", "创建时间", "发起时间"),
           "客户发起咨询或售后申请的时间，YYYY-MM-DD HH:MM", required=True),
    Column("first_response_at", "首次响应时间", ("first_response_at", "first_reply_at", "首次回复时间"),
           "客服首次人工回复的时间，YYYY-MM-DD HH:MM"),
    Column("refund_reviewed_at", "退款审核时间", ("refund_reviewed_at", "reviewed_at", "审核时间"),
           "退款申请审核完成的时间；非退款工单留空"),
    Column("plan_at", "方案时间", ("plan_at", "solution_at", "给出方案时间"), "给出处理方案的时间"),
    Column("resolved_at", "完结时间", ("resolved_at", "closed_at", "结束时间"), "工单完结的时间；未完结留空"),
    Column("status", "状态", ("status",), "待审核、质检中、补偿方案、客户确认、已完结、已撤销"),
    Column("escalated", "是否平台介入", ("escalated", "platform_escalated", "平台介入"), "是/否：客户投诉到平台、平台介入处理的填 是"),
    Column("agency_fault", "是否托管方过错", ("agency_fault", "托管方过错"), "是/否：经双方核对聊天记录认定为托管方过错的填 是"),
    Column("satisfaction", "满意度", ("satisfaction", "rating", "评价"), "好评、中评、差评；未评价留空"),
    Column("comp_shipping", "运费补偿（元）", ("comp_shipping", "shipping_compensation", "运费补偿"), "金额，元"),
    Column("comp_coupon", "优惠券（元）", ("comp_coupon", "coupon", "优惠券", "优惠券补偿"), "金额，元"),
    Column("comp_cash", "现金补偿（元）", ("comp_cash", "cash_compensation", "现金补偿"), "金额，元"),
    Column("related", "关联工单", ("related", "related_tickets", "历史工单"), "该客户此前的售后单号，多个用逗号分隔"),
    Column("note", "备注", ("note", "notes", "remark"), ""),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
STATUSES = ("待审核", "质检中", "补偿方案", "客户确认", "已完结", "已撤销")
CATEGORIES_1 = ("质量", "尺码", "物流", "服务", "描述不符", "其他")
SATISFACTION = {"好评": "good", "满意": "good", "非常满意": "good", "good": "good", "中评": "neutral",
                "一般": "neutral", "neutral": "neutral", "差评": "bad", "不满意": "bad", "bad": "bad"}
YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "n", "no", "false", "0", ""}
# 2026-01-05 10:23, 2026/1/5 9:07:45, 2026-01-05T10:23, 2026.01.05 10:23 (one pattern: strptime is slow on big logs)
TIME_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2}))?")
MAX_ROWS = 200_000
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


@dataclass(frozen=True)
class Ticket:
    row: int
    ticket_no: str
    applied_at: dt.datetime
    order_no: str = ""
    category: tuple[str, ...] = ()
    complaint: bool | None = None
    complex: bool | None = None
    first_response_at: dt.datetime | None = None
    refund_reviewed_at: dt.datetime | None = None
    plan_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    status: str = ""
    escalated: bool | None = None
    agency_fault: bool | None = None
    satisfaction: str | None = None  # good / neutral / bad, None = not rated
    compensation: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class RowIssue:
    row: int
    message: str
    skipped: bool = True  # False: a warning, the row is still used

    def format(self) -> str:
        return f"第 {self.row} 行：{self.message}" + ("（已跳过）" if self.skipped else "")


@dataclass
class TicketLog:
    source: str
    month: str  # YYYY-MM
    columns: frozenset[str]  # canonical keys present in the file
    tickets: list[Ticket]
    issues: list[RowIssue]
    rows_total: int  # data rows read (excluding the header and blank rows)
    blank_rows: int = 0
    other_month: int = 0  # rows skipped because they belong to another month
    outside_term: int = 0  # rows of the month skipped because they fall outside the contract term

    @property
    def skipped(self) -> list[RowIssue]:
        return [i for i in self.issues if i.skipped]

    @property
    def warnings(self) -> list[RowIssue]:
        return [i for i in self.issues if not i.skipped]

    def summary(self) -> str:
        parts = [f"{self.source}：共 {self.rows_total} 行数据，使用 {len(self.tickets)} 行，跳过 {len(self.skipped)} 行"]
        if self.other_month:
            parts.append(f"其中 {self.other_month} 行不属于 {self.month}")
        if self.outside_term:
            parts.append(f"其中 {self.outside_term} 行不在服务期限内")
        if self.blank_rows:
            parts.append(f"另有空行 {self.blank_rows} 行")
        return "；".join(parts)


def parse_month(text: str) -> tuple[dt.datetime, dt.datetime]:
    """'2026-01' -> [start, end) of that month."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise HostplanError(f"月份 {text!r} 格式应为 YYYY-MM，如 2026-01")
    year, month = int(m.group(1)), int(m.group(2))
    start = dt.datetime(year, month, 1)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1)
    return start, end


def month_key(text: str) -> str:
    start, _ = parse_month(text)
    return f"{start.year:04d}-{start.month:02d}"


def _header_map(headers: Sequence[str], mapping: dict[str, Any]) -> tuple[dict[str, int], list[str]]:
    """Canonical key -> column index; unknown headers are returned so the user sees them."""
    lookup: dict[str, str] = {}
    for col in COLUMNS:
        for spelling in (col.key, col.name, *col.aliases):
            lookup[_norm(spelling)] = col.key
    for key, spellings in mapping.items():
        if key not in COLUMN_BY_KEY:
            raise HostplanError(f"配置 ticket-columns 中的 {key!r} 不是已知的工单字段：可用 {'、'.join(COLUMN_BY_KEY)}")
        for s in [spellings] if isinstance(spellings, str) else list(spellings):
            lookup[_norm(str(s))] = key
    found: dict[str, int] = {}
    unknown: list[str] = []
    for i, h in enumerate(headers):
        found_key = lookup.get(_norm(h))
        if found_key is None:
            if h.strip():
                unknown.append(h.strip())
            continue
        if found_key in found:
            raise HostplanError(f"表头中 {h!r} 与第 {found[found_key] + 1} 列重复（都表示 {COLUMN_BY_KEY[found_key].name}）")
        found[found_key] = i
    return found, unknown


def _norm(text: str) -> str:
    text = text.strip().lower().replace("（", "(").replace("）", ")")
    text = re.sub(r"\(元\)$", "", text)
    return re.sub(r"[\s_\-]+", "", text)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _timestamp(raw: Any) -> dt.datetime | None:
    if isinstance(raw, dt.datetime):
        return raw.replace(tzinfo=None, microsecond=0)
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 < raw < 100000:
        # an Excel serial date in a cell not formatted as a date
        return EXCEL_EPOCH + dt.timedelta(seconds=round(raw * 86400))
    text = _cell_text(raw)
    if not text:
        return None
    m = TIME_RE.fullmatch(text)
    if m:
        try:
            y, mo, d, h, mi, sec = (int(g) for g in m.groups(default="0"))
            return dt.datetime(y, mo, d, h, mi, sec)
        except ValueError:
            pass  # 2026-02-30 and the like
    raise ValueError(text)


def _flag(raw: Any) -> bool:
    text = _cell_text(raw).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(text)


def _money(raw: Any) -> Decimal:
    text = _cell_text(raw).replace(",", "").removesuffix("元").strip()
    if not text:
        return Decimal(0)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or value < 0:
        raise ValueError(text)
    return value


def parse_rows(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, month: str | None, source: str = "<工单表>",
               mapping: dict[str, Any] | None = None) -> TicketLog:
    """Validate rows against the header. month None: the log must hold exactly one month."""
    headers = [_cell_text(h) for h in header]
    index, _unknown = _header_map(headers, mapping or {})
    missing = [COLUMN_BY_KEY[k].name for k in ("ticket_no", "applied_at") if k not in index]
    if missing:
        raise HostplanError(f"{source}：缺少必需的列 {'、'.join(missing)}（表头第 1 行为：{'、'.join(h for h in headers if h) or '空'}）。"
                            "可用 hostplan metrics --template 生成模板，或在 .hostplan.toml 的 ticket-columns 中映射列名")

    issues: list[RowIssue] = []
    parsed: list[Ticket] = []
    blank = pending_blank = total = 0  # trailing blank rows (Excel's formatted empties) are not data
    seen: dict[str, int] = {}
    for n, raw in enumerate(rows, start=2):
        if n > MAX_ROWS:
            raise HostplanError(f"{source}：超过 {MAX_ROWS} 行，请按月拆分工单表")
        cells = [_cell_text(c) for c in raw]
        if not any(cells):
            pending_blank += 1
            continue
        blank, pending_blank = blank + pending_blank, 0
        total += 1

        def get(key: str, cells: list[str] = cells, raw: Sequence[Any] = raw) -> Any:
            i = index.get(key)
            if i is None or i >= len(raw):
                return None
            return raw[i]

        ticket_no = _cell_text(get("ticket_no"))
        if not ticket_no:
            issues.append(RowIssue(n, "售后单号为空"))
            continue
        if ticket_no in seen:
            issues.append(RowIssue(n, f"售后单号 {ticket_no} 与第 {seen[ticket_no]} 行重复"))
            continue
        seen[ticket_no] = n
        problems: list[str] = []
        times: dict[str, dt.datetime | None] = {}
        for key in ("applied_at", "first_response_at", "refund_reviewed_at", "plan_at", "resolved_at"):
            try:
                times[key] = _timestamp(get(key))
            except ValueError as exc:
                problems.append(f"{COLUMN_BY_KEY[key].name} {exc.args[0]!r} 无法识别，应为 YYYY-MM-DD HH:MM")
                times[key] = None
        applied = times["applied_at"]
        if applied is None and not problems:
            problems.append("申请时间为空")
        if applied is not None:
            for key in ("first_response_at", "refund_reviewed_at", "plan_at", "resolved_at"):
                t = times[key]
                if t is not None and t < applied:
                    problems.append(f"{COLUMN_BY_KEY[key].name} {t:%Y-%m-%d %H:%M} 早于申请时间 {applied:%Y-%m-%d %H:%M}")
        flags: dict[str, bool | None] = {}
        for key in ("complaint", "complex", "escalated", "agency_fault"):
            if key not in index:
                flags[key] = None
                continue
            try:
                flags[key] = _flag(get(key))
            except ValueError as exc:
                problems.append(f"{COLUMN_BY_KEY[key].name} 应填 是 或 否，而不是 {exc.args[0]!r}")
        rating: str | None = None
        sat = _cell_text(get("satisfaction"))
        if sat and sat not in ("未评价", "无"):
            rating = SATISFACTION.get(sat.lower())
            if rating is None:
                problems.append(f"满意度应填 好评、中评、差评 或留空，而不是 {sat!r}")
        comp: dict[str, Decimal] = {}
        for key in ("comp_shipping", "comp_coupon", "comp_cash"):
            if key in index:
                try:
                    comp[key] = _money(get(key))
                except ValueError as exc:
                    problems.append(f"{COLUMN_BY_KEY[key].name} 应为非负金额，而不是 {exc.args[0]!r}")
        if problems:
            issues.append(RowIssue(n, "；".join(problems)))
            continue
        assert applied is not None
        status = _cell_text(get("status"))
        if status and status not in STATUSES:
            issues.append(RowIssue(n, f"状态 {status!r} 不是 {'、'.join(STATUSES)} 之一", skipped=False))
        if status == "已完结" and "resolved_at" in index and times["resolved_at"] is None:
            issues.append(RowIssue(n, "状态为已完结但完结时间为空，按未完结计算", skipped=False))
        category = tuple(c for c in (_cell_text(get(k)) for k in ("category_1", "category_2", "category_3")) if c)
        parsed.append(Ticket(
            row=n, ticket_no=ticket_no, applied_at=applied, order_no=_cell_text(get("order_no")), category=category,
            complaint=flags["complaint"], complex=flags["complex"], first_response_at=times["first_response_at"],
            refund_reviewed_at=times["refund_reviewed_at"], plan_at=times["plan_at"],
            resolved_at=times["resolved_at"], status=status, escalated=flags["escalated"],
            agency_fault=flags["agency_fault"], satisfaction=rating, compensation=comp,
        ))

    if month is None:
        months = Counter(f"{t.applied_at:%Y-%m}" for t in parsed)
        if len(months) > 1:
            listing = "、".join(f"{m}（{c} 行）" for m, c in sorted(months.items()))
            raise HostplanError(f"{source}：工单跨越多个月份 {listing}，请用 --month YYYY-MM 指定结算月份")
        month = next(iter(months), "")
        if not month:
            raise HostplanError(f"{source}：没有可用的工单行，无法确定月份；请检查数据或用 --month 指定")
    month = month_key(month)
    start, end = parse_month(month)
    used: list[Ticket] = []
    other = 0
    for ticket in parsed:
        if start <= ticket.applied_at < end:
            used.append(ticket)
        else:
            other += 1
            issues.append(RowIssue(ticket.row, f"申请时间 {ticket.applied_at:%Y-%m-%d %H:%M} 不在 {month}"))
    if parsed and not used:
        # every ticket belongs to other months: a wrong month (or the wrong file), not a month with no tickets,
        # which would otherwise settle as a clean bill
        months = Counter(f"{t.applied_at:%Y-%m}" for t in parsed)
        listing = "、".join(f"{m}（{c} 张）" for m, c in sorted(months.items()))
        raise HostplanError(f"{source}：没有申请时间在 {month} 的工单，表中 {len(parsed)} 张工单的申请时间在 {listing}。"
                            f"请检查结算月份（--month）或工单表是否选错；{month} 确实没有售后工单时，请给出只有表头的工单表")
    issues.sort(key=lambda i: (i.row, not i.skipped))
    return TicketLog(source, month, frozenset(index), used, issues, total, blank, other)


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise HostplanError(f"{path}：无法识别文件编码，请另存为 UTF-8 的 CSV")
    first = text.split("\n", 1)[0]
    # tab-separated exports (copied from a web console) have tabs and no commas in the header
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise HostplanError(f"{path}：文件为空")
    return rows[0], rows[1:]


def _read_xlsx(path: Path) -> tuple[list[Any], list[tuple[Any, ...]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise HostplanError(f"{path}：无法作为 Excel 文件读取（{type(exc).__name__}），请确认是 .xlsx 格式") from None
    try:
        ws = wb["工单"] if "工单" in wb.sheetnames else wb.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    if not rows:
        raise HostplanError(f"{path}：工作表为空")
    return list(rows[0]), rows[1:]


def read_tickets(path: str | Path, month: str | None = None, mapping: dict[str, Any] | None = None) -> TicketLog:
    """Read a ticket log; the column mapping defaults to the repo config's `ticket-columns`."""
    p = Path(path)
    if not p.is_file():
        raise HostplanError(f"{path}：工单文件不存在" if not p.exists() else f"{path}：不是文件")
    if mapping is None:
        from ..config import find_config

        raw = find_config(p.resolve().parent).values.get("ticket-columns", {})
        if not isinstance(raw, dict):
            raise HostplanError("配置 ticket-columns 应为表，如 ticket-columns = { first_response_at = \"首次回复\" }")
        mapping = raw
    suffix = p.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            header, rows = _read_xlsx(p)
        elif suffix in (".csv", ".txt", ".tsv"):
            header, rows = _read_csv(p)  # type: ignore[assignment]
        elif suffix == ".xls":
            raise HostplanError(f"{path}：不支持旧版 .xls，请在 Excel 中另存为 .xlsx 或 CSV")
        else:
            raise HostplanError(f"{path}：工单表应为 .csv 或 .xlsx 文件")
    except PermissionError:
        raise HostplanError(f"{path}：没有读取权限") from None
    return parse_rows(header, rows, month=month, source=str(path), mapping=mapping)

"""An empty ticket log for teams that keep it in Excel: the right columns, header notes, drop-down lists."""

from __future__ import annotations

import io

from .tickets import CATEGORIES_1, COLUMNS, STATUSES

FLAG_COLUMNS = ("complaint", "complex", "escalated", "agency_fault")
TIME_COLUMNS = ("applied_at", "first_response_at", "refund_reviewed_at", "plan_at", "resolved_at")
# 18–19-digit order and after-sales numbers: as General, Excel turns them into floats and loses digits
TEXT_COLUMNS = ("ticket_no", "order_no", "related")
DATA_ROWS = 2000  # rows that get drop-down lists


def template_csv(*, bom: bool = True) -> bytes:
    # BOM so that Excel opens the Chinese header of a file as UTF-8; not on stdout, where it is a stray character
    return (("\ufeff" if bom else "") + ",".join(c.name for c in COLUMNS) + "\n").encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "工单"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    letters: dict[str, str] = {}
    for i, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=col.name)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        note = col.note + ("（必填）" if col.required else "")
        if note:
            cell.comment = Comment(note, "hostplan", width=240, height=80)
        letter = get_column_letter(i)
        letters[col.key] = letter
        ws.column_dimensions[letter].width = 18 if col.key in TIME_COLUMNS else max(10, len(col.name) * 2 + 2)
    ws.freeze_panes = "A2"
    for key in TEXT_COLUMNS:
        letter = letters[key]
        ws.column_dimensions[letter].number_format = "@"  # the column style: rows past the formatted ones too
        for row in range(2, DATA_ROWS + 2):
            ws[f"{letter}{row}"].number_format = "@"

    def rows(key: str) -> str:
        return f"{letters[key]}2:{letters[key]}{DATA_ROWS + 1}"

    def add(values: tuple[str, ...], key: str, strict: bool, prompt: str) -> None:
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                            errorStyle="stop" if strict else "warning", showErrorMessage=True,
                            showInputMessage=True, promptTitle=next(c.name for c in COLUMNS if c.key == key),
                            prompt=prompt, errorTitle="取值不在列表中",
                            error=f"请从列表中选择：{'、'.join(values)}")
        ws.add_data_validation(dv)
        dv.add(rows(key))

    add(STATUSES, "status", True, "从列表中选择工单状态")
    add(CATEGORIES_1, "category_1", False, "一级分类；列表外的分类会提示，但可以保留")
    for key in FLAG_COLUMNS:
        add(("是", "否"), key, True, "填 是 或 否")
    add(("好评", "中评", "差评"), "satisfaction", True, "未评价留空")
    urgency = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True,
                             showErrorMessage=True, errorTitle="紧急程度", error="请填 1 到 5 的整数")
    ws.add_data_validation(urgency)
    urgency.add(rows("urgency"))

    guide = wb.create_sheet("填写说明")
    guide.append(["列", "说明"])
    guide["A1"].font = bold
    guide["B1"].font = bold
    for col in COLUMNS:
        guide.append([col.name, col.note + ("（必填）" if col.required else "")])
    guide.append([])
    guide.append(["时间格式", "YYYY-MM-DD HH:MM，如 2026-01-05 10:23；同一售后单号只写一行"])
    guide.append(["统计", "hostplan metrics 本文件 --spec 方案.yaml --month 2026-01"])
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 70
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

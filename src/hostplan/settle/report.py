"""Statement and metrics output: plain text for people, Markdown for the monthly report, JSON/CSV for tools."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from .statement import Line, Statement

STATUS = {"met": "达标", "missed": "未达标", "not_evaluable": "无法评估", "no_data": "无数据"}
NOT_COUNTED = ("not_evaluable", "no_data")  # shown as 不计 / —, never as a 0.00 that reads like 达标
SECTIONS = (("fee", "服务费"), ("discount", "服务费"), ("deduction", "服务标准"), ("cap", "扣款上限"),
            ("interest", "滞纳金"))


def _amount(line: Line) -> str:
    return str(line.amount) if line.status not in NOT_COUNTED else "—"


def _minus(amount: Decimal) -> str:
    """An amount taken off the total, signed as the statement's lines are (扣款 -150.00), so that the totals
    block adds up down its column: 0.00 stays unsigned."""
    return f"-{amount}" if amount else str(amount)


def _trial_lines(st: Statement) -> list[tuple[str, str]]:
    """(label, text) pairs describing the trial-period check."""
    t = st.trial
    if t is None:
        return []
    out = [("scope", t.scope)] if t.scope else []
    out += [(c.clause, c.explanation) for c in t.checks]
    if t.entitled_to_exit is True:
        verdict = (f"试运营标准未达到：商家有权解约；解约时应付 {t.total_on_exit} 元（{t.explanation}）；"
                   f"不解约则按本结算单应付 {st.total_due} 元")
    elif t.entitled_to_exit is False:
        verdict = "试运营标准均已达到：商家不能依试运营条款解约"
    else:
        verdict = "有试运营标准无法评估，暂不能判断商家是否有权解约"
    out.append(("trial", verdict))
    return out


def _trial_heading(st: Statement) -> str:
    """试运营期 2026-01-15 至 2026-02-14（第 2 个月；合同七、试运营期）"""
    t = st.trial
    if t is None:
        return ""
    dates = f" {t.period[0]} 至 {t.period[1]}" if t.period else ""
    ref = f"；合同{t.ref}" if t.ref else ""
    return f"试运营期{dates}（第 {t.month_index} 个月{ref}）"


def statement_text(st: Statement) -> str:
    out = [st.title, f"{st.month} 月度结算单", ""]
    if st.data_notes:
        out.append("数据")
        out += [f"  {n}" for n in st.data_notes]
        out.append("")
    current = ""
    for line in st.lines:
        section = dict(SECTIONS)[line.kind]
        if section != current:
            out.append(section)
            current = section
        head = f"  [{line.cited}] {line.name}"
        if line.target:
            head += f"  标准 {line.target}  实际 {line.actual or '—'}  {STATUS.get(line.status, '')}"
        out.append(f"{head}  {_amount(line)} 元" if line.status not in NOT_COUNTED else f"{head}  不计")
        out.append(f"      {line.explanation}")
    out += [
        "",
        "合计",
        f"  当月服务费          {st.base_fee} 元",
    ]
    if st.discount:
        out.append(f"  预付优惠            {_minus(st.discount)} 元")
    out.append(f"  扣款合计            {_minus(st.deductions_total)} 元（上限 {st.deductions_cap} 元）")
    if st.paid_on is not None:
        out.append(f"  滞纳金              {st.interest} 元")
    out.append(f"  应付总额            {st.total_due} 元")
    trial = _trial_lines(st)
    if trial:
        out += ["", _trial_heading(st)]
        out += [f"  [{label}] {text}" if label not in ("trial", "scope") else f"  {text}" for label, text in trial]
    if st.no_data:
        out += ["", "无数据：以下条款当月没有可统计的工单，不算达标也不算未达标，未扣款："]
        out += [f"  {n}" for n in st.no_data]
    if st.not_evaluable:
        out += ["", "结算单不完整：以下条款无法评估，未计入扣款，应付总额为暂定："]
        out += [f"  {n}" for n in st.not_evaluable]
    return "\n".join(out) + "\n"


def _cell(text: Any) -> str:
    return str(text if text is not None else "—").replace("|", "\\|").replace("\n", " ")


def statement_markdown(st: Statement) -> str:
    out = [f"# {st.month} 月度结算单", "", f"**{st.title}**", ""]
    out += ["| 条款 | 项目 | 标准 | 实际 | 结果 | 金额（元） | 计算与说明 |", "|---|---|---|---|---|---:|---|"]
    for line in st.lines:
        # the contract's clause where it has one; the spec path, which is not in the contract, closes the note
        note = f"{line.explanation}（规格 {line.clause}）" if line.ref else line.explanation
        out.append("| " + " | ".join(_cell(x) for x in (
            line.ref or line.clause, line.name, line.target, line.actual, STATUS.get(line.status, ""), _amount(line),
            note)) + " |")
    out += ["", "| 合计 | 金额（元） |", "|---|---:|", f"| 当月服务费 | {st.base_fee} |"]
    if st.discount:
        out.append(f"| 预付优惠 | {_minus(st.discount)} |")
    out.append(f"| 扣款合计（上限 {st.deductions_cap}） | {_minus(st.deductions_total)} |")
    if st.paid_on is not None:
        out.append(f"| 滞纳金 | {st.interest} |")
    out += [f"| **应付总额** | **{st.total_due}** |", ""]
    trial = _trial_lines(st)
    if trial and st.trial:
        out += [f"## {_trial_heading(st)}", ""]
        out += [f"- {text}" for _, text in trial]
        out.append("")
    if st.no_data:
        out += ["## 无数据的条款", "", "以下条款当月没有可统计的工单，不算达标也不算未达标，未扣款：", ""]
        out += [f"- {_cell(n)}" for n in st.no_data]
        out.append("")
    if st.not_evaluable:
        out += ["## 无法评估的条款", "", "以下条款缺少数据，未计入扣款，应付总额为暂定：", ""]
        out += [f"- {_cell(n)}" for n in st.not_evaluable]
        out.append("")
    if st.data_notes:
        out += ["## 数据说明", ""] + [f"- {_cell(n)}" for n in st.data_notes] + [""]
    return "\n".join(out)


def statement_json(st: Statement) -> str:
    return json.dumps(st.as_dict(), ensure_ascii=False, indent=2) + "\n"


# --- metrics ------------------------------------------------------------------------------------


def metrics_text(summary: dict[str, Any]) -> str:
    s = summary
    out = [f"{s['source']}：{s['month']}，共 {s['rows_total']} 行数据，使用 {s['rows_used']} 行，跳过 {s['rows_skipped']} 行"
           + (f"，空行 {s['blank_rows']} 行" if s["blank_rows"] else "")]
    if s["issues"]:
        out += ["", "数据问题"]
        out += [f"  第 {i['row']} 行：{i['message']}" + ("（已跳过）" if i["skipped"] else "") for i in s["issues"]]
    out += ["", "概况"] + [f"  {g['name']}：{g['value']}" for g in s["general"]]
    if s["top_causes"]:
        out += ["", "主要问题分类（前 5）"] + [f"  {c['category']}：{c['count']} 张" for c in s["top_causes"]]
    if s["standards"]:
        out += ["", "服务标准"]
        for r in s["standards"]:
            verdict = STATUS[r["status"]]
            out.append(f"  [{r['clause']}] {r['name']}  标准 {r['target']}  实际 {r['actual'] or '—'}  {verdict}")
            if r["explanation"]:
                out.append(f"      {r['explanation']}")
    return "\n".join(out) + "\n"


def metrics_json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, ensure_ascii=False, indent=2) + "\n"


def metrics_csv(summary: dict[str, Any]) -> str:
    """One row per figure: section, clause, name, target, actual, result, explanation."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["section", "clause", "name", "target", "actual", "result", "explanation"])
    w.writerow(["rows", "", "数据行", "", f"{summary['rows_used']}/{summary['rows_total']}", "",
                f"使用 {summary['rows_used']} 行，跳过 {summary['rows_skipped']} 行"])
    for g in summary["general"]:
        w.writerow(["general", "", g["name"], "", g["value"], "", ""])
    for c in summary["top_causes"]:
        w.writerow(["cause", "", c["category"], "", c["count"], "", ""])
    for r in summary["standards"]:
        verdict = r["status"]
        w.writerow(["standard", r["clause"], r["name"], r["target"], r["actual"] or "", verdict, r["explanation"]])
    for i in summary["issues"]:
        w.writerow(["issue", f"row {i['row']}", "", "", "", "skipped" if i["skipped"] else "warning", i["message"]])
    return buf.getvalue()

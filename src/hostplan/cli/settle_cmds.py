"""Commands about the month's figures: metrics (ticket log -> figures) and settle (figures -> statement)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..errors import HostplanError
from . import app
from .output import note, write_stdout

METRICS_FORMATS = ("text", "json", "csv")
SETTLE_FORMATS = ("text", "json", "md", "docx")


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise HostplanError(f"{option} {value}：可选 {'、'.join(allowed)}")
    return value


def _emit(data: str | bytes, output: Path | None, force: bool) -> None:
    if output is None or str(output) == "-":
        if isinstance(data, bytes):
            raise HostplanError("二进制输出（docx）须用 -o 指定文件")
        write_stdout(data)
        return
    from ..fsutil import write_atomic

    write_atomic(output, data, force=force)
    note(f"已写入 {output}")


def _month(month: str | None) -> str | None:
    if month is None:
        return None
    from ..settle.tickets import month_key

    return month_key(month)


@app.command()
def metrics(
    tickets: Annotated[Path | None, typer.Argument(help="售后工单表：.csv 或 .xlsx", show_default=False)] = None,
    spec: Annotated[Path | None, typer.Option("--spec", "-s", help="方案 YAML：按其中的服务标准逐条统计")] = None,
    month: Annotated[str | None, typer.Option("--month", "-m", help="统计月份 YYYY-MM；工单表只有一个月时可省略")] = None,
    orders: Annotated[int | None, typer.Option("--orders", min=1, help="当月订单数，用于计算投诉率")] = None,
    fmt: Annotated[str, typer.Option("--format", "-F", help="输出格式：text、json、csv")] = "text",
    template: Annotated[bool, typer.Option("--template", help="生成空白工单表模板（.xlsx 带下拉列表，或 .csv）")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入的文件；省略则输出到标准输出")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="覆盖已存在的文件")] = False,
) -> None:
    """从售后工单表统计当月指标：响应时长、解决率、投诉与平台介入、满意度、问题分类、补偿金额。

    每个有问题的行都给出行号；输出说明使用了多少行、跳过了多少行及原因。
    """
    if template:
        from ..settle.template import template_csv, template_xlsx

        if tickets is not None:
            raise HostplanError("--template 生成空白模板，不读取工单表；请去掉工单文件参数")
        target = output or Path("售后工单模板.xlsx")
        suffix = target.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise HostplanError(f"{target}：模板应为 .xlsx 或 .csv 文件")
        from ..fsutil import write_atomic

        write_atomic(target, template_xlsx() if suffix == ".xlsx" else template_csv(), force=force)
        note(f"已生成 {target}。填好后：hostplan metrics {target} --spec 方案.yaml --month YYYY-MM")
        return
    if tickets is None:
        raise HostplanError("请给出工单表文件，或用 --template 生成模板（hostplan metrics --help）")
    _choice(fmt, METRICS_FORMATS, "--format")
    from ..settle.metrics import log_summary
    from ..settle.report import metrics_csv, metrics_json, metrics_text
    from ..settle.tickets import read_tickets

    loaded = None
    if spec is not None:
        from ..spec.load import load_spec

        loaded = load_spec(spec).spec
    log = read_tickets(tickets, _month(month))
    summary = log_summary(log, loaded, orders)
    render = {"text": metrics_text, "json": metrics_json, "csv": metrics_csv}[fmt]
    _emit(render(summary), output, force)


@app.command()
def settle(
    spec: Annotated[Path, typer.Argument(help="方案 YAML", show_default=False)],
    actuals: Annotated[Path | None, typer.Option("--actuals", "-a", help="当月数据 YAML（格式见 README）")] = None,
    tickets: Annotated[Path | None, typer.Option("--tickets", "-t", help="当月售后工单表 .csv 或 .xlsx")] = None,
    month: Annotated[str | None, typer.Option("--month", "-m", help="结算月份 YYYY-MM")] = None,
    paid_on: Annotated[str | None, typer.Option("--paid-on", help="实际付款日期 YYYY-MM-DD，用于计算滞纳金")] = None,
    orders: Annotated[int | None, typer.Option("--orders", min=1, help="当月订单数，用于计算投诉率")] = None,
    prepay: Annotated[str | None, typer.Option("--prepay", help="本月服务费的预付方式：quarterly、half_yearly、yearly（按 fees.prepay_discounts 折扣）")] = None,
    fmt: Annotated[str, typer.Option("--format", "-F", help="输出格式：text、json、md、docx")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入的文件；省略则输出到标准输出")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="覆盖已存在的文件")] = False,
) -> None:
    """按方案的服务标准和当月数据出具月度结算单：服务费、逐条扣款、扣款上限、试运营解约、滞纳金、应付总额。

    每一行都注明依据的条款编号和计算过程。数据（--actuals 或 --tickets，可同时给出，手工数值优先）缺少某项指标时，
    该条款标为“无法评估”，不按达标也不按未达标处理。
    """
    _choice(fmt, SETTLE_FORMATS, "--format")
    if actuals is None and tickets is None:
        raise HostplanError("请用 --actuals 给出当月数据 YAML，或用 --tickets 给出当月售后工单表")
    if fmt == "docx" and (output is None or str(output) == "-"):
        raise HostplanError("--format docx 须用 -o 指定输出文件，如 -o 结算单.docx")
    paid = None
    if paid_on is not None:
        try:
            paid = dt.date.fromisoformat(paid_on)
        except ValueError:
            raise HostplanError(f"--paid-on {paid_on}：日期格式应为 YYYY-MM-DD") from None
    from ..settle.actuals import load_actuals
    from ..settle.report import statement_json, statement_markdown, statement_text
    from ..settle.statement import settle as make_statement
    from ..settle.tickets import read_tickets
    from ..spec.load import load_spec

    loaded = load_spec(spec)
    figures = load_actuals(actuals) if actuals is not None else None
    if prepay is not None:
        from ..settle.actuals import PREPAY, Actuals

        if prepay not in PREPAY:
            raise HostplanError(f"--prepay {prepay}：可选 quarterly（季付）、half_yearly（半年付）、yearly（年付）")
        figures = figures or Actuals()
        figures.prepay = PREPAY[prepay]
    wanted = _month(month) or (figures.month if figures else None)
    log = read_tickets(tickets, wanted) if tickets is not None else None
    wanted = wanted or (log.month if log else None)
    if wanted is None:
        raise HostplanError("请用 --month YYYY-MM 指定结算月份")
    statement = make_statement(loaded.spec, wanted, actuals=figures, log=log, paid_on=paid, orders=orders)
    if fmt == "docx":
        _emit(_docx(statement_markdown(statement), f"{statement.title} {statement.month} 月度结算单"), output, force)
        return
    render = {"text": statement_text, "json": statement_json, "md": statement_markdown}[fmt]
    _emit(render(statement), output, force)
    if statement.not_evaluable:
        note(f"结算单不完整：{len(statement.not_evaluable)} 项无法评估（{'；'.join(statement.not_evaluable)}）")


def _docx(markdown: str, title: str) -> bytes:
    """Markdown -> .docx with the renderer's converter, so statements look like the proposals."""
    try:
        from ..render.docx import render_docx
    except ImportError:
        raise HostplanError("docx 输出需要渲染模块（hostplan.render.docx），当前安装中没有；请改用 --format md") from None
    return render_docx(markdown, title=title, date=dt.date.today())

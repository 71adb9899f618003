"""Commands about the month's figures: metrics (ticket log -> figures) and settle (figures -> statement)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..errors import HostplanError
from .base import app
from .output import note, write_stdout

METRICS_FORMATS = ("text", "json", "csv")
SETTLE_FORMATS = ("text", "json", "md", "docx")
def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise HostplanError(f"{option} {value}：可选 {'、'.join(allowed)}")
    return value


def _output_format(fmt: str | None, output: Path | None, allowed: tuple[str, ...]) -> str:
    """--format, else the -o file's extension (checked as hostplan render checks it), else text."""
    if fmt is not None:
        _choice(fmt, allowed, "--format")
    if output is None or str(output) == "-":
        return fmt or "text"
    from ..formats import format_of

    return format_of(output, fmt, allowed)


def _emit(data: str | bytes, output: Path | None, force: bool) -> None:
    if output is None or str(output) == "-":
        if isinstance(data, bytes):
            raise HostplanError("二进制输出（docx）须用 -o 指定文件")
        write_stdout(data)
        return
    from ..fsutil import write_atomic

    write_atomic(output, data, force=force)
    note(f"已写入 {output}")


def _warn(message: str) -> None:
    """A warning on stderr: stdout stays the report, which may be piped into a file or a tool."""
    from .output import err_console, escape

    err_console().print(f"[bold yellow]警告[/]：{escape(message)}")


def _orders(value: str | None) -> int | None:
    """--orders as a positive whole number, with a Chinese message (typer's own would be English)."""
    if value is None:
        return None
    text = value.strip().removesuffix("单")
    if not text.isdigit() or int(text) < 1:
        raise HostplanError(f"--orders {value}：应为当月订单数（正整数），如 --orders 1200")
    return int(text)


def _month(month: str | None) -> str | None:
    if month is None:
        return None
    from ..settle.tickets import month_key

    return month_key(month)


@app.command()
def metrics(
    tickets: Annotated[Path | None, typer.Argument(help="售后工单表：.csv 或 .xlsx", show_default=False)] = None,
    spec: Annotated[Path | None, typer.Option("--spec", "-s", help="方案 YAML：按其中的服务标准逐条统计")] = None,
    month: Annotated[str | None, typer.Option("--month", "-m", metavar="YYYY-MM",
                                              help="统计月份；工单表只有一个月时可省略")] = None,
    orders: Annotated[str | None, typer.Option("--orders", metavar="N", help="当月订单数，用于计算投诉率")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-F", metavar="FORMAT", show_default=False,
                                            help="输出格式：text、json、csv；省略时按 -o 的扩展名（.txt、.json、.csv），"
                                                 "否则为 text")] = None,
    template: Annotated[bool, typer.Option(
        "--template", help="生成空白工单表模板：-o 文件.xlsx（带表头批注和下拉列表）或 -o 文件.csv；"
                           "省略 -o 时把 CSV 表头输出到标准输出")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入的文件，扩展名须与格式一致；省略或为 - 时"
                                                "输出到标准输出。CSV 文件带 UTF-8 BOM，Excel 可直接打开")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="覆盖已存在的文件（不加时文件已存在即报错，退出码 2）")] = False,
) -> None:
    """从售后工单表统计当月指标：响应时长、解决率、投诉与平台介入、满意度、问题分类、补偿金额。

    每个有问题的行都给出行号；输出说明使用了多少行、跳过了多少行及原因。
    当月没有可统计工单的指标标为“无数据”（不算达标也不算未达标），并在标准错误输出警告。
    """
    if template:
        _template(tickets, output, force)
        return
    if tickets is None:
        raise HostplanError("请给出工单表文件，或用 --template 生成模板（hostplan metrics --help）")
    fmt = _output_format(fmt, output, METRICS_FORMATS)
    from ..settle.metrics import log_summary
    from ..settle.report import metrics_csv, metrics_json, metrics_text
    from ..settle.tickets import read_tickets

    loaded = None
    coverage = None
    if spec is not None:
        from ..settle.statement import restrict_to_term, term_coverage
        from ..spec.load import load_spec

        spec_file = load_spec(spec)
        loaded = spec_file.spec
        line, _ = spec_file.positions.find(("term",), key=True)
        where = f"{spec}:{line}" if line else str(spec)
        if month is not None:  # as in settle: a month outside the term is the first thing wrong
            term_coverage(loaded, _month(month) or "", where=where, for_metrics=True)
    log = read_tickets(tickets, _month(month))
    if loaded is not None:
        # the standards are the contract's: tickets applied outside its term are not the agency's (as in settle)
        coverage = term_coverage(loaded, log.month, where=where, for_metrics=True)
        log = restrict_to_term(log, coverage)
    summary = log_summary(log, loaded, _orders(orders))
    text = {"text": metrics_text, "json": metrics_json, "csv": metrics_csv}[fmt](summary)
    if fmt == "csv" and output is not None and str(output) != "-":
        text = "\ufeff" + text  # Excel reads a CSV file as UTF-8 only with a BOM; not on stdout, where it is noise
    _emit(text, output, force)
    if coverage is not None and not coverage.whole:
        _warn(f"{coverage.describe()}：{log.month} 只有 {coverage.first} 至 {coverage.last} 在服务期限内，"
              "期限外申请的工单不计入")
    if not log.tickets:
        _warn(f"{log.source} 在 {log.month} 没有可用的工单（0 张）：各项指标为无数据，不是达标")
    empty = [f"{r['clause']} {r['name']}" for r in summary["standards"] if r["status"] == "no_data"]
    if empty:
        _warn(f"{len(empty)} 项服务标准无数据，不算达标也不算未达标（{'；'.join(empty)}）")


def _template(tickets: Path | None, output: Path | None, force: bool) -> None:
    """--template: the CSV header on stdout, or a .xlsx/.csv file written atomically (never over a file without --force)."""
    from ..settle.template import template_csv, template_xlsx

    if tickets is not None:
        raise HostplanError("--template 生成空白模板，不读取工单表；请去掉工单文件参数")
    if output is None or str(output) == "-":
        write_stdout(template_csv(bom=False).decode("utf-8"))
        note("已输出 CSV 表头。要带表头批注和下拉列表的 Excel 模板：hostplan metrics --template -o 售后工单模板.xlsx")
        return
    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise HostplanError(f"{output}：模板应为 .xlsx 或 .csv 文件")
    from ..fsutil import write_atomic

    write_atomic(output, template_xlsx() if suffix == ".xlsx" else template_csv(), force=force)
    note(f"已生成 {output}。填好后：hostplan metrics {output} --spec 方案.yaml --month YYYY-MM")


@app.command()
def settle(
    spec: Annotated[Path, typer.Argument(help="方案 YAML", show_default=False)],
    actuals: Annotated[Path | None, typer.Option("--actuals", "-a", help="当月数据 YAML（格式见 README）")] = None,
    tickets: Annotated[Path | None, typer.Option("--tickets", "-t", help="当月售后工单表 .csv 或 .xlsx")] = None,
    month: Annotated[str | None, typer.Option("--month", "-m", metavar="YYYY-MM",
                                              help="结算月份，须在方案的服务期限（term）内；省略时取 actuals 的 month，"
                                                   "或工单表中唯一的月份")] = None,
    paid_on: Annotated[str | None, typer.Option("--paid-on", metavar="YYYY-MM-DD",
                                                help="实际付款日期，用于计算滞纳金")] = None,
    orders: Annotated[str | None, typer.Option("--orders", metavar="N",
                                               help="当月订单数，用于计算投诉率（优先于 actuals 的 orders）")] = None,
    prepay: Annotated[str | None, typer.Option("--prepay", metavar="PERIOD", help="本月服务费的预付方式：quarterly（季付）、"
                                               "half_yearly（半年付）、yearly（年付），按 fees.prepay_discounts 折扣")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-F", metavar="FORMAT", show_default=False,
                                            help="输出格式：text、json、md、docx；省略时按 -o 的扩展名（.txt、.json、"
                                                 ".md、.docx），否则为 text")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="写入的文件，扩展名须与格式一致；省略或为 - 时输出到标准输出"
                                                     "（docx 必须指定文件）")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="覆盖已存在的文件（不加时文件已存在即报错，退出码 2）")] = False,
) -> None:
    """按方案的服务标准和当月数据出具月度结算单：服务费、逐条扣款、扣款上限、试运营解约、滞纳金、应付总额。

    每一行都注明依据的条款编号和计算过程。数据（--actuals 或 --tickets，可同时给出，手工数值优先）缺少某项指标时，
    该条款标为“无法评估”；当月没有可统计的工单时标为“无数据”：两者都不按达标也不按未达标处理，不扣款。
    结算月份须在合同服务期限（term）内；只有部分天数在期限内的月份，固定服务费按天折算。
    """
    fmt = _output_format(fmt, output, SETTLE_FORMATS)
    if actuals is None and tickets is None:
        raise HostplanError("请用 --actuals 给出当月数据 YAML，或用 --tickets 给出当月售后工单表")
    if fmt == "docx" and (output is None or str(output) == "-"):
        raise HostplanError("--format docx 须用 -o 指定输出文件，如 -o 结算单.docx")
    paid = None
    if paid_on is not None:
        from ..spec.dates import parse_date

        paid = parse_date(paid_on, "--paid-on")  # 2026-02-30: says February has no 30th, as for the spec's dates
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
    from ..settle.statement import term_coverage

    line, _ = loaded.positions.find(("term",), key=True)
    where = f"{spec}:{line}" if line else str(spec)
    wanted = _month(month) or (figures.month if figures else None)
    if wanted is not None:  # a month outside the term is the first thing wrong, whatever the log holds
        term_coverage(loaded.spec, wanted, where=where)
    log = read_tickets(tickets, wanted) if tickets is not None else None
    wanted = wanted or (log.month if log else None)
    if wanted is None:
        raise HostplanError("请用 --month YYYY-MM 指定结算月份")
    coverage = term_coverage(loaded.spec, wanted, where=where)
    from ..settle.contract import contract_clauses

    statement = make_statement(loaded.spec, wanted, actuals=figures, log=log, paid_on=paid, orders=_orders(orders),
                               clauses=contract_clauses(loaded, spec))
    if fmt == "docx":
        _emit(_docx(statement_markdown(statement), f"{statement.title} {statement.month} 月度结算单"), output, force)
    else:
        render = {"text": statement_text, "json": statement_json, "md": statement_markdown}[fmt]
        _emit(render(statement), output, force)
    if not coverage.whole:
        _warn(f"{coverage.describe()}：{wanted} 只有 {coverage.days} 天（共 {coverage.days_in_month} 天）在服务期限内，"
              "固定服务费按天折算")
    if log is not None and statement.log_tickets == 0:
        _warn(f"{log.source} 在 {wanted} 没有可用的工单（0 张）：由工单表统计的条款为无数据，不是达标")
    if statement.no_data:
        _warn(f"{len(statement.no_data)} 项服务标准无数据，不算达标也不算未达标，未扣款（{'；'.join(statement.no_data)}）")
    if statement.not_evaluable:
        note(f"结算单不完整：{len(statement.not_evaluable)} 项无法评估（{'；'.join(statement.not_evaluable)}）")


def _docx(markdown: str, title: str) -> bytes:
    """Markdown -> .docx with the renderer's converter, so statements look like the proposals; on landscape A4,
    where the statement's seven columns leave the 计算与说明 column room to be read."""
    try:
        from ..render.docx import render_docx
    except ImportError:
        raise HostplanError("docx 输出需要渲染模块（hostplan.render.docx），当前安装中没有；请改用 --format md") from None
    import re
    import tempfile

    date = dt.date.today()
    with tempfile.TemporaryDirectory() as folder:
        # the page setup travels as a reference document: the renderer's own empty document (its styles,
        # header and page-number footer), turned landscape
        reference = Path(folder) / "landscape.docx"
        reference.write_bytes(_landscape(render_docx("", title=title, date=date)))
        # the statement's heading is a heading, not a cover page's title (the Title style opens a cover)
        body = re.sub(r"\A# ", "## ", markdown)
        return render_docx(body, title=title, date=date, reference_docx=reference)


def _landscape(data: bytes) -> bytes:
    import io

    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    doc = docx.Document(io.BytesIO(data))
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.0)
    # a statement has no cover page: its first page carries the header and the page number like the rest
    section.different_first_page_header_footer = False
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

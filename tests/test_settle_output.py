"""What `settle` and `metrics` write: the format follows -o as `hostplan render` does, CSV files open in Excel,
figures without data say 无数据, and the ticket template keeps long order numbers as text."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hostplan.cli import app

ROOT = Path(__file__).resolve().parents[1]
APPAREL = str(ROOT / "examples" / "apparel.yaml")
TICKETS = str(ROOT / "examples" / "tickets-2026-01.csv")
ACTUALS_02 = str(ROOT / "examples" / "actuals" / "2026-02.yaml")
SETTLE = ("settle", APPAREL, "--actuals", ACTUALS_02)
METRICS = ("metrics", TICKETS, "--month", "2026-01")
SETTLE_FORMATS = ("支持的格式：.txt（文本，--format text）、.json（JSON，--format json）、"
                  ".md 或 .markdown（Markdown，--format md）、.docx（Word，--format docx）")
METRICS_FORMATS = "支持的格式：.txt（文本，--format text）、.json（JSON，--format json）、.csv（CSV，--format csv）"


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})


# --- the format follows -o ----------------------------------------------------------------------


def test_settle_format_from_the_output_extension(tmp_path: Path) -> None:
    docx = tmp_path / "结算单.docx"
    r = run(*SETTLE, "-o", str(docx))
    assert r.exit_code == 0, r.output
    assert zipfile.is_zipfile(docx) and "word/document.xml" in zipfile.ZipFile(docx).namelist()
    for name, check in (("st.md", lambda t: t.startswith("# 2026-02 月度结算单\n")),
                        ("st.markdown", lambda t: t.startswith("# 2026-02 月度结算单\n")),
                        ("st.json", lambda t: json.loads(t)["total_due"] == "3650.00"),
                        ("st.txt", lambda t: "应付总额            3650.00 元" in t)):
        r = run(*SETTLE, "-o", str(tmp_path / name))
        assert r.exit_code == 0, r.output
        assert check((tmp_path / name).read_text(encoding="utf-8")), name


@pytest.mark.parametrize(("args", "message"), [
    (("-o", "结算单.pdf"), f"-o {{d}}/结算单.pdf：扩展名 .pdf，无法确定输出格式。{SETTLE_FORMATS}"),
    (("--format", "md", "-o", "st.pdf"), f"-o {{d}}/st.pdf：扩展名 .pdf，无法确定输出格式。{SETTLE_FORMATS}"),
    (("-o", "结算单"), f"-o {{d}}/结算单：没有扩展名，无法确定输出格式。{SETTLE_FORMATS}"),
    (("--format", "md", "-o", "st.docx"),
     f"-o {{d}}/st.docx：扩展名 .docx 是 Word，与 --format md 不符：请把文件名改为 st.md，或去掉 --format。{SETTLE_FORMATS}"),
    (("--format", "text", "-o", "st.json"),
     f"-o {{d}}/st.json：扩展名 .json 是 JSON，与 --format text 不符：请把文件名改为 st.txt，或去掉 --format。{SETTLE_FORMATS}"),
])
def test_settle_output_extension_must_name_the_format(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    args = tuple(str(tmp_path / a) if a.startswith(("st", "结算单")) else a for a in args)
    r = run(*SETTLE, *args)
    assert r.exit_code == 2
    assert r.output == f"错误：{message.format(d=tmp_path)}\n"
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_metrics_format_from_the_output_extension(tmp_path: Path) -> None:
    r = run(*METRICS, "-o", str(tmp_path / "m.json"))
    assert r.exit_code == 0, r.output
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["rows_used"] == 40
    r = run(*METRICS, "--format", "csv", "-o", str(tmp_path / "m.xlsx"))
    assert r.exit_code == 2
    assert r.output == f"错误：-o {tmp_path}/m.xlsx：扩展名 .xlsx，无法确定输出格式。{METRICS_FORMATS}\n"
    r = run(*METRICS, "--format", "json", "-o", str(tmp_path / "m.csv"))
    assert r.exit_code == 2 and "扩展名 .csv 是 CSV，与 --format json 不符：请把文件名改为 m.json" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]


# --- CSV for Excel ------------------------------------------------------------------------------


def test_metrics_csv_file_has_a_bom_and_stdout_has_none(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    r = run(*METRICS, "-o", str(path))  # csv from the extension
    assert r.exit_code == 0, r.output
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsection,clause,name,")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert ["general", "", "工单数", "", "40", "", ""] in rows
    out = run(*METRICS, "--format", "csv").stdout
    assert out.startswith("section,clause,name,")
    assert raw.decode("utf-8-sig") == out  # the same report, only the BOM added


# --- 无数据 in the metrics summary ----------------------------------------------------------------


def test_satisfaction_without_ratings_is_no_data(tmp_path: Path) -> None:
    log = tmp_path / "t.csv"
    log.write_text("售后单号,申请时间,满意度\nA1,2026-03-02 10:00,\nA2,2026-03-03 10:00,\n", encoding="utf-8")
    r = run("metrics", str(log))
    assert r.exit_code == 0, r.output
    assert "  满意度（好评/已评价）：无数据（没有已评价的工单）\n" in r.stdout and "0/0" not in r.stdout
    log.write_text("售后单号,申请时间,满意度\nA1,2026-03-02 10:00,好评\nA2,2026-03-03 10:00,差评\n"
                   "A3,2026-03-04 10:00,好评\n", encoding="utf-8")
    assert "  满意度（好评/已评价）：2/3 = 66.67%\n" in run("metrics", str(log)).stdout


# --- the ticket template ------------------------------------------------------------------------


def test_template_keeps_order_and_after_sales_numbers_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "工单.xlsx"
    assert run("metrics", "--template", "-o", str(path)).exit_code == 0
    ws = load_workbook(path)["工单"]
    column = {c.value: c.column_letter for c in ws[1]}
    for name in ("售后单号", "订单号", "关联工单"):
        letter = column[name]
        assert ws.column_dimensions[letter].number_format == "@", name
        assert {ws[f"{letter}{row}"].number_format for row in range(2, 2002)} == {"@"}, name
    assert ws[f"{column['申请时间']}2"].number_format == "General"  # times stay dates when Excel parses them
    # a 19-digit number typed as text reads back digit for digit
    ws[f"{column['售后单号']}2"] = "4312345678901234567"
    ws[f"{column['订单号']}2"] = "3814001820260180001"
    ws[f"{column['申请时间']}2"] = "2026-03-02 10:00"
    ws.parent.save(path)
    data = json.loads(run("metrics", str(path), "--format", "json").stdout)
    assert data["rows_used"] == 1 and data["issues"] == []


# --- the Word statement's layout ------------------------------------------------------------------


def test_docx_statement_is_landscape_with_a_wide_explanation_and_unwrapped_amounts(tmp_path: Path) -> None:
    import docx
    from docx.enum.section import WD_ORIENT

    from hostplan.render.docx import SIZE_TABLE, _display_width

    out = tmp_path / "结算单.docx"
    # the domain month plus a 30% store-rating deduction: amounts up to -1500.00, a cap line, 未达标 rows
    actuals = tmp_path / "a.yaml"
    actuals.write_text("month: 2026-03\nmetrics: {SLA-1: 3次, SLA-2: 0次, SLA-3: 88%, SLA-4: 93%, SLA-5: 1次, "
                       "SLA-6: 4.3分}\n", encoding="utf-8")
    r = run("settle", APPAREL, "--actuals", str(actuals), "-o", str(out))
    assert r.exit_code == 0, r.output
    d = docx.Document(str(out))
    section = d.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    # no cover page: page 1 has the header and the page number too
    assert section.different_first_page_header_footer is False
    assert [p.text for p in section.footer.paragraphs] == ["第 1 页 共 1 页"]
    assert section.footer._element.xpath(".//w:instrText")[0].text == " PAGE "
    # a heading, not a cover title 150 pt down the first page
    assert (d.paragraphs[0].style.name, d.paragraphs[0].text) == ("Heading 1", "2026-03 月度结算单")
    table = d.tables[0]
    grid = [int(c.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
            for c in table._tbl.tblGrid.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol")]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["条款", "项目", "标准", "实际", "结果", "金额（元）", "计算与说明"]
    text_width = (section.page_width - section.left_margin - section.right_margin) // 635
    assert abs(sum(grid) - text_width) <= 1
    assert grid[6] == max(grid) and grid[6] >= 0.4 * sum(grid)
    # every amount and every result fits on one line: its width plus the cell margins (2 × 108 twips)
    for row in table.rows[1:]:
        for col in (4, 5):
            text = row.cells[col].text
            assert _display_width(text) * SIZE_TABLE * 10 + 216 <= grid[col], (text, grid[col])
    amounts = [row.cells[5].text for row in table.rows[1:]]
    assert "-1500.00" in amounts and "-500.00" in amounts

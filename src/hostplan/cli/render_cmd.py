"""`hostplan render`: the proposal as Word and Markdown."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .base import app
from .output import note, write_stdout


class Format(StrEnum):
    docx = "docx"
    md = "md"
    all = "all"


@app.command()
def render(
    spec: Annotated[Path, typer.Argument(help="YAML 规格文件", show_default=False)],
    format: Annotated[Format | None, typer.Option("--format", "-F", help="输出格式：docx（Word）、md（Markdown）或 all（两者）；省略时按 -o 的扩展名，否则为 docx")] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="输出文件或目录（以 / 结尾的目录不存在时会创建）；省略则写在规格旁边、同名（如 shop.yaml → shop.docx）。文件的扩展名须为 .docx、.md 或 .markdown，且与 --format 一致。--format all 时给出目录或不带扩展名的路径；md 可用 - 输出到标准输出")] = None,
    template_dir: Annotated[Path | None, typer.Option("--template-dir", help="自定义模板目录：其中的同名文件替换内置模板（默认读取配置中的 template-dir）")] = None,
    reference_docx: Annotated[Path | None, typer.Option("--reference-docx", help="公司 Word 文件（信笺）：沿用其样式、页面设置和页眉页脚；没有页眉页脚时用方案标题和页码；文档属性取自方案")] = None,
    date: Annotated[str | None, typer.Option("--date", help="封面编制日期 YYYY-MM-DD；默认取 SOURCE_DATE_EPOCH，再默认取服务开始日期")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="覆盖已存在的输出文件")] = False,
) -> None:
    """把规格渲染成双方签署的方案：Word（.docx）和/或 Markdown（.md）。

    同一规格两次渲染的结果逐字节相同。规格无效时列出问题、不写任何文件（退出码 2）。
    """
    from ..render.files import render_files, resolve_targets

    fmt = format.value if format else None
    targets = resolve_targets(spec, fmt, output)
    written = render_files(spec, targets, template_dir=template_dir, reference_docx=reference_docx, date=date,
                           force=force, stdout=write_stdout)
    for path in written:
        note(f"已生成 {path}")

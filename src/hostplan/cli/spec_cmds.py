"""Commands about the spec itself: new, validate, schema, categories."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import EXIT_ERROR, SpecError
from .base import app
from .output import escape, note, out_console, print_problems, write_stdout


@app.command()
def new(
    category: Annotated[str, typer.Option("--category", "-c", help="类目键，如 apparel、3c、food、home、beauty（见 hostplan categories）")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入的文件；省略则写到 proposal.yaml，用 - 输出到标准输出")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="覆盖已存在的文件")] = False,
    start: Annotated[str | None, typer.Option(help="服务开始日期 YYYY-MM-DD；默认下月 1 日，期限一年")] = None,
) -> None:
    """生成一份完整、带注释的起始方案：每个模块都有量化的默认值和类目重点条款。"""
    from ..fsutil import write_atomic
    from ..scaffold import resolve_category, shell_word, starter_spec

    begin = None
    if start:
        from ..spec.dates import parse_date

        begin = parse_date(start, "--start")
    target = output or Path("proposal.yaml")
    to_stdout = str(target) == "-"
    cat = resolve_category(category, None if to_stdout else target.resolve().parent)
    # the header's next-step commands need a file name: the one the user will redirect stdout into
    text = starter_spec(cat, start=begin, filename="proposal.yaml" if to_stdout else target.name)
    if to_stdout:
        write_stdout(text)
        return
    write_atomic(target, text, force=force)
    shown = shell_word(str(target))
    note(f"已生成 {target}（{cat.name}）。下一步：hostplan lint {shown}，然后 hostplan render {shown}")


@app.command()
def validate(
    specs: Annotated[list[Path], typer.Argument(help="一个或多个 YAML 规格文件", show_default=False)],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出问题")] = False,
) -> None:
    """只按数据模型校验规格（快速，适合编辑器与脚本）。每个问题给出 文件:行:列。"""
    from ..spec.load import load_spec

    failed = 0
    for path in specs:
        try:
            load_spec(path)
        except SpecError as exc:
            failed += 1
            print_problems(exc.problems)
            continue
        if not quiet:
            write_stdout(f"{path}: 有效\n")
    if failed:
        note(f"{failed} 个文件无效（共 {len(specs)} 个）")
        raise typer.Exit(EXIT_ERROR)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入的文件；省略则输出到标准输出")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="覆盖已存在的文件")] = False,
) -> None:
    """输出规格的 JSON Schema（供 VS Code YAML 插件补全与检查）。"""
    import json

    from ..fsutil import write_atomic
    from ..spec.schema import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None or str(output) == "-":
        write_stdout(text)
        return
    write_atomic(output, text, force=force)
    note(f"已写入 {output}。在规格文件第一行加：# yaml-language-server: $schema={output.name}")


@app.command()
def categories() -> None:
    """列出可用的类目（内置的和合同仓库 categories/ 目录里的）。"""
    from ..config import find_config
    from ..spec.categories import categories_for

    console = out_console()
    for cat in categories_for(find_config(Path.cwd())).values():
        console.print(escape(f"{cat.key:<8} {cat.name}：{cat.summary}"))

"""`hostplan lint` and `hostplan rules`: thin layers over hostplan.lint."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import HostplanError
from .base import app
from .output import out_console, write_stdout

FORMATS = ("text", "json", "sarif", "github", "junit")


def _codes(values: list[str] | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for v in values or [] for c in v.split(",") if c.strip())


@app.command()
def lint(
    paths: Annotated[list[str], typer.Argument(help="规格（.yaml）、合同（.md/.txt/.docx）或目录；- 从标准输入读取合同文本",
                                               show_default=False)],
    fmt: Annotated[str, typer.Option("--format", help="输出格式：text、json、sarif、github、junit")] = "text",
    select: Annotated[list[str] | None, typer.Option("--select", help="只运行这些规则（编号或前缀，逗号分隔），如 HP1,HP601")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="跳过这些规则（编号或前缀，逗号分隔）")] = None,
    fail_on: Annotated[str | None, typer.Option("--fail-on", help="达到此级别才以退出码 1 结束：error、warning（默认）、info")] = None,
    force_exclude: Annotated[bool, typer.Option(
        "--force-exclude",
        help="配置的 exclude 也用于命令行上直接给出的文件和目录（pre-commit 钩子逐个传入文件时用；配置中可写 force-exclude = true）")] = False,
    no_respect_gitignore: Annotated[bool, typer.Option(
        "--no-respect-gitignore",
        help="审阅目录时不跳过 git 忽略的文件（默认跳过 .gitignore 等忽略的文件和目录；配置中可写 respect-gitignore = false）")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="配置文件（默认从被审阅的路径向上查找 .hostplan.toml 或 pyproject.toml）")] = None,
    category: Annotated[str | None, typer.Option("--category", "-c", help="合同文档的类目（规格文件自带类目）")] = None,
    statistics: Annotated[bool, typer.Option("--statistics", help="按规则统计问题数量")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="有问题也以 0 退出（逐步引入时使用）")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="并行进程数（文件多于 50 个，或一份合同超过 100 万字时并行）；0 为全部 CPU，1 为不并行", min=0)] = 0,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="把报告写入文件而不是标准输出")] = None,
    force: Annotated[bool, typer.Option("--force", "-f", help="覆盖已存在的 --output 文件")] = False,
    stdin_filename: Annotated[str | None, typer.Option(
        "--stdin-filename", metavar="NAME",
        help="标准输入（-）的内容按这个文件名审阅：扩展名决定按规格（.yaml）、Word（.docx）、文本（.txt）还是 Markdown 读取，"
             "报告中的路径、配置文件的查找和 per-path-ignores 也按它（编辑器插件常用）")] = None,
) -> None:
    """审阅规格和合同：含糊措辞、未量化的标准、缺失的模块、类目重点条款、数字矛盾和违规用语。

    退出码：0 没有达到 --fail-on 级别的问题；1 有；2 用法错误，或有文件、目录无法读取（其余文件照常报告）。
    """
    from ..lint import lint_paths
    from ..lint.report import render_report

    if fmt not in FORMATS:
        raise HostplanError(f"--format {fmt}：应为 {'、'.join(FORMATS)} 之一")
    if fail_on is not None and fail_on not in ("error", "warning", "info"):
        raise HostplanError(f"--fail-on {fail_on}：应为 error、warning 或 info")
    stdin_text: bytes | None = None
    if "-" in paths:
        if sys.stdin.isatty():
            raise HostplanError("给了 - 但标准输入是终端：请用管道传入合同文本，如 cat 合同.md | hostplan lint -")
        stdin_text = sys.stdin.buffer.read()  # bytes: decoded like a file (UTF-8, or GBK noted as HP010)
    if stdin_filename is not None and "-" not in paths:
        raise HostplanError("--stdin-filename 只用于从标准输入读取时：请同时给出 -，如 cat a.yaml | hostplan lint - --stdin-filename a.yaml")
    result = lint_paths(paths, config_file=config, jobs=jobs, stdin_text=stdin_text, select=_codes(select),
                        ignore=_codes(ignore), fail_on=fail_on, category=category, stdin_name=stdin_filename,
                        force_exclude=force_exclude or None, respect_gitignore=False if no_respect_gitignore else None)
    for note in result.notes:
        sys.stderr.write(note + "\n")
    for name in result.skipped:
        sys.stderr.write(f"跳过 {name}：不是托管方案规格（顶层字段中 version、category、parties、fees 等规格字段不到两个）\n")
    if not result.files:
        if result.excluded and not result.skipped:
            sys.stderr.write("没有要审阅的文件：给出的路径都在配置的 exclude 中（--force-exclude）\n")
        if result.skipped or result.excluded:
            # only non-spec YAML (a pre-commit run on docker-compose.yml) or excluded files were named: nothing to check
            return
        raise HostplanError("没有找到可审阅的文件（.yaml/.yml 规格，.md/.txt/.docx 合同）")
    if fmt == "text" and output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from ..lint.report.text import render_rich

        # emoji=False: a position such as "x.yaml:100:1" must not become an emoji
        out_console().print(render_rich(result.findings, result.rules, result.files), end="", emoji=False,
                            highlight=False)
        text = ""
    else:
        text = render_report(fmt, result.findings, result.rules, result.files)
    if statistics:
        from ..lint.report.text import statistics as stats

        table = stats(result.findings, result.rules)
        if fmt == "text":
            text += table
        else:  # keep machine-readable output clean: the table goes to stderr
            sys.stderr.write(table)
    if output is not None:
        from ..fsutil import write_atomic

        write_atomic(output, text, force=force)
    elif text:
        write_stdout(text)
    raise typer.Exit(result.exit_code(fail_on, exit_zero))


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="规则编号（如 HP101）解释一条规则；前缀（如 HP5）列出这一族；省略则列出全部规则",
                                               show_default=False)] = None,
) -> None:
    """列出审阅规则，或解释一条规则（含错误与正确的例子）。"""
    from ..config import find_config
    from ..lint.engine import options_from_config
    from ..lint.rules import load_ruleset

    opts = options_from_config(find_config(Path.cwd()))
    ruleset = load_ruleset(opts.rules, opts.lexicons)
    wanted = (code or "").strip().upper()
    rule = ruleset.rules.get(wanted)
    if rule is None:
        # no code, or a prefix as --select takes it (HP5): the list
        listed = [r for r in sorted(ruleset.rules.values(), key=lambda r: r.code) if r.code.startswith(wanted)]
        if not listed:
            raise HostplanError(f"没有规则 {code}：用 hostplan rules 查看全部规则")
        write_stdout("\n".join(f"{r.code}  {r.severity:<7}  {r.name:<32}  {r.summary}" for r in listed) + "\n")
        return
    out = [f"{rule.code} {rule.name}（{ {'error': '错误', 'warning': '警告', 'info': '提示'}[rule.severity] }）",
           "", rule.summary, "", f"为什么：{rule.why}"]
    if rule.suggestion:
        out += ["", f"建议写法：{rule.suggestion}"]
    label = {"spec": "（规格片段）", "text": "", "none": ""}[rule.example]
    if rule.bad:
        out += ["", f"错误示例{label}：", *("    " + ln for ln in rule.bad.splitlines())]
    if rule.good:
        out += ["", f"正确示例{label}：", *("    " + ln for ln in rule.good.splitlines())]
    what = {"time": "时限", "frequency": "频率或时限", "amount": "金额或比例", "target": "要达到的数值",
            "any": "数字"}.get(rule.quantity, "数字")
    where = "这个词所在的分句或其后" if rule.quantity in ("time", "frequency", "amount") else "同一句中"
    exempt = []
    if rule.type == "lexicon" and rule.when_quantified == "skip":
        exempt.append(f"{where}写明了{what}")
    if rule.negatable and rule.type in ("lexicon", "pattern", "qualitative_obligation"):  # rules that match words
        exempt.append("“不得……”“……的，每次扣款”这类禁止或处罚条款")
    if exempt:
        out += ["", f"不报的情形：{'；'.join(exempt)}"]
    if rule.type == "lexicon" and rule.when_quantified == "info":
        out += ["", f"{where}写明了{what}时降为提示。"]
    entries = [e for e in ruleset.entries if e.rule == rule.code]
    if entries:
        out += ["", "词条（每条的例句都由测试逐条验证）："]
        for e in entries:
            out.append(f"  · {e.hint}")
            out.append(f"      会报：{'；'.join(e.match)}")
            if e.no_match:
                out.append(f"      不报：{'；'.join(e.no_match)}")
    write_stdout("\n".join(out) + "\n")

"""Printing for people: plain when not a terminal or with NO_COLOR, coloured otherwise."""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING

from ..errors import Problem

if TYPE_CHECKING:
    from rich.console import Console


def escape(text: str) -> str:
    from rich.markup import escape as _escape

    return _escape(text)


# rich is imported on first use: a clean `validate` or `lint` run should not pay for it. emoji=False: user
# text such as "第 100 行" written as ":100:" must not turn into 💯; markup is ours only (user text is escaped).
@cache
def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


@cache
def out_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, emoji=False)


def error(message: str) -> None:
    err_console().print(f"[bold red]错误[/]：{escape(message)}")


def note(message: str) -> None:
    err_console().print(escape(message), style="dim")


def print_problems(problems: list[Problem], stream: Console | None = None) -> None:
    console = stream or err_console()
    for p in problems:
        where = f"{p.path}:{p.line}:{p.column}" if p.line else p.path
        field = f" [cyan]{escape(p.field)}[/]:" if p.field else ""
        console.print(f"[bold]{escape(where)}[/]:{field} {escape(p.message)} [dim]\\[{p.code}][/]")
        if p.source:
            console.print(f"    {escape(p.source)}", style="dim")
            if p.column:
                prefix = p.source[: p.column - 1]
                width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in prefix)
                console.print("    " + " " * width + "[red]^[/]")


def write_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader left (`| head`): main() exits quietly
    except OSError as exc:
        from ..errors import HostplanError
        from ..fsutil import os_reason

        raise HostplanError(f"无法写入标准输出：{os_reason(exc)}") from None

"""The typer app that every command module registers on, and the error handling all commands share."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import typer

from ..errors import EXIT_ERROR, HostplanError, SpecError
from .zh import ZhCommand, ZhGroup


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn HostplanError into a message and exit code 2 inside every command (also under CliRunner)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SpecError as exc:
            from .output import print_problems

            print_problems(exc.problems)
            raise typer.Exit(EXIT_ERROR) from None
        except HostplanError as exc:
            from .output import error

            error(str(exc))
            raise typer.Exit(EXIT_ERROR) from None

    return wrapper


class _App(typer.Typer):
    def command(  # type: ignore[override]
        self, *args: Any, **kwargs: Any
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        kwargs.setdefault("cls", ZhCommand)
        register = super().command(*args, **kwargs)

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            register(_guarded(func))
            return func

        return decorator


app = _App(
    name="hostplan",
    cls=ZhGroup,
    help="起草与审阅网店托管（售后托管）方案：YAML 规格 → 校验 → 审阅（lint）→ Word/Markdown 合同。\n\n"
    "退出码：0 正常；1 lint 发现问题；2 无法完成（用法错误、文件无法读取、规格无效）。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    # click wraps by characters and breaks Chinese at random; cli/zh.py wraps help by display width instead
    context_settings={"help_option_names": ["-h", "--help"], "terminal_width": 10000, "max_content_width": 10000},
)



def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"hostplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", help="显示版本并退出", callback=_version, is_eager=True),
) -> None:
    """起草与审阅网店托管（售后托管）方案。"""

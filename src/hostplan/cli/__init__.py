"""The `hostplan` command: a thin typer layer over the library. Each module here registers its commands."""

from __future__ import annotations

import functools
import os
import sys
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


# Importing the command modules registers their commands on `app`.
from . import lint_cmds, render_cmd, settle_cmds, spec_cmds  # noqa: E402,F401


def _usage_error(exc: Any) -> None:
    from .zh import usage_error_text

    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":  # `hostplan` alone: the help is the answer
        sys.stderr.write(exc.format_message() + "\n")
        return
    if ctx is not None:
        command = ctx.command_path
        sys.stderr.write(f"{ctx.get_usage()}\n运行 {command} -h 查看帮助。\n\n")
    sys.stderr.write(f"错误：{usage_error_text(exc.format_message())}\n")


def main() -> None:
    import gc

    from .zh import usage_error_class

    # hostplan uses no pydantic plugins; looking them up scans every installed package's metadata (~20 ms)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # one short run that builds many small acyclic objects (findings, YAML nodes): collect less often
    gc.freeze()
    gc.set_threshold(20000, 50, 100)

    usage_error = usage_error_class()
    try:
        code = app(prog_name="hostplan", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except usage_error as exc:
        _usage_error(exc)
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:  # `hostplan lint … | head`: the reader left, nothing more to say
        sys.stderr.close()
        sys.exit(1)
    except HostplanError as exc:
        from .output import error

        error(str(exc))
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # never show a traceback to a user
        if type(exc).__name__ == "Abort":  # click's word for Ctrl-C or end of input at a prompt
            sys.exit(130)
        if os.environ.get("HOSTPLAN_DEBUG"):
            raise
        from .output import error

        error(f"内部错误：{type(exc).__name__}: {exc}（设置 HOSTPLAN_DEBUG=1 可查看详细信息）")
        sys.exit(EXIT_ERROR)

"""The `hostplan` command: a thin typer layer over the library. Each module here registers its commands."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

from ..errors import EXIT_ERROR, HostplanError
from .base import app as _app

# command -> the module that registers it. A run imports only the module of its own command: typer builds
# the parameters of every registered command on each start, and a pre-commit hook starts hostplan often.
# tests/test_cli_main.py checks this table against what the modules register.
COMMAND_MODULES = {
    "new": "spec_cmds", "validate": "spec_cmds", "schema": "spec_cmds", "categories": "spec_cmds",
    "lint": "lint_cmds", "rules": "lint_cmds", "render": "render_cmd", "metrics": "settle_cmds",
    "settle": "settle_cmds",
}


def register(command: str | None = None) -> Any:
    """Register the given command (all of them when None or unknown, so help and typo hints see every one)."""
    wanted = {COMMAND_MODULES[command]} if command in COMMAND_MODULES else set(COMMAND_MODULES.values())
    for module in sorted(wanted):
        importlib.import_module(f"{__name__}.{module}")
    return _app


def __getattr__(name: str) -> Any:
    if name == "app":  # `from hostplan.cli import app` (tests, other programs): the app with every command
        return register()
    raise AttributeError(name)


def _command_in(argv: list[str]) -> str | None:
    """The subcommand named on the command line: the first word that is not a root option."""
    return next((a for a in argv if not a.startswith("-")), None)


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
    app = register(_command_in(sys.argv[1:]))
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

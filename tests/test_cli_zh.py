"""The parser's own words reach users in Chinese: help headings, placeholders and usage errors."""

from __future__ import annotations

import re

import pytest

from conftest import run_hostplan
from hostplan.cli.zh import _width, translate_help, usage_error_text, wrap

COMMANDS = ["new", "validate", "schema", "categories", "lint", "rules", "render", "metrics", "settle"]
ENGLISH = re.compile(r"Usage:|Options:|Arguments:|Commands:|Show this message|\[required\]|\[default:|<str>|<path>|"
                     r"<int|\[OPTIONS\]|COMMAND \[ARGS\]")


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_chinese_and_aligned(command: str) -> None:
    result = run_hostplan(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("用法：hostplan")
    assert not ENGLISH.search(result.stdout), ENGLISH.search(result.stdout)
    assert "显示本帮助并退出" in result.stdout
    # every help text in the options block starts at the same display column
    block = result.stdout.split("选项：\n", 1)[1].split("\n\n", 1)[0].splitlines()
    starts = set()
    for line in block:
        m = re.match(r"(  \S.*?  +)\S", line)
        if m and not line.startswith("   "):
            starts.add(_width(m.group(1)))
    assert len(starts) == 1, block


@pytest.mark.parametrize(("args", "message"), [
    (["lint", "--bogus", "a.md"], "错误：没有选项 --bogus"),
    (["lint"], "错误：缺少参数 路径"),
    (["lint", "-j", "x", "a.md"], "错误：--jobs/-j 的值无效：“x”不是整数"),
    (["lint", "-j", "-3", "a.md"], "错误：--jobs/-j 的值无效：-3 应 ≥ 0"),
    (["lint", "a.md", "--format"], "错误：选项 --format 后面需要一个值"),
    (["rules", "HP101", "HP102", "HP103"], "错误：多余的参数：HP102 HP103"),
    (["bogus"], "错误：没有命令 bogus"),
])
def test_usage_errors_are_chinese_exit_2(args: list[str], message: str) -> None:
    result = run_hostplan(*args)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "Error" not in result.stderr and "Usage" not in result.stderr and "Traceback" not in result.stderr
    if "--format" not in args and "bogus" not in args:  # click gives no context for these two
        assert f"运行 hostplan {args[0]} -h 查看帮助" in result.stderr


def test_no_arguments_shows_the_help() -> None:
    result = run_hostplan()
    assert result.returncode == 2
    assert "用法：hostplan [选项] 命令 [参数]..." in result.stderr and "命令：" in result.stderr


def test_unknown_messages_keep_their_text_behind_a_chinese_prefix() -> None:
    assert usage_error_text("Something new happened") == "命令行参数有误：Something new happened"
    assert usage_error_text("Missing option '--month'.") == "缺少选项 --month"


def test_wrap_by_display_width() -> None:
    lines = wrap("输出文件或目录（以 / 结尾的目录不存在时会创建）；省略则写在规格旁边", 20)
    assert all(_width(ln) <= 20 for ln in lines)
    assert "".join(lines).replace(" ", "") == "输出文件或目录（以/结尾的目录不存在时会创建）；省略则写在规格旁边"
    assert not any(ln.startswith(("，", "；", "）")) for ln in lines)
    assert wrap("--format all 时给出目录", 12) == ["--format all", "时给出目录"]


def test_translate_help_realigns_columns() -> None:
    text = "Options:\n  --format <str>    格式  [default: text]\n  -j, --jobs <int range>  进程数  [default: 0; x>=0]\n"
    out = translate_help(text)
    assert "  --format <文本>    格式 [默认：text]" in out
    assert "  -j, --jobs <整数>  进程数 [默认：0；≥ 0]" in out


def test_narrow_terminal_wraps_help_by_display_width_without_adding_spaces() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "60", "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-m", "hostplan", "render", "-h"], capture_output=True, text=True,
                         env=env, check=True).stdout
    assert all(_width(line) <= 60 for line in out.splitlines()), out
    joined = "".join(out.split())
    assert "输出格式：docx（Word）、md（Markdown）或all（两者）" in joined
    # click used to break inside Chinese and the pieces were joined with spaces
    for seen in ("Markdown） 或", "读取配置 中", "页眉 页脚"):
        assert seen not in out


def test_command_table_names_the_module_that_registers_each_command() -> None:
    from hostplan.cli import COMMAND_MODULES, app

    registered = {(info.name or info.callback.__name__.replace("_", "-")): info.callback.__module__.rsplit(".", 1)[1]
                  for info in app.registered_commands if info.callback is not None}
    assert registered == COMMAND_MODULES
    assert sorted(COMMAND_MODULES) == sorted(COMMANDS)


def test_a_run_imports_only_the_module_of_its_command(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    code = ("import sys\nfrom hostplan.cli import main\nsys.argv = ['hostplan', 'rules']\n"
            "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print(code, sorted(m for m in sys.modules if m.endswith('_cmds') or m.endswith('_cmd')), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stderr.strip().splitlines()[-1] == "0 ['hostplan.cli.lint_cmds']"
    assert "HP101" in out.stdout

"""Output formats for lint findings: one module per format, each with render(findings, rules, files) -> str."""

from __future__ import annotations

import importlib

from ...errors import HostplanError
from ..finding import Finding, RuleMeta

FORMATS = ("text", "json", "sarif", "github", "junit")
_MODULES = {"json": "json_", "sarif": "sarif", "github": "github", "junit": "junit"}


def render_report(fmt: str, findings: list[Finding], rules: dict[str, RuleMeta], files: list[str]) -> str:
    """Render findings in one of FORMATS; text is for people (plain unless color=True via render_text)."""
    if fmt == "text":
        from .text import render

        return render(findings, rules, files)
    module_name = _MODULES.get(fmt)
    if module_name is None:
        raise HostplanError(f"未知的输出格式 {fmt}：可用 {'、'.join(FORMATS)}")
    try:
        module = importlib.import_module(f"{__name__}.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.endswith(module_name):
            raise HostplanError(f"输出格式 {fmt} 在此版本中不可用（缺少 hostplan.lint.report.{module_name}）") from None
        raise
    renderer = getattr(module, "render", None)
    if renderer is None:
        raise HostplanError(f"输出格式 {fmt} 在此版本中不可用（hostplan.lint.report.{module_name} 没有 render）")
    return str(renderer(findings, rules, files))

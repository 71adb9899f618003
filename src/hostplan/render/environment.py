"""The Jinja environment for proposal templates: strict, sandboxed, Markdown-escaping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import HostplanError
from ..reasons import shown
from ..resources import data_dir
from . import phrases
from .escape import finalize

MAIN_TEMPLATE = "proposal.md.j2"


def builtin_template_dir() -> Path:
    return data_dir("templates") / "proposal"


class Numbering:
    """Clause numbers as templates print headings: 一、 for sections, （一） inside a section.

    Numbers are handed out as headings are printed, so omitted modules leave no gaps.
    """

    def __init__(self) -> None:
        self.section = 0
        self.sub = 0

    def h1(self, title: str) -> str:
        self.section += 1
        self.sub = 0
        return f"{phrases.cn_number(self.section)}、{title}"

    def h2(self, title: str) -> str:
        self.sub += 1
        return f"（{phrases.cn_number(self.sub)}）{title}"


def _loader(folder: Path) -> Any:
    """A folder of templates; a file that is not UTF-8 is named with the line of its first bad byte."""
    from jinja2 import FileSystemLoader

    class Utf8Loader(FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            try:
                return super().get_source(environment, template)
            except UnicodeDecodeError as exc:
                from ..encoding import encoding_problem

                path = folder.joinpath(*template.split("/"))
                p = encoding_problem(path.read_bytes(), exc, shown(str(path)))
                raise HostplanError(f"{p.path}:{p.line}:{p.column}: 模板{p.message}") from None

    return Utf8Loader(str(folder), encoding="utf-8")


def make_environment(template_dirs: list[Path] | None = None) -> Any:
    """User template folders first (a file there replaces the built-in one of the same name), built-ins last.

    Every template runs in Jinja's sandbox with StrictUndefined: a template cannot reach Python internals,
    and a reference to a missing field fails instead of printing nothing.
    """
    from jinja2 import ChoiceLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    dirs = [*(template_dirs or []), builtin_template_dir()]
    for d in dirs:
        if not d.is_dir():
            raise HostplanError(f"{d}: 模板目录不存在")
    env = SandboxedEnvironment(
        loader=ChoiceLoader([_loader(d) for d in dirs]),
        undefined=StrictUndefined,
        finalize=finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.globals.update(
        cn_number=phrases.cn_number,
        cn_date=phrases.cn_date,
        party=phrases.party,
        party_full=phrases.party_full,
        data_source=phrases.data_source,
        period=phrases.period,
        clause=phrases.clause,
        sentence=phrases.sentence,
        join=phrases.join,
        metric_name=phrases.metric_name,
        comparator=phrases.comparator,
        threshold_text=phrases.threshold_text,
        measurement_text=phrases.measurement_text,
        remedy_text=phrases.remedy_text,
        prepay_text=phrases.prepay_text,
        deduction_limit_text=phrases.deduction_limit_text,
        cap_text=phrases.cap_text,
        goal_target=phrases.goal_target,
        goal_by=phrases.goal_by,
        condition_breach=phrases.condition_breach,
        trial_months_text=phrases.trial_months_text,
        step_text=phrases.step_text,
        prepay_name=lambda p: phrases.PREPAY_NAMES.get(p, p),
    )
    return env

"""Spec -> Markdown through the proposal templates. The Word output is built from this same text."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import HostplanError, Problem, SpecError
from ..spec.load import LoadedSpec, format_loc, source_line
from .environment import MAIN_TEMPLATE, Numbering, make_environment
from .escape import BAD_XML_CHARS


@dataclass(frozen=True)
class EmphasisClause:
    key: str
    title: str
    text: str


def document_date(loaded: LoadedSpec, date: dt.date | str | None = None) -> dt.date:
    """--date, else SOURCE_DATE_EPOCH, else the start of the term: never today, so output is reproducible."""
    if isinstance(date, dt.date):
        return date
    if date:
        from ..spec.dates import parse_date

        return parse_date(date, "--date")
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise HostplanError(f"SOURCE_DATE_EPOCH={epoch}: 应为 Unix 时间戳（整数秒）") from None
    return loaded.spec.term.start


# printed where the checksum goes, then replaced by the digest of the text around it
CHECKSUM_SLOT = "\ue000hostplan-checksum\ue000"


def fill_checksum(text: str) -> str:
    """A short fingerprint of the whole rendered text (everything but the fingerprint itself), printed on the
    cover so both parties can tell at a glance that they hold the same version."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8].upper()
    return text.replace(CHECKSUM_SLOT, digest)


def check_storable(loaded: LoadedSpec, destination: str = "Word 或 Markdown 文档") -> None:
    """Refuse control characters (Word cannot store them, and in a contract they are invisible junk), naming
    the field, its position and the file that could not be written.

    The spec loader refuses most of them already; this also covers specs built in code. The code is HP005
    (a wrong value), like the loader's other value problems.
    """
    problems: list[Problem] = []

    def walk(value: Any, loc: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*loc, str(k)))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*loc, i))
        elif isinstance(value, str):
            m = BAD_XML_CHARS.search(value)
            if m:
                line, col = loaded.positions.find(loc)
                problems.append(Problem(
                    loaded.path, line, col, format_loc(loc),
                    f"含有不可见的控制字符 U+{ord(m.group()):04X}（第 {m.start() + 1} 个字符），"
                    f"不能写入 {destination}：请删除后再渲染",
                    "HP005", source_line(loaded.text, line)))

    walk(loaded.data, ())
    if problems:
        raise SpecError(problems)


def emphasis_clauses(loaded: LoadedSpec) -> tuple[str, list[EmphasisClause]]:
    """The category's name and the spec's emphasis clauses, in the category file's order, titled from it."""
    from ..spec.categories import known_categories

    spec = loaded.spec
    cats = known_categories(Path(loaded.path).resolve().parent)
    cat = cats.get(spec.category)
    titles = {c.key: c.title for c in cat.clauses} if cat else {}
    order = list(titles) + [k for k in spec.emphasis if k not in titles]
    out = [EmphasisClause(k, spec.emphasis[k].title or titles.get(k, k), spec.emphasis[k].text)
           for k in order if k in spec.emphasis]
    return (cat.name if cat else spec.category), out


def worked_example(loaded: LoadedSpec) -> str | None:
    """A worked example of deductions from the settlement code (plain text, escaped like spec text), if any."""
    try:
        from ..settle import worked_example as make  # type: ignore[attr-defined]

        text = make(loaded.spec)
    except (ImportError, AttributeError):  # settlement not installed or without worked examples
        return None
    return str(text) if text else None


@cache
def _environment(template_dirs: tuple[Path, ...]) -> Any:
    return make_environment(list(template_dirs))


def template_dirs_for(spec_path: str | Path, template_dir: str | Path | None = None) -> list[Path]:
    """--template-dir wins; otherwise `template-dir` from the repo config (.hostplan.toml / pyproject)."""
    if template_dir is not None:
        return [Path(template_dir).resolve()]
    from ..config import find_config

    return find_config(Path(spec_path).resolve().parent).paths("template-dir")


def render_markdown(loaded: LoadedSpec, *, template_dirs: list[Path] | None = None,
                    date: dt.date | str | None = None, destination: str = "Word 或 Markdown 文档") -> str:
    """Render a loaded, valid spec to the proposal's Markdown text.

    destination names what is being written (Word 文件 shop.docx) in the messages about characters that
    cannot be written there. Template problems name the template file and line.
    """
    check_storable(loaded, destination)
    env = _environment(tuple(template_dirs or ()))
    category_name, emphasis = emphasis_clauses(loaded)
    context = {
        "spec": loaded.spec,
        "date": document_date(loaded, date),
        "checksum": CHECKSUM_SLOT,
        "category_name": category_name,
        "emphasis": emphasis,
        "worked_example": worked_example(loaded),
        "num": Numbering(),
    }
    try:
        text = env.get_template(MAIN_TEMPLATE).render(context)
    except HostplanError:
        raise
    except Exception as exc:  # anything a template can do wrong, reported at its file and line
        from .template_errors import describe

        raise HostplanError(describe(exc, env)) from None
    m = BAD_XML_CHARS.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise HostplanError(f"模板输出的第 {line} 行含有不可见的控制字符 U+{ord(m.group()):04X}，"
                            f"不能写入 {destination}：请检查模板")
    return fill_checksum(tidy(text))


def tidy(text: str) -> str:
    """At most one blank line between blocks and exactly one newline at the end (stable diffs)."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"

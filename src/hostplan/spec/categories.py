"""Category emphasis as data: categories/<key>.yaml, built in and from a contract repo's own folders."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..config import Config, find_config
from ..errors import HostplanError, SpecError
from ..resources import data_dir


@dataclass(frozen=True)
class Clause:
    key: str  # written under the spec's emphasis
    title: str
    text: str  # the default clause text `hostplan new` fills in
    keywords: tuple[tuple[str, ...], ...]  # a document has the clause when all words of one group occur
    why: str


@dataclass(frozen=True)
class Category:
    key: str
    name: str  # 服饰鞋包
    summary: str
    clauses: tuple[Clause, ...]
    aliases: tuple[str, ...] = ()
    source: str = field(default="", compare=False)  # the file it came from


@cache
def schema() -> Any:
    """The pydantic model a category file is checked against (built on first use: the built-in files are
    checked by the test suite, so linting with them alone never loads pydantic)."""
    from pydantic import BaseModel, ConfigDict, Field

    class Clause(BaseModel):
        model_config = ConfigDict(extra="forbid")

        key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="条款键，写在规格的 emphasis 下")
        title: str = Field(min_length=1, description="条款标题")
        text: str = Field(min_length=1, description="默认条款正文（hostplan new 填入）")
        keywords: list[list[str]] = Field(
            min_length=1, description="在合同文档中识别此条款的关键词组：任一组的词全部出现即视为已写"
        )
        why: str = Field(min_length=1, description="为什么此类目必须写这一条")

    class Category(BaseModel):
        model_config = ConfigDict(extra="forbid")

        key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
        name: str = Field(min_length=1, description="中文名称，如 服饰鞋包")
        summary: str = Field(min_length=1, description="一句话说明此类目的侧重点")
        aliases: list[str] = Field(default_factory=list)
        clauses: list[Clause] = Field(min_length=1)

    return Category


def _build(data: dict[str, Any], source: str) -> Category:
    clauses = tuple(Clause(c["key"], c["title"], c["text"], tuple(tuple(g) for g in c["keywords"]), c["why"])
                    for c in data["clauses"])
    return Category(data["key"], data["name"], data["summary"], clauses, tuple(data.get("aliases") or ()), source)


def _load_builtin(path: Path) -> Category:
    import yaml

    text = path.read_text(encoding="utf-8")
    return _build(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), str(path))


def _load_file(path: Path) -> Category:
    """A repo's category file, read like a spec: every problem in Chinese at its file:line:col."""
    from pydantic import ValidationError

    from .load import parse_yaml, read_text, validation_problems

    try:
        text = read_text(path, str(path), kind="类目文件")
        data, positions = parse_yaml(text, str(path), empty="类目文件为空：请参照内置的 categories/*.yaml 填写")
    except SpecError as exc:
        raise HostplanError(f"类目文件无法读取：{exc}") from None
    model = schema()
    try:
        checked = model.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, data, positions, str(path), text, root=model)
        raise HostplanError("类目文件格式错误：" + "；".join(p.format() for p in problems[:3])) from None
    if checked.key != path.stem:
        raise HostplanError(f"{path}: 类目键 {checked.key} 应与文件名 {path.stem} 一致")
    return _build(checked.model_dump(), str(path))


@cache
def _load_dir(folder: Path) -> tuple[Category, ...]:
    load = _load_builtin if folder == data_dir("categories") else _load_file
    return tuple(load(p) for p in sorted(folder.glob("*.yaml")))


def categories_for(config: Config) -> dict[str, Category]:
    """Built-in categories, then the repo's own (a repo file with the same key replaces the built-in one)."""
    out: dict[str, Category] = {}
    for folder in (data_dir("categories"), *config.category_dirs()):
        if os.path.isdir(folder):  # not Path.is_dir(), which raises for a folder inside one that cannot be searched
            for cat in _load_dir(folder):
                out[cat.key] = cat
    return out


def known_categories(start: Path) -> dict[str, Category]:
    """Every category visible from a folder, keyed by key and by each alias."""
    cats = categories_for(find_config(start))
    out = dict(cats)
    for cat in cats.values():
        for alias in cat.aliases:
            out.setdefault(alias, cat)
    return out

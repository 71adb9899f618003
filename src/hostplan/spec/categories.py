"""Category emphasis as data: categories/<key>.yaml, built in and from a contract repo's own folders."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config import Config, find_config
from ..errors import HostplanError, SpecError
from ..resources import data_dir


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
    source: str = ""  # the file it came from


def _load_file(path: Path) -> Category:
    """A category file, read like a spec: every problem in Chinese at its file:line:col."""
    from .load import parse_yaml, read_text, validation_problems

    try:
        text = read_text(path, str(path), kind="类目文件")
        data, positions = parse_yaml(text, str(path), empty="类目文件为空：请参照内置的 categories/*.yaml 填写")
    except SpecError as exc:
        raise HostplanError(f"类目文件无法读取：{exc}") from None
    try:
        cat = Category.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, data, positions, str(path), text, root=Category)
        raise HostplanError("类目文件格式错误：" + "；".join(p.format() for p in problems[:3])) from None
    if cat.key != path.stem:
        raise HostplanError(f"{path}: 类目键 {cat.key} 应与文件名 {path.stem} 一致")
    return cat.model_copy(update={"source": str(path)})


@cache
def _load_dir(folder: Path) -> tuple[Category, ...]:
    return tuple(_load_file(p) for p in sorted(folder.glob("*.yaml")))


def categories_for(config: Config) -> dict[str, Category]:
    """Built-in categories, then the repo's own (a repo file with the same key replaces the built-in one)."""
    out: dict[str, Category] = {}
    for folder in (data_dir("categories"), *config.category_dirs()):
        if folder.is_dir():
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

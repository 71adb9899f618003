"""Choosing output paths and writing them safely: check every target first, write each atomically."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import HostplanError
from ..formats import EXTENSIONS, NAMES, extension, format_of, supported
from ..fsutil import check_writable, os_reason, write_atomic

FORMATS = ("docx", "md")


@dataclass(frozen=True)
class Target:
    format: str  # "docx" or "md"
    path: Path | None  # None: standard output (Markdown only)
    make_dir: bool = False  # -o out/ names a folder to create once rendering has succeeded


def describe(target: Target) -> str:
    """The target as messages name it: Word 文件 out/shop.docx, or Markdown（标准输出）."""
    name = NAMES[target.format]
    return f"{name} 文件 {target.path}" if target.path is not None else f"{name}（标准输出）"


def resolve_targets(spec: Path, fmt: str | None, output: Path | str | None) -> list[Target]:
    """Where each format goes. Default: next to the spec with the same stem. A string output ending in a
    slash (out/) names a folder, created if missing. A file's extension must be .docx, .md or .markdown and
    match --format; with --format all, a path without extension (or with one of those) gets each format's."""
    want_dir = isinstance(output, str) and output.endswith(("/", os.sep)) and output != "-"
    if isinstance(output, str):
        output = Path(output)
    if output is not None and str(output) == "-":
        if fmt not in (None, "md"):
            raise HostplanError("-o - 只能用于 --format md：Word 文件不能输出到终端")
        return [Target("md", None)]
    is_dir = output is not None and (want_dir or output.is_dir())
    if output is not None and not is_dir and fmt != "all":
        fmt = format_of(output, fmt, FORMATS, folder_hint=True)
    if output is not None and not is_dir and fmt == "all" and output.suffix \
            and EXTENSIONS.get(output.suffix.lower()) not in FORMATS:
        raise HostplanError(f"-o {output}：--format all 需要目录或不带扩展名的路径（扩展名 {output.suffix} 无法识别）。"
                            f"{supported(FORMATS)}")
    formats = ["docx", "md"] if fmt == "all" else [fmt or "docx"]
    targets = []
    for f in formats:
        if output is None:
            path = spec.with_suffix(extension(f))
        elif is_dir:
            path = output / (spec.stem + extension(f))
        elif len(formats) > 1:
            # --format all: a path whose extension is replaced for each format
            path = output.with_suffix(extension(f))
        else:
            path = output
        targets.append(Target(f, path, make_dir=want_dir and not path.parent.is_dir()))
    if len({t.path for t in targets}) < len(targets):
        raise HostplanError(f"{output}: 两种格式不能写到同一个文件")
    return targets


def render_files(spec_path: Path, targets: list[Target], *, template_dir: Path | None = None,
                 reference_docx: Path | None = None, date: str | dt.date | None = None,
                 force: bool = False, stdout: Callable[[str], None] | None = None) -> list[Path]:
    """Render every target in memory, check none would overwrite a file, then write each atomically.

    An invalid spec raises SpecError before anything is written; the document date never comes from the
    clock, so the same inputs give the same bytes.
    """
    from ..spec.load import load_spec
    from .docx import render_docx
    from .markdown import document_date, render_markdown, template_dirs_for

    for t in targets:
        if t.path is not None:
            check_writable(t.path, force)
            if not t.make_dir and not t.path.parent.is_dir() and str(t.path.parent):
                raise HostplanError(f"{t.path}: 目录 {t.path.parent} 不存在")
    if reference_docx is not None and not reference_docx.is_file():
        raise HostplanError(f"{reference_docx}: 参考文档不存在")
    loaded = load_spec(spec_path)
    day = document_date(loaded, date)
    destination = " 和 ".join(describe(t) for t in targets)
    markdown = render_markdown(loaded, template_dirs=template_dirs_for(spec_path, template_dir), date=day,
                               destination=destination)
    outputs: list[tuple[Target, bytes | str]] = []
    for t in targets:
        if t.format == "md":
            outputs.append((t, markdown))
        else:
            outputs.append((t, render_docx(markdown, title=loaded.spec.title, date=day,
                                           reference_docx=reference_docx)))
    written = []
    for t, data in outputs:
        if t.path is None:
            if stdout is None:
                raise HostplanError("没有给出输出文件")
            stdout(data if isinstance(data, str) else data.decode("utf-8"))
            continue
        try:
            if t.make_dir:
                t.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(t.path, data, force=force, what=describe(t))
        except OSError as exc:  # creating the folder
            raise HostplanError(f"无法写入 {describe(t)}：{os_reason(exc)}") from None
        written.append(t.path)
    return written

"""Choosing output paths and writing them safely: check every target first, write each atomically."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import HostplanError
from ..fsutil import check_writable, write_atomic

SUFFIXES = {"docx": ".docx", "md": ".md"}
MD_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class Target:
    format: str  # "docx" or "md"
    path: Path | None  # None: standard output (Markdown only)
    make_dir: bool = False  # -o out/ names a folder to create once rendering has succeeded


def resolve_targets(spec: Path, fmt: str | None, output: Path | str | None) -> list[Target]:
    """Where each format goes. Default: next to the spec with the same stem. A string output ending in a
    slash (out/) names a folder, created if missing."""
    want_dir = isinstance(output, str) and output.endswith(("/", os.sep)) and output != "-"
    if isinstance(output, str):
        output = Path(output)
    if fmt is None and output is not None and str(output) == "-":
        fmt = "md"
    if fmt is None:
        suffix = output.suffix.lower() if output is not None else ""
        fmt = "md" if suffix in MD_SUFFIXES else "docx"
    formats = ["docx", "md"] if fmt == "all" else [fmt]
    if output is not None and str(output) == "-":
        if formats != ["md"]:
            raise HostplanError("-o - 只能用于 --format md：Word 文件不能输出到终端")
        return [Target("md", None)]
    targets = []
    for f in formats:
        if output is None:
            path = spec.with_suffix(SUFFIXES[f])
        elif want_dir or output.is_dir():
            path = output / (spec.stem + SUFFIXES[f])
        elif len(formats) > 1:
            # --format all: a path whose extension is replaced for each format
            path = output.with_suffix(SUFFIXES[f])
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
    markdown = render_markdown(loaded, template_dirs=template_dirs_for(spec_path, template_dir), date=day)
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
        if t.make_dir:
            t.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(t.path, data, force=force)
        written.append(t.path)
    return written

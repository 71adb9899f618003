"""Output formats and the file extensions that name them: one table for render, settle and metrics."""

from __future__ import annotations

from pathlib import Path

from .errors import HostplanError

# every extension -o accepts, and the format it means; a format's first extension is its default
EXTENSIONS = {".txt": "text", ".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md", ".docx": "docx"}
NAMES = {"text": "文本", "json": "JSON", "csv": "CSV", "md": "Markdown", "docx": "Word"}


def extension(fmt: str) -> str:
    return next(ext for ext, f in EXTENSIONS.items() if f == fmt)


def supported(allowed: tuple[str, ...]) -> str:
    return "支持的格式：" + "、".join(
        " 或 ".join(ext for ext, f in EXTENSIONS.items() if f == fmt) + f"（{NAMES[fmt]}，--format {fmt}）"
        for fmt in allowed)


def format_of(output: Path, fmt: str | None, allowed: tuple[str, ...], *, folder_hint: bool = False) -> str:
    """The format a single -o file gets: its extension must name one of allowed, and agree with --format if
    given. Anything else is an input error before work starts: a .pdf holding Word bytes, or a .docx holding
    plain text, would mislead whoever opens it. folder_hint: the command also takes a folder (out/)."""
    meant = EXTENSIONS.get(output.suffix.lower())
    if meant not in allowed:
        what = f"扩展名 {output.suffix}" if output.suffix else "没有扩展名"
        hint = "；要写到目录请以 / 结尾" if folder_hint and not output.suffix else ""
        raise HostplanError(f"-o {output}：{what}，无法确定输出格式。{supported(allowed)}{hint}")
    if fmt is not None and fmt != meant:
        raise HostplanError(f"-o {output}：扩展名 {output.suffix} 是 {NAMES[meant]}，与 --format {fmt} 不符："
                            f"请把文件名改为 {output.with_suffix(extension(fmt)).name}，或去掉 --format。"
                            f"{supported(allowed)}")
    return meant

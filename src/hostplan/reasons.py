"""Why an input could not be read, in the user's words: an OS error, a file that is not a Word document.

Python's own texts ("[Errno 2] No such file or directory", "Package not found at 'x.docx'") are English and
say what failed inside a library, not what is wrong with the user's file; everything here says the latter.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

from .errors import HostplanError

_READ_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中的某一级不是目录",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ELOOP: "符号链接形成了循环",
    errno.EIO: "读取时发生输入/输出错误（磁盘或网络盘故障？）",
}


def read_reason(exc: OSError) -> str:
    """Why a file could not be read (fsutil.os_reason says why one could not be written)."""
    if exc.errno in _READ_REASONS:
        return _READ_REASONS[exc.errno]
    name = errno.errorcode.get(exc.errno or 0)
    return f"无法读取（系统错误 {name}）" if name else "无法读取"


def shown(path: str | Path) -> str:
    """A path as the user would type it: relative to the working folder when it is under it."""
    text = str(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return text
    return text if rel.startswith("..") else rel


class NotWord(HostplanError):
    """A file python-docx cannot open; the message is the reason only (the caller names the file)."""


_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")  # Word 97-2003 .doc, and also an encrypted .docx


def open_word(path: Path) -> Any:
    """The python-docx Document, or NotWord with the reason (imports python-docx)."""
    import docx

    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx, zipfile and lxml raise many kinds for a file that is not Word
        raise NotWord(why_not_word(path, exc)) from None


def why_not_word(path: Path, exc: BaseException) -> str:
    """What the file is instead of a Word document, judged from its first bytes and its zip contents."""
    import zipfile

    if path.is_dir():
        return read_reason(IsADirectoryError(errno.EISDIR, ""))
    if isinstance(exc, OSError):
        return read_reason(exc)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as err:
        return read_reason(err)
    if not head:
        return "文件是空的"
    if head.startswith(_OLE2):
        return "这是旧版 Word 97–2003（.doc）文件或加了密码的文档，请在 Word 中另存为不加密的 .docx"
    if head.startswith(b"%PDF"):
        return "这是 PDF 文件"
    if head.startswith(b"{\\rtf"):
        return "这是 RTF 文件，请在 Word 中另存为 .docx"
    if not zipfile.is_zipfile(path):
        return "格式不对（.docx 是 zip 压缩包，这个文件不是），可能已损坏、下载不完整，或只是改了扩展名"
    text = str(exc)
    if isinstance(exc, ValueError) and "content type is" in text:
        if "spreadsheetml" in text:
            return "这是 Excel 文件（.xlsx）"
        if "presentationml" in text:
            return "这是 PowerPoint 文件（.pptx）"
        return "这是 Office 文件，但不是 Word 文档"
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        names = set()
    if names and "[Content_Types].xml" not in names:
        return "它是 zip 压缩包，但不是 Word 文档（其中没有 [Content_Types].xml）"
    if isinstance(exc, KeyError):
        return "文件已损坏（缺少 Word 文档的组成部分）"
    if isinstance(exc, SyntaxError):  # lxml's XMLSyntaxError
        return "文件已损坏（其中的 XML 无法解析）"
    if isinstance(exc, (zipfile.BadZipFile, EOFError)) or type(exc).__name__ == "error":  # zlib.error
        return "文件已损坏（zip 数据有误，可能下载不完整）"
    return "文件已损坏，无法读取"

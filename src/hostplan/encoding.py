"""Text files that are not UTF-8: where they stop being UTF-8 (one message for every kind of input), and
whether the bytes are a Chinese text saved as GBK, as Windows Notepad's "ANSI" does."""

from __future__ import annotations

from .errors import Problem

# Frequent characters of Chinese contract text. GB18030 decodes almost any bytes, so bytes count as GBK only
# when the result reads as Chinese: Big5 or Shift-JIS bytes decode to rare characters instead.
_COMMON_CHARS = frozenset(
    "的一是不了在人有我这中大来上个到说们为和地出也时年得就要下以生会着去之过家对可里后小么心多天而能好都然没日于起"
    "还发成事只作当想看文无开手十用主行方又如前所本见经头面同三已老从动两长知民样现分将外但身些与高意进把法此实回二"
    "理点月明其种声全工己话向情部正名定问力机给等应服务款费按内条须负责商甲乙双协议合同期间")
_MIN_COMMON_SHARE = 0.15  # contracts: 0.3-0.5 of their Chinese characters; Big5 read as GBK: about 0.05


def gbk_text(raw: bytes) -> str | None:
    """raw read as GB18030 (a superset of GBK) if that decodes and reads as Chinese, else None."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han or sum(c in _COMMON_CHARS for c in han) < _MIN_COMMON_SHARE * len(han):
        return None
    return text


def encoding_problem(raw: bytes, exc: UnicodeDecodeError, name: str) -> Problem:
    """Where a file stops being UTF-8: 1-based line and column (in characters, as an editor counts them) and
    the byte offset, so every command reports the same position."""
    bad = exc.start
    line_start = raw.rfind(b"\n", 0, bad) + 1
    line = raw.count(b"\n", 0, bad) + 1
    before = raw[line_start:bad].decode("utf-8-sig" if line_start == 0 else "utf-8", "replace")
    gbk = gbk_text(raw) is not None
    hint = "看起来是 GBK/GB18030 编码，请用编辑器另存为 UTF-8" if gbk else "请用编辑器另存为 UTF-8"
    end_of_line = raw.find(b"\n", bad)
    line_bytes = raw[line_start: end_of_line if end_of_line >= 0 else len(raw)]
    shown = ""
    if gbk:  # show the line, and count the column, as the user's editor does: GBK bytes read as UTF-8 are noise
        try:
            shown = line_bytes.decode("gb18030")
            before = raw[line_start:bad].decode("gb18030")
        except UnicodeDecodeError:
            shown = ""
    column = len(before) + 1
    shown = (shown or line_bytes.decode("utf-8", "replace")).rstrip("\r")
    message = (f"文件必须是 UTF-8 编码：第 {line} 行第 {column} 列（文件第 {bad + 1} 个字节，"
               f"0x{raw[bad]:02X}）不是有效的 UTF-8：{hint}")
    return Problem(name, line, column, "", message, "HP001", shown)

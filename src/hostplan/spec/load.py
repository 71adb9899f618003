"""YAML spec -> Python data with line:column for every value -> Spec, with every problem mapped back
to its position in the file.

Scalars are resolved here rather than by PyYAML's YAML 1.1 rules, so `9:00` stays a string (not 540),
`yes` stays a word and dates are left to pydantic. Alias expansion and file size are bounded, so a
billion-laughs file or a 50 MB file fails fast with a message instead of hanging.
"""

from __future__ import annotations

import difflib
import itertools
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from ..encoding import encoding_problem
from ..errors import Problem, SpecError
from ..reasons import read_reason
from .chars import CONTROL_RE, control_label, visible
from .dates import date_problem
from .yamlerrors import translate

if TYPE_CHECKING:
    from .model import Spec

MAX_BYTES = 2 * 1024 * 1024  # a real spec is a few KB
MAX_NODES = 100_000  # constructed values, counting each alias expansion

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """_scalar() types plain scalars from their text, so PyYAML's per-node regex resolver is skipped."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return "tag:yaml.org,2002:merge" if implicit[0] and value == "<<" else "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


INT_RE = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")  # as YAML reads ints: "08" and "𑱐" stay text
FLOAT_RE = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
NULLS = {"", "~", "null", "Null", "NULL"}
BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}

Loc = tuple[str | int, ...]


@dataclass
class Positions:
    """Where each value (and each mapping key) sits in the file; 0-based line/column as PyYAML gives."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    # 0-based exclusive end column, for nodes that end on the line they start on: `300%` inside
    # `{percent: 300%}` ends before the brace, which the text of the line alone cannot tell
    value_ends: dict[Loc, int] = field(default_factory=dict)
    key_ends: dict[Loc, int] = field(default_factory=dict)

    def find(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """1-based line/column of loc, or of its nearest ancestor that has a position."""
        line, col, _ = self.span(loc, key)
        return line, col

    def span(self, loc: Loc, key: bool = False) -> tuple[int, int, int]:
        """find(), with the 1-based exclusive end column of the same node (0 when it ends on a later line)."""
        table, ends = (self.keys, self.key_ends) if key else (self.values, self.value_ends)
        probe = tuple(loc)
        while probe:
            if probe in table:
                line, col = table[probe]
                end = ends.get(probe, -1)
                return line + 1, col + 1, end + 1
            if probe in self.values:
                line, col = self.values[probe]
                return line + 1, col + 1, self.value_ends.get(probe, -1) + 1
            probe = probe[:-1]
        line, col = self.values.get((), (0, 0))
        return line + 1, col + 1, self.value_ends.get((), -1) + 1


@dataclass
class LoadedSpec:
    path: str
    text: str
    data: dict[str, Any]
    positions: Positions
    spec: Spec


def read_text(path: str | Path, display: str | None = None, kind: str = "规格文件") -> str:
    """Read a UTF-8 text file; every way it can fail becomes a SpecError naming the file (kind: what it should be)."""
    p = Path(path)
    name = display or str(path)
    try:
        if p.is_dir():
            raise SpecError([Problem(name, 0, 0, "", f"这是一个目录，不是文件：请给出 .yaml {kind}的路径", "HP001")])
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise SpecError([Problem(name, 0, 0, "", f"文件过大（{size / 1024 / 1024:.1f} MB）：{kind}上限为 "
                                     f"{MAX_BYTES // 1024 // 1024} MB，请确认没有选错文件", "HP001")])
        raw = p.read_bytes()
    except OSError as exc:
        raise SpecError([Problem(name, 0, 0, "", read_reason(exc), "HP001")]) from None
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError([encoding_problem(raw, exc, name)]) from None


def _scalar(node: yaml.ScalarNode) -> Any:
    value = node.value
    if node.style:  # quoted or block scalar: always text (plain is None or "")
        return value
    if node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"):
        return value
    if value in NULLS:
        return None
    if value in BOOLS:
        return BOOLS[value]
    if INT_RE.match(value):
        return int(value)
    if FLOAT_RE.match(value):
        return float(value)
    return value


class _Builder:
    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.positions = Positions()
        self.count = 0
        self.problems: list[Problem] = []
        self.duplicates: list[Problem] = []  # HP006: reported, but the reading goes on (see build)

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise SpecError([Problem(self.name, node.start_mark.line + 1, node.start_mark.column + 1, "",
                                     f"YAML 展开后超过 {MAX_NODES} 个值：锚点/别名（& 和 *）嵌套过深，"
                                     "疑似“十亿笑声”炸弹，已停止解析", "HP002")])
        start, end = node.start_mark, node.end_mark
        if loc not in self.positions.values:
            self.positions.values[loc] = (start.line, start.column)
            if end.line == start.line:
                self.positions.value_ends[loc] = end.column
        if isinstance(node, yaml.ScalarNode):
            if node.style == '"':  # escapes (\a, \x07) make control characters the raw-text check cannot see
                bad = CONTROL_RE.search(node.value)
                if bad:
                    where = loc[:-1] if loc and loc[-1] == "<key>" else loc
                    self.problems.append(self._problem(
                        node, where, f"转义序列产生了控制字符 {control_label(bad.group())}：合同文本中不能有控制字符"
                        "（Word 文档也无法保存它们），请删除这个转义", "HP005"))
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*loc, i)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, (*loc, "<key>"))
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(self._problem(key_node, loc, "不支持 YAML 合并键（<<），请直接写出各字段", "HP002"))
                    continue
                if not isinstance(key, str):
                    key = str(key)
                child = (*loc, key)
                if key in out:
                    # the last value wins, as in every YAML loader and as the message says, so the rest of the
                    # spec is still validated and checked; positions then point into the value that is used
                    self.duplicates.append(self._problem(key_node, child, f"重复的键 {key}：后一个会覆盖前一个，请合并",
                                                         "HP006"))
                    self._forget(child)
                self.positions.keys[child] = (key_node.start_mark.line, key_node.start_mark.column)
                if key_node.end_mark.line == key_node.start_mark.line:
                    self.positions.key_ends[child] = key_node.end_mark.column
                out[key] = self.build(value_node, child)
            return out
        raise SpecError([self._problem(node, loc, "无法识别的 YAML 节点", "HP002")])

    def _forget(self, loc: Loc) -> None:
        """Drop the positions of loc and everything under it (a value a duplicate key replaces)."""
        n = len(loc)
        p = self.positions
        for table in (p.values, p.value_ends, p.keys, p.key_ends):
            for old in [k for k in table if k[:n] == loc]:
                del table[old]

    def _problem(self, node: yaml.Node, loc: Loc, message: str, code: str) -> Problem:
        start, end = node.start_mark, node.end_mark
        return Problem(self.name, start.line + 1, start.column + 1, format_loc(loc), message, code,
                       source_line(self.text, start.line + 1), end.column + 1 if end.line == start.line else 0)


def source_line(text: str, line: int) -> str:
    if line < 1:
        return ""
    # lines end at \n only (as PyYAML and editors count them); splitlines() would also split at \x0b, \x1c, U+2028
    lines = text.split("\n")
    return lines[line - 1].removesuffix("\r") if line <= len(lines) else ""


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


MAX_CONTROL_PROBLEMS = 20  # one pasted binary blob is not worth a thousand lines


def control_problems(text: str, name: str) -> list[Problem]:
    """Every control character in the text (comments included), at its line:column. PyYAML would reject
    most of them in English without a line; one hidden in a value would make the .docx unwritable."""
    out: list[Problem] = []
    found = list(itertools.islice(CONTROL_RE.finditer(text), MAX_CONTROL_PROBLEMS + 1))
    for m in found[:MAX_CONTROL_PROBLEMS]:
        i = m.start()
        line = text.count("\n", 0, i) + 1
        col = i - (text.rfind("\n", 0, i) + 1) + 1
        out.append(Problem(name, line, col, "", f"有控制字符 {control_label(m.group())}："
                           "合同文本中不能有控制字符（Word 文档也无法保存它们），请删除", "HP002",
                           visible(source_line(text, line))))
    if len(found) > MAX_CONTROL_PROBLEMS:
        total = sum(1 for _ in CONTROL_RE.finditer(text))
        out.append(Problem(name, 0, 0, "", f"共有 {total} 个控制字符，只列出了前 {MAX_CONTROL_PROBLEMS} 个："
                           "文件可能不是文本文件", "HP002"))
    return out


EMPTY_SPEC = "文件为空：请用 hostplan new --category apparel 生成一份起始方案"


def parse_yaml(text: str, name: str, empty: str = EMPTY_SPEC) -> tuple[Any, Positions]:
    """YAML text -> (data, positions); control characters, syntax errors, bombs and duplicate keys raise
    SpecError (empty: the message for a file with no YAML value)."""
    data, positions, duplicates = read_yaml(text, name, empty)
    if duplicates:
        raise SpecError(duplicates)
    return data, positions


def read_yaml(text: str, name: str, empty: str = EMPTY_SPEC) -> tuple[Any, Positions, list[Problem]]:
    """parse_yaml(), but duplicate keys (HP006) are returned rather than raised, with the data holding the
    last value of each, so a caller can report them beside what else is wrong with the file."""
    controls = control_problems(text, name)
    if controls:
        raise SpecError(controls)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line, col, message = translate(exc, text)
        raise SpecError([Problem(name, line, col, "", message, "HP002", source_line(text, line))]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem(name, 0, 0, "", f"YAML 语法错误：无法解析（{exc}）", "HP002")]) from None
    except RecursionError:
        raise SpecError([Problem(name, 0, 0, "", "YAML 嵌套过深，已停止解析", "HP002")]) from None
    if node is None:
        raise SpecError([Problem(name, 1, 1, "", empty, "HP004")])
    builder = _Builder(name, text)
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise SpecError([Problem(name, 0, 0, "", "YAML 嵌套过深，已停止解析", "HP002")]) from None
    if builder.problems:
        raise SpecError(sorted(builder.problems + builder.duplicates, key=lambda p: (p.line, p.column)))
    return data, builder.positions, builder.duplicates


# --- pydantic errors -> problems ----------------------------------------------------------------

_MESSAGES = {
    "missing": "缺少必填字段 {field}",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "float_type": "应为数字",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期，格式 YYYY-MM-DD",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "string_too_short": "不能为空",
    "too_short": "至少需要 {min_length} 项",
    "string_pattern_mismatch": "格式不对（应匹配 {pattern}）",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "union_tag_not_found": "缺少 type 字段：应为 {expected_tags} 之一",
    "union_tag_invalid": "type 应为以下之一：{expected_tags}，而不是 {tag}",
}


_DATE_ERRORS = {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}


def _date_message(err: dict[str, Any]) -> str | None:
    """2026-02-30 is shaped like a date but names no day: say so, rather than "format should be YYYY-MM-DD"."""
    value = err.get("input")
    if err["type"] in _DATE_ERRORS and isinstance(value, str):
        return date_problem(value)
    return None


def _message(err: dict[str, Any], loc: Loc) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    dated = _date_message(err)
    if dated:
        return dated
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        value = err.get("input")
        guess = difflib.get_close_matches(value, re.findall(r"'([^']*)'", expected), n=1, cutoff=0.6) \
            if isinstance(value, str) and len(value) >= 3 else []  # =< is no misspelling of =
        hint = f"。是否想写 {guess[0]}？" if guess else ""
        return f"取值应为以下之一：{expected}".replace(" or ", ", ") + hint
    if kind in _MESSAGES:
        try:
            return _MESSAGES[kind].format(field=loc[-1] if loc else "", **ctx)
        except (KeyError, IndexError):
            return _MESSAGES[kind]
    msg = str(err.get("msg", ""))
    return msg.removeprefix("Value error, ")


def _clean_loc(loc: tuple[Any, ...], data: Any) -> Loc:
    """Drop union-member tags from a pydantic loc, keeping only keys that exist (or the missing last key)."""
    out: list[str | int] = []
    cur = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(cur, dict) and isinstance(part, str):
            if part in cur:
                out.append(part)
                cur = cur[part]
            elif last:
                out.append(part)
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
        # anything else is a union tag or lies below a scalar
    return tuple(out)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = get_origin(annotation)
    if origin in (typing.Annotated,):
        return _models_in(get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, dict, tuple):
        args = get_args(annotation)
        if origin is dict:
            args = args[1:]
        return [m for a in args for m in _models_in(a)]
    return []


def _fields_at(loc: Loc, root: type[BaseModel] | None = None) -> list[str]:
    if root is None:
        from .model import Spec  # imported here: a category file needs only its own model

        root = Spec
    models: list[type[BaseModel]] = [root]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for m in models:
            f = m.model_fields.get(part)
            if f is not None:
                nxt.extend(_models_in(f.annotation))
        if not nxt and models and all(part not in m.model_fields for m in models):
            # a dict key such as an emphasis clause name: the models are the dict's values
            continue
        models = nxt
    return sorted({name for m in models for name in m.model_fields})


def suggest(key: str, loc: Loc, root: type[BaseModel] | None = None) -> str | None:
    names = _fields_at(loc, root)
    match = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    return match[0] if match else None


def validation_problems(exc: ValidationError, data: Any, positions: Positions, name: str, text: str,
                        root: type[BaseModel] | None = None) -> list[Problem]:
    """Pydantic's errors as problems at file:line:col (root: the model validated, the Spec by default)."""
    grouped: dict[Loc, list[tuple[str, str, bool]]] = {}
    decisive: dict[Loc, str] = {}  # a date-shaped value that is no date: the union's other readings are noise
    for detail in exc.errors(include_url=False):
        err: dict[str, Any] = dict(detail)
        loc = _clean_loc(tuple(err["loc"]), data)
        kind = err["type"]
        dated = _date_message(err)
        if dated:
            decisive[loc] = dated
        if kind == "extra_forbidden":
            key = str(loc[-1]) if loc else ""
            guess = suggest(key, loc[:-1], root)
            msg = f"未知字段 {key}" + (f"，是否想写 {guess}？" if guess else "：请删除或检查拼写，否则这一条款不会生效")
            code, is_key = "HP003", True
        elif kind == "missing":
            msg, code, is_key = _message(err, loc), "HP004", False
        else:
            msg, code, is_key = _message(err, loc), "HP005", False
        grouped.setdefault(loc, [])
        if all(m != msg for m, _, _ in grouped[loc]):
            grouped[loc].append((msg, code, is_key))
    problems = []
    for loc, items in grouped.items():
        custom = [i for i in items if not i[0].startswith("应为")]
        chosen = [i for i in items if i[0] == decisive.get(loc)] or custom or items
        msg = "；或：".join(m for m, _, _ in chosen)
        code, is_key = chosen[0][1], chosen[0][2]
        if code == "HP004":
            line, col, end = positions.span(loc[:-1])
        else:
            line, col, end = positions.span(loc, key=is_key)
        problems.append(Problem(name, line, col, format_loc(loc), msg, code, source_line(text, line), end))
    problems.sort(key=lambda p: (p.line, p.column))
    return problems


def load_text(text: str, name: str = "<spec>") -> LoadedSpec:
    from .model import Spec

    data, positions, duplicates = read_yaml(text, name)
    if not isinstance(data, dict):
        raise SpecError([Problem(name, 1, 1, "", "规格文件的顶层应为映射（键: 值），例如 title: …", "HP005",
                                 source_line(text, 1))])
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        problems = duplicates + validation_problems(exc, data, positions, name, text)
        raise SpecError(sorted(problems, key=lambda p: (p.line, p.column))) from None
    if duplicates:
        raise SpecError(duplicates)
    return LoadedSpec(name, text, data, positions, spec)


def load_spec(path: str | Path, *, check_category: bool = True) -> LoadedSpec:
    """Load and validate a spec file. Raises SpecError listing every problem with its position."""
    name = str(path)
    loaded = load_text(read_text(path, name), name)
    if check_category:
        from .categories import known_categories

        cats = known_categories(Path(path).resolve().parent)
        if loaded.spec.category not in cats:
            line, col, end = loaded.positions.span(("category",))
            raise SpecError([Problem(name, line, col, "category",
                                     f"未知类目 {loaded.spec.category}：已知类目有 {'、'.join(sorted(cats))}", "HP007",
                                     source_line(loaded.text, line), end)])
    return loaded

"""YAML spec -> Python data with line:column for every value -> Spec, with every problem mapped back
to its position in the file.

Scalars are resolved here rather than by PyYAML's YAML 1.1 rules, so `9:00` stays a string (not 540),
`yes` stays a word and dates are left to pydantic. Alias expansion and file size are bounded, so a
billion-laughs file or a 50 MB file fails fast with a message instead of hanging.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import Problem, SpecError
from .model import Spec

MAX_BYTES = 2 * 1024 * 1024  # a real spec is a few KB
MAX_NODES = 100_000  # constructed values, counting each alias expansion

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

INT_RE = re.compile(r"^[-+]?\d+$")
FLOAT_RE = re.compile(r"^[-+]?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?$")
NULLS = {"", "~", "null", "Null", "NULL"}
BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}

Loc = tuple[str | int, ...]


@dataclass
class Positions:
    """Where each value (and each mapping key) sits in the file; 0-based line/column as PyYAML gives."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def find(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """1-based line/column of loc, or of its nearest ancestor that has a position."""
        table = self.keys if key else self.values
        probe = tuple(loc)
        while probe:
            if probe in table:
                line, col = table[probe]
                return line + 1, col + 1
            if probe in self.values:
                line, col = self.values[probe]
                return line + 1, col + 1
            probe = probe[:-1]
        line, col = self.values.get((), (0, 0))
        return line + 1, col + 1


@dataclass
class LoadedSpec:
    path: str
    text: str
    data: dict[str, Any]
    positions: Positions
    spec: Spec


def read_text(path: str | Path, display: str | None = None) -> str:
    """Read a UTF-8 text file; every way it can fail becomes a SpecError naming the file."""
    p = Path(path)
    name = display or str(path)
    try:
        if p.is_dir():
            raise SpecError([Problem(name, 0, 0, "", "这是一个目录，不是文件：请给出 .yaml 规格文件的路径", "HP001")])
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise SpecError([Problem(name, 0, 0, "", f"文件过大（{size / 1024 / 1024:.1f} MB）：规格文件上限为 "
                                     f"{MAX_BYTES // 1024 // 1024} MB，请确认没有选错文件", "HP001")])
        raw = p.read_bytes()
    except FileNotFoundError:
        raise SpecError([Problem(name, 0, 0, "", "文件不存在", "HP001")]) from None
    except PermissionError:
        raise SpecError([Problem(name, 0, 0, "", "没有读取权限", "HP001")]) from None
    except OSError as exc:
        raise SpecError([Problem(name, 0, 0, "", f"无法读取：{exc.strerror or exc}", "HP001")]) from None
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            hint = "看起来是 GBK/GB18030 编码，请用编辑器另存为 UTF-8"
        except UnicodeDecodeError:
            hint = "请用编辑器另存为 UTF-8"
        raise SpecError([Problem(name, line, 0, "", f"文件不是 UTF-8 编码（第 {exc.start} 字节无法解码）：{hint}",
                                 "HP001")]) from None


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

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise SpecError([Problem(self.name, node.start_mark.line + 1, node.start_mark.column + 1, "",
                                     f"YAML 展开后超过 {MAX_NODES} 个值：锚点/别名（& 和 *）嵌套过深，"
                                     "疑似“十亿笑声”炸弹，已停止解析", "HP002")])
        self.positions.values.setdefault(loc, (node.start_mark.line, node.start_mark.column))
        if isinstance(node, yaml.ScalarNode):
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
                    self.problems.append(self._problem(key_node, child, f"重复的键 {key}：后一个会覆盖前一个，请合并", "HP006"))
                self.positions.keys[child] = (key_node.start_mark.line, key_node.start_mark.column)
                out[key] = self.build(value_node, child)
            return out
        raise SpecError([self._problem(node, loc, "无法识别的 YAML 节点", "HP002")])

    def _problem(self, node: yaml.Node, loc: Loc, message: str, code: str) -> Problem:
        return Problem(self.name, node.start_mark.line + 1, node.start_mark.column + 1, format_loc(loc), message,
                       code, source_line(self.text, node.start_mark.line + 1))


def source_line(text: str, line: int) -> str:
    if line < 1:
        return ""
    lines = text.splitlines()
    return lines[line - 1] if line <= len(lines) else ""


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def parse_yaml(text: str, name: str) -> tuple[Any, Positions]:
    """YAML text -> (data, positions); syntax errors and bombs raise SpecError."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = exc.problem or exc.context or "语法错误"
        raise SpecError([Problem(name, line, col, "", f"YAML 语法错误：{_yaml_problem(what)}", "HP002",
                                 source_line(text, line))]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem(name, 0, 0, "", f"YAML 语法错误：{exc}", "HP002")]) from None
    except RecursionError:
        raise SpecError([Problem(name, 0, 0, "", "YAML 嵌套过深，已停止解析", "HP002")]) from None
    if node is None:
        raise SpecError([Problem(name, 1, 1, "", "文件为空：请用 hostplan new --category apparel 生成一份起始方案", "HP004")])
    builder = _Builder(name, text)
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise SpecError([Problem(name, 0, 0, "", "YAML 嵌套过深，已停止解析", "HP002")]) from None
    if builder.problems:
        raise SpecError(builder.problems)
    return data, builder.positions


_YAML_WORDS = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（冒号后是否缺少空格，或缩进不对？）",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请改用空格",
    "did not find expected key": "缩进不一致，找不到预期的键",
    "found undefined alias": "引用了未定义的别名（*）",
    "expected <block end>, but found '-'": "列表项“-”的缩进与上文不一致",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合？）",
}


def _yaml_problem(text: str) -> str:
    for en, zh in _YAML_WORDS.items():
        if text.startswith(en):
            return f"{zh}（{text}）"
    return text


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


def _message(err: dict[str, Any], loc: Loc) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        return f"取值应为以下之一：{ctx.get('expected', '')}".replace(" or ", ", ")
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


def _fields_at(loc: Loc) -> list[str]:
    models: list[type[BaseModel]] = [Spec]
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


def suggest(key: str, loc: Loc) -> str | None:
    names = _fields_at(loc)
    match = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    return match[0] if match else None


def validation_problems(exc: ValidationError, data: Any, positions: Positions, name: str, text: str) -> list[Problem]:
    grouped: dict[Loc, list[tuple[str, str, bool]]] = {}
    for detail in exc.errors(include_url=False):
        err: dict[str, Any] = dict(detail)
        loc = _clean_loc(tuple(err["loc"]), data)
        kind = err["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1]) if loc else ""
            guess = suggest(key, loc[:-1])
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
        chosen = custom or items
        msg = "；或：".join(m for m, _, _ in chosen)
        code, is_key = chosen[0][1], chosen[0][2]
        if code == "HP004":
            line, col = positions.find(loc[:-1])
        else:
            line, col = positions.find(loc, key=is_key)
        problems.append(Problem(name, line, col, format_loc(loc), msg, code, source_line(text, line)))
    problems.sort(key=lambda p: (p.line, p.column))
    return problems


def load_text(text: str, name: str = "<spec>") -> LoadedSpec:
    data, positions = parse_yaml(text, name)
    if not isinstance(data, dict):
        raise SpecError([Problem(name, 1, 1, "", "规格文件的顶层应为映射（键: 值），例如 title: …", "HP005",
                                 source_line(text, 1))])
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(validation_problems(exc, data, positions, name, text)) from None
    return LoadedSpec(name, text, data, positions, spec)


def load_spec(path: str | Path, *, check_category: bool = True) -> LoadedSpec:
    """Load and validate a spec file. Raises SpecError listing every problem with its position."""
    name = str(path)
    loaded = load_text(read_text(path, name), name)
    if check_category:
        from .categories import known_categories

        cats = known_categories(Path(path).resolve().parent)
        if loaded.spec.category not in cats:
            line, col = loaded.positions.find(("category",))
            raise SpecError([Problem(name, line, col, "category",
                                     f"未知类目 {loaded.spec.category}：已知类目有 {'、'.join(sorted(cats))}", "HP007",
                                     source_line(loaded.text, line))])
    return loaded

"""Rules and lexicons are data: rules/*.yaml name a check type implemented once in code, lexicons/*.yaml hold
terms with their own must-match / must-not-match examples. Both are validated when loaded, so a broken rule
pack fails loudly instead of silently matching nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import HostplanError
from ..reasons import shown
from ..resources import data_dir
from .finding import SEVERITY_ORDER, RuleMeta, Severity
from .text import QUANTITY_KINDS, normalise

CHECK_TYPES = ("input_problem", "input_note", "suppression", "lexicon", "pattern", "qualitative_obligation", "spec_field",
               "module", "category_clause", "consistency")
CODE_RE = re.compile(r"^HP\d{3}$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    type: str
    severity: Severity
    summary: str
    message: str
    why: str
    suggestion: str | None = None
    bad: str = ""
    good: str = ""
    example: str = "text"  # text: bad/good are document text; spec: YAML fragments; none: prose only
    quantity: str = "any"  # lexicon rules: which quantity in the sentence makes the term precise
    when_quantified: str = "keep"  # skip | info | keep
    negatable: bool = True  # a term in a prohibition (不得、禁止……) is a mention, not a use
    params: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def meta(self) -> RuleMeta:
        help_text = f"{self.summary}\n\n为什么：{self.why}"
        if self.suggestion:
            help_text += f"\n\n建议写法：{self.suggestion}"
        return RuleMeta(self.code, self.name, self.severity, self.summary, help_text)


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: a compiled pattern that belongs to a rule."""

    rule: str
    pattern: str
    hint: str
    suggestion: str | None
    context: re.Pattern[str] | None
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    where: str  # file and index, for error messages
    builtin: bool = False  # shipped with hostplan: its examples are checked by the test suite


def _fail(where: str, message: str) -> HostplanError:
    return HostplanError(f"{where}: {message}")


def _read_yaml_docs(path: Path, key: str | None = None) -> list[Any]:
    """The YAML documents of a rules or lexicon file; key is the config item that named it (a repo's own
    file), so that a wrong path is reported where the user wrote it."""
    from ..reasons import read_reason

    name = shown(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        if key is not None:
            raise _fail(name, f"配置项 {key} 指定的文件无法读取：{read_reason(exc)}") from None
        raise _fail(name, f"无法读取：{read_reason(exc)}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from ..encoding import encoding_problem

        problem = encoding_problem(raw, exc, name)
        raise _fail(f"{name}:{problem.line}:{problem.column}", problem.message) from None
    from ..spec.chars import CONTROL_RE

    if CONTROL_RE.search(text):  # PyYAML rejects control characters in English, without a position
        from ..spec.load import control_problems

        first = control_problems(text, name)[0]
        raise _fail(f"{name}:{first.line}:{first.column}", first.message)
    try:
        return [d for d in yaml.load_all(text, Loader=_Loader) if d is not None]
    except yaml.MarkedYAMLError as exc:
        from ..spec.yamlerrors import translate

        line, column, message = translate(exc, text)
        raise _fail(f"{name}:{line}:{column}" if line else name, message) from None
    except yaml.YAMLError:
        raise _fail(name, "YAML 语法错误：无法解析") from None


def _str(raw: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = raw.get(key)
    if value is None:
        if required:
            raise _fail(where, f"缺少字段 {key}")
        return ""
    if not isinstance(value, str):
        raise _fail(where, f"字段 {key} 应为文本")
    return value


_RULE_KEYS = {"code", "name", "type", "severity", "summary", "message", "why", "suggestion", "bad", "good",
              "example", "quantity", "when_quantified", "negatable", "params"}


def _parse_rule(raw: Any, where: str) -> Rule:
    if not isinstance(raw, dict):
        raise _fail(where, "每条规则应为映射（code、type、severity、message……）")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise _fail(where, f"未知字段 {'、'.join(sorted(unknown))}")
    code = _str(raw, "code", where)
    where = f"{where} {code}"
    if not CODE_RE.match(code):
        raise _fail(where, "规则编号应为 HP 加三位数字，如 HP101")
    kind = _str(raw, "type", where)
    if kind not in CHECK_TYPES:
        raise _fail(where, f"未知检查类型 {kind}：可用 {'、'.join(CHECK_TYPES)}")
    severity = _str(raw, "severity", where)
    if severity not in SEVERITY_ORDER:
        raise _fail(where, "severity 应为 error、warning 或 info")
    quantity = _str(raw, "quantity", where, required=False) or "any"
    if quantity not in QUANTITY_KINDS:
        raise _fail(where, f"quantity 应为 {'、'.join(QUANTITY_KINDS)} 之一")
    when_q = _str(raw, "when_quantified", where, required=False) or "keep"
    if when_q not in ("skip", "info", "keep"):
        raise _fail(where, "when_quantified 应为 skip、info 或 keep")
    example = _str(raw, "example", where, required=False) or "text"
    if example not in ("text", "spec", "none"):
        raise _fail(where, "example 应为 text、spec 或 none")
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise _fail(where, "params 应为映射")
    rule = Rule(
        code=code, name=_str(raw, "name", where), type=kind, severity=severity,  # type: ignore[arg-type]
        summary=_str(raw, "summary", where), message=_str(raw, "message", where), why=_str(raw, "why", where),
        suggestion=_str(raw, "suggestion", where, required=False) or None,
        bad=_str(raw, "bad", where), good=_str(raw, "good", where), example=example, quantity=quantity,
        when_quantified=when_q, negatable=bool(raw.get("negatable", True)), params=params, source=where,
    )
    if kind == "pattern":
        pats = params.get("patterns")
        if not isinstance(pats, list) or not pats:
            raise _fail(where, "pattern 类型须在 params.patterns 中给出正则列表")
        for key in ("context", "exempt"):
            if not isinstance(params.get(key) or "", str):
                raise _fail(where, f"params.{key} 应为一个正则")
        for p in [*pats, params.get("context") or "", params.get("exempt") or ""]:
            _check_regex(p, where)
    figure = params.get("with_quantity")
    if figure is not None and (kind != "module" or figure not in QUANTITY_KINDS):
        raise _fail(where, f"params.with_quantity 只用于 module 类型，应为 {'、'.join(QUANTITY_KINDS)} 之一")
    document = params.get("document")
    if document is not None:
        # the words a consistency check looks for in a contract document (checks/doc_numbers.py): regexes
        if kind != "consistency" or not isinstance(document, dict) or not document:
            raise _fail(where, "params.document 只用于 consistency 类型，应为“名称: 正则”的映射")
        from .checks.limits import DOCUMENT_PARAMS

        check = params.get("check")
        needed = DOCUMENT_PARAMS.get(str(check))
        if needed is None:
            raise _fail(where, f"检查 {check} 不能用于合同文档：params.document 只适用于 {'、'.join(DOCUMENT_PARAMS)}")
        missing = [k for k in needed if k not in document]
        if missing:
            raise _fail(where, f"params.document 缺少 {'、'.join(missing)}")
        for key, p in document.items():
            if not isinstance(p, str) or not p:
                raise _fail(where, f"params.document.{key} 应为非空正则")
            _check_regex(p, f"{where} params.document.{key}")
    return rule


# A quantified group that itself contains a quantifier, such as (a+)+ or (?:x*)*: the shape of
# catastrophic backtracking. Entries must stay linear.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]")


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    _check_regex(pattern, where)
    return re.compile(pattern)


def _check_regex(pattern: str, where: str) -> Any:
    """Reject what would make a pattern wrong or slow; parse it (cheaper than compiling: the combined
    pattern is compiled once later). Returns the parse tree."""
    if r"\b" in pattern or r"\B" in pattern:
        raise _fail(where, f"正则 {pattern!r} 使用了 \\b：中文没有单词边界，请改用前后断言")
    if _NESTED_QUANTIFIER.search(pattern):
        raise _fail(where, f"正则 {pattern!r} 含嵌套量词，可能导致灾难性回溯")
    if normalise(pattern) != pattern:
        raise _fail(where, f"正则 {pattern!r} 含全角字符：文本会先统一为半角，请用半角书写")
    try:
        from re import _parser  # type: ignore[attr-defined]

        return _parser.parse(pattern)
    except re.error as exc:
        at = f"（第 {exc.pos + 1} 个字符）" if exc.pos is not None else ""
        raise _fail(where, f"正则 {pattern!r} 无效{at}：{_regex_reason(exc.msg)}") from None


# re's messages (by their start) -> Chinese
_REGEX_REASONS = [
    ("missing ), unterminated subpattern", "左括号“(”没有对应的右括号"),
    ("unbalanced parenthesis", "多了一个右括号“)”"),
    ("nothing to repeat", "量词（*、+、?、{n}）前面没有可重复的内容"),
    ("multiple repeat", "量词连用（如 ** 或 +*）"),
    ("unterminated character set", "方括号“[”没有闭合"),
    ("bad escape (end of pattern)", "正则以单个反斜杠结尾"),
    ("bad escape", "无效的转义（反斜杠后的字符）"),
    ("look-behind requires fixed-width pattern", "后行断言 (?<=…)、(?<!…) 中只能是定长的内容"),
    ("bad character range", "字符范围的起点大于终点（如 [z-a]）"),
    ("min repeat greater than max repeat", "{m,n} 的下限大于上限"),
    ("unknown group name", "引用了不存在的组名"),
    ("bad character in group name", "组名无效"),
    ("unknown extension", "未知的 (?…) 写法"),
    ("missing -, : or )", "(?…) 标志没有闭合"),
    ("global flags not at the start", "(?i) 等标志只能写在正则的开头"),
]


def _regex_reason(message: str) -> str:
    for start, zh in _REGEX_REASONS:
        if message.startswith(start):
            return zh
    return f"正则语法错误（原文：{message}）"


def _examples(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(where, f"{key} 应为例句列表")
    return tuple(value)


_ENTRY_KEYS = {"terms", "pattern", "hint", "suggestion", "context", "match", "no_match"}


def _parse_entries(doc: Any, where: str, builtin: bool) -> list[Entry]:
    if not isinstance(doc, dict) or "rule" not in doc or "entries" not in doc:
        raise _fail(where, "词典文件的每一节应有 rule（规则编号）和 entries（词条列表）")
    rule = doc["rule"]
    if not isinstance(rule, str) or not CODE_RE.match(rule):
        raise _fail(where, f"rule 应为规则编号，如 HP101，而不是 {rule!r}")
    entries = doc["entries"]
    if not isinstance(entries, list) or not entries:
        raise _fail(where, "entries 应为非空列表")
    out = []
    for i, raw in enumerate(entries):
        at = f"{where} {rule} 第 {i + 1} 个词条"
        if not isinstance(raw, dict):
            raise _fail(at, "词条应为映射")
        unknown = set(raw) - _ENTRY_KEYS
        if unknown:
            raise _fail(at, f"未知字段 {'、'.join(sorted(unknown))}")
        terms, pattern = raw.get("terms"), raw.get("pattern")
        if (terms is None) == (pattern is None):
            raise _fail(at, "须有 terms（字面词列表）或 pattern（正则）之一")
        if terms is not None:
            if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
                raise _fail(at, "terms 应为非空的词列表")
            pattern = "|".join(re.escape(normalise(t.strip())) for t in sorted(terms, key=len, reverse=True))
        elif not isinstance(pattern, str) or not pattern:
            raise _fail(at, "pattern 应为非空正则")
        parsed = _check_regex(pattern, at)
        if parsed.state.groups > 1:
            # named entries are combined into one pattern; capturing groups would shift the group numbers
            raise _fail(at, "正则中请用 (?:…) 而不是捕获组 (…)")
        if parsed.getwidth()[0] == 0:
            raise _fail(at, "正则能匹配空串")
        context = raw.get("context")
        match = _examples(raw, "match", at)
        if not match:
            raise _fail(at, "至少要有一个 match 例句（必须命中），否则无法证明词条有效")
        out.append(Entry(rule, pattern, _str(raw, "hint", at), _str(raw, "suggestion", at, required=False) or None,
                         _compile(context, at) if context else None, match, _examples(raw, "no_match", at), at,
                         builtin))
    return out


@dataclass(frozen=True, eq=False)  # hashed by identity: matchers are cached per rule set
class RuleSet:
    rules: dict[str, Rule]
    entries: tuple[Entry, ...]

    def metas(self) -> dict[str, RuleMeta]:
        return {code: rule.meta() for code, rule in self.rules.items()}


def _rule_files(extra: Iterable[Path]) -> list[Path]:
    return [*sorted(data_dir("rules").glob("*.yaml")), *extra]


@cache
def load_ruleset(extra_rules: tuple[Path, ...] = (), extra_lexicons: tuple[Path, ...] = ()) -> RuleSet:
    """Built-in rules and lexicons plus a repo's own. Every entry is validated here; the examples of a repo's
    own entries are run here too (the built-in ones are run by the test suite, not on every start)."""
    rules: dict[str, Rule] = {}
    for path in _rule_files(extra_rules):
        for doc in _read_yaml_docs(path, None if path.parent == data_dir("rules") else "rules"):
            items = doc if isinstance(doc, list) else [doc]
            for i, raw in enumerate(items):
                rule = _parse_rule(raw, f"{shown(path)} 第 {i + 1} 条")
                if rule.code in rules and path.parent == data_dir("rules"):
                    raise _fail(shown(path), f"规则编号 {rule.code} 重复（另见 {rules[rule.code].source}）")
                rules[rule.code] = rule
    entries: list[Entry] = []
    builtin = sorted(data_dir("lexicons").glob("*.yaml"))
    for path in [*builtin, *extra_lexicons]:
        for n, doc in enumerate(_read_yaml_docs(path, None if path in builtin else "lexicons")):
            entries.extend(_parse_entries(doc, f"{shown(path)} 第 {n + 1} 节", path in builtin))
    for entry in entries:
        owner = rules.get(entry.rule)
        if owner is None or owner.type != "lexicon":
            raise _fail(entry.where, f"规则 {entry.rule} 不存在或不是 lexicon 类型")
    ruleset = RuleSet(rules, tuple(entries))
    from .checks.lexicon import verify_entries

    verify_entries(ruleset, include_builtin=False)
    return ruleset


def all_rules() -> dict[str, RuleMeta]:
    """Every built-in rule's metadata by code (what `hostplan rules` lists and reporters describe)."""
    return load_ruleset().metas()

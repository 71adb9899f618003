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
from ..resources import data_dir
from .finding import SEVERITY_ORDER, RuleMeta, Severity
from .text import QUANTITY_KINDS, normalise

CHECK_TYPES = ("input_problem", "suppression", "lexicon", "pattern", "qualitative_obligation", "spec_field",
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


def _read_yaml_docs(path: Path) -> list[Any]:
    try:
        return [d for d in yaml.load_all(path.read_text(encoding="utf-8"), Loader=_Loader) if d is not None]
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(str(path), f"无法读取：{exc}") from None
    except yaml.YAMLError as exc:
        raise _fail(str(path), f"YAML 语法错误：{exc}") from None


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
        for p in [*pats, params.get("context") or ""]:
            _check_regex(p, where)
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
        raise _fail(where, f"正则 {pattern!r} 无效：{exc}") from None


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
        for doc in _read_yaml_docs(path):
            items = doc if isinstance(doc, list) else [doc]
            for i, raw in enumerate(items):
                rule = _parse_rule(raw, f"{path} 第 {i + 1} 条")
                if rule.code in rules and path.parent == data_dir("rules"):
                    raise _fail(str(path), f"规则编号 {rule.code} 重复（另见 {rules[rule.code].source}）")
                rules[rule.code] = rule
    entries: list[Entry] = []
    builtin = sorted(data_dir("lexicons").glob("*.yaml"))
    for path in [*builtin, *extra_lexicons]:
        for n, doc in enumerate(_read_yaml_docs(path)):
            entries.extend(_parse_entries(doc, f"{path} 第 {n + 1} 节", path in builtin))
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

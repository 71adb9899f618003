"""The lint engine: find files, read each as a spec or a document, run the checks, apply config and
suppressions, return findings. Pure library code: the CLI is one consumer among others."""

from __future__ import annotations

import gc
import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config, find_config, load_config
from ..errors import HostplanError, Problem, SpecError
from .finding import SEVERITY_ORDER, Finding, RuleMeta, excerpt
from .rules import RuleSet, load_ruleset
from .text import LineIndex, normalise

if TYPE_CHECKING:
    from ..spec.categories import Category
    from ..spec.partial import Partial
    from .sources import Document

STDIN = "<stdin>"
PARALLEL_THRESHOLD = 50  # below this, starting worker processes costs more than it saves
DEFAULT_EXCLUDES = ("node_modules", "__pycache__", "site-packages", "venv")
# a repo's own documentation, not contracts: folder walks pass over it, as the pre-commit hook's `exclude` does
REPO_DOCS = re.compile(r"(README|CHANGELOG|CONTRIBUTING|LICENSE)[^/]*")
# spec fields whose values are codes, names or numbers, not contract prose
NOT_PROSE = {"id", "metric", "comparator", "type", "data_source", "actor", "lead", "support", "cadence",
             "frequency", "period", "per", "model", "category", "version", "provided_by", "maintained_by", "phone",
             "wechat", "email", "start", "end", "days", "threshold", "within", "window", "deadline", "percent",
             "amount", "cap", "step", "rate", "baseline", "target", "by"}
SKIP_SECTIONS = {"parties", "term"}
# top-level keys of a spec (tests keep this equal to the model's fields); a YAML file with fewer than
# two of them (CI configs, category or lexicon data, actuals) is not a proposal spec
SPEC_KEYS = frozenset({
    "version", "title", "category", "parties", "term", "goals", "scope", "standards", "processes",
    "responsibilities", "disputes", "fees", "deductions", "trial", "communication", "reporting",
    "knowledge_base", "emergencies", "termination", "emphasis",
})
SPEC_KEY_CUTOFF = 0.8  # difflib ratio: titel/title 0.8, apiVersion/version 0.71, spec/scope 0.67
_NONBLANK_LINE = re.compile(r"^[^\S\n]*\S[^\n]*", re.MULTILINE)  # anchored: a long blank line is one step
_JSON_KEY = re.compile(r"\"([A-Za-z_]+)\"\s*:")
_TOP_KEY = re.compile(r"^[\"']?([A-Za-z_]+)[\"']?\s*:", re.MULTILINE)  # version: / "version": / 'version':
_SUPPRESS = re.compile(r"hostplan:\s*ignore\s*\[([A-Za-z0-9_,\s]*)\]([^\n]*)", re.IGNORECASE)
_YAML_SUPPRESS = re.compile(r"(?:^|\s)#\s*(hostplan:\s*ignore\s*\[[^\]\n]*\][^\n]*)", re.IGNORECASE)
_HTML_SUPPRESS = re.compile(r"<!--\s*(hostplan:\s*ignore\s*\[[^\]\n]*\].*?)-->", re.IGNORECASE)
# a comment that starts as a suppression does (hostplan: …, hostplan：…, hostplan ignore …): one the patterns above
# do not read is malformed, and reported (HP011) instead of silently suppressing nothing
_ATTEMPT = r"hostplan\s*(?:[:：]|(?=ignore|noqa|disable))"
_YAML_ATTEMPT = re.compile(rf"(?:^|\s)#\s*({_ATTEMPT}[^\n]*)", re.IGNORECASE)
_HTML_ATTEMPT = re.compile(rf"<!--\s*({_ATTEMPT}(?:(?!-->)[^\n])*)(-->)?", re.IGNORECASE)
# the spellings looked for before the patterns run: a plain substring test is ten times faster than a
# case-insensitive search over a large contract, and no one writes hOstPlan
_SPELLINGS = ("hostplan", "Hostplan", "HOSTPLAN", "HostPlan")


def _mentions(text: str) -> bool:
    return any(s in text for s in _SPELLINGS)


# --- options --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LintOptions:
    """Everything that shapes a run, from `.hostplan.toml` `[lint]` and the command line."""

    select: tuple[str, ...] = ()  # code prefixes to run (empty: all)
    ignore: tuple[str, ...] = ()  # code prefixes to skip
    severity: tuple[tuple[str, str], ...] = ()  # (code prefix, severity) overrides
    fail_on: str = "warning"
    exclude: tuple[str, ...] = ()  # glob patterns for paths found in directories (lint/paths.py)
    force_exclude: bool = False  # exclude also applies to paths named on the command line (pre-commit passes files)
    respect_gitignore: bool = True  # folder walks pass over what git ignores (lint/gitignore.py)
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rules: tuple[Path, ...] = ()  # extra rule files
    lexicons: tuple[Path, ...] = ()  # extra lexicon files
    category: str | None = None  # category of linted documents (specs say their own)
    document_modules: str = "auto"  # HP3xx/HP4xx on documents: auto (full contracts only), always, never
    root: Path | None = None  # the config folder: per-path ignores and excludes are relative to it
    category_where: str = ""  # config file:line:column of `category`, for the error when it names no category


LINT_KEYS = {"select", "ignore", "severity", "fail-on", "exclude", "force-exclude", "respect-gitignore",
             "per-path-ignores", "rules", "lexicons", "category", "document-modules"}


class _BadItem(Exception):
    """A config item with a wrong value: options_from_config says where it is written."""

    def __init__(self, key: str, message: str, needle: str | None = None) -> None:
        super().__init__(message)
        self.key, self.message, self.needle = key, message, needle


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _BadItem(key, f"配置项 {key} 应为字符串列表，如 {key} = [\"…\"]")
    return tuple(value)


def _patterns(value: Any, key: str) -> tuple[str, ...]:
    """exclude or per-path-ignores patterns, normalised (./drafts, drafts/, legacy\\*.md); one that cannot match
    anything under the config folder is an error rather than a rule that silently does nothing."""
    from .paths import PatternError, check

    out = []
    for raw in _strings(value, key):
        try:
            out.append(check(raw))
        except PatternError as exc:
            raise _BadItem(key, f"配置项 {key} 中的 {raw!r} {exc}", needle=_quoted(raw)) from None
    return tuple(out)


def _quoted(raw: str) -> str:
    """How a string is most likely written in TOML, to find it in the file: "legacy\\*.md" with its escape."""
    return raw.replace("\\", "\\\\") if "\\" in raw else raw


def _level(value: str, key: str, needle: str | None = None) -> str:
    if value not in SEVERITY_ORDER:
        raise _BadItem(key, f"{key} = {value!r}：应为 error、warning 或 info", needle)
    return value


def options_from_config(config: Config, **overrides: Any) -> LintOptions:
    """Read `[lint]` (or the same keys at the top level) from a config; command-line values override. A wrong
    value is a HostplanError that names the config file, and the line and column of the item when it is found."""
    try:
        opts = _options(config)
    except _BadItem as exc:
        where = config.where(exc.key, exc.needle)
        raise HostplanError(f"{where}: {exc.message}" if where else exc.message) from None
    cli = {k: v for k, v in overrides.items() if v not in (None, ())}
    if "category" in cli:
        cli["category_where"] = ""
    if "ignore" in cli:
        cli["ignore"] = opts.ignore + tuple(cli["ignore"])
    if "fail_on" in cli and cli["fail_on"] not in SEVERITY_ORDER:
        raise HostplanError(f"--fail-on {cli['fail_on']}：应为 error、warning 或 info")
    return replace(opts, **cli)


def _options(config: Config) -> LintOptions:
    values = config.values
    table: dict[str, Any] = {k: v for k, v in values.items() if k in LINT_KEYS}
    sub = values.get("lint")
    if sub is not None and not isinstance(sub, dict):
        raise _BadItem("lint", "lint 应为表：写成 [lint] 加其下的配置项")
    if isinstance(sub, dict):
        table.update(sub)
    unknown = sorted(set(sub or {}) - LINT_KEYS)
    if unknown:
        raise _BadItem(f"{unknown[0]}", f"[lint] 中有未知配置项 {'、'.join(unknown)}：可用的有 {'、'.join(sorted(LINT_KEYS))}")
    base = config.root or Path.cwd()
    severity = table.get("severity") or {}
    if not isinstance(severity, dict):
        raise _BadItem("severity", "配置项 severity 应为表，如 severity = { HP104 = \"info\" }")
    ppi = table.get("per-path-ignores") or {}
    if not isinstance(ppi, dict):
        raise _BadItem("per-path-ignores",
                       "配置项 per-path-ignores 应为表，如 per-path-ignores = { \"legacy/*.md\" = [\"HP1\"] }")
    modules = table.get("document-modules", "auto")
    if modules is True:
        modules = "always"
    elif modules is False:
        modules = "never"
    if modules not in ("auto", "always", "never"):
        raise _BadItem("document-modules", f"document-modules = {modules!r}：应为 auto、always 或 never")
    force_exclude = table.get("force-exclude", False)
    if not isinstance(force_exclude, bool):
        raise _BadItem("force-exclude", f"force-exclude = {force_exclude!r}：应为 true 或 false")
    respect_gitignore = table.get("respect-gitignore", True)
    if not isinstance(respect_gitignore, bool):
        raise _BadItem("respect-gitignore", f"respect-gitignore = {respect_gitignore!r}：应为 true 或 false")
    category = table.get("category")
    if category is not None and not isinstance(category, str):
        raise _BadItem("category", f"category = {category!r}：应为类目名，如 category = \"food\"")
    return LintOptions(
        select=_strings(table.get("select"), "select"),
        ignore=_strings(table.get("ignore"), "ignore"),
        severity=tuple((str(k), _level(str(v), f"severity.{k}", str(k))) for k, v in severity.items()),
        fail_on=_level(str(table.get("fail-on", "warning")), "fail-on"),
        exclude=_patterns(table.get("exclude"), "exclude"),
        force_exclude=force_exclude,
        respect_gitignore=respect_gitignore,
        per_path_ignores=tuple((_ppi_pattern(str(k)), _ppi_codes(str(k), v)) for k, v in ppi.items()),
        rules=tuple((base / p).resolve() for p in _strings(table.get("rules"), "rules")),
        lexicons=tuple((base / p).resolve() for p in _strings(table.get("lexicons"), "lexicons")),
        category=category,
        document_modules=modules,
        root=config.root,
        category_where=config.where("category") if category is not None else "",
    )


def _ppi_codes(pattern: str, value: Any) -> tuple[str, ...]:
    try:
        return _strings(value, f"per-path-ignores.{pattern}")
    except _BadItem as exc:
        raise _BadItem("per-path-ignores", exc.message, needle=_quoted(pattern)) from None


def _ppi_pattern(raw: str) -> str:
    from .paths import PatternError, check

    try:
        return check(raw)
    except PatternError as exc:
        raise _BadItem("per-path-ignores", f"per-path-ignores 中的 {raw!r} {exc}", needle=_quoted(raw)) from None


def _matches(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(p.strip().upper()) for p in prefixes if p.strip())


_ENABLED: dict[tuple[int, LintOptions], tuple[RuleSet, frozenset[str]]] = {}


def enabled_codes(ruleset: RuleSet, options: LintOptions) -> frozenset[str]:
    """Computed once per ruleset and options: it is asked for every file."""
    key = (id(ruleset), options)
    found = _ENABLED.get(key)
    if found is None or found[0] is not ruleset:
        if len(_ENABLED) > 64:  # a long-lived program making many rulesets: keep none of them alive for long
            _ENABLED.clear()
        found = _ENABLED[key] = (ruleset, _enabled_codes(ruleset, options))
    return found[1]


def _enabled_codes(ruleset: RuleSet, options: LintOptions) -> frozenset[str]:
    codes = set(ruleset.rules)
    if options.select:
        # an unreadable or invalid file is always reported (like a syntax error in a code linter): otherwise
        # `--select HP1` would pass a spec that cannot even be read
        codes = {c for c in codes if _matches(c, options.select) or ruleset.rules[c].type == "input_problem"}
    return frozenset(c for c in codes if not _matches(c, options.ignore))


def severity_for(code: str, default: str, options: LintOptions) -> str:
    best = ""
    level = default
    for prefix, sev in options.severity:
        p = prefix.strip().upper()
        if code.startswith(p) and len(p) > len(best):
            best, level = p, sev
    return level


# --- results --------------------------------------------------------------------------------------


@dataclass
class LintResult:
    findings: list[Finding]
    files: list[str]
    rules: dict[str, RuleMeta]
    unreadable: list[str] = field(default_factory=list)
    fail_on: str = "warning"
    skipped: list[str] = field(default_factory=list)  # named YAML files that are not specs
    excluded: list[str] = field(default_factory=list)  # named paths left out by exclude (force_exclude)
    notes: list[str] = field(default_factory=list)  # said once on stderr: what the run could not do as asked

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def exit_code(self, fail_on: str | None = None, exit_zero: bool = False) -> int:
        """2 when an input could not be read, 1 when a finding is at or above fail_on, else 0."""
        if self.unreadable:
            return 2
        if exit_zero:
            return 0
        limit = SEVERITY_ORDER[fail_on or self.fail_on]
        return 1 if any(SEVERITY_ORDER[f.severity] >= limit for f in self.findings) else 0


# --- suppressions ---------------------------------------------------------------------------------


@dataclass
class _Suppression:
    line: int  # where the comment is
    column: int
    targets: tuple[int, ...]  # lines it applies to
    codes: tuple[str, ...]
    reason: str
    source: str
    used: bool = False
    malformed: str = ""  # what is wrong with a comment that suppresses nothing (a key of HP011's params)


def suppressions(text: str, kind: str) -> list[_Suppression]:
    out: list[_Suppression] = []
    finder, attempt = (_YAML_SUPPRESS, _YAML_ATTEMPT) if kind == "yaml" else (_HTML_SUPPRESS, _HTML_ATTEMPT)
    if not _mentions(text):
        return out
    lines = text.split("\n")
    for n, line in enumerate(lines, 1):
        if not _mentions(line):
            continue
        read: set[int] = set()
        for m in finder.finditer(line):
            inner = _SUPPRESS.match(m.group(1))
            if inner is None:
                continue
            read.add(m.start(1))
            codes = tuple(c.strip().upper() for c in inner.group(1).split(",") if c.strip())
            reason = inner.group(2).strip().removesuffix("-->").strip()
            alone = line[: m.start(1)].strip() in ("#", "<!--") or not line[: m.start()].strip()
            targets = (n, n + 1) if alone else (n,)
            out.append(_Suppression(n, m.start(1) + 1, targets, codes, reason, line))
        for m in attempt.finditer(line):
            if m.start(1) not in read:
                closed = kind == "yaml" or m.group(2) is not None
                out.append(_Suppression(n, m.start(1) + 1, (), (), "", line,
                                        malformed=_malformed(m.group(1), closed)))
    return out


def _malformed(comment: str, closed: bool) -> str:
    """Which of HP011's reasons fits a comment that starts as a suppression but is not one."""
    if not closed:
        return "unclosed"
    if re.match(r"hostplan\s*：", comment, re.IGNORECASE) or re.search("[【】［］]", comment):
        return "fullwidth"
    if not re.match(r"hostplan\s*:?\s*ignore", comment, re.IGNORECASE):
        return "word"
    if not re.match(r"hostplan\s*:?\s*ignore\s*\[", comment, re.IGNORECASE):
        return "brackets"
    return "codes"


def apply_suppressions(findings: list[Finding], sups: list[_Suppression], ruleset: RuleSet, enabled: frozenset[str],
                       options: LintOptions, path: str, report_unused: bool = True) -> list[Finding]:
    """Findings the comments do not suppress, and HP008 (no reason) and HP009 (unused: only when report_unused,
    that is when the file was checked at all) for the comments themselves."""
    if not sups:
        return findings
    kept = []
    for f in findings:
        hits = [s for s in sups if f.line in s.targets and (not s.codes or _matches(f.code, s.codes))]
        if not hits:
            kept.append(f)
        for s in hits:  # every comment that covers the finding counts as used
            s.used = True
    for s in sups:
        if s.malformed:
            if "HP011" in enabled:
                kept.append(_rule_finding(ruleset, options, "HP011", path, s.line, s.column, s.source,
                                          why=ruleset.rules["HP011"].params.get(s.malformed, "")))
            continue
        codes = ",".join(s.codes)
        if not s.reason and "HP008" in enabled:
            kept.append(_rule_finding(ruleset, options, "HP008", path, s.line, s.column, s.source, codes=codes))
        # unused, for a rule that runs, or for a code no rule has (a typo such as HP999 suppresses nothing, ever)
        unknown = [c for c in s.codes if not any(_matches(r, (c,)) for r in ruleset.rules)]
        if report_unused and not s.used and "HP009" in enabled and (
                not s.codes or unknown or any(_matches(c, s.codes) for c in enabled)):
            # a typo such as HP999 is said to be one, not that the clause must have been fixed
            kept.append(_rule_finding(ruleset, options, "HP009", path, s.line, s.column, s.source, codes=codes,
                                      unknown="、".join(unknown), template="unknown_code" if unknown else None))
    return kept


def _rule_finding(ruleset: RuleSet, options: LintOptions, code: str, path: str, line: int, column: int, source: str,
                  template: str | None = None, **values: str) -> Finding:
    """A finding of rule `code` worded by its message, or by the message params[template] when given."""
    from .checks.lexicon import fmt

    rule = ruleset.rules[code]
    message = rule.params.get(template, rule.message) if template else rule.message
    return Finding(path, line, column, line, token_end(source, column), code,
                   severity_for(code, rule.severity, options), fmt(message, **values),  # type: ignore[arg-type]
                   "", rule.suggestion, source)


# --- specs ----------------------------------------------------------------------------------------


def token_end(source: str, column: int) -> int:
    """Exclusive end column of the value starting at column: up to a trailing YAML comment, at least one. Only for
    positions without a node end (a value that runs onto later lines, a problem that names a whole line)."""
    rest = source[column - 1:]
    cut = rest.find(" #")
    if cut >= 0:
        rest = rest[:cut]
    return column + max(len(rest.rstrip()), 1)


def _strings_in(data: Any, loc: tuple[str | int, ...] = ()) -> Iterable[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, dict):
        for k, v in data.items():
            if (not loc and k in SKIP_SECTIONS) or k in NOT_PROSE:
                continue
            yield from _strings_in(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings_in(v, (*loc, i))
    elif isinstance(data, str) and data.strip():
        yield loc, data


def _problem_findings(problems: Sequence[Problem], ruleset: RuleSet, options: LintOptions,
                      enabled: frozenset[str]) -> list[Finding]:
    out = []
    for p in problems:
        if p.code not in enabled:
            continue
        rule = ruleset.rules.get(p.code)
        sev = severity_for(p.code, rule.severity if rule else "error", options)
        line, col = max(p.line, 1), max(p.column, 1)
        end = p.end_column if p.end_column > col else token_end(p.source, col)
        out.append(Finding(p.path, line, col, line, end, p.code, sev, p.message,  # type: ignore[arg-type]
                           "", None, p.source, p.field))
    return out


def lint_spec_text(text: str, name: str, ruleset: RuleSet, options: LintOptions,
                   start: Path | None = None) -> list[Finding]:
    """Lint one spec given as text. Invalid specs give HP0xx findings (and their prose is still checked)."""
    return _spec_checked(text, name, ruleset, options, start)[0]


def lint_spec_with_suppressions(text: str, name: str, ruleset: RuleSet, options: LintOptions,
                                start: Path | None = None) -> list[Finding]:
    """lint_spec_text, with the file's suppression comments applied. A spec that cannot be parsed (a YAML syntax
    error, a top level that is not a mapping) was not checked: its suppressions are not reported as unused
    (HP009), since each may well be used once the file parses."""
    findings, parsed = _spec_checked(text, name, ruleset, options, start)
    return apply_suppressions(findings, suppressions(text, "yaml"), ruleset, enabled_codes(ruleset, options), options,
                              name, report_unused=parsed)


def _spec_checked(text: str, name: str, ruleset: RuleSet, options: LintOptions,
                  start: Path | None) -> tuple[list[Finding], bool]:
    found, parsed = _spec_findings(text, name, ruleset, options, start)
    return [excerpt(_marked_text(f)) for f in found], parsed


def _marked_text(f: Finding) -> Finding:
    """A finding about a YAML value or key (31, 2025-12-31, emphasis) carries it as `text`, as the carets mark it."""
    if f.text or not f.source or f.line != f.end_line or f.end_column <= f.column:
        return f
    return replace(f, text=f.source[f.column - 1:f.end_column - 1])


def _spec_findings(text: str, name: str, ruleset: RuleSet, options: LintOptions,
                   start: Path | None = None) -> tuple[list[Finding], bool]:
    """The findings, and whether the YAML could be parsed into a mapping (the checks ran)."""
    from ..spec.load import format_loc, read_yaml, source_line, validation_problems
    from ..spec.model import Spec
    from .checks.lexicon import check_text
    from .checks.spec import check_spec

    enabled = enabled_codes(ruleset, options)
    try:
        data, positions, duplicates = read_yaml(text, name)
    except SpecError as exc:
        return _problem_findings(exc.problems, ruleset, options, enabled), False
    if not isinstance(data, dict):
        return _problem_findings([*duplicates, Problem(name, 1, 1, "", "规格文件的顶层应为映射（键: 值），例如 title: …",
                                                       "HP005", source_line(text, 1))], ruleset, options, enabled), False
    problems: list[Problem] = list(duplicates)  # the data holds each duplicate's last value: go on with it
    spec: Spec | None = None
    partial: Partial | None = None
    from pydantic import ValidationError

    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        problems += validation_problems(exc, data, positions, name, text)
        from ..spec.partial import partial_spec

        # the checks still run on what is valid: one unknown key must not hide a reversed term or a 130% cap
        partial = partial_spec(data, exc)
        if partial is not None and not partial.touches((("category",),)):
            spec = partial.spec
    category: Category | None = None
    if spec is not None:
        cats = _categories(_resolved(start or Path.cwd()))
        category = cats.get(spec.category)
        if category is None:
            line, col, end = positions.span(("category",))
            problems.append(Problem(name, line, col, "category",
                                    f"未知类目 {spec.category}：已知类目有 {'、'.join(sorted(cats))}", "HP007",
                                    source_line(text, line), end))
    findings = _problem_findings(problems, ruleset, options, enabled)

    index = LineIndex(text)
    norm_src = normalise(text)
    # every prose value in one text, one per line: one scan instead of one per value
    items = list(_strings_in(data))
    offsets: list[int] = []
    parts: list[str] = []
    at = 0
    for _, value in items:
        offsets.append(at)
        flat = value.replace("\n", " ")  # a block scalar stays one clause list, not extra lines
        parts.append(flat)
        at += len(flat) + 1
    joined = "\n".join(parts)
    for h in check_text(joined, ruleset, enabled):
        i = bisect_right(offsets, h.start) - 1
        loc, value = items[i]
        local = h.start - offsets[i]
        vline, vcol = positions.values.get(loc, (0, 0))
        base = index.starts[vline] + vcol if vline < len(index.starts) else 0
        norm_value = normalise(value)
        needle = norm_value[local:local + (h.end - h.start)]
        k = norm_value.count(needle, 0, local)
        pos = base
        found = -1
        for _ in range(k + 1):
            found = norm_src.find(needle, pos)
            if found == -1:
                break
            pos = found + len(needle)
        start_at = found if found != -1 else base
        line, col = index.position(start_at)
        end_line, end_col = index.position(start_at + len(needle)) if found != -1 else (line, col + 1)
        findings.append(Finding(name, line, col, end_line, end_col, h.code,
                                severity_for(h.code, h.severity, options), h.message,  # type: ignore[arg-type]
                                h.text, h.suggestion, index.line_text(line), format_loc(loc)))
    for hit in check_spec(ruleset, spec, data, category, enabled, text, partial):
        line, col, end = positions.span(hit.loc, key=hit.key)
        src = index.line_text(line)
        rule = ruleset.rules[hit.code]
        findings.append(Finding(name, line, col, line, end if end > col else token_end(src, col), hit.code,
                                severity_for(hit.code, rule.severity, options), hit.message,  # type: ignore[arg-type]
                                hit.text, hit.suggestion, src, format_loc(hit.loc)))
    return findings, True


# --- documents ------------------------------------------------------------------------------------

FULL_CONTRACT_CHARS = 400  # shorter texts are excerpts: no missing-module findings
_CONTRACT_TITLE = re.compile(r"合同|协议|方案|附件|条款|托管|代运营")
_CLAUSE_HEADING = re.compile(r"^[#\s]*(?:第[一二三四五六七八九十百零〇\d]+[条章节]|[一二三四五六七八九十]+、)", re.MULTILINE)


_PART_TITLE = re.compile(r"^[#\s]*附件")
_WHOLE_TITLE = re.compile(r"合同|协议|方案")


def _visible_chars_at_least(text: str, n: int) -> bool:
    # the start of a long text decides without copying all of it
    return len("".join(text[:n * 8].split())) >= n or len("".join(text.split())) >= n


def _looks_like_contract(text: str) -> bool:
    """A whole contract (not a README, a note, or an annex such as 附件二：服务标准 that holds one part of it):
    its title says so, or it has numbered clauses."""
    title = next((ln for ln in text.split("\n", 20)[:20] if ln.strip()), "")
    if _PART_TITLE.match(title) and not _WHOLE_TITLE.search(title):
        return False
    return _CONTRACT_TITLE.search(title) is not None or len(_CLAUSE_HEADING.findall(text, 0, 20000)) >= 3


@cache
def _categories(start: Path) -> dict[str, Category]:
    from ..spec.categories import known_categories

    return known_categories(start)


_AGENCY_PART = re.compile(r"(?:乙方|受托方|托管方|服务方)\s*(?:[(（][^)）]{0,8}[)）])?\s*[:：][^;；。\n]*")


def _doc_category(doc: Document, options: LintOptions, start: Path) -> Category | None:
    cats = _categories(start)
    if options.category:
        cat = cats.get(options.category)
        if cat is None:
            where = f"{options.category_where}: " if options.category_where else ""
            raise HostplanError(f"{where}未知类目 {options.category}：已知类目有 {'、'.join(sorted(cats))}")
        return cat
    # the title names the category (服饰鞋包售后托管方案); failing that, the next two non-empty lines
    # (a subtitle or the shop's name), so a party named 某某电子商务有限公司 cannot outvote the title
    words = _category_words(start)
    for line in (m.group() for m in islice(_NONBLANK_LINE.finditer(doc.text), 3)):
        line = _AGENCY_PART.sub("", line)  # 乙方：某某数码科技有限公司 names the agency, not the store's category
        found = next((cat for word, cat in words if word in line), None)
        if found is not None:
            return found
    return None


@cache
def _category_words(start: Path) -> list[tuple[str, Category]]:
    """Chinese names and aliases of the known categories, longest first (the most specific name wins)."""
    words = {(w, key) for key, cat in _categories(start).items() for w in {key, cat.name, *cat.aliases}
             if len(w) >= 2 and not w.isascii()}
    cats = _categories(start)
    return [(w, cats[key]) for w, key in sorted(words, key=lambda x: (-len(x[0]), x[1], x[0]))]


def _invisible_in_document(doc: Document, ruleset: RuleSet, options: LintOptions, enabled: frozenset[str],
                           index: LineIndex) -> list[Finding]:
    """HP702 in a contract someone else wrote: bidi controls and zero-width characters, once per line."""
    rule = ruleset.rules.get("HP702")
    if rule is None or "HP702" not in enabled:
        return []
    from ..spec.chars import INVISIBLE_RE

    if not INVISIBLE_RE.search(doc.text):
        return []
    from .checks.legal import invisible_message  # loads the spec model: only for a contract that needs it
    from .sources import location_label

    out: list[Finding] = []
    lines_seen: set[int] = set()
    for m in INVISIBLE_RE.finditer(doc.text):
        line, col = index.position(m.start())
        if line in lines_seen:
            continue
        lines_seen.add(line)
        source = index.line_text(line)
        message = invisible_message(f"第 {line} 行", source) or ""
        out.append(Finding(doc.path, line, col, line, col + 1, "HP702",
                           severity_for("HP702", rule.severity, options),  # type: ignore[arg-type]
                           message, m.group(), rule.suggestion, source, location_label(doc, line, col)))
    return out


def lint_document(doc: Document, ruleset: RuleSet, options: LintOptions, start: Path | None = None,
                  jobs: int = 1) -> list[Finding]:
    """Lint one contract document (Markdown, text or the text of a .docx); a very large one in parts on `jobs`
    processes."""
    return [excerpt(f) for f in _document_findings(doc, ruleset, options, start, jobs)]


def _document_findings(doc: Document, ruleset: RuleSet, options: LintOptions, start: Path | None,
                       jobs: int = 1) -> list[Finding]:
    from . import parts
    from .sources import location_label
    from .text import keywords_present, keywords_with_quantity

    enabled = enabled_codes(ruleset, options)
    index = LineIndex(doc.text)
    findings = []
    norm = normalise(doc.lint_text)
    # wording, then the HP5xx number checks that also apply to prose (dates, days, percentages)
    hits = parts.hits(doc.lint_text, norm, ruleset, enabled, jobs)
    for h in hits:
        line, col = index.position(h.start)
        end_line, end_col = index.position(h.end)
        findings.append(Finding(doc.path, line, col, end_line, end_col, h.code,
                                severity_for(h.code, h.severity, options), h.message,  # type: ignore[arg-type]
                                h.text, h.suggestion, index.line_text(line), location_label(doc, line, col)))
    findings.extend(_invisible_in_document(doc, ruleset, options, enabled, index))
    if doc.encoding != "utf-8" and "HP010" in enabled:
        rule = ruleset.rules["HP010"]
        from .checks.lexicon import fmt

        label = {"gb18030": "GBK（GB18030）", "utf-16": "UTF-16"}.get(doc.encoding, doc.encoding)
        findings.append(Finding(doc.path, 1, 1, 1, 1, "HP010", severity_for("HP010", rule.severity, options),  # type: ignore[arg-type]
                                fmt(rule.message, encoding=label), "", rule.suggestion))
    full = options.document_modules == "always" or (
        options.document_modules == "auto" and _visible_chars_at_least(doc.lint_text, FULL_CONTRACT_CHARS)
        and _looks_like_contract(doc.lint_text))
    if not full:
        return findings
    text = norm
    # about the whole document, not a line: no source line to show, and a SARIF fingerprint that stays put
    # when lines are added at the top
    first = index.line_text(1)
    for rule in ruleset.rules.values():
        if rule.code in enabled and rule.type == "module":
            groups = rule.params.get("keywords") or []
            figure = rule.params.get("with_quantity")
            present = (keywords_present(text, groups, normalised=True) if figure is None
                       else keywords_with_quantity(text, groups, figure))
            if groups and not present:
                findings.append(Finding(doc.path, 1, 1, 1, len(first) + 1, rule.code,
                                        severity_for(rule.code, rule.severity, options),  # type: ignore[arg-type]
                                        rule.message, "", rule.params.get("clause") or rule.suggestion))
    missing = ruleset.rules.get("HP401")
    if missing is not None and "HP401" in enabled:
        from .checks.lexicon import fmt

        category = _doc_category(doc, options, _resolved(start or Path.cwd()))
        if category is not None:
            for clause in category.clauses:
                if not keywords_present(text, clause.keywords, normalised=True):
                    msg = fmt(missing.message, category=category.name, title=clause.title, key=clause.key,
                              why=clause.why)
                    findings.append(Finding(doc.path, 1, 1, 1, len(first) + 1, "HP401",
                                            severity_for("HP401", missing.severity, options),  # type: ignore[arg-type]
                                            msg, "", clause.text))
    return findings


# --- files ----------------------------------------------------------------------------------------


def _relative(path: Path, options: LintOptions) -> str:
    base = options.root or Path.cwd()
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:  # outside the config folder: absolute, so that no pattern relative to it matches
        return path.resolve().as_posix()


def _path_ignored(rel: str, patterns: Iterable[str], whole: bool = True) -> bool:
    from .paths import matches

    return matches(rel, patterns, whole)


def force_excluded(path: str, options: LintOptions) -> bool:
    """Whether a path named on the command line is left out: only with force_exclude, when it or a folder on its
    way matches `exclude` (or is one of the folders every walk skips, such as node_modules), as a folder walk
    would have left it out. Without it, naming a file lints it, as in ruff."""
    if not options.force_exclude:
        return False
    rel = _relative(Path(path), options)
    if options.exclude and _path_ignored(rel, options.exclude):
        return True
    return any(part in DEFAULT_EXCLUDES for part in rel.split("/")[:-1])


_UNSUPPORTED = {
    ".doc": "这是旧版 Word 97–2003 文件，请在 Word 中“另存为” .docx 后再审阅",
    ".wps": "这是 WPS 文字文件，请在 WPS 中“另存为” .docx 后再审阅",
    ".rtf": "这是 RTF 文件，请在 Word 中“另存为” .docx 后再审阅",
    ".odt": "这是 OpenDocument 文本，请“另存为” .docx 后再审阅",
    ".pdf": "PDF 无法审阅，请向对方要 Word（.docx）版本，或把正文复制到 .txt 文件",
    ".json": "规格请写成 .yaml 文件（JSON 也是合法的 YAML，把扩展名改为 .yaml 即可）",
}


def unsupported(suffix: str) -> str:
    """Why a named file is not linted, and what to do with it (.doc: save it as .docx)."""
    what = suffix or "（无扩展名）"
    hint = _UNSUPPORTED.get(suffix.lower(), "可审阅 .yaml/.yml 规格和 .md/.markdown/.txt/.docx 合同")
    return f"不支持的文件类型 {what}：{hint}"


def discover(paths: Sequence[str], options: LintOptions, skipped: list[str] | None = None,
             excluded: list[str] | None = None, stdin_name: str | None = None,
             problems: dict[str, Problem] | None = None, notes: list[str] | None = None) -> list[str]:
    """Files to lint, in order: explicit files as given, directories walked (hidden and excluded skipped).

    YAML files that are not specs are left out; named ones are appended to `skipped` so the caller can
    say so (a pre-commit hook passes every changed .yaml, docker-compose.yml included). With
    options.force_exclude, named paths that `exclude` matches are left out and appended to `excluded` (stdin
    too, when stdin_name is excluded: an editor asks about the file it stands for). A folder that cannot be read
    is listed among the files, with the reason in `problems` (reported as HP001: its files were not linted).
    """
    from ..reasons import read_reason
    from .sources import DOC_SUFFIXES, SPEC_SUFFIXES

    out: list[str] = []
    seen: set[str] = set()
    suffixes = DOC_SUFFIXES | SPEC_SUFFIXES

    def add(p: str) -> None:
        if p not in seen:
            seen.add(p)
            out.append(p)

    def unreadable_folder(exc: OSError) -> None:
        # os.walk passes over a folder it cannot list: say so (exit code 2) rather than lint the rest and pass
        folder = str(Path(os.fsdecode(exc.filename))) if exc.filename is not None else "?"
        if problems is not None and folder not in seen:
            problems[folder] = Problem(folder, 0, 0, "", f"目录无法读取：{read_reason(exc)}，其中的文件没有审阅",
                                       "HP001")
        add(folder)

    for raw in paths:
        if raw == "-":
            if stdin_name and force_excluded(stdin_name, options):
                if excluded is not None:
                    excluded.append(stdin_name)
                continue
            add(STDIN)
            continue
        if force_excluded(raw, options):
            if excluded is not None:
                excluded.append(raw)
            continue
        p = Path(raw)
        # os.path, not Path: Path.is_dir() raises PermissionError inside a folder that cannot be searched (3.11)
        if not os.path.isdir(p):
            if os.path.exists(p) and p.suffix.lower() not in suffixes:
                # reported with the other files' findings (HP001, exit code 2), not instead of them
                if problems is not None:
                    problems[raw] = Problem(raw, 0, 0, "", unsupported(p.suffix), "HP001")
                add(raw)
                continue
            if os.path.isfile(p) and p.suffix.lower() in SPEC_SUFFIXES and not _looks_like_spec(p, named=True):
                if skipped is not None:
                    skipped.append(raw)
                continue
            add(raw)
            continue
        git = _git_ignored(p, notes) if options.respect_gitignore else None
        for folder, dirs, files in os.walk(p, onerror=unreadable_folder):
            in_repo = git.rel(folder) if git is not None else ""
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in DEFAULT_EXCLUDES
                             and not (options.exclude and
                                      _path_ignored(_relative(Path(folder, d), options), options.exclude, whole=False))
                             and not (git is not None and git.ignored.folder(f"{in_repo}{d}")))
            for name in sorted(files):
                full = Path(folder, name)
                suffix = full.suffix.lower()
                if name.startswith((".", "~$")) or suffix not in suffixes or REPO_DOCS.fullmatch(name):
                    continue
                if options.exclude and _path_ignored(_relative(full, options), options.exclude, whole=False):
                    continue
                if git is not None and git.ignored.file(f"{in_repo}{name}"):
                    continue
                if suffix in SPEC_SUFFIXES and not _looks_like_spec(full):
                    continue  # category files, CI configs and other YAML are not specs
                add(str(full))
    return out


@dataclass(frozen=True)
class _Walk:
    """What git ignores, for one folder walk: paths under the walked folder `start`, relative to the work tree."""

    ignored: Any  # gitignore.Ignored
    start: str
    base: str  # the walked folder relative to the work tree's top, "" at the top, else ending in "/"

    def rel(self, folder: str) -> str:
        """A folder os.walk gives (start, start/x, …) relative to the work tree's top, "" or ending in "/"."""
        inner = os.path.relpath(folder, self.start)
        return self.base if inner == "." else f"{self.base}{Path(inner).as_posix()}/"


def _git_ignored(folder: Path, notes: list[str] | None = None) -> _Walk | None:
    from .gitignore import ignored_under

    found = ignored_under(folder)
    if found is not None and found.refused and notes is not None:
        note = (f"注意：git 拒绝读取 {folder} 所在的仓库（{found.refused}），.gitignore 忽略的文件这次也审阅了；"
                "可运行 git config --global --add safe.directory <仓库路径>，或加 --no-respect-gitignore 不再询问 git")
        if note not in notes:
            notes.append(note)
    if found is None or not found.paths:
        return None
    base = folder.resolve().relative_to(found.top).as_posix()
    return _Walk(found, str(folder), "" if base == "." else base + "/")


def _looks_like_spec(path: Path, named: bool = False) -> bool:
    """Whether a YAML file is a proposal spec. A file found in a folder must show two spec keys at the top
    level; a file named on the command line is passed over only when it is clearly something else (readable,
    with top-level keys, fewer than two of them a spec's), so an empty, mis-encoded or mis-indented spec is
    still reported rather than skipped."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(16384)
    except OSError:
        return True  # let the lint report why it cannot be read
    try:
        head = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - 4:  # not just a character cut at the end of the sample
            return True
        head = raw[:exc.start].decode("utf-8-sig")
    keys = _TOP_KEY.findall(head)
    if head.lstrip("\ufeff \t\r\n").startswith("{"):  # JSON, which is YAML too: keys are quoted and indented
        keys += _JSON_KEY.findall(head)
    if named and not keys:
        return True
    return _spec_key_count(keys) >= 2


def _spec_key_count(keys: Iterable[str]) -> int:
    """How many top-level keys are spec keys, a close misspelling (titel, categroy) counting as one: a spec whose
    keys are all misspelled must be linted and its HP003s shown, not skipped as "not a spec". The cutoff keeps
    docker-compose, pre-commit, GitHub workflow and Kubernetes keys (apiVersion, spec, permissions) out."""
    found = set(keys)
    exact = SPEC_KEYS.intersection(found)
    if len(exact) >= 2:
        return len(exact)
    import difflib  # only for a file that is not plainly a spec

    close = {k for k in found - exact if difflib.get_close_matches(k, SPEC_KEYS, n=1, cutoff=SPEC_KEY_CUTOFF)}
    return len(exact) + len(close)


def _file_ignores(path: str, options: LintOptions) -> tuple[str, ...]:
    if not options.per_path_ignores or path == STDIN:
        return ()
    rel = _relative(Path(path), options)
    return tuple(c for pattern, codes in options.per_path_ignores if _path_ignored(rel, [pattern]) for c in codes)


def _folder(p: Path) -> Path:
    """The file's real folder (where its repo's config and categories are looked up), resolved once per folder."""
    return p.resolve().parent if p.is_symlink() else _resolved(p.parent)


def _resolved(folder: Path) -> Path:
    """folder.resolve(), once per absolute folder (a relative one means another folder after a chdir)."""
    return _resolve_absolute(folder.absolute())


@cache
def _resolve_absolute(folder: Path) -> Path:
    return folder.resolve()


def lint_file(path: str, options: LintOptions, stdin_text: str | bytes | None = None,
              stdin_name: str | None = None, jobs: int = 1) -> tuple[list[Finding], bool]:
    """Findings for one file, and whether it could not be read (exit code 2). For "-" (STDIN) the text is
    stdin_text, read as the file stdin_name would be (a spec, a Word file) when that is given, else as Markdown.
    A very large document is checked in parts on `jobs` processes."""
    from .sources import SPEC_SUFFIXES, Unreadable, document_from_bytes, from_text, read_document

    ignores = _file_ignores(stdin_name or path, options)
    if ignores:
        options = replace(options, ignore=options.ignore + ignores)
    ruleset = load_ruleset(options.rules, options.lexicons)
    enabled = enabled_codes(ruleset, options)
    if path == STDIN:
        name = stdin_name or STDIN
        suffix = Path(stdin_name).suffix.lower() if stdin_name else ""
        data = stdin_text.encode("utf-8") if isinstance(stdin_text, str) else stdin_text or b""
        folder = _resolved(Path(stdin_name).parent) if stdin_name else Path.cwd()
        try:
            if suffix in SPEC_SUFFIXES:
                from ..spec.load import decode

                text = decode(data, name)
                return lint_spec_with_suppressions(text, name, ruleset, options, folder), False
            if suffix == ".docx":
                doc = _docx_from_bytes(data, name)
            elif not stdin_name and data.startswith(b"PK\x03\x04"):  # a zip: Word, most likely
                raise Unreadable("标准输入是一个 zip 压缩包（Word .docx 文件就是 zip）：请加 --stdin-filename 合同.docx，"
                                 "或直接给出文件路径")
            elif isinstance(stdin_text, str) and not stdin_name:
                doc = from_text(stdin_text, name)
            else:
                doc = document_from_bytes(data, name, "text" if suffix == ".txt" else "markdown")
        except SpecError as exc:
            return _problem_findings(exc.problems, ruleset, options, frozenset(enabled | {"HP001"})), True
        except Unreadable as exc:
            problem = exc.problem or Problem(name, 0, 0, "", str(exc), "HP001")
            return _problem_findings([problem], ruleset, options, frozenset(enabled | {"HP001"})), True
        findings = lint_document(doc, ruleset, options, folder, jobs)
        if doc.kind != "docx":
            findings = apply_suppressions(findings, suppressions(doc.text, "markdown"), ruleset, enabled, options, name)
        return findings, False
    p = Path(path)
    if p.suffix.lower() in SPEC_SUFFIXES:
        from ..spec.load import read_text

        try:
            text = read_text(p, path)
        except SpecError as exc:
            return _problem_findings(exc.problems, ruleset, options, frozenset(enabled | {"HP001"})), True
        return lint_spec_with_suppressions(text, path, ruleset, options, _folder(p)), False
    try:
        doc = read_document(p, path)
    except Unreadable as exc:
        problem = exc.problem or Problem(path, 0, 0, "", str(exc), "HP001")
        return _problem_findings([problem], ruleset, options, frozenset(enabled | {"HP001"})), True
    findings = lint_document(doc, ruleset, options, _folder(p), jobs)
    if doc.kind != "docx":
        findings = apply_suppressions(findings, suppressions(doc.text, "markdown"), ruleset, enabled, options, path)
    return findings, False


def _docx_from_bytes(data: bytes, name: str) -> Document:
    """A Word file given on standard input: python-docx reads it from a temporary copy."""
    import tempfile

    from .sources import read_docx

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "stdin.docx"
        copy.write_bytes(data)
        return read_docx(copy, name)


_WORKER_OPTIONS: LintOptions | None = None
WARM_FOLDERS = 16  # a repo's contracts sit in a few folders; beyond that, workers load what they need


def _warm(ruleset: RuleSet, files: Sequence[str]) -> None:
    """Build once, before forking, what every worker would otherwise build for itself: the checks'
    patterns (parts.warm) and the categories seen from the files' folders (which loads the category model)."""
    from .parts import warm

    warm(ruleset)
    folders = list(dict.fromkeys(Path(f).parent for f in files))
    if len(folders) <= WARM_FOLDERS:
        for folder in folders:
            try:
                _categories(_resolved(folder))
            except HostplanError:
                return  # a broken category file: the first worker to need it stops the run with the message


def _init_worker(options: LintOptions) -> None:
    global _WORKER_OPTIONS
    _WORKER_OPTIONS = options
    # a worker only lints and exits: what it inherited is never garbage, and its findings hold no cycles,
    # so the collector need not keep rescanning them (about 5% of a large run)
    gc.freeze()
    gc.set_threshold(20000, 50, 100)


def _work(path: str) -> tuple[list[Finding], bool]:
    assert _WORKER_OPTIONS is not None
    return lint_file(path, _WORKER_OPTIONS)


def _input_problem(problem: Problem, ruleset: RuleSet, options: LintOptions) -> tuple[list[Finding], bool]:
    """A named path or a folder that could not be linted at all: its HP001 finding (whatever --select says), and
    the mark that makes the exit code 2."""
    return _problem_findings([problem], ruleset, options, frozenset(enabled_codes(ruleset, options) | {"HP001"})), True


def _check_prefixes(options: LintOptions, ruleset: RuleSet, config: Config | None) -> None:
    """Every rule code or prefix the options name must be some rule's: a typo (HP9, HP1O1) would otherwise select,
    ignore or re-level nothing, silently. One from the config file is reported where it is written."""
    from_config = options_from_config(config) if config is not None and config.path is not None else LintOptions()
    items = (("select", options.select, from_config.select), ("ignore", options.ignore, from_config.ignore),
             ("severity", [p for p, _ in options.severity], [p for p, _ in from_config.severity]),
             ("per-path-ignores", [c for _, cs in options.per_path_ignores for c in cs],
              [c for _, cs in from_config.per_path_ignores for c in cs]))
    for key, prefixes, configured in items:
        for prefix in prefixes:
            if not any(code.startswith(prefix.strip().upper()) for code in ruleset.rules):
                where = config.where(key, prefix) if config is not None and prefix in configured else ""
                raise HostplanError(f"{where + ': ' if where else ''}没有以 {prefix} 开头的规则：用 hostplan rules 查看全部规则")


def lint_paths(paths: Sequence[str | Path], config: Config | None = None, *, options: LintOptions | None = None,
               jobs: int = 0, stdin_text: str | bytes | None = None, config_file: str | Path | None = None,
               stdin_name: str | None = None, **overrides: Any) -> LintResult:
    """Lint specs, documents and folders; see hostplan.lint for the full description."""
    names = [str(p) for p in paths]
    if not names:
        raise HostplanError("请给出要审阅的文件或目录，如 hostplan lint proposal.yaml")
    if options is None:
        if config is None:
            if config_file is not None:
                config = load_config(config_file)
            else:
                first = next((Path(n) for n in names if n != "-"), Path(stdin_name) if stdin_name else Path.cwd())
                config = find_config(first if os.path.exists(first) else Path.cwd())
        options = options_from_config(config, **overrides)
    ruleset = load_ruleset(options.rules, options.lexicons)  # fail loudly before any work
    _check_prefixes(options, ruleset, config)
    skipped: list[str] = []
    excluded: list[str] = []
    problems: dict[str, Problem] = {}
    notes: list[str] = []
    files = discover(names, options, skipped, excluded, stdin_name, problems, notes)
    results: list[tuple[list[Finding], bool]]
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    disk = [f for f in files if f != STDIN and f not in problems]
    if len(disk) > PARALLEL_THRESHOLD and workers > 1 and jobs != 1:
        from concurrent.futures import ProcessPoolExecutor

        _warm(ruleset, disk)

        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(options,)) as pool:
            chunk = max(1, len(disk) // (workers * 8))
            done = dict(zip(disk, pool.map(_work, disk, chunksize=chunk), strict=True))
        results = [_input_problem(problems[f], ruleset, options) if f in problems
                   else done[f] if f != STDIN else lint_file(f, options, stdin_text, stdin_name) for f in files]
    else:
        # few files: a very large contract among them is checked in parts on all cores instead
        results = [_input_problem(problems[f], ruleset, options) if f in problems
                   else lint_file(f, options, stdin_text, stdin_name, workers if jobs != 1 else 1) for f in files]
    findings: list[Finding] = []
    unreadable: list[str] = []
    for f, (found, bad) in zip(files, results, strict=True):
        findings.extend(sorted(found, key=lambda x: (x.line, x.column, x.code)))
        if bad:
            unreadable.append(f)
    metas = {code: replace(meta, severity=severity_for(code, meta.severity, options))  # type: ignore[arg-type]
             for code, meta in ruleset.metas().items()}
    if stdin_name:  # reports name the file the text on standard input stands for
        files = [stdin_name if f == STDIN else f for f in files]
        unreadable = [stdin_name if f == STDIN else f for f in unreadable]
    return LintResult(findings, files, metas, unreadable, options.fail_on, skipped, excluded, notes)

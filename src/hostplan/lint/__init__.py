"""The contract linter: sources -> checks (rules are data) -> findings -> reports.

Library API (the CLI `hostplan lint` / `hostplan rules` is a thin layer over it)::

    from hostplan.lint import lint_paths, lint_text, all_rules

    result = lint_paths(["proposal.yaml", "contracts/"])   # config found from the first path upward
    result.findings   # list[Finding], ordered by file then line/column
    result.files      # list[str]: every file linted ("<stdin>" for `-`)
    result.rules      # dict[str, RuleMeta]: every rule, with severity overrides from the config applied
    result.unreadable # files that could not be read (they also appear as HP001 findings)
    result.exit_code(fail_on="warning", exit_zero=False)   # 0 / 1 / 2 as the CLI returns

- `lint_paths(paths, config=None, *, options=None, jobs=0, stdin_text=None, config_file=None, **overrides)`:
  paths are spec files (.yaml/.yml), documents (.md/.txt/.docx), folders (walked recursively; hidden, excluded and
  git-ignored files and the repo's README/CHANGELOG/CONTRIBUTING/LICENSE skipped; YAML in folders only when it looks
  like a spec) or "-" (stdin_text as Markdown: a str, or bytes decoded like a file). With force_exclude=True,
  `exclude` also applies to the paths given (result.excluded lists those left out).
  `overrides` are LintOptions fields given on the command line: select=("HP1",), ignore=(...), fail_on="error",
  category="food". More than 50 files are linted in parallel processes, and a
  contract of a million characters or more is checked in parts (jobs=0: all cores, 1: serial).
  Invalid specs give HP0xx findings; unreadable files and folders, and named files of a type that cannot be linted
  (.doc, .pdf), give HP001 and `result.unreadable`.
  Raises HostplanError for usage errors (bad config, unknown rule prefix, malformed rule pack).
- `lint_text(text, path="<stdin>", kind="markdown"|"spec")`: lint one text in memory, returns list[Finding].
- `all_rules()` -> dict[str, RuleMeta]: every built-in rule (code, name, severity, summary, help).
- `rule_details(code)` -> the full Rule (message, why, suggestion, bad/good examples) for `hostplan rules CODE`.

Finding positions are 1-based; end_column is exclusive. For specs they point at the YAML value; for .docx at
the line of the extracted text (one line per paragraph, one per table row), with `field` naming the paragraph
or table cell. Rules and lexicons are YAML data in rules/ and lexicons/; a repo adds its own through
`.hostplan.toml` ([lint] rules = [...], lexicons = [...]).
"""

from __future__ import annotations

from pathlib import Path

from .engine import LintOptions, LintResult, lint_paths, options_from_config
from .finding import Finding, RuleMeta
from .rules import Rule, all_rules, load_ruleset


def lint_text(text: str, path: str = "<stdin>", kind: str = "markdown", options: LintOptions | None = None,
              start: Path | None = None) -> list[Finding]:
    """Lint one document (kind markdown/text) or spec (kind spec) held in memory; suppressions apply."""
    from .engine import apply_suppressions, enabled_codes, lint_document, lint_spec_with_suppressions, suppressions
    from .sources import from_text

    opts = options or LintOptions()
    ruleset = load_ruleset(opts.rules, opts.lexicons)
    if kind == "spec":
        found = lint_spec_with_suppressions(text, path, ruleset, opts, start)
    else:
        found = lint_document(from_text(text, path, kind), ruleset, opts, start)
        found = apply_suppressions(found, suppressions(text, "markdown"), ruleset, enabled_codes(ruleset, opts), opts,
                                   path)
    return sorted(found, key=lambda f: (f.line, f.column, f.code))


def rule_details(code: str) -> Rule | None:
    return load_ruleset().rules.get(code.strip().upper())


__all__ = ["Finding", "LintOptions", "LintResult", "Rule", "RuleMeta", "all_rules", "lint_paths", "lint_text",
           "options_from_config", "rule_details"]

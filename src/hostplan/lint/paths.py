"""Path patterns of `exclude` and `per-path-ignores`, read as a .gitignore or ruff user writes them.

- a pattern without "/" (drafts, *.tmp.md) matches a file or folder of that name at any depth, and everything
  under such a folder;
- a pattern with "/" (contracts/drafts, legacy/*.md) is relative to the config file's folder, and matches that
  path and everything under it; a leading "/" (/drafts) anchors a name to that folder too;
- "**/" at the start matches any number of folders, none included (**/drafts matches drafts/ at the top);
- ./ at the start, a trailing /, and Windows backslashes (legacy\\*.md) are written in the usual ways and mean
  the same as without them.

`*` also matches "/" as in fnmatch, as before (legacy/* covers legacy/2024/a.md).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from functools import cache


class PatternError(ValueError):
    """A pattern that can never match what the user meant; the message says why, in the user's words."""


def normalise(raw: str) -> str:
    """The pattern in one form: forward slashes, no ./ or trailing /; a leading / is kept only on a single name
    (/drafts), where it is the only sign that the name is anchored to the config folder."""
    p = raw.strip().replace("\\", "/")
    p = re.sub(r"/{2,}", "/", p)
    while p.startswith("./"):
        p = p[2:]
    p = p.replace("/./", "/")
    if p.endswith("/."):
        p = p[:-2]
    p = p.rstrip("/") if p != "/" else p
    if p.startswith("/") and "/" in p[1:]:
        p = p[1:]  # anchored anyway: it holds a /
    return p


def check(raw: str) -> str:
    """normalise(raw), or PatternError when the pattern cannot match anything under the config folder."""
    p = normalise(raw)
    if p in ("", ".", "/"):
        raise PatternError("是空的或只是“.”：要排除整个目录，请不要审阅这个目录；要匹配所有文件请写 \"*\"")
    if re.match(r"^[A-Za-z]:(/|$)", p) or p == "~" or p.startswith("~/"):
        raise PatternError("是绝对路径：请写相对于配置文件所在目录的路径，如 \"drafts\" 或 \"contracts/legacy/*.md\"")
    if ".." in p.lstrip("/").split("/"):
        raise PatternError("含有“..”：路径相对于配置文件所在目录，不能指到它外面")
    return p


@cache
def _compiled(pattern: str) -> tuple[bool, tuple[str, ...]]:
    """(anchored, alternatives): anchored patterns are matched against the relative path and its parent
    folders, the others against each name in the path."""
    p = normalise(pattern)
    anchored = "/" in p
    p = p.lstrip("/")
    alternatives = [p]
    while p.startswith("**/"):  # **/drafts also matches drafts at the top
        p = p[3:]
        alternatives.append(p)
    return anchored, tuple(alternatives)


def matches(rel: str, patterns: Iterable[str], whole: bool = True) -> bool:
    """Whether the path `rel` (relative to the config folder, with /) matches one of the patterns. whole: the
    path's parent folders count too (a file named on the command line); a folder walk, which checks each folder
    as it enters it, passes False."""
    parts = [s for s in rel.split("/") if s not in ("", ".")]
    if not parts:
        return False
    outside = rel.startswith("/") or parts[0] == ".." or bool(re.match(r"^[A-Za-z]:", parts[0]))
    # outside the config folder, its parent folders (/tmp, /home/…) are not the repo's: only the name itself
    names = parts if whole and not outside else parts[-1:]
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)] if whole else ["/".join(parts)]
    for pattern in patterns:
        anchored, alternatives = _compiled(pattern)
        if not anchored:
            if any(fnmatch.fnmatch(name, alternatives[0]) for name in names):
                return True
        elif not outside and any(fnmatch.fnmatch(prefix, alt) for alt in alternatives for prefix in prefixes):
            # relative to the config folder: a path outside it is never meant
            return True
    return False

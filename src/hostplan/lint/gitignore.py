"""What git ignores under a folder, so that a folder walk passes over it as ruff does (out/, build output, local
notes): those files are never committed, so the pre-commit hook never sees them and CI's checkout has none.

One `git ls-files` per folder walked, asked from the work tree's top for that folder only, with --directory so an
ignored folder is one line however large. Anything that goes wrong (no git, not a work tree, a repo git refuses
to read, a slow disk) means "nothing known to be ignored": the walk then lints what it finds, as before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 30  # seconds: git answers in milliseconds; a hung network disk must not hang a CI run


@dataclass(frozen=True)
class Ignored:
    top: Path  # the work tree's top folder, resolved
    paths: frozenset[str]  # relative to top with "/": ignored files, and ignored folders ending in "/"
    refused: str = ""  # git's own words when it refuses to read the repo (a checkout owned by another user)

    def folder(self, rel: str) -> bool:
        return rel + "/" in self.paths

    def file(self, rel: str) -> bool:
        return rel in self.paths


def ignored_under(folder: Path) -> Ignored | None:
    """What git ignores under folder (untracked files and folders that .gitignore, .git/info/exclude or the global
    excludes file match), or None when that cannot be told."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        top = subprocess.run([git, "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True,
                             timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        if top.returncode != 0 or not top.stdout.strip():
            said = os.fsdecode(top.stderr).strip()
            if "safe.directory" in said or "dubious ownership" in said:  # a repo, but git will not read it
                return Ignored(folder, frozenset(), said.splitlines()[0])
            return None
        root = Path(os.fsdecode(top.stdout.rstrip(b"\r\n"))).resolve()
        rel = folder.resolve().relative_to(root).as_posix()
        listed = subprocess.run(
            [git, "--literal-pathspecs", "-C", str(root), "ls-files", "--others", "--ignored", "--exclude-standard",
             "--directory", "-z", "--", rel], capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if listed.returncode != 0:
        return None
    return Ignored(root, frozenset(os.fsdecode(p) for p in listed.stdout.split(b"\0") if p))

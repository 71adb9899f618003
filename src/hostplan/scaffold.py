"""`hostplan new`: a complete, commented starter spec for a category."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from pathlib import Path

from .config import find_config
from .errors import HostplanError
from .resources import data_dir
from .spec.categories import Category, categories_for

SCHEMA_FILE = "hostplan.schema.json"


def _yaml_str(value: object) -> str:
    # a JSON string is a valid YAML double-quoted scalar, so any text is safe here
    return json.dumps(str(value), ensure_ascii=False)


def default_term(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """From the first day of next month, for one year."""
    today = today or dt.date.today()
    start = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
    return start, end


def resolve_category(key: str, start: Path | None = None) -> Category:
    cats = categories_for(find_config(start or Path.cwd()))
    if key in cats:
        return cats[key]
    for cat in cats.values():
        if key in cat.aliases:
            return cat
    known = "、".join(f"{c.key}（{c.name}）" for c in cats.values())
    raise HostplanError(f"未知类目 {key}：可用的类目有 {known}")


def starter_spec(category: Category, *, start: dt.date | None = None, filename: str = "proposal.yaml") -> str:
    import jinja2

    begin, end = default_term()
    if start is not None:
        begin, end = start, start.replace(year=start.year + 1) - dt.timedelta(days=1)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["y"] = _yaml_str
    template = env.get_template("spec/starter.yaml.j2")
    return template.render(category=category, start=begin.isoformat(), end=end.isoformat(),
                           schema_ref=SCHEMA_FILE, filename=shell_word(filename))


_SHELL_SPECIAL = re.compile(r"[\s'\"$`\\!*?&;|<>(){}\[\]#~]")


def shell_word(name: str) -> str:
    """A file name as it is typed in a shell: quoted only when it must be (方案.yaml stays as it is), so the
    next-step commands printed for the user can be copied."""
    if name.startswith("-"):
        name = f"./{name}"
    return shlex.quote(name) if _SHELL_SPECIAL.search(name) else name

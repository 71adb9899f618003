"""Rendering a spec into the proposal both parties sign: Jinja templates -> Markdown -> Word (.docx).

    loaded = load_spec("shop.yaml")
    markdown = render_markdown(loaded)                              # str, what shop.md holds
    data = render_docx(markdown, title=loaded.spec.title, date=document_date(loaded))   # .docx bytes
    render_files(path, resolve_targets(path, "all", None))         # both, checked and written atomically
"""

from __future__ import annotations

from .docx import render_docx
from .files import Target, render_files, resolve_targets
from .markdown import document_date, render_markdown, template_dirs_for

__all__ = ["Target", "document_date", "render_docx", "render_files", "render_markdown", "resolve_targets",
           "template_dirs_for"]

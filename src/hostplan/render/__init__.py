"""Rendering a spec into the proposal both parties sign: Jinja templates -> Markdown -> Word (.docx)."""

from __future__ import annotations

from .markdown import document_date, render_markdown, template_dirs_for

__all__ = ["document_date", "render_markdown", "template_dirs_for"]

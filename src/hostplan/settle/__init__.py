"""Settlement: after-sales ticket log -> the month's metrics -> the monthly statement.

Kept light to import: the renderer calls worked_example() while rendering a proposal.
"""

from __future__ import annotations

from typing import Any


def worked_example(spec: Any) -> str | None:
    """A one-sentence worked example of a month's deductions, computed by the same code as `settle`."""
    from .example import worked_example as _worked_example

    return _worked_example(spec)


__all__ = ["worked_example"]

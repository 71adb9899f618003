"""hostplan: draft and audit hosting contracts for online stores (网店托管方案).

Library API (the CLI is a thin layer over these):
    load_spec(path) -> LoadedSpec      parse and validate a YAML spec; raises SpecError with positions
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import HostplanError, Problem, SpecError
    from .spec.load import LoadedSpec, load_spec, load_text
    from .spec.model import Spec

_LAZY = {
    "load_spec": "hostplan.spec.load", "load_text": "hostplan.spec.load", "LoadedSpec": "hostplan.spec.load",
    "Spec": "hostplan.spec.model", "Problem": "hostplan.errors", "SpecError": "hostplan.errors",
    "HostplanError": "hostplan.errors",
}


def __getattr__(name: str) -> Any:
    # keep `import hostplan` cheap for the CLI: load pydantic models only when asked
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)


__all__ = ["HostplanError", "LoadedSpec", "Problem", "Spec", "SpecError", "load_spec", "load_text"]

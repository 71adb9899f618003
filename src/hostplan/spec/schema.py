"""JSON Schema of the spec for editors, describing what people write (30分钟 is a valid duration)."""

from __future__ import annotations

from typing import Any

from .model import Spec


def json_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "hostplan 托管方案规格"
    return schema

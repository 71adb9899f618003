"""The JSON Schema describes what people write: every valid spec passes it, typical mistakes fail it."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import CATEGORIES, EXAMPLES
from hostplan.spec.load import parse_yaml
from hostplan.spec.schema import json_schema


@pytest.fixture(scope="module")
def validator():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _data(text: str):
    # editors read YAML 1.2, where dates stay strings; hostplan's loader reads scalars the same way
    return parse_yaml(text, "spec.yaml")[0]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_pass_the_schema(validator, example):
    errors = list(validator.iter_errors(_data(example.read_text(encoding="utf-8"))))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("category", CATEGORIES)
def test_new_output_passes_the_schema(validator, hostplan, category):
    res = hostplan("new", "-c", category, "-o", "-")
    errors = list(validator.iter_errors(_data(res.stdout)))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize(
    ("old", "new"),
    [("threshold: 30分钟", "threshold: 30"), ("cap: 30%", "cap: 30"), ("  exclusions:", "  exclusion:"),
     ("model: fixed", "model: monthly"), ("chat_log_retention: 3个月", "chat_log_retention: 3"),
     ("threshold: 4.5分", "threshold: 5.5分"), ("threshold: 4.5分", "threshold: -1分")],
)
def test_schema_rejects_typical_mistakes(validator, old, new):
    text = EXAMPLES[1].read_text(encoding="utf-8")
    assert old in text
    assert list(validator.iter_errors(_data(text.replace(old, new, 1))))


def test_schema_has_chinese_descriptions_and_examples():
    schema = json_schema()
    text = json.dumps(schema, ensure_ascii=False)
    assert "服务标准" in text and "30分钟" in text
    assert schema["additionalProperties"] is False


def test_schema_command_writes_file(tmp_path, hostplan):
    out = tmp_path / "hostplan.schema.json"
    assert hostplan("schema", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "hostplan 托管方案规格"
    assert hostplan("schema", "-o", str(out)).returncode == 2  # no overwrite without --force

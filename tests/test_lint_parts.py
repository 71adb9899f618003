"""A very large contract is checked in parts, cut at blank lines, on all cores (lint/parts.py): the findings must be
exactly those of the whole text, at the same offsets, in the same order."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from hostplan.lint import lint_paths, parts
from hostplan.lint.rules import load_ruleset
from hostplan.lint.text import normalise
from test_lint_doc_numbers import BAD
from test_lint_quality import labelled

# the labelled clauses, the number checks' bad forms, and lines that make a Markdown contract of them
LINES = [text for _, text in labelled()] + [sentence for sentence, *_ in BAD] + [
    "# 网店托管服务合同", "## 第三条 服务标准", "| 指标 | 标准 | 数据来源 |", "|---|---|---|",
    "| 首次响应 | 及时回复 | 千牛 |", "| 好评率 | ≥ 120% | 平台后台 |", "甲方：某某商贸有限公司", "  ", "",
    "乙方应及时", "回复客户咨询。", "“不得承诺", "终身保修”", "服务期限自 2026-06-01 起", "至 2026-03-31 止。",
    # halves of forms whose patterns allow spaces: they must not join across a line
    "乙方如有必要", "（一）乙方应在 2 小时内回复。", "扣款比例为", "% 以内", "每月", "日前支付服务费", "退款不超过", "元",
    "联系电话：", "____", "____年", "__月__日",
]


def paragraphs() -> st.SearchStrategy[list[list[str]]]:
    return st.lists(st.lists(st.sampled_from(LINES), min_size=1, max_size=4), min_size=1, max_size=12)


def _join(paras: list[list[str]], gaps: list[str]) -> str:
    return "".join("\n".join(p) + gaps[i % len(gaps)] for i, p in enumerate(paras))


def _every_blank_line(norm: str) -> list[int]:
    return [m.end() for m in re.finditer(parts.PARAGRAPH, norm) if m.end() < len(norm)]


def _rows(hits: list) -> list[tuple]:
    return [(h.start, h.end, h.code, h.severity, h.message, h.suggestion, h.text) for h in hits]


def _whole(text: str) -> list[tuple]:
    return _rows(parts.hits(text, normalise(text), load_ruleset(), None))


def _in_parts(text: str, cuts: list[int]) -> list[tuple]:
    """What the worker processes return, run here: each part checked on its own and put back at its offset."""
    norm = normalise(text)
    parts._init_part_worker(text, norm, load_ruleset(), None)
    found = [parts._check_part(b) for b in zip([0, *cuts], [*cuts, len(norm)], strict=True)]
    return _rows([h for words, _ in found for h in words] + [h for _, numbers in found for h in numbers])


@settings(max_examples=150, deadline=None)
@given(paragraphs(), st.lists(st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n\n\n\n"]), min_size=1, max_size=3))
def test_cut_at_every_blank_line_the_findings_are_those_of_the_whole(paras, gaps) -> None:
    text = _join(paras, gaps)
    assert _in_parts(text, _every_blank_line(normalise(text))) == _whole(text)


def test_the_property_above_has_findings_to_compare() -> None:
    text = _join([[line] for line in LINES], ["\n\n"])
    whole = _whole(text)
    assert len(_every_blank_line(text)) > 200
    assert {"HP101", "HP201", "HP501", "HP503", "HP504", "HP505"} <= {row[2] for row in whole}
    assert _in_parts(text, _every_blank_line(text)) == whole


def test_cut_points_are_after_blank_lines_near_equal_shares() -> None:
    text = "甲" * 100 + "\n\n" + "乙" * 100 + "\n\n" + "丙" * 100
    assert parts.cut_points(text, 2) == [204]  # the first blank line at or after the middle (152)
    assert parts.cut_points(text, 4) == [102, 204]
    assert parts.cut_points(text, 8) == [102, 204]  # no more parts than blank lines allow
    assert parts.cut_points("甲" * 300, 4) == []  # no blank line: one piece
    assert parts.cut_points("甲" * 10 + "\n\n", 2) == []  # nothing after the blank line


def test_a_large_contract_is_checked_on_two_processes_with_the_same_findings(tmp_path, monkeypatch) -> None:
    text = _join([[line] for line in LINES] * 3, ["\n\n", "\n\n\n"])
    path = tmp_path / "合同.md"
    path.write_text(text, encoding="utf-8")
    serial = lint_paths([path], jobs=1).findings
    assert len(serial) > 300
    monkeypatch.setattr(parts, "BIG_TEXT", 1000)  # this contract is then "large": cut into 4 parts for 2 processes
    assert len(parts.cut_points(normalise(text), 2 * parts.PARTS_PER_WORKER)) == 3
    assert lint_paths([path], jobs=2).findings == serial

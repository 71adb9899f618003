"""Where the signed contract states each rule a statement applies: clause numbers read from the rendered contract.

A statement line names the spec path it computes from (fees.monthly_fee, deductions.cap); the parties hold the
rendered contract, where that path appears nowhere. The clause numbers are read from the contract exactly as
`hostplan render` prints it (with the repo's own templates), so omitted modules shift them as they shift the
contract's. A heading a custom template renames is not found, and the line cites the spec path alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# spec path (or its first part) -> (section title, subsection title) as the built-in templates title them
CLAUSE_HEADINGS: dict[str, tuple[str, str | None]] = {
    "fees.monthly_fee": ("费用与结算", "服务费"),
    "fees.base_fee": ("费用与结算", "服务费"),
    "fees.per_ticket": ("费用与结算", "服务费"),
    "fees.share": ("费用与结算", "服务费"),
    "fees.prepay_discounts": ("费用与结算", "服务费"),
    "fees.settlement": ("费用与结算", "结算"),
    "deductions.cap": ("费用与结算", "扣款"),
    "fees.late_payment": ("费用与结算", "逾期付款"),
    # the limit of deductions to the fee payable is stated under the standards table
    "fees": ("服务标准与未达标处理", None),
    "standards": ("服务标准与未达标处理", None),
    "trial": ("试运营期", None),
}
PRORATION_WORDS = "不足整月"  # the item of 服务费 that pro-rates a partly covered month

_H1 = re.compile(r"^## (\S+?)、(.+?)\s*$")
_H2 = re.compile(r"^### （(\S+?)）(.+?)\s*$")
_ITEM = re.compile(r"^(\d+)\. (.*)$")


@dataclass
class ContractClauses:
    """Clause headings of one rendered contract: (section, subsection) titles -> '六（三）扣款'."""

    headings: dict[tuple[str, str | None], str] = field(default_factory=dict)
    items: list[tuple[str, str]] = field(default_factory=list)  # ('六（一）2', item text)

    def heading(self, path: str) -> str | None:
        """The contract heading that states the rule at this spec path (or standard id), if the contract has it."""
        key = path.split("[")[0]
        if re.fullmatch(r"[A-Za-z][\w-]*-\d+", path) and "." not in path:  # a standard id such as SLA-1
            key = "standards"
        while key not in CLAUSE_HEADINGS and "." in key:
            key = key.rsplit(".", 1)[0]
        titles = CLAUSE_HEADINGS.get(key)
        return self.headings.get(titles) if titles else None

    def item(self, words: str) -> str | None:
        """The numbered item whose text contains these words, as '六（一）2'."""
        return next((number for number, text in self.items if words in text), None)

    @property
    def proration(self) -> str | None:
        return self.item(PRORATION_WORDS)


def parse_clauses(markdown: str) -> ContractClauses:
    out = ContractClauses()
    h1 = h2 = ""
    h1_title = ""
    for line in markdown.splitlines():
        if m := _H1.match(line):
            h1, h1_title, h2 = m.group(1), m.group(2), ""
            out.headings.setdefault((h1_title, None), f"{h1}、{h1_title}")
        elif m := _H2.match(line):
            h2 = f"（{m.group(1)}）"
            out.headings.setdefault((h1_title, m.group(2)), f"{h1}{h2}{m.group(2)}")
        elif (m := _ITEM.match(line)) and h2:
            out.items.append((f"{h1}{h2}{m.group(1)}", m.group(2)))
    return out


def contract_clauses(loaded: object, spec_path: str | Path) -> ContractClauses | None:
    """The clauses of the contract `hostplan render` makes from this spec (the repo's template-dir included);
    None when it cannot be rendered (a broken custom template is render's to report, not the statement's)."""
    from ..errors import HostplanError
    from ..render.markdown import render_markdown, template_dirs_for

    try:
        text = render_markdown(loaded, template_dirs=template_dirs_for(spec_path))  # type: ignore[arg-type]
    except HostplanError:
        return None
    return parse_clauses(text)

"""Rendering a spec to Markdown: snapshots of the examples, wording of computed clauses, escaping, templates.

Snapshots live in tests/snapshots/<example>.md. After an intended change to the templates, regenerate them with
    HOSTPLAN_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_render_markdown.py
and review the diff like any other change to the contract text.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import EXAMPLES, ROOT
from hostplan.errors import HostplanError, SpecError
from hostplan.render import render_markdown
from hostplan.render.escape import md_escape
from hostplan.spec.categories import known_categories
from hostplan.spec.load import load_spec, load_text

SNAPSHOTS = ROOT / "tests" / "snapshots"
APPAREL = ROOT / "examples" / "apparel.yaml"
MD = MarkdownIt("commonmark").enable("table")
SPECS = [p for p in EXAMPLES if "\nstandards:" in p.read_text(encoding="utf-8")]  # not the settlement actuals


def spec_text(**changes: object) -> str:
    """The apparel example with top-level keys replaced (None removes the key)."""
    data = yaml.safe_load(APPAREL.read_text(encoding="utf-8"))
    data["term"] = {k: str(v) for k, v in data["term"].items()}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def render_text(text: str, tmp_path: Path, **kwargs: object) -> str:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return render_markdown(load_spec(path), **kwargs)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.mark.parametrize("example", SPECS, ids=[p.stem for p in SPECS])
def test_example_snapshot(example: Path) -> None:
    text = render_markdown(load_spec(example))
    snapshot = SNAPSHOTS / f"{example.stem}.md"
    if os.environ.get("HOSTPLAN_UPDATE_SNAPSHOTS"):
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.is_file(), f"缺少快照 {snapshot}：用 HOSTPLAN_UPDATE_SNAPSHOTS=1 生成"
    assert text == snapshot.read_text(encoding="utf-8"), "渲染结果与快照不同：确认改动后用 HOSTPLAN_UPDATE_SNAPSHOTS=1 更新"


def headings(markdown: str, level: int) -> list[str]:
    prefix = "#" * level + " "
    return [line[len(prefix):] for line in markdown.splitlines() if line.startswith(prefix)]


def test_apparel_sections_in_order_with_chinese_numbering() -> None:
    md = render_markdown(load_spec(APPAREL))
    assert headings(md, 2) == [
        "一、合作目标", "二、服务范围", "三、服务标准与未达标处理", "四、流程规范", "五、责任划分", "六、费用与结算",
        "七、试运营期", "八、沟通与报告", "九、知识库", "十、类目重点条款（服饰鞋包）", "十一、突发情况处理",
        "十二、合作终止与交接", "十三、争议解决",
    ]
    # sub-clause numbers restart in every section
    sub = md.split("## 二、服务范围")[1].split("## 三、")[0]
    assert headings(sub, 3) == ["（一）服务时间", "（二）基础服务", "（三）增值服务", "（四）不包含的服务"]
    fees = md.split("## 六、费用与结算")[1].split("## 七、")[0]
    assert headings(fees, 3)[0] == "（一）服务费"


def test_remedies_and_trial_read_as_precise_chinese() -> None:
    md = render_markdown(load_spec(APPAREL))
    rows = {line.split("|")[1].strip(): line for line in md.splitlines() if line.startswith("| ") and "（SLA-" in line}
    assert "| ≤ 30分钟 |" in rows["首次响应时间（SLA-1）"] and "每超时 1 次扣 50元。" in rows["首次响应时间（SLA-1）"]
    # as settle counts them: a time limit leaves out tickets applied outside service hours, a resolution rate
    # counts every complaint
    assert "；服务时间（每天 09:00—22:00）外申请的工单不计入。 |" in rows["复杂问题答复时间（SLA-2）"]
    assert "；服务时间外申请的投诉同样计入，自申请时起计时。 |" in rows["投诉24小时解决率（SLA-3）"]
    assert "服务时间" not in rows["客户满意度（好评率）（SLA-4）"]
    assert "≥ 90%（24小时内）" in rows["投诉24小时解决率（SLA-3）"]
    assert "未达标扣当月服务费的 10%。" in rows["投诉24小时解决率（SLA-3）"]
    assert "每低于标准 1 个百分点扣当月服务费的 2%，不足 1 个百分点的部分按 1 个百分点计。" in rows["客户满意度（好评率）（SLA-4）"]
    assert "以商家提供的数据为准" in rows["客户满意度（好评率）（SLA-4）"]
    assert "每发生 1 次扣 500元。" in rows["因托管方过错被投诉到平台（SLA-5）"]
    assert "未达标扣当月服务费的 30%。" in rows["月度店铺评分（SLA-6）"]
    assert "试运营期满，投诉率未低于 8% 的，商家可无条件解约，只需支付当月服务费的 80%，且不超过按本方案扣款后当月应付的金额。" in md
    assert "当月全部扣款合计不超过当月服务费的 30%。" in md
    assert "1. 结算日：每月 10 日。" in md and "2. 结算数据：以平台后台数据为准。" in md
    assert "每逾期 1 日，按应付未付金额的 0.05% 向托管方支付滞纳金。" in md
    assert "1. 客户申请退货后 10分钟内，托管方回复客户并发送退货地址与注意事项。" in md
    assert "合作终止后 7天内，托管方向商家交接下列内容" in md


def _standard(**remedy: object) -> dict[str, object]:
    return {"id": "SLA-9", "name": "满意度", "metric": "satisfaction_rate", "comparator": ">=", "threshold": "95%",
            "remedy": remedy}


@pytest.mark.parametrize(("standard", "expected"), [
    (_standard(type="percent_per_point", percent="2%", cap="20%"),
     "每低于标准 1 个百分点扣当月服务费的 2%，不足 1 个百分点的部分按 1 个百分点计；"
     "本条扣款每月合计不超过当月服务费的 20%。"),
    (_standard(type="percent_per_point", percent="3%", step="0.5%"),
     "每低于标准 0.5 个百分点扣当月服务费的 3%，不足 0.5 个百分点的部分按 0.5 个百分点计。"),
    (_standard(type="fee_waiver"), "未达标的，免除当月服务费。"),
    (_standard(type="percent_of_fee", percent="10%", cap="800元"), "未达标扣当月服务费的 10%；本条扣款每月合计不超过 800元。"),
    ({"id": "SLA-9", "name": "店铺评分", "metric": "store_rating", "comparator": ">=", "threshold": "4.8分",
      "remedy": {"type": "percent_per_point", "percent": "5%"}},
     "每低于标准 0.1分扣当月服务费的 5%，不足 0.1分的部分按 0.1分计。"),
    ({"id": "SLA-9", "name": "投诉率", "metric": "complaint_rate", "comparator": "<=", "threshold": "3%",
      "remedy": {"type": "percent_per_point", "percent": "1%"}},
     "每高于标准 1 个百分点扣当月服务费的 1%，不足 1 个百分点的部分按 1 个百分点计。"),
    ({"id": "SLA-9", "name": "首响", "metric": "first_response_time", "comparator": "<=", "threshold": "30分钟",
      "remedy": {"type": "percent_per_point", "percent": "1%"}}, "每超时 1 次扣当月服务费的 1%。"),
    ({"id": "SLA-9", "name": "平台介入", "metric": "platform_escalations", "comparator": "<=", "threshold": "2次",
      "remedy": {"type": "percent_per_point", "percent": "3%"}}, "每高于标准 1 次扣当月服务费的 3%。"),
    ({"id": "SLA-9", "name": "平台介入", "metric": "platform_escalations", "comparator": "<=", "threshold": "2次",
      "remedy": {"type": "fixed_per_breach", "amount": "300元"}}, "超出 2次 的部分，每多 1 次扣 300元。"),
    ({"id": "SLA-9", "name": "退款审核", "metric": "refund_review_time", "comparator": "<=", "threshold": "48小时"},
     "本条不设扣款。"),
])
def test_remedy_wording(tmp_path: Path, standard: dict[str, object], expected: str) -> None:
    md = render_text(spec_text(standards=[standard]), tmp_path)
    row = next(line for line in md.splitlines() if "（SLA-9）" in line)
    assert row.rstrip().endswith(f"| {expected} |")


def test_absent_modules_are_omitted_cleanly(tmp_path: Path) -> None:
    optional = ["goals", "processes", "disputes", "deductions", "trial", "communication", "reporting",
                "knowledge_base", "emergencies", "termination", "emphasis"]
    data = yaml.safe_load(spec_text())
    data["fees"] = {"model": "fixed", "monthly_fee": "3000元", "settlement": {"day": 5, "data_source": "平台"}}
    data["scope"] = {"service_hours": {"start": "09:00", "end": "18:00"}, "basic": ["售前咨询"]}
    data["responsibilities"] = {"merchant": ["提供商品资料"], "agency": ["回复客户消息"]}
    for key in optional:
        data.pop(key)
    md = render_text(yaml.safe_dump(data, allow_unicode=True), tmp_path)
    assert headings(md, 2) == ["一、服务范围", "二、服务标准与未达标处理", "三、责任划分", "四、费用与结算"]
    assert "None" not in md and "，，" not in md and "：。" not in md and "、、" not in md
    lines = md.splitlines()
    def level(line: str) -> int:
        return len(line) - len(line.lstrip("#")) if line.startswith("#") else 0

    for i, line in enumerate(lines):  # every heading has content before the next heading of its level
        if level(line):
            following = next((x for x in lines[i + 1:] if x.strip()), "")
            assert not 0 < level(following) <= level(line), f"空标题：{line}"
    assert "1. **售前咨询**。" in md
    assert "托管方的服务时间为每天 09:00—18:00。" in md
    assert "付款期限" not in md and "结算条件" not in md


def test_each_category_renders_its_emphasis_titles_in_category_order() -> None:
    for example in SPECS:
        loaded = load_spec(example)
        md = render_markdown(loaded)
        cat = known_categories(example.parent)[loaded.spec.category]
        section = md.split(f"类目重点条款（{cat.name}）")[1].split("\n## ")[0]
        titles = [re.sub(r"^（.+?）", "", h) for h in headings(section, 3)]
        expected = [c.title for c in cat.clauses if c.key in loaded.spec.emphasis]
        assert titles == expected and expected
        for key, clause in loaded.spec.emphasis.items():
            assert clause.text.rstrip("。") in section, key


def test_spec_text_is_data_not_template_code(tmp_path: Path) -> None:
    std = {"id": "SLA-1", "name": "{{ 7 * 7 }} 响应 | 列", "metric": "first_response_time", "comparator": "<=",
           "threshold": "30分钟", "measured_by": "{% if true %}注入{% endif %} **粗体** [链接](http://x) <b>标签</b>",
           "remedy": {"type": "fixed_per_breach", "amount": "50元"}}
    md = render_text(spec_text(standards=[std], title="# {{ config }} 方案"), tmp_path)
    assert "49" not in md and "{{ 7 \\* 7 }}" in md
    assert "{% if true %}" in md
    tokens = MD.parse(md)
    # the table keeps its four columns; no cell, heading, link, bold or HTML came from the spec text
    sla = md[md.index("| 指标 | 标准 |"):].split("\n\n")[0].splitlines()
    assert len(sla) == 3  # header, rule, one standard
    row = next(i for i, t in enumerate(tokens) if t.type == "inline" and "7 \\* 7" in t.content)
    cells = []
    for t in tokens[row - 1:]:
        if t.type == "tr_close":
            break
        if t.type == "inline":
            cells.append("".join(c.content for c in t.children or []))
    assert cells[0] == "{{ 7 * 7 }} 响应 | 列（SLA-1）"
    assert cells[2].startswith("{% if true %}注入{% endif %} **粗体** [链接](http://x) <b>标签</b>")
    kinds = {c.type for t in tokens if t.type == "inline" for c in t.children or []}
    assert not kinds & {"link_open", "html_inline"}
    assert md.splitlines()[0] == "# \\# {{ config }} 方案"


printable = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40),
    # dense in Markdown syntax, so the interesting combinations come up often
    st.text(st.sampled_from(list("\\`*_[]<>|&#;-+=~!()1.2) a中：")), min_size=1, max_size=20),
)


@given(printable)
def test_escaped_text_reads_back_verbatim_in_a_table_cell(text: str) -> None:
    text = text.strip()
    if not text:
        return
    md = f"| a | b |\n|---|---|\n| {md_escape(text)} | x |\n"
    tokens = MD.parse(md)
    cells = [t for t in tokens if t.type == "inline"]
    assert len(cells) == 4
    assert "".join(c.content for c in cells[2].children or []) == text


@given(printable)
def test_escaped_text_stays_one_paragraph(text: str) -> None:
    text = text.strip()
    if not text:
        return
    assert [t.type for t in MD.parse(f"{md_escape(text)}\n")] == ["paragraph_open", "inline", "paragraph_close"]
    tokens = MD.parse(f"1. {md_escape(text)}\n")
    assert [t.type for t in tokens] == ["ordered_list_open", "list_item_open", "paragraph_open", "inline",
                                        "paragraph_close", "list_item_close", "ordered_list_close"]
    assert "".join(c.content for c in tokens[3].children or []) == text


def test_date_comes_from_option_epoch_or_term(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_spec(APPAREL)
    assert "**编制日期**：2026年1月1日" in render_markdown(loaded)  # term.start
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1767225600 + 40 * 86400))
    assert "**编制日期**：2026年2月10日" in render_markdown(loaded)
    assert "**编制日期**：2025年12月20日" in render_markdown(loaded, date=dt.date(2025, 12, 20))
    with pytest.raises(HostplanError, match="YYYY-MM-DD"):
        render_markdown(loaded, date="2025/12/20")


def test_control_characters_are_refused_with_the_field(tmp_path: Path) -> None:
    text = spec_text().replace("name: 杭州悦衣坊服饰有限公司", 'name: "杭州悦衣坊\\x07服饰有限公司"')
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        render_markdown(load_spec(path))
    (problem,) = info.value.problems
    assert problem.field == "parties.merchant.name" and "U+0007" in problem.message
    assert text.splitlines()[problem.line - 1].strip().startswith("name:")


def test_user_template_overrides_one_section(tmp_path: Path) -> None:
    custom = tmp_path / "tpl" / "sections"
    custom.mkdir(parents=True)
    (custom / "signature.md.j2").write_text("（签署页另附）\n\n甲方：{{ spec.parties.merchant.name }}\n", encoding="utf-8")
    md = render_markdown(load_spec(APPAREL), template_dirs=[tmp_path / "tpl"])
    assert md.endswith("（签署页另附）\n\n甲方：杭州悦衣坊服饰有限公司\n")
    assert "## 三、服务标准与未达标处理" in md  # the other sections still come from the built-in templates


@pytest.mark.parametrize(("template", "message"), [
    ("{{ spec.__class__.__mro__ }}", "沙箱"),
    ("{{ spec.title.__class__.__subclasses__() }}", "沙箱"),
    ("{{ spec.no_such_field }}", "no_such_field"),
    ("{% for x in %}", "proposal.md.j2:1: 此处缺少表达式（变量、值或计算），却遇到了 %}"),
])
def test_user_templates_are_sandboxed_and_strict(tmp_path: Path, template: str, message: str) -> None:
    (tmp_path / "proposal.md.j2").write_text(template, encoding="utf-8")
    with pytest.raises(HostplanError, match=message):
        render_markdown(load_spec(APPAREL), template_dirs=[tmp_path])


def test_builtin_templates_use_no_vague_wording() -> None:
    """The boilerplate itself must pass review: none of the vague words the linter flags."""
    vague = ["及时", "尽快", "尽力", "尽量", "第一时间", "适当", "必要时", "视情况", "原则上", "酌情", "定期",
             "大幅", "显著", "满意为止", "积极配合", "妥善", "相关费用", "其他费用"]
    for path in (ROOT / "templates" / "proposal").rglob("*.j2"):
        text = path.read_text(encoding="utf-8")
        for word in vague:
            assert word not in text, f"{path.name}: {word}"
        assert not re.search(r"等[。；]", text), path.name


def test_load_text_specs_render_without_a_file(tmp_path: Path) -> None:
    loaded = load_text(APPAREL.read_text(encoding="utf-8"), str(tmp_path / "x.yaml"))
    assert render_markdown(loaded) == render_markdown(load_spec(APPAREL))


def test_cover_checksum_fingerprints_the_whole_text(tmp_path: Path) -> None:
    import hashlib

    from hostplan.render.markdown import CHECKSUM_SLOT

    md = render_markdown(load_spec(APPAREL))
    code = re.search(r"\*\*方案版本（校验码）\*\*：([0-9A-F]{8})\n", md).group(1)  # type: ignore[union-attr]
    assert hashlib.sha256(md.replace(code, CHECKSUM_SLOT).encode()).hexdigest()[:8].upper() == code
    other_fee = render_text(spec_text().replace("monthly_fee: 5000元", "monthly_fee: 5200元"), tmp_path)
    assert code not in other_fee
    assert code not in render_markdown(load_spec(APPAREL), date=dt.date(2026, 2, 1))

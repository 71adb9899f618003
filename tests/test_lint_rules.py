"""Rules and lexicons are data: every rule's bad/good example and every lexicon entry's examples hold, and a
malformed entry fails loudly at load instead of silently matching nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from hostplan.cli import app
from hostplan.errors import HostplanError
from hostplan.lint import all_rules, lint_text
from hostplan.lint.rules import load_ruleset
from hostplan.lint.text import normalise
from hostplan.scaffold import resolve_category, starter_spec

RULESET = load_ruleset()
TEXT_RULES = [r for r in RULESET.rules.values() if r.example == "text"]
SPEC_RULES = [r for r in RULESET.rules.values() if r.example == "spec"]
STARTER = starter_spec(resolve_category("apparel", None), start=dt.date(2026, 1, 1))


def with_fragment(base: str, fragment: str) -> str:
    """Replace the fragment's top-level keys in the starter spec (textually, so duplicates and syntax survive)."""
    keys = set(re.findall(r"^([A-Za-z_]+):", fragment, re.MULTILINE))
    out: list[str] = []
    skipping = False
    for line in base.splitlines():
        m = re.match(r"^([A-Za-z_]+):", line)
        if m:
            skipping = m.group(1) in keys
        elif line and not line.startswith((" ", "#")):
            skipping = False
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n" + fragment + "\n"


def codes(findings: list) -> set[str]:
    return {f.code for f in findings}


def test_rule_pack_covers_every_family() -> None:
    rules = all_rules()
    for family in ("HP0", "HP1", "HP2", "HP3", "HP4", "HP5", "HP6"):
        assert any(code.startswith(family) for code in rules), family
    assert len(RULESET.entries) >= 25
    for meta in rules.values():
        assert meta.summary and meta.help and meta.severity in ("error", "warning", "info")


def test_starter_spec_is_clean() -> None:
    assert lint_text(STARTER, "proposal.yaml", kind="spec") == []


@pytest.mark.parametrize("rule", TEXT_RULES, ids=[r.code for r in TEXT_RULES])
def test_text_rule_examples(rule) -> None:
    bad = [f for f in lint_text(rule.bad) if f.code == rule.code]
    assert bad, f"{rule.code} bad example not reported: {rule.bad}"
    assert bad[0].severity == rule.severity
    assert rule.code not in codes(lint_text(rule.good)), rule.good


@pytest.mark.parametrize("rule", SPEC_RULES, ids=[r.code for r in SPEC_RULES])
def test_spec_rule_examples(rule) -> None:
    bad = lint_text(with_fragment(STARTER, rule.bad), "proposal.yaml", kind="spec")
    assert rule.code in codes(bad), [(f.code, f.message) for f in bad]
    good = lint_text(with_fragment(STARTER, rule.good), "proposal.yaml", kind="spec")
    assert rule.code not in codes(good), [(f.code, f.message) for f in good]


def test_built_in_lexicon_examples_verify() -> None:
    from hostplan.lint.checks.lexicon import verify_entries

    assert all(e.builtin for e in RULESET.entries)
    verify_entries(RULESET, include_builtin=True)  # raises on the first example that does not hold


def test_every_lexicon_example_checked_through_the_whole_pipeline() -> None:
    for entry in RULESET.entries:
        for example in entry.match:
            assert entry.rule in codes(lint_text(example)), (entry.where, example)
        for example in entry.no_match:
            hits = [f for f in lint_text(example) if f.code == entry.rule and f.severity != "info"]
            assert hits == [], (entry.where, example)


def _lexicon(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "extra.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "message"), [
    ("rule: HP101\nentries:\n  - terms: [尽速]\n    hint: x\n    match: [请及时处理]\n", "应当命中"),
    ("rule: HP101\nentries:\n  - terms: [抓紧]\n    hint: x\n    match: [请抓紧处理]\n    no_match: [抓紧发现]\n", "不应命中"),
    ("rule: HP101\nentries:\n  - pattern: '(抓紧'\n    hint: x\n    match: [抓紧]\n", "无效"),
    ("rule: HP101\nentries:\n  - pattern: '\\b抓紧'\n    hint: x\n    match: [抓紧]\n", "\\b"),
    ("rule: HP101\nentries:\n  - pattern: '(?:抓+)+紧'\n    hint: x\n    match: [抓紧]\n", "嵌套量词"),
    ("rule: HP101\nentries:\n  - pattern: '抓紧（'\n    hint: x\n    match: [抓紧（]\n", "全角"),
    ("rule: HP101\nentries:\n  - terms: [抓紧]\n    hint: x\n", "match"),
    ("rule: HP101\nentries:\n  - terms: [抓紧]\n    match: [抓紧]\n", "hint"),
    ("rule: HP999\nentries:\n  - terms: [抓紧]\n    hint: x\n    match: [抓紧]\n", "HP999"),
    ("rule: HP101\nentries:\n  - terms: [抓紧]\n    hint: x\n    match: [抓紧]\n    typo: 1\n", "未知字段"),
])
def test_malformed_lexicon_entry_fails_loudly(tmp_path: Path, body: str, message: str) -> None:
    path = _lexicon(tmp_path, body)
    with pytest.raises(HostplanError) as exc:
        load_ruleset((), (path,))
    assert message in str(exc.value)
    assert str(path) in str(exc.value)


def test_repo_lexicon_extends_matching(tmp_path: Path) -> None:
    path = _lexicon(tmp_path, "rule: HP101\nentries:\n  - terms: [抓紧]\n    hint: 请写明期限\n"
                              "    match: [托管方应抓紧发现差评]\n    no_match: [抓紧（2 小时内）处理]\n")
    from hostplan.lint import LintOptions

    opts = LintOptions(lexicons=(path,))
    found = lint_text("托管方应抓紧发现差评并处理。", options=opts)
    assert [(f.code, f.column, f.text) for f in found] == [("HP101", 5, "抓紧")]
    assert lint_text("托管方应抓紧发现差评并处理。") == []  # the built-in pack alone does not know it


def test_broken_built_in_style_rule_fails(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("- code: HP7\n  name: x\n  type: lexicon\n  severity: warning\n  summary: s\n  message: m\n  why: w\n",
                    encoding="utf-8")
    with pytest.raises(HostplanError, match="HP 加三位数字"):
        load_ruleset((path,), ())


def test_rules_command_explains_one_rule() -> None:
    r = CliRunner().invoke(app, ["rules", "HP101"])
    assert r.exit_code == 0
    rule = RULESET.rules["HP101"]
    assert rule.bad in r.stdout and rule.good in r.stdout and "为什么" in r.stdout
    listing = CliRunner().invoke(app, ["rules"])
    assert listing.exit_code == 0 and len(listing.stdout.strip().splitlines()) == len(RULESET.rules)
    missing = CliRunner().invoke(app, ["rules", "HP999"])
    assert missing.exit_code == 2
    # a prefix lists the family, as --select HP5 selects it
    family = CliRunner().invoke(app, ["rules", "hp5"])
    assert family.exit_code == 0
    assert [ln.split()[0] for ln in family.stdout.splitlines()] == sorted(c for c in RULESET.rules if c.startswith("HP5"))
    # only rules that match words have the 不得…… exemption
    assert "不报的情形" in CliRunner().invoke(app, ["rules", "HP101"]).stdout
    for code in ("HP001", "HP304", "HP503"):
        assert "不报的情形" not in CliRunner().invoke(app, ["rules", code]).stdout


FULL = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


@given(st.text(alphabet=st.sampled_from("及时尽快回复分钟30每月定期，。()%abcXY 　"), max_size=40))
def test_normalise_keeps_length(text: str) -> None:
    assert len(normalise(text)) == len(text)


@given(st.sampled_from(["客服应及时回复（首次响应≤30分钟）", "咨询响应时间___秒", "本店100%正品",
                        "托管方须在合理时间内答复", "服务费【 】元/月", "及时处理，24小时内完成"]))
def test_full_width_and_half_width_give_the_same_findings(text: str) -> None:
    wide = "".join(FULL.get(ch, ch) for ch in text)
    assert [(f.code, f.column, f.end_column) for f in lint_text(text)] == \
        [(f.code, f.column, f.end_column) for f in lint_text(wide)]


SELECTION_SAMPLE = """# 售后托管服务合同

第一条 乙方客服应及时、专业地回复买家咨询，保证服务质量优良。
第二条 乙方应快速处理退款申请。
第三条 乙方应认真负责，积极配合甲方。
"""


@pytest.mark.parametrize("prefix", ["HP1", "HP2", "HP101", "HP201", "HP5"])
def test_a_selection_reports_a_subset_of_the_full_run(prefix: str) -> None:
    from hostplan.lint.engine import LintOptions

    def keys(opts: LintOptions) -> set[tuple[str, int, int]]:
        return {(f.code, f.line, f.column) for f in lint_text(SELECTION_SAMPLE, "c.md", options=opts)}

    full = keys(LintOptions())
    selected = keys(LintOptions(select=(prefix,)))
    ignored = keys(LintOptions(ignore=(prefix,)))
    assert selected == {k for k in full if k[0].startswith(prefix)}
    assert ignored == {k for k in full if not k[0].startswith(prefix)}
    # 快速处理 is explained by HP101 and must never turn into a qualitative HP201 finding on 快速
    assert ("HP101", 4, 8) in full
    assert not any(code == "HP201" and line == 4 for code, line, _ in full | selected | ignored)


def _span_around_ref(text: str, start: int, end: int, sep, reach: int) -> tuple[int, int]:
    """The sentence lookup written as a local scan, the way it reads in words: the index must agree."""
    from hostplan.lint import text as t

    chars = t.SUBCLAUSE_CHARS if sep is t.SUBCLAUSE_END else t.SENTENCE_CHARS
    floor = max(0, start - reach)
    lo = max(text.rfind(c, floor, start) for c in chars) + 1
    if lo == 0:
        lo = floor
    m = sep.search(text, end, end + reach)
    return lo, m.start() if m else min(len(text), end + reach)


@given(st.text(alphabet="及时回复。;!?\n,:ab 好", max_size=1200), st.data())
def test_sentence_lookup_by_index_equals_the_local_scan(text: str, data) -> None:
    from hostplan.lint import text as t

    reach = t._REACH
    t._REACH = data.draw(st.sampled_from([reach, 3, 10]))  # walls of text longer than the look-around too
    try:
        spans = t.Spans(text)
        for _ in range(5):
            start = data.draw(st.integers(0, len(text)))
            end = data.draw(st.integers(start, min(len(text), start + 4)))
            for sep in (t.SENTENCE_END, t.SUBCLAUSE_END):
                assert spans.around(start, end, sep) == _span_around_ref(text, start, end, sep, t._REACH)
    finally:
        t._REACH = reach


@pytest.mark.parametrize(("clause", "blank"), [
    ("乙方应在个工作日内完成交接。", "在个工作日"),
    ("甲方应于每月\u3000\u3000日前付款。", "每月\u3000\u3000日"),
    ("首次响应不超过 秒。", "不超过 秒"),
    ("退款审核 XX天内完成。", "XX"),
    ("- 服务费 [  ] 元/月", "[  ]"),
    # a date in a clause is part of the contract, not of the signing: once, at its first blank
    ("本合同自____年__月__日起生效。", "____"),
    ("服务期限自 2026 年 __ 月 __ 日起。", "__"),
    ("甲方应于每月___日前付款。", "___"),
    # a unit with no number before it
    ("首次响应时间不超过秒。", "不超过秒"),
    ("月服务费为元/月。", "为元/"),
    ("扣款比例为 %。", " %"),
    ("首次响应时间不超过    秒。", "不超过    秒"),  # one blank, one finding
    # a field of the contract, not of the signature block: the label must be the whole field
    ("甲方应于付款日期：____年__月__日前支付首期服务费。", "____"),
    ("退货地址：________", "________"),
    ("甲方应于每月  ____日前支付服务费。", "____"),
    ("| 付款 | ____日 |", "____"),
])
def test_blanks_left_in_a_template_are_errors(clause: str, blank: str) -> None:
    found = [f for f in lint_text(clause, "c.md") if f.code == "HP202"]
    assert [(f.text, f.severity, f.column) for f in found] == [(blank, "error", clause.index(blank) + 1)]


@pytest.mark.parametrize("clause", ["每月 5 日前付款，首次响应不超过 30 秒。", "日期：\u3000\u3000年\u3000\u3000月\u3000\u3000日",
                                    # the signature block is filled in by hand when signing
                                    "甲方（盖章）：____________\n联系电话：____________\u3000\u3000联系电话：____________",
                                    "签订地点：________\n开户行：________ 账号：________\n法定代表人（签字）：______",
                                    "____年____月____日\u3000\u3000\u3000\u3000____年____月____日",
                                    "| 甲方（盖章） | ____年__月__日 |", "甲方代表（签字）：____",
                                    "不超过次日 18:00 发货，元旦期间达到天猫要求即可。",
                                    "在个别情况下由双方协商。",
                                    # a handover checklist in Markdown task-list form is ticked, not filled in
                                    "交接清单：\n\n- [ ] 知识库文档 1 份\n* [ ] 客服账号 3 个\n1. [ ] 聊天记录导出"])
def test_filled_figures_and_signature_dates_are_not_blanks(clause: str) -> None:
    assert [f.text for f in lint_text(clause, "c.md") if f.code == "HP202"] == []


COMPLAINT_STANDARD = """  - id: SLA-9
    name: 投诉率
    metric: complaint_rate
    comparator: "<="
    threshold: 5%
    window: 每月
    measured_by: 当月投诉工单数除以当月订单数
    data_source: platform
    remedy: {type: fixed_per_breach, amount: 100元}
"""


@pytest.mark.parametrize(("condition", "advice"), [
    ('{metric: satisfaction_rate, name: 好评率, comparator: ">=", threshold: 80%}', "请改为不低于 95%"),
    ('{metric: complaint_rate, name: 投诉率, comparator: "<", threshold: 8%}', "请改为不高于 5%"),
])
def test_trial_looser_than_its_standard_is_told_which_way_to_tighten(condition: str, advice: str) -> None:
    text = STARTER.replace("standards:\n", "standards:\n" + COMPLAINT_STANDARD, 1)
    text = text.replace('    - {metric: complaint_rate, name: 投诉率, comparator: "<", threshold: 8%}', f"    - {condition}", 1)
    (f,) = [f for f in lint_text(text, "proposal.yaml", kind="spec") if f.code == "HP502"]
    assert f.message.endswith(advice) and f.field == "trial.exit_if_not_met[0].threshold"


@pytest.mark.parametrize(("clause", "expected"), [
    ("基础服务费 5000 元/月，相关费用由乙方承担。", {"HP106"}),  # the fee figure belongs to another clause
    ("好评率不低于 95%，相关费用由乙方承担。", {"HP106"}),
    ("| 首次响应 | 30 分钟 | 售后须及时处理 |", {"HP101"}),  # a table cell is a clause of its own
    ("乙方承诺店铺销量第一。", {"HP601"}),
    ("客服使用“最佳”“顶级”等绝对化用语的，每次扣 100 元。", set()),  # a penalty for the wording, not the wording
    ("客服向客户承诺终身保修的，每次扣款 500 元。", set()),
    ("客服违规宣称本品能治愈失眠的，由乙方承担全部责任。", set()),
    ("乙方不承诺店铺销量第一。", set()),
    ("乙方须及时回复（首次响应 ≤ 30 分钟）。", set()),
    ("客服承诺终身保修，或宣称假一赔十的，每次扣款 500 元。", set()),  # one condition over two clauses
    ("因乙方回复不及时造成的损失由乙方赔偿。", set()),  # the breach is named, not promised
    ("因客服承诺终身保修造成的损失由乙方承担。", set()),  # the cause of a loss, not a promise
    # an obligation followed by the penalty for breaching it is still vague
    ("乙方应及时回复客户咨询，未及时回复的，每次扣款 50 元。", {"HP101"}),
    ("乙方应尽快处理差评，因处理不及时造成的损失由乙方赔偿。", {"HP101"}),
    ("商家应尽快承担因质量问题产生的赔偿。", {"HP101"}),
    ("乙方应定期抽查客服的聊天记录，发现问题的扣除绩效。", {"HP104"}),
    # an earlier limit counts when the term's clause is its purpose; a table row is one standard
    ("客服在 30 秒内首次响应，确保客户咨询得到及时回复。", set()),
    ("合同期限为 12 个月，确保及时回复客户。", {"HP101"}),
    ("首次响应不超过 30 秒，其余问题尽快处理。", {"HP101"}),
    ("| 首次响应 | 及时回复 | ≤ 30 秒 |", set()),
    ("首次响应 | 及时回复 | ≤ 30 秒", set()),  # the same row from a Word table
    ("| 培训 | 定期培训 | 每月 1 次 |", set()),
    ("| 响应 | 及时回复 | 扣款 50 元 |", {"HP101"}),  # a fee is no deadline
    ("| 及时回复 | ≤ 30 秒 |\n| 尽快处理 | 扣款 50 元 |", {"HP101"}),  # only the term's own row
    ("乙方须在每日 18:00 前及时提交日报。", set()),  # the colon of a clock time ends no clause
    ("乙方每天 10:00 定期检查库存。", set()),
    ("客服每天 9:00-22:00 及时回复咨询。", {"HP101"}),  # opening hours are no deadline
    ("9:00-22:00 定期巡店。", {"HP104"}),
    # a limit after 并 is for another action unless it repeats the term's verb
    ("乙方应第一时间通知甲方，并在 2 小时内提出处理方案。", {"HP101"}),
    ("乙方应定期检查库存，并每周提交报告。", {"HP104"}),
    ("乙方应及时处理，并于当日处理完毕。", set()),
    ("乙方应定期培训客服，并每月培训 1 次。", set()),
])
def test_figures_belong_to_their_clause_and_penalties_are_not_claims(clause: str, expected: set[str]) -> None:
    assert {f.code for f in lint_text(clause, "c.md") if f.code[:3] in ("HP1", "HP6")} == expected


@pytest.mark.parametrize(("clause", "expected"), [
    ("店铺 DSR 评分在托管后三个月内大幅提升。", [("HP105", "大幅提升")]),  # a deadline is no level to reach
    ("3 个月内投诉率从 10% 降到 5% 以下，显著改善", []),
    ("乙方可视店铺运营情况收取一定的提成，具体比例另行协商。",
     [("HP103", "视店铺运营情况"), ("HP106", "一定的提成"), ("HP106", "另行协商")]),
    ("在 个工作日内无息退还", [("HP202", "在 个工作日")]),
    ("退款审核 XX 天内完成。", [("HP202", "XX")]),
    ("甲方（盖章）：______", []),  # filled in when signing
    ("签订日期：____年__月__日", []),
    ("服务费___元/月", [("HP202", "___")]),
])
def test_targets_fees_and_blanks_as_reviewers_read_them(clause: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.code, f.text) for f in lint_text(clause, "c.md")] == expected


def test_an_annex_holding_one_part_is_not_asked_for_every_module() -> None:
    body = "".join(f"{i}. 首次响应不超过 30 分钟，以客服工作台导出数据为准，未达标每次扣 50 元。\n" for i in range(1, 12))
    annex = lint_text("# 附件二：女装店铺售后服务标准\n\n" + body, "annex.md")
    whole = lint_text("# 女装店铺售后托管服务合同\n\n" + body, "contract.md")
    assert not [f for f in annex if f.code.startswith(("HP3", "HP4"))]
    assert {f.code for f in whole} >= {"HP301", "HP302"}


def test_rules_command_shows_entries_as_their_checked_examples() -> None:
    out = CliRunner().invoke(app, ["rules", "HP101"]).stdout
    assert "不报的情形：这个词所在的分句或其后写明了时限" in out
    entry = next(e for e in RULESET.entries if e.rule == "HP101")
    assert f"  · {entry.hint}" in out and "会报：" + "；".join(entry.match) in out
    assert "(?" not in out  # no raw regular expressions


@pytest.mark.parametrize(("clause", "reported"), [
    ("乙方应保存聊天记录。", True),  # but for how long?
    ("乙方应保存聊天记录。合同期限为 12 个月。", True),  # a period of something else
    ("乙方保存全部客服聊天记录不少于 3 个月，甲方需要时 1 个工作日内提供。", False),
    ("乙方应保存聊天记录，保存期限为三个月。", False),
    ("| 聊天记录保存期限 | 90 天 |", False),  # a table row: the cells are one statement
])
def test_chat_log_retention_must_state_how_long(clause: str, reported: bool) -> None:
    body = "".join(f"第{i}条 首次响应不超过 30 分钟，以客服工作台导出数据为准，未达标每次扣 50 元。\n" for i in range(1, 12))
    found = lint_text("# 女装店铺售后托管服务合同\n\n" + body + clause + "\n", "contract.md")
    assert ("HP308" in {f.code for f in found}) == reported


def test_with_quantity_is_checked_at_load(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("- code: HP391\n  name: x\n  type: module\n  severity: warning\n  summary: s\n  message: m\n"
                    "  why: w\n  bad: b\n  good: g\n  params:\n    keywords: [[备份]]\n    with_quantity: days\n",
                    encoding="utf-8")
    with pytest.raises(HostplanError, match="with_quantity"):
        load_ruleset((path,), ())


@pytest.mark.parametrize(("clause", "module"), [
    ("双方各指定一名对接人，通过钉钉群对接，乙方每周一 10:00 前发送周报。", "HP304"),
    ("合作前 30 天为磨合期，磨合期内好评率低于 90% 的，甲方可以解除本协议。", "HP306"),
    ("客服与客户的全部会话记录保留 12 个月。", "HP308"),
])
def test_a_module_written_in_other_common_words_is_recognised(clause: str, module: str) -> None:
    body = "".join(f"第{i}条 首次响应不超过 30 分钟，以客服工作台导出数据为准，未达标每次扣 50 元。\n" for i in range(1, 12))
    head = "# 女装店铺售后托管服务合同\n\n" + body
    assert module in {f.code for f in lint_text(head, "contract.md")}
    assert module not in {f.code for f in lint_text(head + clause + "\n", "contract.md")}


@pytest.mark.parametrize(("clause", "expected"), [
    # how a notice must be shown (statutory wording), not a target
    ("乙方应在店铺首页显著位置公示售后政策。", []),
    ("乙方应以显著方式提示退换货条件。", []),
    ("乙方应在店铺首页明显位置公示售后政策。", []),
    ("服务质量显著提升", [("HP105", "显著提升")]),
    ("完成交接的必要时间为 3 个工作日。", []),  # a stated duration
    ("必要时由甲方协助", [("HP103", "必要时")]),
])
def test_terms_inside_longer_words_are_not_reported(clause: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.code, f.text) for f in lint_text(clause, "c.md") if f.code[:3] in ("HP1", "HP2")] == expected


@pytest.mark.parametrize(("clause", "expected"), [
    ("乙方应尽快、妥善地处理售后问题。", [("HP101", "尽快"), ("HP102", "妥善地处理")]),
    ("乙方应及早通知甲方。", [("HP101", "及早")]),
    ("乙方应马上处理。", [("HP101", "马上")]),
    ("乙方应定时检查库存。", [("HP104", "定时")]),
    ("新品设置定时上架。", []),  # a platform feature
    ("双方应加强沟通。", [("HP102", "加强沟通")]),
    ("乙方应提供高质量的客服服务。", [("HP201", "高质量")]),
    ("乙方应提供高质量的客服服务，好评率不低于 95%。", []),
])
def test_plainly_vague_wording_is_reported(clause: str, expected: list[tuple[str, str]]) -> None:
    found = [(f.code, f.text) for f in lint_text(clause, "c.md") if f.code[:3] in ("HP1", "HP2") and f.severity != "info"]
    assert found == expected


@pytest.mark.parametrize(("clause", "expected"), [
    ("客服服务态度须良好，首次响应不超过 30 秒。", [("HP201", "良好")]),  # the figure is about response time
    ("客服须快速回应，首次响应不超过 30 秒。", []),  # ... which does measure a speed word
    ("乙方应提供高效的客服服务，首次响应不超过 30 秒。", []),
    ("乙方应保证服务质量良好", [("HP201", "良好")]),  # the quality, not what it qualifies
    ("托管方应确保服务质量和顾客满意度。", [("HP201", "服务质量")]),
    # 响应 is no obligation and 满意度 a metric in a list
    ("乙方每日提交客服日报，每月 3 日前提交月度报告，包含响应时长、满意度与退款率。", []),
])
def test_qualitative_words_need_their_own_measure(clause: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.code, f.text) for f in lint_text(clause, "c.md") if f.code[:3] == "HP2"] == expected


@pytest.mark.parametrize(("clause", "expected"), [
    ("乙方负责投诉原因分析并及时反馈甲方，反馈不及时的，每次扣款 50 元。", [("HP101", "及时")]),  # 原因 is no cause clause
    ("乙方负责因促销产生的咨询及时回复，未及时回复的，每次扣款 50 元。", [("HP101", "及时")]),
    ("因客服承诺终身保修造成的损失由乙方承担。", []),  # the clause names the cause of a loss
])
def test_a_cause_of_a_loss_opens_its_clause(clause: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.code, f.text) for f in lint_text(clause, "c.md")] == expected

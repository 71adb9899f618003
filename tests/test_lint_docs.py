"""Linting contract documents someone else wrote: Markdown, plain text, Word (.docx with tables) and stdin."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import contract_docx, contract_markdown
from hostplan.cli import app
from hostplan.lint import all_rules, lint_paths, lint_text
from hostplan.lint.finding import MAX_SOURCE

runner = CliRunner()

# A Word-style contract: headings, numbered clauses and a service-standard table. Planted problems are
# marked in DEFECTS; everything else is precise and must stay quiet.
BLOCKS: list[tuple[str, object]] = [
    ("h", "服饰鞋包店铺售后托管服务合同"),
    ("p", "甲方（商家）：杭州悦衣坊服饰有限公司；乙方（托管方）：杭州速达电商服务有限公司。"),
    ("h", "第一条 服务范围"),
    ("p", "乙方处理每日 9:00-22:00 的售前、售中、售后消息，48 小时内审核退款申请。"),
    ("p", "不包含：产品质量鉴定、第三方质检报告开具；因产品质量问题产生的赔偿由甲方承担。"),
    ("h", "第二条 服务标准"),
    ("table", [["项目", "标准", "未达标处理"],
               ["首次响应", "首次回复 ≤ 30 分钟", "每超时 1 次扣 50 元"],
               ["投诉处理", "尽快解决客户投诉", "扣当月服务费的 10%"],
               ["满意度", "好评率 ≥ 95%（每月抽查 100 条聊天记录）", "每低 1% 扣 2% 服务费"]]),
    ("h", "第三条 责任划分"),
    ("p", "甲方提供产品详情、库存表和售后政策；乙方应确保服务质量和顾客满意度。"),
    ("p", "乙方保管聊天记录至少 3 个月，客服须按知识库回复，擅自承诺导致纠纷的由乙方承担。"),
    ("p", "客服不得作出治疗、预防疾病等功效承诺，不得使用绝对化用语。"),
    ("h", "第四条 费用与结算"),
    ("p", "服务费 5000 元/月，每月 10 日结算上月费用，以平台后台数据为准；当月扣款总额不超过服务费的 30%。"),
    ("p", "乙方有权另行收取相关费用。"),
    ("h", "第五条 沟通与应急"),
    ("p", "双方在微信工作群沟通，每周一 15:00 召开 30 分钟复盘会。"),
    ("p", "断货时乙方在 2 小时内下架缺货商品，甲方在 48 小时内明确补货日期。"),
    ("h", "第六条 试运营、终止与交接"),
    ("p", "前 1 个月为试运营期，投诉率未降到 8% 以下的，甲方可解约并只付 80% 服务费。"),
    ("p", "合作终止后 7 天内乙方移交客户资料、素材文件并关闭子账号。"),
    ("h", "第七条 类目条款"),
    ("p", "客服在首次回复中发送尺码表和测量方法，询问身高体重后推荐尺码。"),
    ("p", "吊牌未拆、不影响二次销售的，支持 7 天无理由退换。"),
    ("p", "因客服推荐尺码错误导致的退换货，往返运费由托管方承担。"),
    ("h", "第八条 争议解决"),
    ("p", "争议先协商 7 天，协商不成提交甲方所在地人民法院诉讼解决。本合同依据《中华人民共和国合同法》订立。"),
]
# (code, matched text), each term once a sentence, touching terms as one (另行收取相关费用 is one finding); the image-copyright clause of the apparel category is missing on purpose
DEFECTS = {("HP101", "尽快"), ("HP201", "服务质量"), ("HP106", "另行收取"), ("HP604", "《中华人民共和国合同法》"),
           ("HP401", "")}


def markdown() -> str:
    return contract_markdown(BLOCKS)


def build_docx(path: Path) -> None:
    contract_docx(path, BLOCKS)


def test_markdown_contract_findings_with_positions(tmp_path: Path) -> None:
    md = tmp_path / "合同.md"
    text = markdown()
    md.write_text(text, encoding="utf-8")
    result = lint_paths([md], category="apparel")
    assert {(f.code, f.text) for f in result.findings} == DEFECTS
    lines = text.splitlines()
    for f in result.findings:
        if f.text:
            assert lines[f.line - 1][f.column - 1:f.end_column - 1] == f.text
            assert f.source == lines[f.line - 1]
    vague = next(f for f in result.findings if f.code == "HP101")
    assert lines[vague.line - 1].startswith("| 投诉处理 |")
    missing = next(f for f in result.findings if f.code == "HP401")
    assert "模特图与素材版权" in missing.message and missing.line == 1


def test_docx_contract_gives_the_same_findings_with_paragraph_and_cell(tmp_path: Path) -> None:
    path = tmp_path / "合同.docx"
    build_docx(path)
    md = tmp_path / "合同.md"
    md.write_text(markdown(), encoding="utf-8")
    result = lint_paths([path, md], category="apparel")
    word = [f for f in result.findings if f.path == str(path)]
    mark = [f for f in result.findings if f.path == str(md)]
    assert sorted((f.code, f.text, f.message) for f in word) == sorted((f.code, f.text, f.message) for f in mark)
    by_code = {f.code: f for f in word}
    # one line per paragraph, one per table row: the table is paragraphs 1-6, then rows
    assert by_code["HP101"].field == "表格 1 第 3 行 第 2 列"
    assert by_code["HP101"].source == "投诉处理 | 尽快解决客户投诉 | 扣当月服务费的 10%"
    assert by_code["HP101"].source[by_code["HP101"].column - 1:].startswith("尽快")
    assert by_code["HP201"].field == "段落 8"
    assert by_code["HP201"].line == 12  # 6 paragraphs, the table's 4 rows, a heading, then this paragraph
    assert by_code["HP604"].field == "段落 25"


def test_docx_is_detected_as_apparel_from_its_title(tmp_path: Path) -> None:
    path = tmp_path / "c.docx"
    build_docx(path)
    result = lint_paths([path])  # no --category: the title says 服饰鞋包
    assert ("HP401", "") in {(f.code, f.text) for f in result.findings}


def test_not_a_docx_is_unreadable(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip", encoding="utf-8")
    result = lint_paths([fake])
    assert [f.code for f in result.findings] == ["HP001"] and result.exit_code() == 2


def test_a_docx_without_a_body_is_unreadable_and_the_others_are_still_linted(tmp_path: Path) -> None:
    import zipfile

    good = tmp_path / "good.docx"
    contract_docx(good, [("p", "乙方应尽快处理。")])
    bodiless = tmp_path / "nobody.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bodiless, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb"<w:body>.*</w:body>", b"", data, flags=re.S)
            out.writestr(item, data)
    result = lint_paths([bodiless, good])
    assert [(f.path.rsplit("/", 1)[-1], f.code) for f in result.findings] == [("nobody.docx", "HP001"),
                                                                             ("good.docx", "HP101")]
    assert "没有正文" in result.findings[0].message and result.exit_code() == 2


def test_full_contract_without_modules_reports_each_missing_one(tmp_path: Path) -> None:
    body = "\n\n".join(f"第{i}条 乙方每天 9:00-22:00 处理售后消息，首次回复不超过 30 分钟，每超时 1 次扣 50 元。"
                       for i in range(1, 25))
    md = tmp_path / "c.md"
    md.write_text("# 店铺托管合同\n\n" + body + "\n", encoding="utf-8")
    codes = sorted(f.code for f in lint_paths([md]).findings)
    assert codes == ["HP301", "HP302", "HP303", "HP304", "HP305", "HP306", "HP307", "HP308", "HP309"]
    # a short excerpt is not a whole contract: no module findings
    assert lint_text("乙方每天 9:00-22:00 处理售后消息。") == []
    # nor is a long README of a contract repo
    readme = tmp_path / "README.md"
    readme.write_text("# 我们的仓库\n\n" + body.replace("第", "").replace("条", "") + "\n", encoding="utf-8")
    assert lint_paths([readme]).findings == []


@pytest.mark.parametrize(("dispute", "reported"), [
    ("因本合同产生的争议，双方协商解决。", True),  # and if the negotiation fails?
    ("如发生纠纷，双方友好协商。", True),
    ("争议先协商 7 天，协商不成提交甲方所在地人民法院诉讼解决。", False),
    ("协商不成的，提交杭州仲裁委员会仲裁。", False),
])
def test_a_dispute_clause_must_say_where_a_failed_negotiation_goes(tmp_path: Path, dispute: str, reported: bool) -> None:
    blocks = [b for b in BLOCKS if b != BLOCKS[-1]] + [("p", dispute)]
    md = tmp_path / "合同.md"
    md.write_text(contract_markdown(blocks), encoding="utf-8")
    assert ("HP302" in {f.code for f in lint_paths([md]).findings}) == reported


@pytest.mark.parametrize("clause", [
    "禁止客服对功效做承诺（如‘能治病’）",
    "不得作出治疗、预防疾病等功效承诺",
    "不得使用绝对化用语",
    "客服不得承诺终身保修",
    "合理化建议", "定期存款", "第一条", "第一季度", "首次回复率", "最后一天", "最新价格表", "唯一联系人",
])
def test_ordinary_or_prohibiting_language_is_not_flagged(clause: str) -> None:
    assert lint_text(clause) == []


@pytest.mark.parametrize(("clause", "code"), [
    ("客服可向客户说明本品能治疗失眠", "HP602"),
    ("客服可承诺本店销量第一", "HP601"),
    ("及时回复", "HP101"),
    ("每两个工作日及时同步一次", None),
    ("客服及时回复（首次响应三十分钟内）", None),
])
def test_context_decides(clause: str, code: str | None) -> None:
    assert [f.code for f in lint_text(clause)] == ([code] if code else [])


def test_markdown_suppression_and_comments_are_not_linted(tmp_path: Path) -> None:
    text = ("客服应及时回复。<!-- hostplan: ignore[HP101] 时限见附件二 -->\n"
            "<!-- hostplan: ignore[HP104] 频率见附件三 -->\n托管方定期培训客服。\n"
            "<!-- 草稿：尽快补充 -->\n```\n尽快\n```\n托管方应尽快处理。<!-- hostplan: ignore[HP201] 过时 -->\n")
    found = lint_text(text)
    assert [(f.line, f.code) for f in found] == [(8, "HP101"), (8, "HP009")]


def test_stdin_and_text_files(tmp_path: Path) -> None:
    r = runner.invoke(app, ["lint", "-", "--format", "json"], input="托管方应尽力解决客户投诉。\n")
    findings = json.loads(r.stdout)
    assert [(f["path"], f["line"], f["column"], f["code"]) for f in findings] == [("<stdin>", 1, 5, "HP102")]
    assert r.exit_code == 1
    txt = tmp_path / "c.txt"
    txt.write_text("第一条 服务费【 】元/月。\n", encoding="utf-8")
    r = runner.invoke(app, ["lint", str(txt), "--format", "json"])
    assert [(f["line"], f["column"], f["code"], f["text"]) for f in json.loads(r.stdout)] == [(1, 8, "HP202", "【 】")]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = ["客服应", "及时", "回复", "30分钟", "三十分钟", "。", "，", "\n", "尽快", "不得", "治疗", "“", "”", "第一条",
          "定期", "存款", "每周", "___", "【 】", "XX天", "销量第一", "１００％正品", "合同法", "《中华人民共和国合同法》",
          "、推广等工作", " ", "确保服务质量", "<!-- hostplan: ignore[HP101] 理由 -->", "ａｂｃ"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_text_positions_point_at_the_matched_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    lines = text.split("\n")
    for f in lint_text(text):
        assert 1 <= f.line <= len(lines)
        line = lines[f.line - 1]
        if len(line) <= MAX_SOURCE:
            assert f.source == line
        else:  # a long line is shown as an excerpt around the match, … where cut, from source_column on
            core = f.source.removeprefix("…").removesuffix("…")
            at = f.source_column if f.source.startswith("…") else f.source_column - 1
            assert line[at:at + len(core)] == core and len(f.source) <= MAX_SOURCE + 2
        if f.text and f.end_line == f.line:
            assert line[f.column - 1:f.end_column - 1] == f.text


def test_markdown_paragraph_wrapped_over_lines_is_one_clause() -> None:
    text = ("客服应及时\n回复客户（首次响应 30 分钟内）。\n\n- 托管方应尽快处理\n- 首次回复 30 分钟内\n\n"
            "| 项目 | 及时 |\n| 时限 | 30分钟 |\n")
    assert [(f.line, f.column, f.code, f.text) for f in lint_text(text)] == [(4, 7, "HP101", "尽快"),
                                                                             (7, 8, "HP101", "及时")]
    # plain text keeps every line break as the end of a clause
    assert [f.line for f in lint_text("客服应及时\n回复客户（30 分钟内）。", kind="text")] == [1]


def test_every_vague_term_of_a_sentence_is_reported() -> None:
    from hostplan.lint import lint_text

    text = "托管方应及时回复客户咨询，尽快处理售后问题，确保服务质量和顾客满意度。\n"
    found = lint_text(text, "合同.md", kind="markdown")
    assert [(f.code, f.text, f.column) for f in found] == [("HP101", "及时", 5), ("HP101", "尽快", 14),
                                                         ("HP201", "服务质量", 25)]


_BLOCK_START_REF = re.compile(r"\s*(?:[#>|*+-]|\d+[.、)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百零〇\d]+[条章节]|$)")


def _join_soft_breaks_ref(text: str) -> str:
    """The rule written line by line, as the docs describe it: the one-pass regex must agree with it."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i + 1 == len(lines):
            break
        nxt = lines[i + 1]
        soft = (line.strip() and not _BLOCK_START_REF.match(nxt) and not line.lstrip().startswith(("#", "|"))
                and not line.endswith("  "))
        out.append(" " if soft else "\n")
    return "".join(out)


@given(st.text(alphabet="及时回复（30 分钟）#>|*+-1.、)一第条 \t\u3000\nab", max_size=300))
def test_soft_line_breaks_join_as_the_rule_says(text: str) -> None:
    from hostplan.lint.sources import _join_soft_breaks

    assert _join_soft_breaks(text) == _join_soft_breaks_ref(text)


EXCLUSION_CONTRACT = """# 售后托管服务合同

第一条 服务内容：乙方负责天猫店铺的售前售后客服，首次响应不超过 30 分钟，每日 9:00-23:00 在线。
第二条 以下事项不属于乙方服务范围：产品质量鉴定、因产品质量问题产生的赔偿、店铺装修。
第三条 结算以平台后台导出的数据为准，每月 5 日结算。
第四条 双方通过微信工作群沟通，乙方在工作日 9:00-18:00 内 30 分钟内回复，每周一 15:00 复盘。
第五条 争议先协商 7 天，协商不成提交甲方所在地人民法院诉讼解决，以聊天记录和平台规则为认定依据。
第六条 乙方每日提交客服日报，每月 3 日前提交月度报告，包含响应时长、满意度与退款率。
第七条 甲方负责商品、库存与发货，乙方负责客服接待与售后处理；知识库由甲方提供产品资料，乙方维护话术。
第八条 服务费每月 5000 元，首次响应超时每次扣 50 元，扣款合计不超过当月服务费的 30%。
第九条 试运营期 1 个月，期满投诉率高于 8% 的，甲方可解约，只支付当月服务费的 80%。
第十条 合同终止后 7 天内，乙方移交知识库、话术库和全部聊天记录，并配合交接 3 天。
第十一条 本合同一式两份，双方各执一份，自双方签字盖章之日起生效。
"""


@pytest.mark.parametrize("wording", ["以下事项不属于乙方服务范围：", "以下事项不在乙方服务范围内：", "乙方不负责以下事项：",
                                     "以下事项不包括在服务内容中："])
def test_exclusions_are_recognised_in_their_usual_wordings(wording: str) -> None:
    text = EXCLUSION_CONTRACT.replace("以下事项不属于乙方服务范围：", wording)
    assert wording in text
    assert [f.code for f in lint_text(text, "c.md") if f.code == "HP301"] == []


def test_a_contract_without_exclusions_is_told_so_at_its_start() -> None:
    text = EXCLUSION_CONTRACT.replace("第二条 以下事项不属于乙方服务范围：产品质量鉴定、因产品质量问题产生的赔偿、店铺装修。\n", "")
    found = [(f.code, f.line, f.column) for f in lint_text(text, "c.md") if f.code == "HP301"]
    assert found == [("HP301", 1, 1)]


def test_hidden_characters_in_a_contract_are_reported_once_per_line(tmp_path: Path) -> None:
    md = tmp_path / "合同.md"
    md.write_text("# 售后托管合同\n\n甲方：杭州悦衣坊\u202e司公限有饰服\n乙方：速达\u200b电商\u200b服务\n", encoding="utf-8")
    found = [f for f in lint_paths([md]).findings if f.code == "HP702"]
    assert [(f.line, f.column, f.text) for f in found] == [(3, 9, "\u202e"), (4, 6, "\u200b")]
    assert "U+202E（RIGHT-TO-LEFT OVERRIDE，双向控制字符）" in found[0].message
    assert "去掉后是“甲方：杭州悦衣坊司公限有饰服”" in found[0].message
    assert found[1].message.startswith("第 4 行中有 2 个不可见字符")
    # the terminal report shows where they are without letting them reorder the line
    from hostplan.lint.report.text import render

    report = render(found, all_rules(), [str(md)])
    assert "\u202e" not in report and "| 甲方：杭州悦衣坊▯司公限有饰服" in report


def test_hidden_characters_in_a_word_contract_name_the_paragraph(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "合同.docx"
    document = docx.Document()
    document.add_heading("售后托管合同", level=1)
    document.add_paragraph("甲方：杭州悦衣坊\u202e司公限有饰服")
    document.save(str(path))
    (f,) = [f for f in lint_paths([path]).findings if f.code == "HP702"]
    assert f.field == "段落 2" and f.text == "\u202e"


@pytest.mark.parametrize(("head", "expected"), [
    ("# 女装店铺售后托管服务合同\n\n甲方：杭州某某服饰有限公司\n乙方：上海某某电子商务有限公司\n", "apparel"),
    ("# 售后托管服务合同\n\n甲方：深圳某某数码科技有限公司\n乙方：上海某某电子商务有限公司\n", "3c"),
    ("# 售后托管服务合同\n\n甲方：上海某某电子商务有限公司\n乙方：杭州某某网络科技有限公司\n", None),
    ("# 家纺旗舰店托管方案\n\n（美妆类目参照附件）\n", "home"),
    # the agency's name says nothing of the store's category
    ("# 售后客服托管服务合同\n\n甲方：成都某某商贸有限公司\n乙方：成都某某数码科技有限公司\n", None),
    ("# 售后托管服务合同\n\n甲方：深圳某某数码有限公司；乙方：杭州某某服饰网络有限公司\n", "3c"),
    ("# 托管方案：女装店铺\n\n甲方（商家）：某某有限公司\n乙方（托管方）：某某数码有限公司\n", "apparel"),
])
def test_the_title_names_the_category_before_the_parties(head: str, expected: str | None) -> None:
    from hostplan.lint.engine import LintOptions, _doc_category
    from hostplan.lint.sources import from_text

    found = _doc_category(from_text(head, "c.md"), LintOptions(), Path(__file__).resolve().parents[1])
    assert (found.key if found else None) == expected


def test_a_title_after_a_long_blank_line_still_names_the_category() -> None:
    from hostplan.lint.engine import LintOptions, _doc_category
    from hostplan.lint.sources import from_text

    doc = from_text(" " * 30000 + "\n\n# 女装店铺售后托管服务合同\n", "c.md")
    found = _doc_category(doc, LintOptions(), Path(__file__).resolve().parents[1])
    assert found is not None and found.key == "apparel"


def test_relative_paths_in_two_folders_see_their_own_categories(tmp_path: Path, monkeypatch) -> None:
    spec = (Path(__file__).resolve().parents[1] / "examples" / "apparel.yaml").read_text(encoding="utf-8")
    spec = spec.replace('category: "apparel"', 'category: "pets"')
    pets = (Path(__file__).resolve().parents[1] / "categories" / "apparel.yaml").read_text(encoding="utf-8")
    for name, with_pets in (("a", True), ("b", False)):
        folder = tmp_path / name
        (folder / "categories").mkdir(parents=True)
        (folder / ".hostplan.toml").write_text("", encoding="utf-8")
        if with_pets:
            (folder / "categories" / "pets.yaml").write_text(pets.replace("key: apparel", "key: pets"), encoding="utf-8")
        (folder / "x.yaml").write_text(spec, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "a")
    assert "HP007" not in {f.code for f in lint_paths(["x.yaml"]).findings}
    monkeypatch.chdir(tmp_path / "b")
    assert "HP007" in {f.code for f in lint_paths(["x.yaml"]).findings}  # folder b knows no category pets


def test_a_suppression_naming_a_code_no_rule_has_is_reported() -> None:
    text = "# 合同\n\n乙方应在 2 小时内回复。<!-- hostplan: ignore[HP999] 无此规则 -->\n"
    found = lint_text(text, "c.md")
    assert [(f.code, f.line) for f in found] == [("HP009", 3)]
    assert found[0].message == ("抑制注释 hostplan: ignore[HP999] 中的 HP999 不是规则编号，不会抑制任何发现："
                                "请核对编号（hostplan rules 列出全部规则）")
    # a real code that suppresses nothing gets the other wording
    [unused] = lint_text(text.replace("HP999", "HP101"), "c.md")
    assert unused.message == "抑制注释 hostplan: ignore[HP101] 没有抑制任何发现：条款已改好的话请删除它"


# --- contracts saved as GBK ------------------------------------------------------------------------

GBK_CONTRACT = "第一条 客服应及时回复。\n第二条 每月 10 日前结算上月费用。\n"


def test_a_gbk_contract_is_read_and_noted(tmp_path: Path) -> None:
    # Windows Notepad's "ANSI" is GBK: the contract is reviewed as it reads, with an info note to resave it
    doc = tmp_path / "合同.txt"
    doc.write_bytes(GBK_CONTRACT.encode("gbk"))
    r = runner.invoke(app, ["lint", str(doc), "--format", "json"])
    assert r.exit_code == 1, r.output
    found = [(f["line"], f["column"], f["code"], f["severity"], f["text"]) for f in json.loads(r.stdout)]
    assert found == [(1, 1, "HP010", "info", ""), (1, 8, "HP101", "warning", "及时")]
    # the note alone does not fail a run, and --select leaves it out like any other rule
    doc.write_bytes("第一条 客服首次回复不超过 30 分钟。\n".encode("gbk"))
    r = runner.invoke(app, ["lint", str(doc), "--format", "json"])
    assert r.exit_code == 0 and [f["code"] for f in json.loads(r.stdout)] == ["HP010"]
    r = runner.invoke(app, ["lint", str(doc), "--select", "HP1", "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout) == []


def test_a_utf16_contract_is_read_and_noted(tmp_path: Path) -> None:
    # Notepad's "Unicode" is UTF-16 with a byte-order mark
    doc = tmp_path / "合同.txt"
    doc.write_bytes(GBK_CONTRACT.replace("\n", "\r\n").encode("utf-16"))
    r = runner.invoke(app, ["lint", str(doc), "--format", "json"])
    found = json.loads(r.stdout)
    assert [(f["line"], f["column"], f["code"]) for f in found] == [(1, 1, "HP010"), (1, 8, "HP101")]
    assert found[0]["message"].startswith("文件是 UTF-16 编码，已按此编码读取并审阅")


def test_gbk_on_standard_input_is_read_like_a_file() -> None:
    r = runner.invoke(app, ["lint", "-", "--format", "json"], input=GBK_CONTRACT.encode("gbk"))
    assert r.exit_code == 1, r.output
    assert [(f["path"], f["code"]) for f in json.loads(r.stdout)] == [("<stdin>", "HP010"), ("<stdin>", "HP101")]
    r = runner.invoke(app, ["lint", "-", "--format", "json"], input=b"\xff\xfe\x00\x01 binary")
    assert r.exit_code == 2
    assert [(f["code"], f["line"], f["column"]) for f in json.loads(r.stdout)] == [("HP001", 1, 1)]


def test_bytes_that_only_decode_as_gbk_by_accident_are_not_read(tmp_path: Path) -> None:
    # Big5 (traditional Chinese) bytes are valid GB18030, but read as rare characters: not a GBK contract
    doc = tmp_path / "合約.md"
    doc.write_bytes("本合約由甲乙雙方協商訂立，乙方應於接獲客戶詢問後三十分鐘內回覆。".encode("big5"))
    r = runner.invoke(app, ["lint", str(doc), "--format", "json"])
    assert r.exit_code == 2
    [finding] = json.loads(r.stdout)
    assert finding["code"] == "HP001" and "GBK" not in finding["message"]
    assert finding["message"].endswith("不是有效的 UTF-8：请用编辑器另存为 UTF-8")


# --- long lines, control characters, whole-document findings --------------------------------------


def test_a_finding_on_a_very_long_line_shows_an_excerpt_around_the_match() -> None:
    # a contract pasted without line breaks: 50,000 findings on one line must not each carry the whole line
    clause = "第一条 乙方负责售后客服，首次响应不超过 30 分钟，每日 9:00-22:00 在线。"
    text = clause * 200 + "乙方应及时回复。" + clause * 200
    found = lint_text(text, "长.txt", kind="text")
    [vague] = [f for f in found if f.code == "HP101"]
    at = text.index("及时") + 1
    assert (vague.line, vague.column, vague.end_column) == (1, at, at + 2)
    assert len(vague.source) <= 242 and vague.source.startswith("…") and vague.source.endswith("…")
    # source[k] is column source_column + k of the line
    k = vague.column - vague.source_column
    assert vague.source[k:k + 2] == "及时"
    from hostplan.lint.report import text as text_report

    out = text_report.render([vague], {}, ["长.txt"]).splitlines()
    src, caret = out[2], out[3]
    assert src.startswith("    | …") and caret.rstrip().endswith(" ^^^^")
    # the carets stand under 及时 (both lines are measured in display columns)
    assert text_report._width(caret[: caret.index("^")]) == text_report._width(src[: src.index("及时")])
    # a short line is shown whole
    [short] = [f for f in lint_text("乙方应及时回复。", "短.txt", kind="text") if f.code == "HP101"]
    assert (short.source, short.source_column) == ("乙方应及时回复。", 1)


def test_control_characters_from_a_contract_cannot_reach_the_terminal(tmp_path: Path) -> None:
    # an ESC sequence at the end of a line could erase the findings printed above it
    doc = tmp_path / "合同.md"
    doc.write_bytes("第一条 乙方应及时回复。\x1b[2K\x1b[1A\x07\n".encode())
    r = runner.invoke(app, ["lint", str(doc)], env={"NO_COLOR": "1"})
    assert r.exit_code == 1
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "    | 第一条 乙方应及时回复。␛[2K␛[1A␇\n" in r.stdout


def test_whole_document_findings_keep_their_sarif_identity_when_the_text_changes(tmp_path: Path) -> None:
    from hostplan.lint.report import sarif

    doc = tmp_path / "合同.md"

    def fingerprints(text: str) -> dict[str, str]:
        doc.write_text(text, encoding="utf-8")
        found = lint_paths([doc]).findings
        log = json.loads(sarif.render(found, all_rules(), [str(doc)]))
        return {re.search("重点条款“(.+?)”", r["message"]["text"]).group(1): r["partialFingerprints"]["hostplan/v1"]
                for r in log["runs"][0]["results"] if r["ruleId"] == "HP401"}

    # without its 吊牌/二次销售 sentence the contract also lacks the return-condition clause
    base = markdown().replace("吊牌", "标签").replace("二次销售", "再次出售")
    before = fingerprints(base)
    assert set(before) == {"退换货条件", "模特图与素材版权"} and len(set(before.values())) == 2
    # blank lines above and a clause added below: the same missing clauses keep their fingerprints
    assert fingerprints("\n\n" + base + "\n第九条 本合同一式两份。\n") == before
    # one missing clause is written: the other keeps its fingerprint (a dismissed alert stays on its problem)
    assert fingerprints(base + "\n第十条 商品吊牌完好、不影响二次销售的，七天内可退换。\n") == {
        "模特图与素材版权": before["模特图与素材版权"]}


def test_a_missing_module_in_a_contract_suggests_a_clause_that_satisfies_it() -> None:
    # a lawyer gets contract wording, not a YAML fragment; pasting it in clears the finding and adds no other
    from hostplan.lint.rules import load_ruleset

    rules = [r for r in load_ruleset().rules.values() if r.type == "module"]
    assert len(rules) == 9
    contract = "# 售后托管服务合同\n\n" + "".join(f"第{i + 1}条 乙方负责天猫店铺的售后客服，每日 9:00-22:00 在线。\n"
                                                for i in range(20))
    found = {f.code: f for f in lint_text(contract, "c.md")}
    for rule in rules:
        clause = rule.params["clause"]
        assert found[rule.code].suggestion == clause
        assert "\n" not in clause and ":\n" not in clause  # prose, not YAML
        fixed = {f.code for f in lint_text(contract + f"第二十一条 {clause}\n", "c.md")}
        assert rule.code not in fixed, rule.code
        assert {f.code for f in lint_text(clause, "c.md")} <= {"HP401"}, (rule.code, clause)


# --- Word text python-docx's Paragraph.text and Table.rows leave out -------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BODY_LINES = sum(len(v) if k == "table" else 1 for k, v in BLOCKS)  # type: ignore[arg-type]


def _word_findings(path: Path, **options: Any) -> list[tuple[str, int, int, str, str]]:
    """What a user sees of each finding: code, line, column, the Word label and the matched text."""
    return [(f.code, f.line, f.column, f.field, f.text) for f in lint_paths([path], **options).findings]


NS = (f'xmlns:w="{W_NS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml"')


def _xml(xml: str) -> Any:
    """An element from WordprocessingML written out, with the w: (and mc:, wps:, v:) namespaces declared."""
    from docx.oxml import parse_xml

    return parse_xml(xml.replace(">", f" {NS}>", 1))


def _run(text: str, wrapper: str = "") -> Any:
    """A run of text, inside a w:ins, w:del (as w:delText) or inline content control when wrapper says so."""
    t = "delText" if wrapper == "del" else "t"
    run = f'<w:r><w:{t} xml:space="preserve">{text}</w:{t}></w:r>'
    if wrapper in ("ins", "del"):
        run = f'<w:{wrapper} w:id="1" w:author="乙方" w:date="2024-05-01T00:00:00Z">{run}</w:{wrapper}>'
    elif wrapper == "sdt":
        run = f"<w:sdt><w:sdtPr/><w:sdtContent>{run}</w:sdtContent></w:sdt>"
    return _xml(run)


def _content_control(element: Any) -> Any:
    """Wrap a paragraph, table, row or cell in a block-level content control, as Word templates do."""
    from docx.oxml import OxmlElement

    sdt = OxmlElement("w:sdt")
    sdt.append(OxmlElement("w:sdtPr"))
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    element.addprevious(sdt)
    content.append(element)
    return sdt


def test_word_content_controls_are_read_in_place(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "合同.docx"
    document = docx.Document()
    document.add_heading("售后托管合同", level=1)
    _content_control(document.add_paragraph("客服应及时回复客户。")._p)
    p = document.add_paragraph("服务费")
    p._p.append(_run("【 】", "sdt"))  # an inline content control: a field of the template
    p.add_run("元/月。")
    table = document.add_table(rows=3, cols=2)
    for r, (item, standard) in enumerate([("项目", "标准"), ("投诉处理", "尽快解决投诉"), ("退款", "定期审核")]):
        table.cell(r, 0).text = item
        table.cell(r, 1).text = standard
    row, first_cell, cell_text = table.rows[1]._tr, table.cell(2, 0)._tc, table.cell(2, 1)._tc.p_lst[0]
    _content_control(row)  # a repeating section holds the row
    _content_control(first_cell)  # a content control holds a whole cell: the next one is still column 2
    _content_control(cell_text)  # a content control inside the cell holds its text
    _content_control(table._tbl)
    document.add_paragraph("乙方应尽力配合。")
    document.save(str(path))
    assert _word_findings(path) == [
        ("HP101", 2, 4, "段落 2", "及时"),
        ("HP202", 3, 4, "段落 3", "【 】"),
        ("HP101", 5, 8, "表格 1 第 2 行 第 2 列", "尽快"),
        ("HP104", 6, 6, "表格 1 第 3 行 第 2 列", "定期"),
        ("HP102", 7, 4, "段落 4", "尽力"),
    ]


def test_word_table_inside_a_cell_follows_its_row(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "合同.docx"
    document = docx.Document()
    document.add_heading("售后托管合同", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "标准"
    table.cell(1, 0).text, table.cell(1, 1).text = "响应", "见右表"
    inner = table.cell(1, 1).add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "首次响应", "30 分钟内"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "投诉处理", "尽快解决"
    document.add_paragraph("客服应及时回复。")
    document.save(str(path))
    assert _word_findings(path) == [
        ("HP101", 5, 8, "表格 1 第 2 行 第 2 列 内嵌表格 第 2 行 第 2 列", "尽快"),
        ("HP101", 6, 4, "段落 2", "及时"),  # after the row and the table inside it
    ]


def test_word_cell_merged_down_is_read_once(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "合同.docx"
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for r, item in enumerate(["首次响应", "投诉处理", "退款审核"]):
        table.cell(r, 0).text = item
    table.cell(0, 1).merge(table.cell(2, 1)).text = "尽快处理"
    document.save(str(path))
    # the cell shows once in Word, in its first row; the rows below keep their columns
    assert _word_findings(path) == [("HP101", 1, 8, "表格 1 第 1 行 第 2 列", "尽快")]
    from hostplan.lint.sources import read_docx

    assert read_docx(path, "c").text == "首次响应 | 尽快处理\n投诉处理 | \n退款审核 | "


def test_word_tracked_changes_read_as_accepted(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "合同.docx"
    document = docx.Document()
    p = document.add_paragraph("客服应")
    p._p.append(_run("尽快", "del"))  # struck out by the other side: not what the contract will say
    p._p.append(_run("及时", "ins"))  # written in: what it will say once accepted
    p.add_run("回复客户。")
    q = document.add_paragraph("乙方")
    q._p.append(_run("应尽力配合", "del"))
    q._p.append(_run("在 2 小时内处理", "ins"))
    q.add_run("。")
    document.save(str(path))
    assert _word_findings(path) == [("HP101", 1, 4, "段落 1", "及时")]
    from hostplan.lint.sources import read_docx

    assert read_docx(path, "c").text == "客服应及时回复客户。\n乙方在 2 小时内处理。"


def _text_box_run(text: str) -> Any:
    """A floating text box as Word writes it: DrawingML for Word 2010 and later, VML as the fallback."""
    box = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return _xml(
        "<w:r><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>")


def test_word_text_box_is_read_once_after_its_paragraph(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "合同.docx"
    document = docx.Document()
    document.add_heading("售后托管合同", level=1)
    p = document.add_paragraph("第一条 服务标准（见右侧说明）")
    p._p.append(_text_box_run("投诉应尽快处理。"))
    document.add_paragraph("客服应及时回复。")
    document.save(str(path))
    assert _word_findings(path) == [("HP101", 3, 4, "段落 2 文本框 段落 1", "尽快"),
                                    ("HP101", 4, 4, "段落 3", "及时")]


def test_word_table_of_contents_is_not_read_twice(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "合同.docx"
    document = docx.Document()
    document.add_heading("售后托管合同", level=1)
    toc = document.add_paragraph("第一条 尽快响应\t2")
    sdt = _content_control(toc._p)
    sdt[0].append(_xml('<w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
                       "</w:docPartObj>"))
    document.add_heading("第一条 尽快响应", level=2)
    document.save(str(path))
    # the table of contents repeats the headings: its copy of 尽快 is not a second finding
    assert _word_findings(path) == [("HP101", 2, 5, "段落 2", "尽快")]


def _page_number_footer(section: Any) -> None:
    """第 X 页 共 Y 页 with PAGE and NUMPAGES fields, as Word's page-number gallery writes them."""
    footer = section.footer
    p = footer.paragraphs[0]
    p.add_run("第 ")
    for field, value in (("PAGE", "1"), ("NUMPAGES", "3")):
        for xml in ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                    f'<w:r><w:instrText xml:space="preserve"> {field} \\* MERGEFORMAT </w:instrText></w:r>',
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', f"<w:r><w:t>{value}</w:t></w:r>",
                    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'):
            p._p.append(_xml(xml))
        p.add_run(" 页 共 " if field == "PAGE" else " 页")
    footer.add_paragraph("")


def test_word_footer_with_only_page_numbers_changes_nothing(tmp_path: Path) -> None:
    import docx

    plain = tmp_path / "无页脚.docx"
    build_docx(plain)
    paged = tmp_path / "有页脚.docx"
    document = docx.Document(str(plain))
    _page_number_footer(document.sections[0])
    document.save(str(paged))
    from hostplan.lint.sources import read_docx

    assert read_docx(paged, "c").text == read_docx(plain, "c").text
    # with or without a category: the same findings, module and category checks included
    for options in ({}, {"category": "apparel"}):
        assert _word_findings(paged, **options) == _word_findings(plain, **options)
    assert ("HP401", 1, 1, "", "") in _word_findings(paged)


def test_word_header_and_footer_clauses_are_read_after_the_body(tmp_path: Path) -> None:
    import docx

    plain = tmp_path / "无页眉.docx"
    build_docx(plain)
    path = tmp_path / "页眉.docx"
    document = docx.Document(str(plain))
    document.sections[0].header.paragraphs[0].text = "保密：合作终止后乙方应尽快删除店铺数据。"
    _page_number_footer(document.sections[0])
    document.sections[0].footer.add_paragraph("版本 2.0，双方应定期核对。")
    # Word shows a first-page header only when the section asks for one (it does not here)
    document.sections[0].first_page_header.paragraphs[0].text = "草稿：尽快定稿。"
    # a second section: its footer links to the first one's, its header refers to the same part (as some
    # generators write it); each is read once
    import copy

    second = document.add_section()
    first_ref = document.sections[0]._sectPr.find(f"{{{W_NS}}}headerReference")
    second._sectPr.insert(0, copy.deepcopy(first_ref))
    assert not second.header.is_linked_to_previous and second.footer.is_linked_to_previous
    document.add_paragraph("本合同一式两份，双方各执一份。")
    document.save(str(path))
    body = _word_findings(plain)
    found = _word_findings(path)
    assert found[:len(body)] == body  # the body's findings do not move
    # after the body, which has two more paragraphs: the section break's and 本合同一式两份
    assert found[len(body):] == [("HP101", BODY_LINES + 3, 12, "第 1 节页眉 段落 1", "尽快"),
                                 ("HP104", BODY_LINES + 4, 11, "第 1 节页脚 段落 3", "定期")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<!--", "-->", "<!-- hostplan: ", "--", ">", "<", "!", "及时", "\n", " "]), max_size=30))
def test_html_comments_are_blanked_as_the_comment_regex_would(pieces: list[str]) -> None:
    from hostplan.lint.sources import _blank, _blank_comments

    text = "".join(pieces)
    assert _blank_comments(text) == re.sub(r"<!--.*?-->", _blank, text, flags=re.DOTALL)

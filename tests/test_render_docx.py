"""The Word proposal, read back with python-docx and, independently, docx2python."""

from __future__ import annotations

import copy
import dataclasses
import io
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from docx.shared import Cm
from docx2python import docx2python
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT
from hostplan.errors import HostplanError, SpecError
from hostplan.render import render_markdown
from hostplan.render.docx import render_docx
from hostplan.render.markdown import document_date
from hostplan.render.phrases import clause
from hostplan.spec.categories import known_categories
from hostplan.spec.load import load_spec
from hostplan.spec.model import COMPARATOR_WORDS

SPECS = [p for p in EXAMPLES if "\nstandards:" in p.read_text(encoding="utf-8")]
APPAREL = ROOT / "examples" / "apparel.yaml"


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def build(path: Path, reference: Path | None = None) -> bytes:
    loaded = load_spec(path)
    md = render_markdown(loaded)
    return render_docx(md, title=loaded.spec.title, date=document_date(loaded), reference_docx=reference)


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {p.stem: build(p) for p in SPECS}


def open_doc(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def rfonts(style: docx.styles.style.BaseStyle) -> dict[str, str]:
    el = style.element.rPr.find(qn("w:rFonts"))
    return {k.split("}")[1]: v for k, v in el.attrib.items()}


def table_rows(table: docx.table.Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.mark.parametrize("example", SPECS, ids=[p.stem for p in SPECS])
def test_headings_in_order_and_as_real_heading_styles(rendered: dict[str, bytes], example: Path) -> None:
    doc = open_doc(rendered[example.stem])
    md = render_markdown(load_spec(example))
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1 == [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert h1[0].startswith("一、") and h1[-1] == "十三、争议解决"
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert h2 == [line[4:] for line in md.splitlines() if line.startswith("### ")]
    # outline levels make Word's navigation pane show the clause tree
    assert doc.styles["Heading 1"].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"
    assert doc.styles["Heading 2"].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "1"
    title = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert title == [load_spec(example).spec.title]


@pytest.mark.parametrize("example", SPECS, ids=[p.stem for p in SPECS])
def test_sla_table_carries_every_threshold_and_remedy(rendered: dict[str, bytes], example: Path) -> None:
    spec = load_spec(example).spec
    doc = open_doc(rendered[example.stem])
    table = next(t for t in doc.tables if table_rows(t)[0] == ["指标", "标准", "统计口径/数据来源", "未达标处理"])
    rows = table_rows(table)[1:]
    assert len(rows) == len(spec.standards)
    for std, (name, standard, measured, remedy) in zip(spec.standards, rows, strict=True):
        assert name == f"{std.name}（{std.id}）"
        assert standard.startswith(f"{COMPARATOR_WORDS[std.comparator]} {std.threshold}")
        assert std.measured_by and std.measured_by in measured
        assert std.remedy is not None
        figure = getattr(std.remedy, "amount", None) or getattr(std.remedy, "percent", None)
        assert f" {figure}" in remedy
    # header row: repeated on every page, bold, never split
    header = table.rows[0]
    tr_pr = header._tr.trPr
    assert tr_pr.find(qn("w:tblHeader")) is not None and tr_pr.find(qn("w:cantSplit")) is not None
    assert all(run.bold for cell in header.cells for p in cell.paragraphs for run in p.runs)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders.find(qn("w:insideH")).get(qn("w:val")) == "single"


def test_independent_reader_sees_parties_remedies_and_signature(rendered: dict[str, bytes]) -> None:
    spec = load_spec(APPAREL).spec
    with docx2python(io.BytesIO(rendered["apparel"])) as result:
        text = result.text
        header_text = "".join(str(x) for x in result.header)
        footer = result.footer_runs if hasattr(result, "footer_runs") else result.footer
    assert spec.parties.merchant.name in text and spec.parties.agency.name in text
    assert "每超时 1 次扣 50元" in text and "每低于标准 1 个百分点扣当月服务费的 2%" in text
    assert "试运营期满，投诉率未低于 8% 的，商家可无条件解约，只需支付当月服务费的 80%" in text
    assert spec.title in header_text
    assert "页" in str(footer)
    assert text.count("盖章：") == 2 and text.count("授权代表签字：") == 2


def test_signature_block_is_last_and_does_not_split(rendered: dict[str, bytes]) -> None:
    doc = open_doc(rendered["apparel"])
    table = doc.tables[-1]
    rows = table_rows(table)
    assert rows[0] == ["甲方（商家）", "乙方（托管方）"]
    assert rows[1] == ["杭州悦衣坊服饰有限公司", "杭州速达电商服务有限公司"]
    assert [r[0] for r in rows[2:]] == ["盖章：", "授权代表签字：", "日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"]
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        for cell in row.cells:
            assert all(p.paragraph_format.keep_with_next for p in cell.paragraphs)
    # the lead-in sentence stays on the page with the block
    body = doc.element.body
    before = table._tbl.getprevious()
    assert before is not None and before.tag == qn("w:p")
    assert "以下无正文" in "".join(before.itertext()) and body is not None


def test_chinese_typesetting(rendered: dict[str, bytes]) -> None:
    doc = open_doc(rendered["apparel"])
    assert rfonts(doc.styles["Normal"])["eastAsia"] == "宋体" and rfonts(doc.styles["Normal"])["ascii"]
    assert rfonts(doc.styles["Heading 1"])["eastAsia"] == "黑体"
    assert "asciiTheme" not in rfonts(doc.styles["Heading 1"])
    assert doc.styles["Normal"].font.size.pt == 12  # 小四
    body = doc.styles["Body Text"].element.pPr.find(qn("w:ind"))
    assert body.get(qn("w:firstLineChars")) == "200"
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)  # A4
    assert Cm(2) <= section.left_margin <= Cm(3.2)
    body_paras = [p for p in doc.paragraphs if p.style.name == "Body Text"]
    assert any("本方案是双方托管服务合同的附件" in p.text for p in body_paras)
    # page numbers come from a PAGE field in the footer, the cover page has no header or footer
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == load_spec(APPAREL).spec.title


def test_ordered_lists_are_word_numbering_restarting_per_list(rendered: dict[str, bytes]) -> None:
    doc = open_doc(rendered["apparel"])
    numbered = [p for p in doc.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert numbered and all(not p.text[:2].rstrip(".").isdigit() for p in numbered)  # no typed numbers
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    lists = list(dict.fromkeys(num_ids))
    assert len(lists) > 10
    numbering = doc.part.numbering_part.element
    for num_id in lists:
        num = numbering.num_having_numId(num_id)
        assert num.find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val")) == "1"
    # the base-services list has three items under one number
    base = [p.text for p in numbered if p._p.pPr.numPr.numId.val == num_ids[0]]
    assert [t.split("：")[0] for t in base] == ["售前咨询", "售中跟进", "售后处理"]


def test_each_category_renders_its_emphasis_section(rendered: dict[str, bytes]) -> None:
    for example in SPECS:
        spec = load_spec(example).spec
        cat = known_categories(example.parent)[spec.category]
        doc = open_doc(rendered[example.stem])
        texts = [(p.style.name, p.text) for p in doc.paragraphs]
        start = texts.index(("Heading 1", next(t for s, t in texts if s == "Heading 1" and f"类目重点条款（{cat.name}）" in t)))
        following = []
        for style, text in texts[start + 1:]:
            if style == "Heading 1":
                break
            following.append((style, text))
        titles = [t.split("）", 1)[1] for s, t in following if s == "Heading 2"]
        assert titles == [c.title for c in cat.clauses if c.key in spec.emphasis]


def test_same_input_gives_identical_bytes(rendered: dict[str, bytes]) -> None:
    again = build(APPAREL)
    assert again == rendered["apparel"]
    names = zipfile.ZipFile(io.BytesIO(again)).infolist()
    assert names[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in names} == {(1980, 1, 1, 0, 0, 0)}
    core = open_doc(again).core_properties
    assert core.created.date().isoformat() == "2026-01-01" and core.revision == 1


# what a letterhead holds that must not reach the proposal: its sample body text, a comment, its properties
NOT_CARRIED = ("参考文档的正文", "此处待定", "REF-001", "星河印务信笺模板", "星河印务行政部")


def make_reference(path: Path, *, letterhead: bool = True) -> Path:
    """A company letterhead as people make them: its own styles and margins, its header and footer
    (default, first-page and even-page), and also a sample paragraph, a comment, properties and a thumbnail."""
    ref = docx.Document()
    normal = ref.styles["Normal"]
    normal.font.size = docx.shared.Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "楷体")
    section = ref.sections[0]
    section.left_margin = Cm(2)
    section.right_margin = Cm(2)
    if letterhead:
        section.different_first_page_header_footer = True
        section.header.paragraphs[0].text = "星河印务 · 服务方案专用信笺"
        section.first_page_header.paragraphs[0].text = "星河印务 首页信笺"
        section.even_page_header.paragraphs[0].text = "星河印务 偶数页"
        section.footer.paragraphs[0].text = "杭州市西湖区文三路 100 号"
        ref.settings.odd_and_even_pages_header_footer = True
    props = ref.core_properties
    props.title, props.subject, props.author, props.identifier = "星河印务信笺模板", "信笺", "星河印务行政部", "REF-001"
    para = ref.add_paragraph("这是参考文档的正文，不应出现在方案中")
    ref.add_comment(para.runs, text="星河印务法务：此处待定", author="星河印务法务")
    # a company template rarely defines every style the proposal uses
    body_text = ref.styles["Body Text"].element
    body_text.getparent().remove(body_text)
    ref.save(str(path))
    return path


def test_reference_docx_supplies_styles_page_setup_and_letterhead(tmp_path: Path) -> None:
    ref = make_reference(tmp_path / "letterhead.docx")
    data = build(APPAREL, reference=ref)
    doc = open_doc(data)
    assert rfonts(doc.styles["Normal"])["eastAsia"] == "楷体" and doc.styles["Normal"].font.size.pt == 11
    # a style the reference lacks is added with the proposal's layout, in the reference's fonts
    body = doc.styles["Body Text"]
    assert body.base_style.name == "Normal" and body.element.rPr.find(qn("w:rFonts")) is None
    assert body.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    section = doc.sections[0]
    assert round(section.left_margin.cm, 1) == 2.0
    assert "三、服务标准与未达标处理" in [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    # the letterhead's header and footer are kept, as pandoc's --reference-doc keeps them
    assert [p.text for p in section.header.paragraphs] == ["星河印务 · 服务方案专用信笺"]
    assert [p.text for p in section.first_page_header.paragraphs] == ["星河印务 首页信笺"]
    assert [p.text for p in section.even_page_header.paragraphs] == ["星河印务 偶数页"]
    assert [p.text for p in section.footer.paragraphs] == ["杭州市西湖区文三路 100 号"]
    # the document properties are the proposal's
    props = doc.core_properties
    assert (props.title, props.subject, props.author, props.identifier) == (
        "悦衣坊女装旗舰店售后托管服务方案", "托管服务方案", "hostplan", "")
    # the letterhead's sample text, comment, properties and thumbnail are not carried anywhere in the package
    package = zipfile.ZipFile(io.BytesIO(data))
    leaked = {(name, word) for name in package.namelist() for word in NOT_CARRIED
              if word.encode("utf-8") in package.read(name)}
    assert leaked == set()
    assert not [n for n in package.namelist() if "thumbnail" in n or "comments" in n]
    with docx2python(io.BytesIO(data)) as read:  # an independent reader sees the same letterhead
        assert "星河印务 · 服务方案专用信笺" in str(read.header) and "文三路 100 号" in str(read.footer)


def test_reference_without_letterhead_gets_the_title_and_page_numbers(tmp_path: Path) -> None:
    ref = make_reference(tmp_path / "styles-only.docx", letterhead=False)
    doc = open_doc(build(APPAREL, reference=ref))
    section = doc.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["悦衣坊女装旗舰店售后托管服务方案"]
    assert [p.text for p in section.footer.paragraphs] == ["第 1 页 共 1 页"]
    assert "NUMPAGES" in section.footer._element.xml
    assert section.different_first_page_header_footer  # none on the cover
    assert round(section.left_margin.cm, 1) == 2.0


def test_reference_that_is_not_a_word_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "letterhead.docx"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(HostplanError, match="不是可读取的 Word"):
        build(APPAREL, reference=bad)


def test_control_characters_never_reach_python_docx() -> None:
    day = document_date(load_spec(APPAREL))
    with pytest.raises(HostplanError, match="^方案文本第 3 行含有 Word 无法保存的控制字符 U\\+0001"):
        render_docx("# 标题\n\n正文\x01\n", title="t", date=day)
    with pytest.raises(HostplanError, match="^title: 标题含有 Word 无法保存的控制字符 U\\+FFFE（第 3 个字符）"):
        render_docx("# 标题\n", title="标题\ufffe", date=day)


def test_control_character_in_a_spec_built_in_code_names_field_and_output() -> None:
    # the loader refuses these in YAML; a spec assembled in code is checked again before rendering
    loaded = load_spec(APPAREL)
    data = copy.deepcopy(loaded.data)
    data["parties"]["agency"]["name"] = "杭州速达\x0b电商服务有限公司"
    with pytest.raises(SpecError) as info:
        render_markdown(dataclasses.replace(loaded, data=data), destination="Markdown 文件 out/shop.md")
    [problem] = info.value.problems
    assert (problem.field, problem.line, problem.code) == ("parties.agency.name", 18, "HP005")
    assert problem.message == "含有不可见的控制字符 U+000B（第 5 个字符），不能写入 Markdown 文件 out/shop.md：请删除后再渲染"


_BASELINE: dict[str, object] = {}
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn")), min_size=1, max_size=30)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_text, measured=_text, exclusion=_text, emphasis=_text)
def test_any_spec_text_keeps_the_document_structure(tmp_path: Path, name: str, measured: str, exclusion: str,
                                                    emphasis: str) -> None:
    assume(all(any(ch.isalnum() for ch in v) for v in (name, measured, exclusion, emphasis)))
    data = yaml.safe_load(APPAREL.read_text(encoding="utf-8"))
    data["term"] = {k: str(v) for k, v in data["term"].items()}
    data["parties"]["merchant"]["name"] = name
    data["standards"][0]["measured_by"] = measured
    data["scope"]["exclusions"][0] = exclusion
    data["emphasis"]["size_chart"]["text"] = emphasis
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load_spec(path)
    md = render_markdown(loaded)
    doc = open_doc(render_docx(md, title=loaded.spec.title, date=document_date(loaded)))
    if not _BASELINE:
        base = open_doc(build(APPAREL))
        _BASELINE["h"] = [(p.style.name, p.text) for p in base.paragraphs if p.style.name.startswith("Heading")]
        _BASELINE["tables"] = [len(t.rows) for t in base.tables]
    assert [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")] == _BASELINE["h"]
    assert [len(t.rows) for t in doc.tables] == _BASELINE["tables"]
    sla = doc.tables[1]
    measured_by = loaded.spec.standards[0].measured_by or ""
    assert clause(measured_by) in sla.rows[1].cells[2].text  # trailing punctuation gives way to the template's
    assert doc.tables[-1].rows[1].cells[0].text == loaded.spec.parties.merchant.name


def test_lead_in_sentences_stay_with_what_they_introduce(rendered: dict[str, bytes]) -> None:
    doc = open_doc(rendered["apparel"])
    lead = next(p for p in doc.paragraphs if p.text == "托管方按下表提交报告：")
    assert lead.paragraph_format.keep_with_next
    plain = next(p for p in doc.paragraphs if p.text.startswith("甲方与乙方就甲方店铺"))
    assert not plain.paragraph_format.keep_with_next

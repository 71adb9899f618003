"""Bad input reported in Chinese at the file (and line) the user has to open: exit 2, no traceback, and none of
the English text of the library that noticed (Jinja, tomllib, python-docx, rich's emoji codes)."""

from __future__ import annotations

import re
import shlex
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_hostplan

APPAREL = ROOT / "examples" / "apparel.yaml"

# Two or more English words in a row: a library's sentence that reached the user.
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,.'()]+[A-Za-z]{2,}){1,}")


def english(text: str) -> list[str]:
    # file names (signature.md.j2, .hostplan.toml) are not sentences
    return [m for m in _ENGLISH.findall(text) if not re.fullmatch(r"[\w.]+\.\w+", m)]


def assert_clean_error(result, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    output = result.stdout + result.stderr
    assert expected in output, output
    assert "Traceback" not in output and "Error" not in output and "Errno" not in output, output
    assert english(result.stderr) == [], result.stderr


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    target = tmp_path / "shop.yaml"
    shutil.copy(APPAREL, target)
    return target


# --- 1. custom templates: Jinja's syntax errors in Chinese, at the template's file and line -------------------

SYNTAX_ERRORS = [
    ("甲方签章\n{% if %}\n", 2, "此处缺少表达式（变量、值或计算），却遇到了 %}"),
    ("甲方签章\n{{ }}\n", 2, "此处缺少表达式（变量、值或计算），却遇到了 }}"),
    ("{% for p in spec.scope.exclusions %}\n{{ p }}\n", 2, "模板在 {% for %} 块关闭之前就结束了：缺少 {% endfor %}"),
    ("{% if spec.title %}\n甲方签章\n{% endfor %}\n", 3,
     "遇到 {% endfor %}，但 {% if %} 块还没有关闭：缺少 {% endif %}，或标签拼写错误"),
    ("甲方签章\n\n{% iff spec.title %}\n", 3, "未知或多余的标签 {% iff %}"),
    ("甲方签章\n{{ spec.title $ 1 }}\n", 2, "模板表达式中不能出现字符“$”"),
    ("甲方签章\n{{ spec.title\n", 2, "模板意外结束：缺少 }}，标签没有闭合"),
    ("甲方签章\n{{ '甲方 }}\n", 2, "引号 ' 没有闭合：字符串缺少结束引号"),
    ("甲方签章\n{# 备注\n", 2, "注释 {# 没有闭合：缺少 #}"),
    ("甲方签章\n{{ spec.title spec.term }}\n", 2, "此处应为 }}，却遇到了 “spec”"),
    ("甲方签章\n{{ spec.title | truncate(3 }}\n", 2, "此处应为 “)”，却遇到了 “}”（括号没有闭合？）"),
    ("甲方签章\n{% raw %}\n", 2, "{% raw %} 没有闭合：缺少 {% endraw %}"),
]

RUNTIME_ERRORS = [
    ("甲方签章\n{{ spec.scope.exclusions[99] }}\n", 2, "列表中没有下标为 99 的项（下标从 0 开始）"),
    ("甲方签章\n{{ spec.title + 1 }}\n", 2, "运算两边的类型不能这样计算（如数字与文本相加）：连接文本请用 ~"),
    ("甲方签章\n{{ none.title }}\n", 2, "空值（None）没有字段 title：规格中没有填写这一项"),
    ("甲方签章\n{{ cycler.__init__ }}\n", 2, "模板不能访问 type 的内部属性 __init__（沙箱拒绝）"),
]


@pytest.mark.parametrize(("template", "line", "message"), SYNTAX_ERRORS + RUNTIME_ERRORS)
def test_template_error_is_chinese_at_file_and_line(spec: Path, template: str, line: int, message: str) -> None:
    sections = spec.parent / "company" / "sections"
    sections.mkdir(parents=True)
    (sections / "signature.md.j2").write_text(template, encoding="utf-8")
    r = run_hostplan("render", "shop.yaml", "--format", "md", "--template-dir", "company", cwd=spec.parent)
    assert_clean_error(r, f"company/sections/signature.md.j2:{line}: {message}")
    assert not spec.with_suffix(".md").exists()


# --- 2. a config file that is not valid TOML: file:line:col and what to fix --------------------------------

@pytest.mark.parametrize(("name", "text", "expected"), [
    (".hostplan.toml", "[lint\nselect = [\"HP1\"]\n", ".hostplan.toml:1:6: 配置文件语法错误：表名缺少右方括号“]”，应写成 [表名]"),
    (".hostplan.toml", "[lint]\nfail-on = error\n", ".hostplan.toml:2:11: 配置文件语法错误：无效的值：文本请加引号"),
    (".hostplan.toml", "[lint]\nignore = [\"HP306\"]\n[lint]\n", ".hostplan.toml:3:6: 配置文件语法错误：表 [lint] 声明了两次"),
    (".hostplan.toml", "类目 = \"food\"\n", ".hostplan.toml:1:1: 配置文件语法错误：无法识别的一行：应为 键 = 值 或 [表名]（含中文的键名请加引号）"),
    ("pyproject.toml", "[project]\nname = \"shop\"\n\n[tool.hostplan.lint]\nignore = [\"HP306\"\n",
     "pyproject.toml:6:1: 配置文件语法错误：列表 [ ] 没有闭合，或元素之间缺少逗号"),
    ("pyproject.toml", "[tool.hostplan]\ntemplate-dir = \"company\n",
     "pyproject.toml:2:24: 配置文件语法错误：字符串没有闭合：缺少结束引号（多行文本请用三引号"),
])
def test_config_syntax_error_names_file_line_and_column(spec: Path, name: str, text: str, expected: str) -> None:
    (spec.parent / name).write_text(text, encoding="utf-8")
    r = run_hostplan("lint", "shop.yaml", cwd=spec.parent)
    assert_clean_error(r, expected)


def test_config_that_is_not_utf8_names_the_line(spec: Path) -> None:
    (spec.parent / ".hostplan.toml").write_bytes("[lint]\n# 说明\n".encode("gbk"))
    r = run_hostplan("lint", "shop.yaml", cwd=spec.parent)
    assert_clean_error(r, ".hostplan.toml:2:4: 配置文件必须是 UTF-8 编码：第 2 行第 4 列（文件第 12 个字节，0xC3）")


def test_config_path_of_the_wrong_type_is_an_error_not_a_crash(spec: Path) -> None:
    (spec.parent / ".hostplan.toml").write_text("template-dir = 5\n", encoding="utf-8")
    r = run_hostplan("render", "shop.yaml", "--format", "md", cwd=spec.parent)
    assert_clean_error(r, ".hostplan.toml:1:16: 配置项 template-dir 应为路径或路径列表")


# --- 3. a config naming a rules or lexicon file that is not there ------------------------------------------

@pytest.mark.parametrize("key", ["lexicons", "rules"])
def test_missing_rules_or_lexicon_file_names_the_config_key_and_path(spec: Path, key: str) -> None:
    (spec.parent / ".hostplan.toml").write_text(f'[lint]\n{key} = ["lint/our-terms.yaml"]\n', encoding="utf-8")
    r = run_hostplan("lint", "shop.yaml", cwd=spec.parent)
    assert_clean_error(r, f"lint/our-terms.yaml: 配置项 {key} 指定的文件无法读取：文件不存在")


def test_lexicon_with_broken_yaml_or_regex_names_line_and_column(spec: Path) -> None:
    (spec.parent / "lint").mkdir()
    lexicon = spec.parent / "lint" / "our-terms.yaml"
    (spec.parent / ".hostplan.toml").write_text('[lint]\nlexicons = ["lint/our-terms.yaml"]\n', encoding="utf-8")
    lexicon.write_text("rule: HP101\nentries:\n  - terms: [尽快\n", encoding="utf-8")
    r = run_hostplan("lint", "shop.yaml", cwd=spec.parent)
    assert_clean_error(r, "lint/our-terms.yaml:3:12: YAML 语法错误：列表 [ ] 中缺少逗号，或右方括号“]”没有闭合")
    lexicon.write_text("rule: HP101\nentries:\n  - pattern: '(马上'\n    hint: 无时限\n    match: [马上处理]\n",
                       encoding="utf-8")
    r = run_hostplan("lint", "shop.yaml", cwd=spec.parent)
    assert_clean_error(r, "lint/our-terms.yaml 第 1 节 HP101 第 1 个词条: 正则 '(马上' 无效（第 1 个字符）："
                          "左括号“(”没有对应的右括号")


# --- 4 and 5. files that are not Word documents: linted (HP001) or given as --reference-docx ----------------

def _zip_without_word(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return path


def _excel(path: Path) -> Path:
    import openpyxl

    openpyxl.Workbook().save(path)
    return path


NOT_WORD = [
    (lambda p: p.write_text("这不是 Word 文件", encoding="utf-8") or p,
     "不是可读取的 Word 文件：格式不对（.docx 是 zip 压缩包，这个文件不是），可能已损坏、下载不完整，或只是改了扩展名"),
    (_zip_without_word, "不是可读取的 Word 文件：它是 zip 压缩包，但不是 Word 文档（其中没有 [Content_Types].xml）"),
    (_excel, "不是可读取的 Word 文件：这是 Excel 文件（.xlsx）"),
    (lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)) or p,
     "不是可读取的 Word 文件：这是旧版 Word 97–2003（.doc）文件或加了密码的文档，请在 Word 中另存为不加密的 .docx"),
    (lambda p: p.write_bytes(b"") or p, "不是可读取的 Word 文件：文件是空的"),
]


@pytest.mark.parametrize(("make", "reason"), NOT_WORD)
def test_lint_of_a_file_that_is_not_word_is_hp001(tmp_path: Path, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    make(tmp_path / "broken.docx")
    r = run_hostplan("lint", "broken.docx", cwd=tmp_path)
    assert_clean_error(r, f"broken.docx:1:1: HP001 错误 {reason}")
    assert "Package not found" not in r.stdout and "content type" not in r.stdout


@pytest.mark.parametrize(("make", "reason"), NOT_WORD[:3])
def test_reference_docx_that_is_not_word_gives_the_reason_only(spec: Path, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    make(spec.parent / "letterhead.docx")
    r = run_hostplan("render", "shop.yaml", "--reference-docx", "letterhead.docx", cwd=spec.parent)
    assert_clean_error(r, f"letterhead.docx: 参考文档{reason}")
    assert "PackageNotFoundError" not in r.stderr and "ValueError" not in r.stderr
    assert not spec.with_suffix(".docx").exists()


# --- 6. `new -o -`: the header's next steps name a file the user can create --------------------------------

def test_new_to_stdout_suggests_commands_that_work(tmp_path: Path) -> None:
    r = run_hostplan("new", "-c", "food", "-o", "-", "--start", "2026-03-01", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    hints = r.stdout.splitlines()[3]
    assert hints == ("# 检查：hostplan validate proposal.yaml   审阅：hostplan lint proposal.yaml   "
                     "出合同：hostplan render proposal.yaml")
    (tmp_path / "proposal.yaml").write_text(r.stdout, encoding="utf-8")
    validate = re.search(r"hostplan (validate \S+)", hints).group(1)  # type: ignore[union-attr]
    assert run_hostplan(*validate.split(), cwd=tmp_path).returncode == 0


def test_new_quotes_a_file_name_with_a_space_in_its_hints(tmp_path: Path) -> None:
    r = run_hostplan("new", "-c", "apparel", "-o", "my proposal.yaml", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "下一步：hostplan lint 'my proposal.yaml'，然后 hostplan render 'my proposal.yaml'" in r.stderr
    hints = (tmp_path / "my proposal.yaml").read_text(encoding="utf-8").splitlines()[3]
    command = re.search(r"hostplan (validate '[^']+')", hints).group(1)  # type: ignore[union-attr]
    assert shlex.split(command) == ["validate", "my proposal.yaml"]
    assert run_hostplan(*shlex.split(command), cwd=tmp_path).returncode == 0
    r = run_hostplan("new", "-c", "apparel", "-o", "方案.yaml", cwd=tmp_path)
    assert "下一步：hostplan lint 方案.yaml，然后 hostplan render 方案.yaml" in r.stderr


# --- 7. printed problems keep ":100:" (rich would turn it into an emoji) -----------------------------------

@pytest.fixture
def bad_at_line_100(tmp_path: Path) -> Path:
    lines = APPAREL.read_text(encoding="utf-8").split("\n")
    assert lines[99] == "    threshold: 4.5分"
    lines[99] = "    threshold: 4.5"
    target = tmp_path / "shop.yaml"
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


@pytest.mark.parametrize("command", [
    ["validate", "shop.yaml"],
    ["render", "shop.yaml", "--format", "md"],
    ["settle", "shop.yaml", "--actuals", str(ROOT / "examples" / "actuals" / "2026-01.yaml"), "--month", "2026-01"],
])
def test_problem_at_line_100_is_printed_as_written(bad_at_line_100: Path, command: list[str]) -> None:
    r = run_hostplan(*command, cwd=bad_at_line_100.parent)
    assert_clean_error(r, "shop.yaml:100:16: standards[5].threshold: 缺少单位：4.5 含义不明")
    assert "💯" not in r.stderr


def test_template_error_at_line_100_is_printed_as_written(spec: Path) -> None:
    (spec.parent / "company").mkdir()
    (spec.parent / "company" / "proposal.md.j2").write_text("\n" * 99 + "{{ spec.nme }}\n", encoding="utf-8")
    r = run_hostplan("render", "shop.yaml", "--format", "md", "--template-dir", "company", cwd=spec.parent)
    assert_clean_error(r, "company/proposal.md.j2:100: Spec 没有字段 nme")
    assert "💯" not in r.stderr


def test_category_summary_is_printed_as_written(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "categories").mkdir()
    text = (ROOT / "categories" / "apparel.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^key: apparel$", "key: toys", text)
    text = re.sub(r"(?m)^summary: .*$", "summary: \"[bold]适龄提示[/bold] :100: 分\"", text)
    (tmp_path / "categories" / "toys.yaml").write_text(text, encoding="utf-8")
    r = run_hostplan("categories", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "[bold]适龄提示[/bold] :100: 分" in r.stdout


@pytest.mark.parametrize(("content", "expected"), [
    ("key: pets\nname: 宠物\nsummary: x\nclauses: [\n",
     "类目文件无法读取：{path}:5:1: YAML 语法错误：这里缺少值：列表 [ ] 或映射 { } 没有闭合，或逗号后面没有内容 [HP002]"),
    ("key: pets\nname: 宠物\nsummary: x\n", "类目文件格式错误：{path}:1:1: clauses: 缺少必填字段 clauses [HP004]"),
    ("key: pets\nname: 宠物\nsummary: x\nclauses:\n  - {key: a, title: b, text: c, keywords: [[d]]}\n",
     "类目文件格式错误：{path}:5:5: clauses[0].why: 缺少必填字段 why [HP004]"),
])
def test_a_repo_category_file_with_mistakes_is_reported_at_its_line(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / ".hostplan.toml").write_text("", encoding="utf-8")
    (tmp_path / "categories").mkdir()
    path = tmp_path / "categories" / "pets.yaml"
    path.write_text(content, encoding="utf-8")
    result = run_hostplan("categories", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "错误：" + expected.replace("{path}", str(path))
    assert not english(result.stderr.replace(str(path), ""))


@pytest.mark.parametrize(("raw", "expected"), [
    (b"a = 1\na.b = 2\n", ".hostplan.toml:2:8: 配置文件语法错误：重复的键：这个键（或表）已经定义过"),
    (b'[lint]\nselect = ["\xb0"]\n', ".hostplan.toml:2:12: 配置文件必须是 UTF-8 编码：第 2 行第 12 列"),
])
def test_config_problems_are_positioned_chinese(tmp_path: Path, raw: bytes, expected: str) -> None:
    (tmp_path / ".hostplan.toml").write_bytes(raw)
    (tmp_path / "c.md").write_text("乙方应及时回复。\n", encoding="utf-8")
    result = run_hostplan("lint", "c.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("错误：" + expected), result.stderr
    assert not english(result.stderr)


def test_a_config_saved_with_a_bom_is_read(tmp_path: Path) -> None:
    (tmp_path / ".hostplan.toml").write_bytes(b'\xef\xbb\xbf[lint]\nignore = ["HP101"]\n')
    (tmp_path / "c.md").write_text("乙方应及时回复。\n", encoding="utf-8")
    result = run_hostplan("lint", "c.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_full_disk_on_stdout_is_a_chinese_error() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "hostplan", "lint", "--format", "json", str(ROOT / "examples")],
                                stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == "错误：无法写入标准输出：磁盘空间不足"


def test_a_control_character_in_a_repo_lexicon_is_shown_where_it_is(tmp_path: Path) -> None:
    (tmp_path / ".hostplan.toml").write_text('[lint]\nlexicons = ["lex.yaml"]\n', encoding="utf-8")
    (tmp_path / "lex.yaml").write_text("rule: HP101\nentries:\n  - terms: [及\x07早]\n    hint: x\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("乙方应及时回复。\n", encoding="utf-8")
    result = run_hostplan("lint", "c.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("错误：lex.yaml:3:14: 有控制字符 U+0007（BEL）"), result.stderr


@pytest.mark.parametrize(("args", "expected"), [
    (["render", "examples/apparel.yaml", "--format", "md", "-o", "-", "--date", "2026W052"],
     "错误：--date: 2026W052 的格式应为 YYYY-MM-DD"),
    (["render", "examples/apparel.yaml", "--format", "md", "-o", "-", "--date", "2026-02-30"],
     "错误：--date: 2026-02-30 不是有效日期：2 月没有 30 日（2026 年 2 月只有 28 天）"),
    (["new", "-c", "apparel", "-o", "-", "--start", "20260105"], "错误：--start: 20260105 的格式应为 YYYY-MM-DD"),
])
def test_command_line_dates_are_strict_and_explained(args: list[str], expected: str) -> None:
    result = run_hostplan(*args, cwd=ROOT)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == expected

"""`hostplan new`, `hostplan categories`, repo categories."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CATEGORIES, ROOT
from hostplan import load_spec
from hostplan.config import find_config
from hostplan.spec.categories import categories_for


@pytest.mark.parametrize("category", CATEGORIES)
def test_new_writes_a_valid_complete_spec(tmp_path, hostplan, category):
    out = tmp_path / "p.yaml"
    res = hostplan("new", "--category", category, "-o", str(out), "--start", "2026-03-01")
    assert res.returncode == 0, res.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=hostplan.schema.json\n")
    spec = load_spec(out).spec
    # every module is present
    for module in ("goals", "processes", "disputes", "deductions", "trial", "communication", "reporting",
                   "knowledge_base", "emergencies", "termination"):
        assert getattr(spec, module), module
    assert spec.scope.exclusions
    assert str(spec.term.start) == "2026-03-01" and str(spec.term.end) == "2027-02-28"
    # the domain guide's figures
    sla = {s.id: s for s in spec.standards}
    assert str(sla["SLA-1"].threshold) == "30分钟" and str(sla["SLA-1"].remedy.amount) == "50元"
    assert str(sla["SLA-3"].threshold) == "90%" and str(sla["SLA-3"].within) == "24小时"
    assert str(spec.fees.monthly_fee) == "5000元" and str(spec.deductions.cap) == "30%"
    # a 定金 above 20% of the contract has no 定金 effect beyond 20% (民法典 第五百八十六条)
    assert str(spec.fees.deposit) == "20%"
    assert spec.fees.settlement.data_source == "platform"
    # the category's emphasis comes from its data file
    cat = categories_for(find_config(tmp_path))[category]
    assert set(spec.emphasis) == {c.key for c in cat.clauses}
    for clause in cat.clauses:
        assert spec.emphasis[clause.key].text == clause.text


def test_new_accepts_chinese_alias(tmp_path, hostplan):
    out = tmp_path / "p.yaml"
    assert hostplan("new", "-c", "服饰", "-o", str(out)).returncode == 0
    assert load_spec(out).spec.category == "apparel"


def test_new_never_overwrites_without_force(tmp_path, hostplan):
    out = tmp_path / "p.yaml"
    out.write_text("我的方案\n", encoding="utf-8")
    res = hostplan("new", "-c", "food", "-o", str(out))
    assert res.returncode == 2
    assert "--force" in res.stderr
    assert out.read_text(encoding="utf-8") == "我的方案\n"
    assert hostplan("new", "-c", "food", "-o", str(out), "--force").returncode == 0
    assert load_spec(out).spec.category == "food"
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]  # no temporary files left


def test_new_unknown_category_lists_known_ones(tmp_path, hostplan):
    res = hostplan("new", "-c", "toys", "-o", str(tmp_path / "p.yaml"))
    assert res.returncode == 2
    for key in CATEGORIES:
        assert key in res.stderr
    assert not (tmp_path / "p.yaml").exists()


def test_new_to_stdout(hostplan):
    res = hostplan("new", "-c", "3c", "-o", "-", "--start", "2026-01-01")
    assert res.returncode == 0
    assert "category: \"3c\"" in res.stdout
    assert "official_warranty:" in res.stdout


def test_new_default_file_name(tmp_path, hostplan):
    assert hostplan("new", "-c", "home", cwd=tmp_path).returncode == 0
    assert load_spec(tmp_path / "proposal.yaml").spec.category == "home"


def test_bad_start_date_is_exit_2(tmp_path, hostplan):
    res = hostplan("new", "-c", "home", "--start", "2026-02-30", "-o", str(tmp_path / "p.yaml"))
    assert res.returncode == 2
    # the day does not exist: saying "format should be YYYY-MM-DD" would send the user looking at the format
    assert "2026-02-30 不是有效日期：2 月没有 30 日" in res.stderr
    res = hostplan("new", "-c", "home", "--start", "2026/03/01", "-o", str(tmp_path / "p.yaml"))
    assert res.returncode == 2
    assert "2026/03/01 的格式应为 YYYY-MM-DD" in res.stderr
    assert not (tmp_path / "p.yaml").exists()


def test_categories_lists_one_line_each(hostplan):
    res = hostplan("categories")
    assert res.returncode == 0
    lines = res.stdout.strip().splitlines()
    assert [line.split()[0] for line in lines] == sorted(CATEGORIES)
    assert any("服饰鞋包" in line for line in lines)


TOYS = """key: toys
name: 玩具
summary: 3C 认证与适龄提示
clauses:
  - key: age_warning
    title: 适龄提示
    text: 客服须在售前咨询中告知商品适用年龄和小零件警示。
    keywords: [[适用年龄]]
    why: 玩具安全法规要求标注适用年龄。
"""


def test_repo_categories_are_found_next_to_builtin(tmp_path, hostplan):
    (tmp_path / ".git").mkdir()
    (tmp_path / "categories").mkdir()
    (tmp_path / "categories" / "toys.yaml").write_text(TOYS, encoding="utf-8")
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    res = hostplan("categories", cwd=contracts)
    assert "toys" in res.stdout and "apparel" in res.stdout
    out = contracts / "toy-store.yaml"
    res = hostplan("new", "-c", "toys", "-o", str(out))
    assert res.returncode == 0, res.stderr
    spec = load_spec(out).spec
    assert spec.category == "toys"
    assert spec.emphasis["age_warning"].text.startswith("客服须在售前咨询中告知")


def test_config_names_extra_category_folder(tmp_path, hostplan):
    (tmp_path / "shared-cats").mkdir()
    (tmp_path / "shared-cats" / "toys.yaml").write_text(TOYS, encoding="utf-8")
    (tmp_path / ".hostplan.toml").write_text('category-dirs = ["shared-cats"]\n', encoding="utf-8")
    res = hostplan("categories", cwd=tmp_path)
    assert "toys" in res.stdout


def test_broken_category_file_is_a_clear_error(tmp_path, hostplan):
    (tmp_path / ".git").mkdir()
    (tmp_path / "categories").mkdir()
    (tmp_path / "categories" / "toys.yaml").write_text("key: toys\nname: 玩具\n", encoding="utf-8")
    res = hostplan("categories", cwd=tmp_path)
    assert res.returncode == 2
    assert "toys.yaml" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize("path", sorted((ROOT / "categories").glob("*.yaml")), ids=lambda p: p.stem)
def test_built_in_categories_pass_the_schema_repo_files_are_held_to(path: Path) -> None:
    # built-in files are loaded without validation at run time, so this test is their validation
    from hostplan.spec import categories as c

    assert c._load_builtin(path) == c._load_file(path)

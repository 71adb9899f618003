"""Benchmark `hostplan lint`: generates a realistic corpus, times the library API and the CLI.

    python benchmarks/lint_bench.py                 # 1,000 specs, 1,000 Markdown contracts, a 20 MB document
    python benchmarks/lint_bench.py --n 200 --big-mb 5 --keep /tmp/corpus

Targets (issue 3, 2-core machine): one spec, cold process <= 0.35 s wall; 1,000 specs >= 300 files/s using all
cores; 1,000 Markdown contracts of ~6 KB >= 900 files/s; a 20 MB document <= 5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from hostplan.lint.finding import Finding

CATEGORIES = ["apparel", "3c", "food", "home", "beauty"]
HEAVY = ("docx", "jinja2", "openpyxl")

# ------------------------------------------------------------------------------------------- corpus

STORES = ["悦衣坊女装旗舰店", "极客数码专营店", "山野食品旗舰店", "暖居家纺专卖店", "花漾美妆旗舰店", "步履鞋业专营店",
          "小米粒母婴店", "云端茶叶旗舰店"]
COMPANIES = ["杭州悦衣坊服饰有限公司", "深圳极客数码科技有限公司", "成都山野食品有限公司", "南通暖居家纺有限公司",
             "广州花漾化妆品有限公司", "泉州步履鞋业有限公司"]
AGENCIES = ["杭州速达电商服务有限公司", "上海云客服外包有限公司", "广州启程电子商务有限公司"]
# spec descriptions: a vague one now and then, as people really write them
VAGUE_DESCRIPTIONS = ["及时回复买家的物流查询和修改地址请求", "尽快处理退款申请并妥善处理客户投诉",
                      "定期优化详情页，原则上当日处理", "积极配合商家的大促活动，视情况增加客服人手"]


def make_specs(folder: Path, n: int, rng: random.Random) -> list[Path]:
    import datetime as dt

    from hostplan.scaffold import resolve_category, starter_spec

    folder.mkdir(parents=True, exist_ok=True)
    bases = {key: starter_spec(resolve_category(key), start=dt.date(2026, 1, 1)) for key in CATEGORIES}
    paths = []
    for i in range(n):
        text = bases[CATEGORIES[i % len(CATEGORIES)]]
        text = text.replace("某某商贸有限公司", rng.choice(COMPANIES), 1)
        text = text.replace("某某电商服务有限公司", rng.choice(AGENCIES), 1)
        text = re.sub(r"monthly_fee: \d+元", f"monthly_fee: {rng.randrange(3000, 20000, 500)}元", text)
        text = text.replace("threshold: 30分钟", f"threshold: {rng.choice([10, 15, 20, 30, 45])}分钟", 1)
        text = text.replace("threshold: 95%", f"threshold: {rng.choice([90, 92, 95, 97])}%", 1)
        text = re.sub(r'^title: "', f'title: "{rng.choice(STORES)} ', text, count=1, flags=re.M)
        if i % 5 == 0:
            text = text.replace("物流查询、修改地址与订单信息，当日处理", rng.choice(VAGUE_DESCRIPTIONS), 1)
        path = folder / f"spec-{i:04d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


HEADINGS = ["服务内容", "服务时间", "服务标准", "双方责任", "费用与结算", "考核与扣款", "试运营期", "沟通机制", "数据与报告",
            "保密条款", "合同的变更与解除", "交接", "违约责任", "争议解决", "其他"]
PRECISE = [
    "乙方客服在每日 9:00-22:00 内在线，首次响应时间不超过 30 秒，以千牛工作台导出数据为准。",
    "乙方应在客户申请退款后 48 小时内完成审核，超时每单扣减服务费 20 元。",
    "月度投诉率不高于 5%，以平台后台“服务数据”页面每月最后一天的数据为准。",
    "甲方于每月 10 日前支付上月服务费，逾期每日按应付金额的 0.05% 支付违约金。",
    "差评出现后 24 小时内，乙方联系客户并在工单中记录处理结果。",
    "乙方每周五 18:00 前提交售后分析周报，内容包括投诉原因分类和改进建议。",
    "服务费为每月人民币 5000 元，不含推广费用，推广费由甲方按实际消耗直接支付。",
    "当月全部扣款合计不超过当月服务费的 30%。",
    "试运营期为 1 个月，期间投诉率高于 8% 的，甲方可书面通知解除合同，服务费按 80% 结算。",
    "合同终止后 7 日内，乙方交还运营文档、素材文件、客户资料和未完结工单清单，并注销子账号。",
    "聊天记录保留 3 个月，甲方可随时调阅。",
    "因本合同产生的争议，双方协商 7 日不成的，提交甲方所在地有管辖权的人民法院诉讼解决。",
    "乙方每月对客服进行 1 次产品知识培训，考核合格率不低于 90%。",
    "双方通过微信工作群沟通，乙方在工作日 9:00-18:00 内 1 小时内答复甲方的需求。",
]
VAGUE = [
    "乙方应及时回复买家咨询，确保服务质量和顾客满意度。",
    "乙方须尽快处理售后问题，并妥善处理客户投诉。",
    "甲方应积极配合乙方工作，必要时提供相关资料。",
    "乙方负责定期优化店铺页面，使转化率大幅提升。",
    "相关费用由双方协商确定，原则上由甲方承担。",
    "乙方保证提供优质、高效的客服服务。",
    "对于特殊情况，乙方视情况酌情处理。",
    "乙方应在合理时间内完成商品上架、活动报名等工作。",
]
FILLERS = ["本条款自双方签字盖章之日起生效。", "本合同一式两份，甲乙双方各执一份，具有同等法律效力。",
           "双方应对合作中知悉的对方商业秘密保密，保密期限为合同终止后 2 年。",
           "任何一方变更联系方式的，应在变更后 3 日内书面通知对方。"]


def contract_markdown(rng: random.Random, size: int = 6000) -> str:
    parts = [f"# {rng.choice(STORES)}售后托管服务合同\n\n甲方：{rng.choice(COMPANIES)}\n\n乙方：{rng.choice(AGENCIES)}\n"]
    n = 0
    while len("".join(parts).encode("utf-8")) < size:
        heading = HEADINGS[n % len(HEADINGS)]
        n += 1
        parts.append(f"\n## 第{n}条 {heading}\n\n")
        for k in range(rng.randint(2, 4)):
            pool = VAGUE if rng.random() < 0.15 else PRECISE if rng.random() < 0.8 else FILLERS
            parts.append(f"{n}.{k + 1} {rng.choice(pool)}\n")
    return "".join(parts)


def make_docs(folder: Path, n: int, rng: random.Random) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"contract-{i:04d}.md"
        path.write_text(contract_markdown(rng), encoding="utf-8")
        paths.append(path)
    return paths


def make_big(path: Path, megabytes: float, rng: random.Random) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    target = int(megabytes * 1024 * 1024)
    with path.open("w", encoding="utf-8") as fh:
        written = 0
        while written < target:
            chunk = contract_markdown(rng, 60_000)
            fh.write(chunk)
            written += len(chunk.encode("utf-8"))
    return path


# ------------------------------------------------------------------------------------------- linting

def lint_files(paths: Sequence[Path], jobs: int = 1) -> int:
    """Lint with the library API (jobs=1 in this process, else the engine's process pool); returns #findings."""
    from hostplan.lint import lint_paths

    findings: list[Finding] = lint_paths(list(paths), jobs=jobs).findings
    return len(findings)


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_scaling(workers: int, n: int = 15_000_000) -> float:
    """How much faster `workers` processes run pure Python than one: shared or throttled vCPUs give far less than
    `workers`x, which bounds every "all cores" figure below."""
    if workers <= 1:
        return 1.0
    start = time.perf_counter()
    for _ in range(workers):
        _burn(n)
    serial = time.perf_counter() - start
    with ProcessPoolExecutor(workers) as pool:
        start = time.perf_counter()
        list(pool.map(_burn, [n] * workers))
        parallel = time.perf_counter() - start
    return serial / parallel


def hostplan_cmd() -> list[str]:
    script = Path(sys.executable).with_name("hostplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hostplan"]


def run_cli(args: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run([*hostplan_cmd(), *args], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})})
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"hostplan {' '.join(args[:3])} ... failed with exit {proc.returncode}:\n{proc.stderr[-2000:]}")
    return elapsed, proc


ROUNDS = 3


def timed(func: Callable[[], object]) -> tuple[float, object]:
    """Best of ROUNDS, as timeit does: the other runs measure whatever else the machine was doing."""
    best, result = float("inf"), None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def timed_cli(args: Sequence[str]) -> float:
    """Best of ROUNDS, the report going to a file as in CI (`hostplan lint --format json docs/ > report.json`):
    a pipe read by this script would time the script's decoding of ~10 MB of JSON as well."""
    best = float("inf")
    with tempfile.TemporaryFile() as report:
        for _ in range(ROUNDS):
            report.seek(0)
            report.truncate()
            start = time.perf_counter()
            proc = subprocess.run([*hostplan_cmd(), *args], stdout=report, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "NO_COLOR": "1"})
            best = min(best, time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                sys.exit(f"hostplan {' '.join(args[:3])} ... failed with exit {proc.returncode}:\n{proc.stderr[-2000:]}")
            if report.tell() == 0:
                sys.exit(f"hostplan {' '.join(args[:3])} ... wrote no report")
    return best


def size_mb(paths: Sequence[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1024 / 1024


def report(label: str, seconds: float, files: int, mb: float, target: str, ok: bool) -> None:
    rate = f"{files / seconds:8.0f} files/s {mb / seconds:7.2f} MB/s" if files > 1 else f"{mb / seconds:7.2f} MB/s"
    print(f"{label:<46} {seconds:7.3f} s  {rate:<32} target {target:<14} {'ok' if ok else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="specs and Markdown contracts to generate (1000)")
    parser.add_argument("--big-mb", type=float, default=20, help="size of the large document in MB (20)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for the parallel library runs (default: all cores)")
    parser.add_argument("--repeat", type=int, default=7, help="cold CLI runs for one spec (median is reported)")
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="throughput runs; the best is reported (3)")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    globals()["ROUNDS"] = max(1, args.rounds)

    # `pip install .` compiles bytecode; an editable install under PYTHONDONTWRITEBYTECODE=1 never does, and
    # would time the compiler on every cold start instead of hostplan
    import compileall

    import hostplan

    compileall.compile_dir(str(Path(hostplan.__file__).parent), quiet=1)

    rng = random.Random(args.seed)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="hostplan-bench-"))
    try:
        print(f"corpus in {workdir}; {os.cpu_count()} cores, workers={args.workers}, python {sys.version.split()[0]}")
        specs = make_specs(workdir / "specs", args.n, rng)
        docs = make_docs(workdir / "docs", args.n, rng)
        big = make_big(workdir / "big" / "big.md", args.big_mb, rng)
        print(f"{len(specs)} specs ({size_mb(specs):.1f} MB), {len(docs)} Markdown contracts "
              f"(avg {size_mb(docs) * 1024 / len(docs):.1f} KB), big document {size_mb([big]):.1f} MB")
        print(f"machine: a pure-Python loop runs {cpu_scaling(args.workers):.2f}x faster on {args.workers} processes "
              f"than on one (ideal {args.workers}x)\n")

        # one spec, cold process, as a pre-commit hook runs it
        run_cli(["lint", str(specs[1])])  # warm the OS file cache, not the interpreter
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cold = [run_cli(["lint", str(specs[1])])[0] for _ in range(args.repeat)]
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime) / args.repeat
        report("CLI: one spec, cold process (median)", statistics.median(cold), 1, size_mb(specs[1:2]), "<= 0.35 s",
               statistics.median(cold) <= 0.35)
        # CPU time is what the process itself costs; wall time also counts whatever else the machine is doing
        print(f"{'':<46} min {min(cold):.3f} s wall, {cpu:.3f} s CPU per run")
        _, proc = run_cli(["lint", str(specs[1])], env={"PYTHONPROFILEIMPORTTIME": "1"})
        heavy = sorted({m for m in HEAVY if re.search(rf"\|\s+{m}(\.|$)", proc.stderr, re.M)})
        print(f"{'':<46} heavy imports on the YAML path: {', '.join(heavy) or 'none'}")

        seconds, _ = timed(lambda: lint_files(specs, args.workers))
        report(f"library: {len(specs)} specs, {args.workers} processes", seconds, len(specs), size_mb(specs),
               ">= 300 files/s", len(specs) / seconds >= 300)
        seconds, _ = timed(lambda: lint_files(specs, 1))
        report(f"library: {len(specs)} specs, 1 process", seconds, len(specs), size_mb(specs), "", True)
        seconds = timed_cli(["lint", "--format", "json", str(workdir / "specs")])
        report(f"CLI: hostplan lint specs/ ({len(specs)} files)", seconds, len(specs), size_mb(specs),
               ">= 300 files/s", len(specs) / seconds >= 300)

        seconds, _ = timed(lambda: lint_files(docs, args.workers))
        report(f"library: {len(docs)} Markdown, {args.workers} processes", seconds, len(docs), size_mb(docs),
               ">= 900 files/s", len(docs) / seconds >= 900)
        seconds, _ = timed(lambda: lint_files(docs, 1))
        report(f"library: {len(docs)} Markdown, 1 process", seconds, len(docs), size_mb(docs), "", True)
        seconds = timed_cli(["lint", "--format", "json", str(workdir / "docs")])
        report(f"CLI: hostplan lint docs/ ({len(docs)} files)", seconds, len(docs), size_mb(docs),
               ">= 900 files/s", len(docs) / seconds >= 900)

        mb = size_mb([big])
        seconds, found = timed(lambda: lint_files([big], args.workers))
        report(f"library: one {mb:.1f} MB document, {args.workers} processes", seconds, 1, mb, "<= 5 s", seconds <= 5)
        seconds, _ = timed(lambda: lint_files([big], 1))
        report(f"library: one {mb:.1f} MB document, 1 process", seconds, 1, mb, "", True)
        seconds = timed_cli(["lint", "--format", "json", str(big)])
        report(f"CLI: one {size_mb([big]):.1f} MB document", seconds, 1, size_mb([big]), "<= 5 s", seconds <= 5)
        print(f"\n({found} findings in the large document)")
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Benchmark `hostplan settle --tickets`: a generated month of tickets (CSV and .xlsx), library and cold CLI.

    python benchmarks/settle_bench.py              # 20,000 tickets
    python benchmarks/settle_bench.py --n 50000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["售后单号", "订单号", "一级分类", "二级分类", "是否投诉", "是否复杂问题", "申请时间", "首次响应时间", "方案时间",
          "完结时间", "状态", "是否平台介入", "是否托管方过错", "满意度", "运费补偿（元）"]


def rows(n: int) -> list[list[object]]:
    rnd = random.Random(20260101)
    out: list[list[object]] = []
    start = dt.datetime(2026, 1, 1)
    for i in range(n):
        a = start + dt.timedelta(minutes=rnd.randrange(31 * 1440))
        complex_ = rnd.random() < 0.1
        out.append([
            f"AS{i:08d}", f"38{i:010d}", rnd.choice(["质量", "尺码", "物流", "服务"]), rnd.choice(["面料", "偏小", "延迟"]),
            "是" if rnd.random() < 0.2 else "否", "是" if complex_ else "否", a,
            a + dt.timedelta(minutes=rnd.randint(1, 45)), a + dt.timedelta(minutes=rnd.randint(20, 150)) if complex_ else None,
            a + dt.timedelta(hours=rnd.randint(1, 40)), "已完结", "是" if rnd.random() < 0.01 else "否",
            "是" if rnd.random() < 0.005 else "否", rnd.choice(["好评", "好评", "好评", "中评", ""]), rnd.choice(["", "10"]),
        ])
    return out


def write_csv(path: Path, data: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for r in data:
            w.writerow([v.strftime("%Y-%m-%d %H:%M") if isinstance(v, dt.datetime) else ("" if v is None else v)
                        for v in r])


def write_xlsx(path: Path, data: list[list[object]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("工单")
    ws.append(HEADER)
    for r in data:
        ws.append(r)
    wb.save(path)


def timed(label: str, fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    took = time.perf_counter() - t0
    print(f"{label}: {took:.2f} s")
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    args = ap.parse_args()
    from hostplan.settle.statement import settle
    from hostplan.settle.tickets import read_tickets
    from hostplan.spec.load import load_spec

    spec = load_spec(ROOT / "examples" / "apparel.yaml").spec
    data = rows(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, xlsx_path = Path(tmp) / "t.csv", Path(tmp) / "t.xlsx"
        write_csv(csv_path, data)
        write_xlsx(xlsx_path, data)
        print(f"{args.n} tickets")
        timed("library, CSV  (read + settle)", lambda: settle(spec, "2026-01", log=read_tickets(csv_path, "2026-01")))
        timed("library, xlsx (read + settle)", lambda: settle(spec, "2026-01", log=read_tickets(xlsx_path, "2026-01")))
        env = {**os.environ, "NO_COLOR": "1"}
        cmd = [sys.executable, "-m", "hostplan", "settle", str(ROOT / "examples" / "apparel.yaml"), "--tickets",
               str(csv_path), "--month", "2026-01", "--format", "json"]
        timed("cold CLI, CSV", lambda: subprocess.run(cmd, check=True, capture_output=True, env=env))


if __name__ == "__main__":
    main()

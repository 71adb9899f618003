"""Benchmark `hostplan render`: a cold CLI run for one example, and many specs rendered in one process.

    python benchmarks/render_bench.py              # 5 cold runs, 100 specs
    python benchmarks/render_bench.py --n 300 --cold 10

Targets (issue 4, 2-core machine): cold `hostplan render --format docx` of one example <= 1.5 s wall;
100 specs rendered to .docx in one process >= 20 docx/s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [ROOT / "examples" / f"{name}.yaml" for name in ("apparel", "3c", "food")]


def cold(runs: int, workdir: Path) -> list[float]:
    """Wall time of a fresh `python -m hostplan render --format docx`, as a user or CI job pays it."""
    spec = workdir / "apparel.yaml"
    shutil.copy(EXAMPLES[0], spec)
    env = {**os.environ, "NO_COLOR": "1"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hostplan", "render", str(spec), "--format", "docx", "--force",
                        "-o", str(workdir / "apparel.docx")], check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return times


def corpus(n: int, folder: Path) -> list[Path]:
    """n distinct specs: the examples with numbered titles and store names, so nothing can be cached by content."""
    paths = []
    for i in range(n):
        source = EXAMPLES[i % len(EXAMPLES)]
        text = source.read_text(encoding="utf-8")
        text = text.replace('title: "', f'title: "第{i + 1}号 ', 1).replace("    store: ", f"    store: 分店{i + 1} ", 1)
        path = folder / f"spec{i:04d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def bulk(paths: list[Path], fmt: str) -> float:
    from hostplan.render.files import render_files, resolve_targets

    start = time.perf_counter()
    for p in paths:
        render_files(p, resolve_targets(p, fmt, None), force=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="specs rendered in one process")
    parser.add_argument("--cold", type=int, default=5, help="cold CLI runs")
    args = parser.parse_args()
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        times = cold(args.cold, work)
        print(f"cold `hostplan render --format docx` (apparel): median {statistics.median(times):.2f} s, "
              f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} runs (target <= 1.5 s)")
        folder = work / "corpus"
        folder.mkdir()
        paths = corpus(args.n, folder)
        bulk(paths[:3], "docx")  # imports and template compilation, paid once per process
        elapsed = bulk(paths, "docx")
        print(f"{args.n} specs -> .docx in one process: {elapsed:.2f} s, {args.n / elapsed:.1f} docx/s (target >= 20)")
        elapsed = bulk(paths, "md")
        print(f"{args.n} specs -> .md in one process: {elapsed:.2f} s, {args.n / elapsed:.1f} md/s")
        print(f"CPU cores: {os.cpu_count()}, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()

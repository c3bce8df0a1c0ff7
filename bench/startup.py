"""Time from `weerthuis shell --demo` start to its first prompt (median of R runs).

python bench/startup.py [R]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def once() -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "shell", "--demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    assert "Weer Thuis shell" in line, line
    proc.stdin.write(":quit\n")
    proc.stdin.close()
    proc.wait(timeout=30)
    return elapsed


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    times = [once() for _ in range(runs)]
    print(
        f"shell --demo start to first prompt: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {runs} runs)"
    )


if __name__ == "__main__":
    main()

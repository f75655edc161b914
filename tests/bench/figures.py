"""A measured figure, timing helpers, and the table and JSON the benchmark run writes."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Figure:
    """One line of the results table."""

    name: str
    size: str
    value: float
    unit: str  # "ms", "s", "MB"
    target: float | None = None  # the DESIGN.md figure, same unit; None = report only
    baseline: float | None = None  # the same work done the plain way, same unit
    baseline_name: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    @property
    def meets_target(self) -> bool | None:
        return None if self.target is None else self.value <= self.target


def timed_ms(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def median_ms(work: Callable[[], object], runs: int, warmup: int = 1) -> float:
    for _i in range(warmup):
        work()
    return statistics.median(timed_ms(work) for _i in range(runs))


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 200 samples is the 190th smallest)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms" and value < 10:
        return f"{value:.2f} {unit}"
    return f"{value:,.1f} {unit}" if value < 1000 else f"{value:,.0f} {unit}"


def table(figures: Sequence[Figure]) -> str:
    header = ("what", "size", "measured", "target", "baseline", "ratio", "")
    rows = [header]
    for f in figures:
        verdict = {True: "ok", False: "MISSED", None: ""}[f.meets_target]
        ratio = f"{f.ratio:.2f}x {f.baseline_name}" if f.ratio is not None else ""
        rows.append(
            (
                f.name,
                f.size,
                _number(f.value, f.unit),
                _number(f.target, f.unit),
                _number(f.baseline, f.unit),
                ratio,
                verdict,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["", "notes:", *notes] if notes else []))


def write_json(figures: Sequence[Figure], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"bench-{stamp}.json"
    payload = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "figures": [
            {**asdict(f), "ratio": f.ratio, "meets_target": f.meets_target} for f in figures
        ],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "latest.json").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return path

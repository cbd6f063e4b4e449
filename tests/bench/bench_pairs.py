"""The bench's paired runs (tests/bench/bench.py): a floor and the app in turn, alternating which
goes first, and their figures (the median of the per-pair ratios, the Hodges-Lehmann estimate and
each half's median, which say how much the figure moves within one run)."""

from __future__ import annotations

import statistics
from collections.abc import Callable

__all__ = ["Pairs", "hodges_lehmann"]


def hodges_lehmann(values: list[float]) -> float:
    """The median of all pairwise means (Walsh averages): robust, and less noisy than a median."""
    walsh = [(a + b) / 2 for i, a in enumerate(values) for b in values[i:]]
    return statistics.median(walsh)


class Pairs:
    """Paired runs of a floor and the app, alternating which goes first."""

    def __init__(self, pairs: int) -> None:
        self.pairs = pairs
        self.ratios: dict[str, list[float]] = {}
        self.values: dict[str, list[float]] = {}

    def run(
        self, floor: Callable[[], dict[str, float]], app: Callable[[], dict[str, float]]
    ) -> list[tuple[dict[str, float], dict[str, float]]]:
        runs = []
        for index in range(self.pairs):
            if index % 2:
                a, f = app(), floor()
            else:
                f, a = floor(), app()
            runs.append((f, a))
        return runs

    def add(
        self, name: str, runs: list[tuple[dict[str, float], dict[str, float]]], key: str
    ) -> None:
        self.ratios[name] = [a[key] / f[key] for f, a in runs]
        self.values[name] = [a[key] for _, a in runs]
        self.values[name + " floor"] = [f[key] for f, _ in runs]

    def line(self, name: str, unit: str) -> str:
        ratios = self.ratios[name]
        half = len(ratios) // 2
        halves = (
            f"{statistics.median(ratios[:half]):.2f}/{statistics.median(ratios[half:]):.2f}"
            if half
            else "-"  # one pair: no halves
        )
        app, floor = (
            statistics.median(self.values[name]),
            statistics.median(self.values[name + " floor"]),
        )
        return (
            f"{name:<29} {app:>8.1f} {floor:>8.1f} {unit:<3} x{statistics.median(ratios):.2f}"
            f"  HL x{hodges_lehmann(ratios):.2f}  halves x{halves}"
        )

"""Counts of hostile inputs by family: sent, refused, neutralised, crashed.

Tests add to one tally per run; ``tests/hostile/conftest.py`` prints it at the end of
the run as the table docs/reliability.md quotes, and writes it to
``test-artifacts/hostile-input.md``.

- sent: inputs the app received (a form POST, a model save, an upload, a query).
- refused: answered with a clear error (a form error with a 4xx, a validation error).
- neutralised: accepted, and every surface it reaches was checked harmless.
- crashed: a 5xx, an exception, or a surface where it was found harmful. Tests fail on it.
"""

from __future__ import annotations

from collections import Counter, defaultdict

COLUMNS = ("sent", "refused", "neutralised", "crashed")
TALLY: dict[tuple[str, str], Counter] = defaultdict(Counter)
SURFACES: dict[str, set[str]] = defaultdict(set)


def count(suite: str, family: str, outcome: str, n: int = 1) -> None:
    """Record ``n`` inputs of ``family`` sent and their ``outcome`` (one of COLUMNS[1:])."""
    assert outcome in COLUMNS[1:], outcome
    TALLY[(suite, family)]["sent"] += n
    TALLY[(suite, family)][outcome] += n


def note_surface(suite: str, surface: str) -> None:
    SURFACES[suite].add(surface)


def table() -> str:
    if not TALLY:
        return ""
    lines = [
        "| suite | family | sent | refused | neutralised | crashed |",
        "|---|---|---:|---:|---:|---:|",
    ]
    totals = Counter()
    for (suite, family), counts in sorted(TALLY.items()):
        lines.append(
            f"| {suite} | {family} | " + " | ".join(str(counts[c]) for c in COLUMNS) + " |"
        )
        totals.update(counts)
    lines.append("| **all** | | " + " | ".join(f"**{totals[c]}**" for c in COLUMNS) + " |")
    for suite, surfaces in sorted(SURFACES.items()):
        lines.append("")
        lines.append(f"{suite} checked on: " + ", ".join(sorted(surfaces)))
    return "\n".join(lines)

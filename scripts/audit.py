#!/usr/bin/env python3
"""Supply-chain checks for `make audit`: pip-audit over the installed packages, bandit
over sinmun/ ([tool.bandit] in pyproject.toml). docs/reliability.md, "Supply chain".

pip-audit asks PyPI's advisory data for every installed version. When that data cannot
be had (no network, or an index that answers the project but not the version page, as
some mirrors do), pip-audit reports every package as "skipped" and, misleadingly, "No
known vulnerabilities found". This script says plainly that nothing was audited instead,
and fails only with SINMUN_AUDIT_STRICT=1 (set it where PyPI is reachable). A known
vulnerability always fails.

    .venv/bin/python scripts/audit.py            # both
    .venv/bin/python scripts/audit.py --pip-only / --bandit-only
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Advisories we have looked at and accepted, with the reason: {"ID": "why"}.
ACCEPTED: dict[str, str] = {}


def pip_audit() -> int:
    strict = os.environ.get("SINMUN_AUDIT_STRICT") == "1"
    command = [str(BIN / "pip-audit"), "--format", "json", "--progress-spinner", "off"]
    for vuln_id in ACCEPTED:
        command += ["--ignore-vuln", vuln_id]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"pip-audit: NOT RUN ({exc})")
        return 1 if strict else 0
    try:
        report = json.loads(run.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    dependencies = report.get("dependencies", [])
    if not dependencies:
        reason = (run.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit: NOT AUDITED, the advisory data could not be read: {reason}")
        return 1 if strict else 0
    audited = [d for d in dependencies if "skip_reason" not in d]
    skipped = [d for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            print(f"pip-audit: {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
    ours = {"sinmun"}
    unreachable = [d for d in skipped if d["name"] not in ours]
    print(
        f"pip-audit: {len(audited)} packages audited, {len(vulnerable)} vulnerable, "
        f"{len(unreachable)} skipped"
    )
    if unreachable and not audited:
        print(
            "pip-audit: NOT AUDITED: PyPI gave no advisory data for any installed version "
            f"(first reason: {unreachable[0]['skip_reason']}). The index this machine "
            "reaches serves packages but not PyPI's per-version JSON; run where pypi.org "
            "is reachable, with SINMUN_AUDIT_STRICT=1."
        )
        return 1 if (strict or vulnerable) else 0
    if unreachable:
        names = ", ".join(d["name"] for d in unreachable[:10])
        print(f"pip-audit: skipped (not on PyPI): {names}")
    return 1 if vulnerable or (strict and unreachable) else 0


def bandit() -> int:
    run = subprocess.run(
        [str(BIN / "bandit"), "-c", "pyproject.toml", "-r", "sinmun", "-q"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    noise = ("no failed test", "Test in comment")
    print("\n".join(line for line in run.stdout.splitlines() if line.strip()))
    for line in run.stderr.splitlines():
        if not any(n in line for n in noise):
            print(line, file=sys.stderr)
    print(f"bandit: {'clean' if run.returncode == 0 else 'FINDINGS (see above)'}")
    return run.returncode


def main(argv: list[str]) -> int:
    status = 0
    if "--bandit-only" not in argv:
        status |= pip_audit()
    if "--pip-only" not in argv:
        status |= bandit()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The audit suite: axe-core and the Nu Html Checker on every reader page, reflow at 320 px
and 200 % zoom, keyboard-only journeys. The demo paper is loaded by the same import
`sinmun demo` uses and served by pytest-django's live server; headless Chromium comes from
the root conftest.py (`browser`). The npm tools are installed by `make system-deps`
(scripts/install-node-deps.sh, versions in package-lock.json)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sinmun.readers.tests.conftest import local_smtp

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# Nu Html Checker messages that are wrong for these pages, by exact text, each with why.
# (None so far: add one only with a comment saying why the checker is wrong.)
VNU_IGNORED: set[str] = set()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/audit/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS.relative_to(ROOT)} is missing: run `make system-deps`")
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page, axe_source: str) -> list[dict]:
    """axe-core on the page as it is now; its violations, each with the nodes at fault.

    The script is evaluated through the DevTools protocol, so a Content-Security-Policy
    that forbids inline scripts does not stop it."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          summary: n.failureSummary, html: n.html})),
            }));
        }""",
        AXE_TAGS,
    )
    return result


def describe_violations(where: str, violations: list[dict]) -> str:
    lines = [f"axe-core on {where}: {len(violations)} violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"      at {node['target']}: {node['html'][:160]}")
            for line in (node["summary"] or "").splitlines():
                lines.append(f"        {line}")
    return "\n".join(lines)


def run_vnu(paths: list[Path]) -> list[dict]:
    """The Nu Html Checker over every file at once (one JVM start): its errors and
    warnings (info messages that are not warnings are left out)."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.skip("Java or node_modules/vnu-jar is missing: run `make system-deps`")
    done = subprocess.run(
        # C1 only and the serial collector: half the CPU of a default JVM for one short
        # run; the checker needs a deeper thread stack than that setup gives by default.
        [java, "-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU_JAR)]
        + ["--format", "json", "--stdout", "--also-check-css"]
        + [str(p) for p in paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(done.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu Html Checker did not run (exit {done.returncode}): {done.stderr}")
    problems = []
    for m in messages:
        if m.get("type") == "info" and m.get("subType") != "warning":
            continue
        if m.get("message") in VNU_IGNORED:
            continue
        problems.append(m)
    return problems


def describe_vnu(problems: list[dict]) -> str:
    lines = [f"Nu Html Checker: {len(problems)} error(s)/warning(s)"]
    for m in problems:
        kind = m.get("subType") or m.get("type")
        name = Path(m.get("url", "")).name
        lines.append(f"  {name}:{m.get('lastLine', '?')} [{kind}] {m.get('message')}")
        if m.get("extract"):
            lines.append(f"      {m['extract'].strip()[:200]}")
    return "\n".join(lines)


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on 127.0.0.1 with Django's SMTP backend pointed at it."""
    with local_smtp(settings) as inbox:
        yield inbox


@pytest.fixture
def ko_context(browser):
    context = browser.new_context(
        locale="ko-KR", timezone_id="Asia/Seoul", viewport={"width": 1280, "height": 900}
    )
    yield context
    context.close()

"""No product module over 500 lines: a module that grows past that has more than one job.

Migrations (generated) and tests are not product code and are not counted. Split a
module by job (see sinmun/transfer/jsonl/ and sinmun/backup/) rather than raising the
limit.
"""

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "sinmun"
LIMIT = 500


def _product_modules() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if not {"migrations", "tests"} & set(path.relative_to(PACKAGE).parts)
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    ]


def test_the_package_has_modules_to_measure():
    # A wrong path would make the size check below pass on nothing.
    names = {p.relative_to(PACKAGE).as_posix() for p in _product_modules()}
    assert {"ops/cli.py", "transfer/jsonl/importer.py", "backup/archive.py"} <= names
    assert not any("/migrations/" in n or "/tests/" in n for n in names)


@pytest.mark.parametrize(
    "module", _product_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix()
)
def test_no_product_module_is_over_500_lines(module):
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= LIMIT, f"{module.relative_to(PACKAGE)} has {lines} lines (limit {LIMIT})"

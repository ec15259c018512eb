"""The built wheel carries every template, static file and data file of the package
(scripts/wheel_check.py; ``make wheel-check`` also installs it and serves pages)."""

from __future__ import annotations

import importlib.util

from .conftest import REPO

spec = importlib.util.spec_from_file_location("wheel_check", REPO / "scripts/wheel_check.py")
wheel_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(wheel_check)


def test_the_data_files_are_every_template_and_static_file_of_every_app():
    files = wheel_check.data_files()
    for expected in (
        "sinmun/templates/base.html",
        "sinmun/search/templates/search/search.html",
        "sinmun/syndication/templates/syndication/sitemap.xml",
        "sinmun/newsroom/static/newsroom/autosave_guard.js",
        "sinmun/demo/demo_paper.jsonl",
    ):
        assert expected in files
    on_disk = {p.relative_to(REPO).as_posix() for p in REPO.glob("sinmun/**/templates/**/*")}
    on_disk |= {p.relative_to(REPO).as_posix() for p in REPO.glob("sinmun/**/static/**/*")}
    assert {f for f in on_disk if (REPO / f).is_file()} <= set(files)
    assert not any(f.endswith(("README.md", ".py")) or "/tests/" in f for f in files)


def test_the_wheel_leaves_no_data_file_out(tmp_path):
    wheel = wheel_check.build_wheel(tmp_path)
    assert wheel_check.missing_data_files(wheel) == []

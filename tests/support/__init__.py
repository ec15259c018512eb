"""Test support, outside the shipped package: used by the tests and by bench/.

* ``factories``: sections, reporters and articles built quickly (``make_article``, …);
* ``servers``: ``sinmun serve`` and nginx in subprocesses on loopback, fresh PostgreSQL
  and Redis databases, plain HTTP helpers.

Importable as ``tests.support`` from a source checkout: pytest puts the repository root
on ``sys.path`` (the root conftest.py), and bench scripts insert it themselves.
"""

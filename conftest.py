import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: cached rankings and settings never leak."""
    cache.clear()
    yield
    cache.clear()

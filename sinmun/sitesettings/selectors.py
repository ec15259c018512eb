from django.core.cache import cache
from django.db import transaction

from .models import SITE_CACHE_KEY, Banner, SiteProfile

# This process's copy: (site version, data). Every reader page needs it, so it is not
# unpickled from the cache per request; the version (sinmun/delivery/fragments.py) is
# shared by every process, so a change made through one is seen by all.
_local: tuple[str, dict] | None = None


def site_context() -> dict:
    """Return the site profile, active banners and sections (for navigation), cached
    until one of them changes."""
    global _local
    from sinmun.delivery.fragments import version

    current = version("site")
    if _local is not None and _local[0] == current:
        return _local[1]
    for _attempt in range(3):
        key = f"{SITE_CACHE_KEY}:{current}"
        data = cache.get(key)
        if data is None:
            from sinmun.articles.models import Section

            data = {
                # load() creates the profile on first use, which bumps the version.
                "profile": SiteProfile.load(),
                # A banner saved around the form (a script, an import) with a script
                # or off-site-looking URL is not shown at all (tests/hostile).
                "banners": [b for b in Banner.objects.filter(active=True) if b.url_allowed],
                "sections": list(Section.objects.all()),
            }
            cache.set(key, data, 3600)
        if version("site") == current:
            break
        current = version("site")
    _local = (current, data)
    return data


def site_context_invalidate(*args, **kwargs):
    global _local
    from sinmun.delivery.fragments import bump_site

    _local = None
    cache.delete(SITE_CACHE_KEY)
    # Now for this process, and again after the commit: a process that read the old
    # rows under the first new version must not keep them.
    bump_site()
    transaction.on_commit(bump_site)

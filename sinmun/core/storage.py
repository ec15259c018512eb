"""Static files storage: WhiteNoise's compressed manifest storage, with each file's URL
worked out once per process (``{% static %}`` runs several times on every page; the
manifest does not change while the process runs)."""

from functools import lru_cache

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._memo_url = lru_cache(maxsize=512)(super().url)

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        return self._memo_url(name)

"""Writes of the paper's settings outside the admin: the masthead and legal footer
(``SiteProfile``) and campaign banners, as an import or the demo loader sets them."""

from __future__ import annotations

from .models import Banner, SiteProfile


def site_profile_update(*, values: dict, logo_id: int | None = None) -> SiteProfile:
    """Set the given fields of the paper's profile (and its logo when given) and save.

    Raises ``ValidationError`` (nothing saved) for a value the model refuses.
    """
    profile = SiteProfile.load()
    for key, value in values.items():
        setattr(profile, key, value)
    if logo_id is not None:
        profile.logo_id = logo_id
    profile.full_clean()
    profile.save()
    return profile


def banner_add(
    *, label: str, url: str, description: str, active: bool, order: int
) -> tuple[Banner, bool]:
    """Add a banner unless one with this label and address exists; (banner, created).

    Raises ``ValidationError`` (nothing saved) for a banner the model refuses.
    """
    banner = Banner.objects.filter(label=label, url=url).first()
    if banner is not None:
        return banner, False
    banner = Banner(label=label, url=url, description=description, active=active, order=order)
    banner.full_clean()
    banner.save()
    return banner, True

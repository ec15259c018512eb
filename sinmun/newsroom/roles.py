"""The newsroom's roles: group names and what each may do (see README.md).

The data migration 0002_roles_and_workflow creates the groups from ``ROLE_PERMISSIONS``;
the article rules that go beyond model permissions live in ``policies.py``.
"""

REPORTER = "기자"
DESK = "데스크"
ADMIN = "관리자"

# (app_label, codename) per role. Wagtail's "publish_article" is what makes someone desk.
ROLE_PERMISSIONS = {
    REPORTER: [
        ("wagtailadmin", "access_admin"),
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "delete_article"),
    ],
    DESK: [
        ("wagtailadmin", "access_admin"),
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "delete_article"),
        ("articles", "publish_article"),
        ("articles", "lock_article"),
        ("articles", "unlock_article"),
        ("newsroom", "add_correction"),
        ("newsroom", "change_homelayout"),
        ("sitesettings", "add_banner"),
        ("sitesettings", "change_banner"),
        ("sitesettings", "delete_banner"),
    ],
    ADMIN: [
        ("wagtailadmin", "access_admin"),
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "delete_user"),
        # No *_group: what a role may do is a superuser's decision (migration 0003).
        ("articles", "add_reporter"),
        ("articles", "change_reporter"),
        ("articles", "delete_reporter"),
        ("articles", "add_section"),
        ("articles", "change_section"),
        ("articles", "delete_section"),
        ("sitesettings", "change_siteprofile"),
        ("sitesettings", "add_banner"),
        ("sitesettings", "change_banner"),
        ("sitesettings", "delete_banner"),
    ],
}

# Wagtail images are permissioned per collection: these are granted on the root collection.
ROLE_IMAGE_PERMISSIONS = {
    REPORTER: ["add_image", "choose_image"],
    DESK: ["add_image", "change_image", "choose_image"],
    ADMIN: ["add_image", "change_image", "delete_image", "choose_image"],
}

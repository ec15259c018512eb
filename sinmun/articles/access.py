"""Who may do what to an article. Enforced in views; templates only ask."""

from .models import Article


def access_article_edit(user, article: Article) -> bool:
    """Whether ``user`` may open ``article`` in the newsroom editor."""
    if user is None or not user.is_active or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # The same per-article rule every admin view enforces (sinmun/newsroom/policies.py):
    # the desk edits any article, a reporter only their own unpublished draft.
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(Article).user_has_permission_for_instance(
        user, "change", article
    )

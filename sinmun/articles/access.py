"""Who may do what to an article. Enforced in views; templates only ask."""

from .models import Article


def access_article_edit(user, article: Article) -> bool:
    """Whether ``user`` may open ``article`` in the newsroom editor."""
    if user is None or not user.is_active or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.has_perm("articles.change_article")

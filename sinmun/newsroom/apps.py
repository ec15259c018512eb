from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "sinmun.newsroom"
    label = "newsroom"
    verbose_name = "편집국"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from sinmun.articles.models import Article

        from .policies import ArticlePermissionPolicy
        from .signal_handlers import register_signal_handlers

        # Registered here, before any wagtail_hooks module builds the Article viewset, so
        # that every Wagtail view for articles asks this policy (wagtail.permissions).
        register_permission_policy(Article, ArticlePermissionPolicy(Article), exact_class=True)
        # exact_class wins over the policy wagtail.images registers after us.
        from wagtail.images import get_image_model

        from .policies import ImagePermissionPolicy

        register_permission_policy(
            get_image_model(),
            ImagePermissionPolicy(
                get_image_model(),
                auth_model="wagtailimages.Image",
                owner_field_name="uploaded_by_user",
            ),
            exact_class=True,
        )
        register_signal_handlers()

"""``{% url %}`` for reader templates, through ``sinmun.core.urls.fast_reverse``.

``{% load fasturl %}`` replaces Django's ``url`` tag in that template only: same syntax,
same output, but a URL name with positional arguments is reversed once per process and
afterwards only filled in (Django's ``reverse()`` walks the resolver every time; an
article page has seven of them, about a sixth of its time). Keyword arguments, and the
admin's namespaced instances (``current_app``), go through Django's own tag unchanged;
reader templates have neither.
"""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from sinmun.core.urls import fast_reverse

register = template.Library()


class FastURLNode(URLNode):
    def render(self, context):
        if self.kwargs:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        try:
            url = fast_reverse(view_name, *(arg.resolve(context) for arg in self.args))
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)

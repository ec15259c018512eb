"""``{% fragment "site" "nav" section.pk %}…{% endfragment %}``: render once per process
and version (sinmun/delivery/fragments.py).

The first argument is the version group (``site`` or ``ranking``); the others make the
key (a name, then whatever the content depends on). The language is always part of the
key. Only for content that depends on nothing else: never anything per visitor.
"""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from sinmun.delivery import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, group, parts):
        self.nodelist = nodelist
        self.group = group
        self.parts = parts

    def render(self, context):
        group = self.group.resolve(context)
        if group not in fragments.GROUPS:
            raise template.TemplateSyntaxError(f"unknown fragment group {group!r}")
        key = (get_language(), *(part.resolve(context) for part in self.parts))
        ttl = settings.SINMUN_RANKING_CACHE_SECONDS if group == "ranking" else 0
        return mark_safe(  # noqa: S308 - the output of our own template # nosec B308 B703
            fragments.cached(group, key, lambda: self.nodelist.render(context), ttl=ttl)
        )


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("{% fragment group name [vary …] %}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )

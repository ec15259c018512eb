"""``{% load fasturl %}``'s ``url`` tag writes exactly what Django's own writes."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch

CASES = [
    "{% url 'articles:home' %}",
    "{% url 'articles:article' 1024 %}",
    "{% url 'articles:section' code %}",
    "{% url 'articles:tag' tag %}",  # not plain ASCII: Django's reverse() quotes it
    "{% url 'readers:article_email' 7 %}",
    "{% url 'articles:article' pk as link %}[{{ link }}]",
    "{% url 'syndication:section_feed' code=code %}",  # keyword arguments: Django's path
]
CONTEXT = {"code": "S1N1", "tag": "지방 선거", "pk": 99}


@pytest.mark.parametrize("source", CASES)
def test_same_urls_as_django(source):
    django = Template(source).render(Context(CONTEXT))
    fast = Template("{% load fasturl %}" + source).render(Context(CONTEXT))
    assert fast == django and fast.strip("[]")


def test_an_unknown_name_still_fails_loudly_and_quietly_with_as():
    with pytest.raises(NoReverseMatch):
        Template("{% load fasturl %}{% url 'articles:nothing' 1 %}").render(Context())
    quiet = "{% load fasturl %}{% url 'articles:nothing' 1 as x %}[{{ x }}]"
    assert Template(quiet).render(Context()) == "[]"

"""The 기사 메일전송 form: what a reader may type, checked before anything is sent."""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

NAME_MAX = 30
MESSAGE_MAX = 200

# Anything that could end a header line or hide one: CR, LF, vertical tab, form feed,
# NEL, and the Unicode line and paragraph separators.
LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Other control and invisible formatting characters (bidi overrides, zero-width joiners).
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# A link in any dress: a scheme, www., or something shaped like a domain (example.com,
# bit.ly/x). Checked after NFKC normalisation, so full-width dots and letters count too.
LINK = re.compile(
    r"[a-z][a-z0-9+.-]*://|\bwww\d*\.|"
    r"[\w-]+(?:\.[\w-]+)*\.(?:[a-z]{2,24}|xn--[a-z0-9-]+)\b|"
    r"[\w-]+\.(?:한국|닷컴|닷넷)|"
    r"\b(?:mailto|javascript|data):",
    re.IGNORECASE,
)


def has_link(text: str) -> bool:
    normalised = unicodedata.normalize("NFKC", text)
    return bool(LINK.search(normalised))


def _refuse_breaks(value: str) -> None:
    if LINE_BREAKS.search(value):
        raise forms.ValidationError(_("줄바꿈 없이 한 줄로 적어 주세요."), code="line_break")
    if CONTROL.search(value):
        raise forms.ValidationError(
            _("보이지 않는 제어 문자는 쓸 수 없습니다."), code="control_character"
        )


class SingleLineField(forms.CharField):
    """A CharField that refuses line breaks and control characters instead of
    silently stripping them (Django strips only the ends)."""

    def to_python(self, value):
        if isinstance(value, str):
            _refuse_breaks(value)
        return super().to_python(value)


class SingleAddressField(forms.EmailField):
    """Exactly one e-mail address: no lists, no display names, no line breaks."""

    default_error_messages = {
        "invalid": _("올바른 이메일 주소를 하나만 입력해 주세요. 예: reader@example.com"),
    }

    def to_python(self, value):
        if isinstance(value, str):
            _refuse_breaks(value)
            if re.search(r"[,;<>\s\"()\[\]\\]", value.strip()) or value.count("@") != 1:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def clean(self, value):
        value = super().clean(value)
        if value:
            validate_email(value)
        return value


class ArticleEmailForm(forms.Form):
    sender_name = SingleLineField(
        label=_("보내는 사람 이름"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("이름을 입력해 주세요."),
            "max_length": _("이름은 %(limit_value)d자 이내로 적어 주세요."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    sender_email = SingleAddressField(
        label=_("보내는 사람 이메일"),
        max_length=254,
        error_messages={"required": _("보내는 사람 이메일을 입력해 주세요.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    recipient = SingleAddressField(
        label=_("받는 사람 이메일"),
        max_length=254,
        error_messages={"required": _("받는 사람 이메일을 입력해 주세요.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    message = SingleLineField(
        label=_("짧은 메시지"),
        required=False,
        max_length=MESSAGE_MAX,
        error_messages={"max_length": _("메시지는 %(limit_value)d자 이내로 적어 주세요.")},
        help_text=_("%(n)d자 이내, 한 줄. 링크(주소)는 넣을 수 없습니다.") % {"n": MESSAGE_MAX},
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling bots.
    website = forms.CharField(
        label=_("비워 두세요"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # One random value per rendered form, so a double submit or a reload sends once.
    nonce = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{16,64}$",
        widget=forms.HiddenInput,
        error_messages={
            "required": _("양식이 만료되었습니다. 다시 작성해 보내 주세요."),
            "invalid": _("양식이 만료되었습니다. 다시 작성해 보내 주세요."),
        },
    )

    def clean_sender_name(self):
        name = self.cleaned_data["sender_name"]
        if has_link(name) or "@" in name:
            raise forms.ValidationError(
                _("이름에는 링크나 이메일 주소를 넣을 수 없습니다."), code="link"
            )
        return name

    def clean_message(self):
        message = self.cleaned_data["message"]
        if has_link(message):
            raise forms.ValidationError(
                _("메시지에는 링크(인터넷 주소)를 넣을 수 없습니다."), code="link"
            )
        return message

    def clean(self):
        data = super().clean()
        if data.get("website"):
            # Shown on the form (the field itself is hidden from people).
            raise forms.ValidationError(
                _(
                    "자동 입력으로 보여 보내지 않았습니다. 사람이 직접 입력했다면 새로 고친 뒤 다시 보내 주세요."
                ),
                code="honeypot",
            )
        return data

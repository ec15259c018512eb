"""The image upload form: a broken file gets Wagtail's clear "not a valid image" message.

Wagtail 8's WagtailImageField catches only decompression-bomb errors while reading the
pixel size, so a file whose header looks like PNG/GIF but whose data is broken raised
PIL.UnidentifiedImageError (a 500). Installed with WAGTAILIMAGES_IMAGE_FORM_BASE.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class SafeWagtailImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except ValidationError:
            raise
        except Exception as error:  # noqa: BLE001 - any unreadable image is the user's file
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        # Wagtail builds the field through a fixed formfield callback; give that field
        # instance our stricter class rather than re-creating it with other arguments.
        if field is not None and type(field) is WagtailImageField:
            field.__class__ = SafeWagtailImageField
            # Wagtail 8's Korean catalogue lacks this one; an SVG or HTML file named
            # .png got an English sentence (tests/hostile/test_uploads.py).
            field.error_messages["invalid_image_known_format"] = _(
                "올바른 .%(extension)s 이미지가 아닙니다. 파일 이름의 확장자와 실제 형식"
                "(%(image_format)s)이 다릅니다."
            )

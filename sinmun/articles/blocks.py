from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "h2", "h3", "ol", "ul", "superscript", "subscript"]


class PhotoBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("사진"))
    alt = blocks.CharBlock(
        label=_("대체 텍스트"),
        max_length=250,
        help_text=_(
            "사진을 볼 수 없는 독자에게 읽어 줄 설명입니다. 사진 설명(캡션)과 다르게 씁니다."
        ),
    )
    caption = blocks.CharBlock(label=_("사진 설명"), required=False, max_length=500)
    credit = blocks.CharBlock(label=_("출처·촬영"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("사진")
        template = "articles/blocks/photo.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("인용문"))
    attribution = blocks.CharBlock(label=_("말한 사람·출처"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("인용")
        template = "articles/blocks/quote.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("본문"), features=RICH_TEXT_FEATURES, template="articles/blocks/paragraph.html"
    )
    photo = PhotoBlock()
    quote = QuoteBlock()


def editor_can_open(source: str) -> bool:
    """Whether the admin's editor can convert ``source`` (stored rich text) for editing.

    Wagtail's HTML-to-Draftail converter asserts on markup it does not expect (an end tag
    that closes another element, e.g. ``<video><source></video>``), which made the
    article's edit view a 500 for a body written around the editor (tests/hostile).
    """
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    try:
        ContentstateConverter(features=RICH_TEXT_FEATURES).from_database_format(source)
    except Exception:  # noqa: BLE001 - any failure means the editor cannot open it
        return False
    return True

"""StreamField blocks of an article body."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class QuoteBlock(blocks.StructBlock):
    """A block quote with the name of the person or body quoted."""

    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, help_text="Who said or wrote it, and their role.")

    class Meta:
        icon = "openquote"
        template = "newsroom/blocks/quote.html"


class CaptionedImageBlock(blocks.StructBlock):
    """An image in the body, with caption; the credit comes from the image unless overridden."""

    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False)
    credit = blocks.CharBlock(required=False, help_text="Leave empty to use the image's own credit.")

    class Meta:
        icon = "image"
        template = "newsroom/blocks/image.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, template="newsroom/blocks/paragraph.html")
    heading = blocks.CharBlock(form_classname="title", icon="title", template="newsroom/blocks/heading.html")
    quote = QuoteBlock()
    image = CaptionedImageBlock()

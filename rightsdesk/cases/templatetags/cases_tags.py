from django import template

from ..dates import fa_digits
from ..ui import t

register = template.Library()


@register.simple_tag
def cui(text, language):
    """A cases desk interface string in the page's language."""
    return t(text, language)


@register.filter
def digits(value, language):
    """A number with thousands separators, in Persian digits on Persian pages."""
    if isinstance(value, int):
        text = f"{value:,}"
        return fa_digits(text.replace(",", "٬")) if language == "fa" else text
    return fa_digits(value) if language == "fa" else value

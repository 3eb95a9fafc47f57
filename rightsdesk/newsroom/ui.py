"""Interface strings in the language of a page, from the gettext catalogues.

The public templates use `{% translate %}` inside `{% language %}` (base.html and the fragments
rendered on their own), so a page's interface is in the page's language whatever the request's
language is (a preview, the bake). The Persian strings are in `rightsdesk/locale/fa/LC_MESSAGES/
django.po`, compiled to the committed `django.mo` (README: "Interface strings").
"""

from django.utils import translation


def translate(text, language):
    """`text` (a msgid of the catalogues) in `language` ("en", "fa")."""
    with translation.override(language):
        return translation.gettext(text)


from django.urls import path, reverse
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def second_factor_urls():
    return [path("second-factor/", views.second_factor, name="rightsdesk_second_factor")]


@hooks.register("register_account_menu_item")
def second_factor_menu_item(request):
    return {
        "url": reverse("rightsdesk_second_factor"),
        "label": "Second factor",
        "help_text": "Your authenticator app: the code asked for when you sign in.",
    }

"""The newsroom's own steps in the publish pipeline (publishing.py)."""

from wagtail import hooks

from . import extensions, publishing

hooks.register(extensions.PUBLISH_STEPS, publishing.newsroom_steps)

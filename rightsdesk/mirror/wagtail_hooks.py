"""The mirror in the newsroom (see newsroom/extensions.py): its step in the publish pipeline."""

from wagtail import hooks

from rightsdesk.newsroom import extensions

from . import steps

hooks.register(extensions.PUBLISH_STEPS, steps.steps)

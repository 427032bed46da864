import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_TICKS = re.compile(r"`([^`\n]+)`")


@register.filter
def ticks(text) -> str:
    """Goal messages, prompts and hints mark commands with backticks, as Markdown does: show them as code."""
    return mark_safe(_TICKS.sub(r"<code>\1</code>", escape(str(text))))

"""`{% comment_items %}`: the comments of a discussion page, from the shared list when it can."""

from django import template

from minbar.serving.fragments import render_comment_items

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_items(context):
    return render_comment_items(context)

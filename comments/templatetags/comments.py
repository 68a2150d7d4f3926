"""{% comment_section article %}: the comment section of an article page, as the comments app draws it."""

from django import template

from comments import section

register = template.Library()


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comment_section(context, article):
    """Draw the threads, their pages, any crisis help and the reply form of `article`.

    A refused post puts its bound form in the page's context as `comment_form`, the reason it was
    refused before its fields were checked as `comment_refusal`, and `show_crisis` when the
    refused text used crisis language.
    """
    return section.context(context["request"], article, form=context.get("comment_form"),
                           refusal=context.get("comment_refusal", ""),
                           show_crisis=context.get("show_crisis", False))

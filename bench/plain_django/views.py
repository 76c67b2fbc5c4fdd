"""What one would write first: fetch the article and all its comments, loop in the template."""

from django.shortcuts import get_object_or_404, render

from minbar.discussion.models import Comment
from minbar.news.models import Article


def article(request, slug):
    article = get_object_or_404(Article, slug=slug)
    comments = (
        Comment.objects.filter(article=article, status=Comment.Status.VISIBLE)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return render(request, "plain/article.html", {"article": article, "comments": comments})

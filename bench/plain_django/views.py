"""What one would write first, for the same comments Minbar shows on the article's first page:
the first 100 threads (top-level comments, oldest first) with their replies, looped in the
template. No caching, no per-page query tuning."""

from django.shortcuts import get_object_or_404, render

from minbar.discussion.models import Comment
from minbar.discussion.policy import THREADS_PER_PAGE
from minbar.news.models import Article


def article(request, slug):
    article = get_object_or_404(Article, slug=slug)
    visible = Comment.objects.filter(article=article, status=Comment.Status.VISIBLE)
    threads = list(
        visible.filter(parent__isnull=True)
        .select_related("author")
        .order_by("created_at", "pk")[:THREADS_PER_PAGE]
    )
    replies: dict[int, list[Comment]] = {}
    for reply in (
        visible.filter(root_id__in=[t.pk for t in threads])
        .select_related("author")
        .order_by("created_at", "pk")
    ):
        replies.setdefault(reply.root_id, []).append(reply)
    comments = [c for thread in threads for c in (thread, *replies.get(thread.pk, []))]
    return render(request, "plain/article.html", {"article": article, "comments": comments})

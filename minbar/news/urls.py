from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from minbar.news import feeds, views
from minbar.news.sitemaps import SITEMAPS
from minbar.serving.middleware import public_page

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<uslug:slug>/", views.article_detail, name="article"),
    path("sections/<uslug:slug>/", views.section_detail, name="section"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag"),
    path("authors/<uslug:slug>/", views.author_detail, name="author"),
    path("feeds/rss/", public_page(feeds.conditional(feeds.LatestArticlesFeed())), name="feed-rss"),
    path(
        "feeds/atom/",
        public_page(feeds.conditional(feeds.LatestArticlesAtomFeed())),
        name="feed-atom",
    ),
    path(
        "sections/<uslug:slug>/rss/",
        public_page(feeds.conditional(feeds.SectionFeed())),
        name="section-feed-rss",
    ),
    path(
        "sections/<uslug:slug>/atom/",
        public_page(feeds.conditional(feeds.SectionAtomFeed())),
        name="section-feed-atom",
    ),
    path(
        "tags/<uslug:slug>/rss/",
        public_page(feeds.conditional(feeds.TagFeed())),
        name="tag-feed-rss",
    ),
    path(
        "tags/<uslug:slug>/atom/",
        public_page(feeds.conditional(feeds.TagAtomFeed())),
        name="tag-feed-atom",
    ),
]

# Sitemaps and robots.txt live outside the language prefix (see config/urls.py).
seo_urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("news-sitemap.xml", views.news_sitemap, name="news-sitemap"),
]

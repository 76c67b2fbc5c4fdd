"""Search at archive scale: index a synthetic corpus and time 1,000 mixed queries.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minbar_bench_search \\
        DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/search.py

Builds (or, with --reuse, keeps) a corpus of --articles articles (default 100,000) and
--comments comments (default 1,000,000) from an Arabic word list, through the actions the site
writes with: sections, tags and readers as the newsroom and the sign-up make them, articles and
comments by the archive import action (a batch of 2,000 articles at a time, roots, depths and
counters kept by it; about 130 articles and 1,300 comments a second on SQLite, so the default
corpus takes a quarter of an hour or more: keep it with --reuse). It then indexes everything
through the real code path (`search.actions.do_rebuild_index`, what `manage.py
rebuild_search_index` runs) and prints articles/s and comments/s, then p50/p95/p99 over
--queries mixed queries (words, two words, phrases, prefixes, exclusions, a section filter)
through the search page's read path (`parse_query` + `selectors.search`, snippets included),
and through the whole page (the Django test client: URL, form, view, template) for the first
--page-queries of them. Each kind
is also timed in CPU (this process, plus the PostgreSQL server's backend when it runs on this
machine): on a shared machine the wall time mostly measures the wait for a core.

Without DATABASE_URL it uses var/bench_search.sqlite3 (deleted and rebuilt unless --reuse).
With a PostgreSQL URL it creates the database if missing and empties the tables it fills.
Targets (issues 5 and 16): p95 < 50 ms on both engines, phrases and prefixes included; at
least 2,000 articles indexed per second.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SQLITE_PATH = ROOT / "var" / "bench_search.sqlite3"

# About three hundred words of news and discussion, written for this bench. Some come with the
# article or a prefix or an ending, as text has them; the analyser folds those together.
WORDS = """
الحكومة وزير الوزارة الرئيس البرلمان النواب المجلس الانتخابات الناخبين المرشح الحزب الأحزاب
المعارضة الدستور القانون المحكمة القاضي العدالة الشرطة الأمن الجيش الحدود السلام الحرب الهدنة
المفاوضات الاتفاق المعاهدة العقوبات السفير السفارة الخارجية الداخلية الدفاع المالية الاقتصاد
الموازنة الضرائب الرسوم الديون القروض البنك المركزي الفائدة التضخم الأسعار الأسواق البورصة
الأسهم الشركات المستثمرين الاستثمار التجارة الصادرات الواردات الموانئ السفن الشحن النفط الغاز
الطاقة الكهرباء الشمسية الرياح المياه السدود الأنهار الجفاف الأمطار المناخ البيئة التلوث الغابات
الزراعة القمح الحبوب المحاصيل الفلاحين الصيادين البحر الساحل الجزر الصحراء الواحات المدينة
القرية العاصمة الأحياء الشوارع الطرق الجسور القطارات المطار الطائرات السيارات النقل المرور
الحوادث الإسعاف المستشفى المستشفيات الأطباء الممرضين المرضى الدواء اللقاح الوباء الصحة التعليم
المدارس المدرسة المعلمين الطلاب الجامعة الجامعات الامتحانات المناهج البحث العلماء العلوم
التكنولوجيا الحاسوب الإنترنت الهواتف التطبيقات البيانات الخصوصية الذكاء الاصطناعي الروبوتات
الفضاء الأقمار الصواريخ الثقافة الفنون المسرح السينما الأفلام الموسيقى الغناء الشعر الرواية
الكتاب الكتب المكتبة المعرض المهرجان الجوائز التراث الآثار المتحف التاريخ الحضارة اللغة العربية
الترجمة الصحافة الصحفيين الإعلام التلفزيون الإذاعة الأخبار التقرير المقال الرأي التعليقات القراء
الرياضة كرة القدم المباراة الفريق المنتخب الملعب اللاعبين المدرب البطولة الدوري الكأس الأهداف
السباحة الجري الأولمبياد الميداليات الشباب النساء الأطفال الأسرة الزواج السكن الإيجار البطالة
الوظائف العمال النقابات الأجور الرواتب التقاعد الفقر الفقراء الأغنياء المساعدات اللاجئين الهجرة
المهاجرين الإقامة الجنسية المواطنين المجتمع المدني الجمعيات التطوع الدين المساجد الكنائس رمضان
العيد الحج الصيام الأسواق الشعبية المطاعم الطعام الخبز اللحوم الخضار الفواكه السكر القهوة الشاي
لبنان سوريا الأردن العراق مصر تونس الجزائر المغرب ليبيا السودان اليمن عمان قطر البحرين الكويت
السعودية الإمارات فلسطين تركيا إيران روسيا الصين أوروبا أمريكا أفريقيا آسيا بيروت دمشق عمان
بغداد القاهرة الرباط الجزائرية اللبنانيين السوريين العراقيين المصريين الأتراك الأوروبية الأمريكية
قال أعلن أكد أوضح أشار دعا طالب رفض وافق قرر بدأ انتهى ارتفع انخفض تراجع زاد نقص وصل غادر
التقى اجتمع ناقش بحث درس كتب نشر شارك فاز خسر تعادل سجل افتتح أغلق أطلق وقع انفجر احترق غرق
جديد قديم كبير صغير سريع بطيء مهم خطير صعب سهل واسع ضيق مرتفع منخفض عام خاص رسمي شعبي دولي
محلي إقليمي وطني اقتصادي سياسي اجتماعي ثقافي رياضي علمي طبي تاريخي مستقبلي حكومي برلماني
اليوم أمس غدا الأسبوع الشهر العام السنة المقبل الماضي الحالي صباح مساء الليل النهار
""".split()  # noqa: SIM905 - a block of words reads better than a list of strings
WORDS = list(dict.fromkeys(WORDS))

SECTIONS = ["سياسة", "اقتصاد", "مجتمع", "ثقافة", "رياضة", "علوم", "صحة", "رأي"]
CONNECTORS = ["في", "من", "إلى", "على", "عن", "مع", "بعد", "قبل", "و", "أن", "التي", "الذي"]


def _zipf_weights(n: int) -> list[float]:
    return [1.0 / (rank + 1) for rank in range(n)]


class Writer:
    """Arabic-looking text: content words drawn with a Zipf law, connectors in between."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        order = WORDS[:]
        rng.shuffle(order)
        self.words = order
        weights = _zipf_weights(len(order))
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def words_(self, k: int) -> list[str]:
        picked = self.rng.choices(self.words, cum_weights=self.cumulative, k=k)
        for i in range(2, k, 4):
            picked[i] = self.rng.choice(CONNECTORS)
        return picked

    def text(self, k: int) -> str:
        return " ".join(self.words_(k))

    def paragraphs(self, k: int) -> list[str]:
        words = self.words_(k)
        cut = max(1, k // 3)
        return [" ".join(words[i : i + cut]) + "." for i in range(0, k, cut)]


def _setup_django(args) -> None:
    if not os.environ.get("DATABASE_URL"):
        SQLITE_PATH.parent.mkdir(exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        _fresh_postgres_database(os.environ["DATABASE_URL"], reuse=args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def _fresh_postgres_database(url: str, *, reuse: bool) -> None:
    """Create the bench database, dropping an older one unless reused. Its name must say
    "bench": this never empties a database that holds anything else."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    if "bench" not in config["NAME"]:
        sys.exit(f"refusing to use {config['NAME']!r}: the bench database's name must say bench")
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if exists and not reuse:
            connection.execute(f'DROP DATABASE "{config["NAME"]}" WITH (FORCE)')
        if not exists or not reuse:
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


def build_corpus(*, articles: int, comments: int, seed: int, reuse: bool) -> float:
    """Make the corpus through the actions (`_import_corpus`); returns seconds taken (0 when
    reused)."""
    from django.db import connection

    from minbar.discussion.models import Comment
    from minbar.news.models import Article

    if reuse and Article.objects.count() == articles and Comment.objects.count() == comments:
        print(f"corpus: reusing {articles:,} articles and {comments:,} comments")
        return 0.0
    if Article.objects.exists():
        sys.exit("the bench database holds another corpus: run without --reuse to start afresh")
    started = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # this connection only: 256 MiB
    corpus = Corpus(articles=articles, comments=comments, seed=seed)
    _import_corpus(corpus)
    print()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


class Corpus:
    """The corpus as plain data, drawn in a fixed order from the seed: for each article its
    paragraphs, publication time, comments (text, status, author, time), title, standfirst,
    section and two tags."""

    READERS = 1000
    BATCH = 2000  # articles written at a time

    def __init__(self, *, articles: int, comments: int, seed: int) -> None:
        self.articles = articles
        self.rng = random.Random(seed)
        self.writer = Writer(self.rng)
        self.tags = self.writer.words[:40]
        self.per_article = [0] * articles
        for _ in range(comments):
            self.per_article[self.rng.randrange(articles)] += 1

    def batches(self) -> Iterator[list[dict]]:
        rng, writer = self.rng, self.writer
        start = datetime(2021, 1, 1, tzinfo=UTC)
        span = (datetime(2025, 12, 31, tzinfo=UTC) - start).total_seconds()
        statuses = ["visible"] * 19 + ["rejected"]
        for offset in range(0, self.articles, self.BATCH):
            batch = []
            for n in range(offset, min(self.articles, offset + self.BATCH)):
                paragraphs = writer.paragraphs(rng.randint(80, 220))
                published = start + timedelta(seconds=rng.random() * span)
                thread = []
                for c in range(self.per_article[n]):
                    text = writer.text(rng.randint(8, 45))
                    status = rng.choice(statuses)
                    author = rng.randrange(self.READERS)
                    created = published + timedelta(minutes=rng.randint(1, 5000))
                    thread.append(
                        {"id": f"c{c}", "author": f"bench_{author}", "created_at": created,
                         "text": text, "status": status}
                    )  # fmt: skip
                batch.append(
                    {"slug": f"bench-{n}", "title": writer.text(rng.randint(5, 10)),
                     "standfirst": writer.text(rng.randint(12, 25)), "paragraphs": paragraphs,
                     "published_at": published, "comments": thread,
                     "section": rng.randrange(len(SECTIONS)), "tags": rng.sample(self.tags, 2)}
                )  # fmt: skip
            yield batch


def _import_corpus(corpus: Corpus) -> None:
    """Through the actions: sections, tags and readers as the newsroom and the sign-up make
    them, then articles and comments by the archive import action (`do_import_archive`, what
    `import_archive` runs), a batch of articles at a time. The import sets each comment's root
    and depth and each article's comment count, renders the Markdown and records revisions.
    The search index is built afterwards (`index`), so the signals the import sends are not
    listened to here."""
    from django.db import transaction

    from minbar.accounts.actions import do_create_reader
    from minbar.archive.actions import do_import_archive
    from minbar.archive.validate import validate_archive
    from minbar.core.signals import article_changed, discussion_changed
    from minbar.news import actions as news

    for signal in (article_changed, discussion_changed):
        signal.receivers.clear()
        signal.sender_receivers_cache.clear()
    with transaction.atomic():
        for i, name in enumerate(SECTIONS):
            news.do_get_or_create_section(name=name, position=i)
        for name in corpus.tags:
            news.do_get_or_create_tag(name=name)
        for i in range(corpus.READERS):
            do_create_reader(username=f"bench_{i}", email=f"bench_{i}@example.org", password=None)
    made_articles = made_comments = 0
    for batch in corpus.batches():
        document = {
            "format": "minbar-archive",
            "version": 1,
            "site": {"name": "bench", "time_zone": "UTC"},
            "articles": [
                {
                    "slug": a["slug"],
                    "title": a["title"],
                    "standfirst": a["standfirst"],
                    "body": "\n\n".join(a["paragraphs"]),
                    "section": SECTIONS[a["section"]],
                    "tags": a["tags"],
                    "status": "published",
                    "published_at": a["published_at"].isoformat(),
                    "updated_at": a["published_at"].isoformat(),
                    "comments": [
                        {**c, "created_at": c["created_at"].isoformat()} for c in a["comments"]
                    ],
                }
                for a in batch
            ],
        }
        report = do_import_archive(validate_archive(document))
        made_articles += report.articles_created
        made_comments += report.comments_created
        print(f"\r  {made_articles:,} articles, {made_comments:,} comments", end="", flush=True)


def index(batch_size: int, workers: int, clear: bool):
    from django.db import connection

    from minbar.search.actions import do_rebuild_index

    server = _server_cpu_reader()

    def spent() -> tuple[float, float, float]:
        """CPU seconds so far: this process, its ended children (the analysis worker of a
        finished phase), the server's backend for this connection."""
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time(), children.ru_utime + children.ru_stime, server()

    marks: dict[str, tuple[float, float, float]] = {"start": spent()}

    def progress(kind: str, _done: int) -> None:
        # The first comment batch comes after the articles' worker ended and their indexes were
        # built: the articles' CPU, plus one batch of comments.
        if kind == "comments" and "articles" not in marks:
            marks["articles"] = spent()

    started = time.perf_counter()
    report = do_rebuild_index(
        batch_size=batch_size, workers=workers, clear=clear, progress=progress
    )
    whole = time.perf_counter() - started
    end = spent()
    cpu, worker_cpu, server_cpu = (b - a for a, b in zip(marks["start"], end, strict=True))
    print(
        f"indexing CPU: this process {cpu:.1f} s, analysis worker {worker_cpu:.1f} s, "
        f"database server {server_cpu:.1f} s "
        f"(wall {report.article_seconds + report.comment_seconds:.1f} s; {whole:.1f} s with "
        "the final vacuum and the vocabulary)"
    )
    if "articles" in marks:
        parts = [b - a for a, b in zip(marks["start"], marks["articles"], strict=True)]
        print(
            f"indexing CPU, articles (with one batch of comments): {sum(parts):.1f} s "
            f"(this process {parts[0]:.1f}, worker {parts[1]:.1f}, server {parts[2]:.1f}) = "
            f"{report.articles / sum(parts):,.0f} articles per CPU-second"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_articleentry")
            cursor.execute("ANALYZE search_commententry")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_article_fts(search_article_fts) VALUES ('optimize')")
            cursor.execute("INSERT INTO search_comment_fts(search_comment_fts) VALUES ('optimize')")
    return report


def make_queries(n: int, *, seed: int, sections: list[str]) -> list[tuple[str, dict]]:
    """Mixed reader queries: (text, extra GET parameters); `sections`: the sections' slugs."""
    rng = random.Random(seed + 1)
    writer = Writer(rng)
    content = [w for w in WORDS if len(w) > 3]
    queries = []
    for i in range(n):
        kind = i % 10
        params: dict = {}
        if kind in (0, 1, 2):
            text = rng.choice(content)
        elif kind in (3, 4):
            text = " ".join(rng.sample(content, 2))
        elif kind == 5:
            text = '"' + " ".join(writer.words_(2)) + '"'
        elif kind == 6:
            word = rng.choice(content).removeprefix("ال")
            text = word[: rng.randint(3, 4)] + "*"
        elif kind == 7:
            first, second = rng.sample(content, 2)
            text = f"{first} -{second}"
        elif kind == 8:
            text = rng.choice(content)
            params["sort"] = "date"
        else:
            text = rng.choice(content)
            params["section"] = sections[rng.randrange(len(SECTIONS))]
        if i % 7 == 3:
            params["show"] = "comments"
        queries.append((text, params))
    return queries


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return (
        f"p50 {pick(0.50):6.1f} ms   p95 {pick(0.95):6.1f} ms   p99 {pick(0.99):6.1f} ms   "
        f"mean {statistics.fmean(ordered) * 1000:6.1f} ms   max {ordered[-1] * 1000:6.1f} ms"
    )


def _server_cpu_reader():
    """Seconds of CPU the database server has spent on this connection so far (PostgreSQL on
    this machine: its backend's /proc schedstat, in nanoseconds), or always 0 (SQLite runs in
    this process, whose CPU time is counted already)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    path = Path(f"/proc/{pid}/schedstat")
    if not path.exists():  # the server is elsewhere
        return lambda: 0.0
    return lambda: int(path.read_text().split()[0]) / 1e9


def time_queries(queries: list[tuple[str, dict]]) -> tuple[list[float], list[float], int]:
    from minbar.news.models import Section
    from minbar.search import selectors
    from minbar.search.query import parse_query

    sections = {s.slug: s for s in Section.objects.all()}
    server = _server_cpu_reader()
    samples, cpu = [], []
    hits = 0
    for text, params in queries:
        server_started = server()
        started, cpu_started = time.perf_counter(), time.process_time()
        extra = selectors.get_protected_words()
        query = parse_query(text, extra_protected=extra)
        results = selectors.search(
            query=query,
            filters=selectors.Filters(section=sections.get(params.get("section", ""))),
            sort=params.get("sort", "relevance"),
            show=params.get("show", "articles"),
            extra_protected=extra,
        )
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started + server() - server_started)
        hits += bool(results.hits)
    return samples, cpu, hits


def time_pages(queries: list[tuple[str, dict]]) -> list[float]:
    from django.test import Client

    client = Client()
    samples = []
    for text, params in queries:
        started = time.perf_counter()
        response = client.get("/search/", {"q": text, **params})
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (text, response.status_code)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--page-queries", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=1, help="analysis processes (0: none)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep a corpus of the same size")
    parser.add_argument(
        "--skip-index",
        action="store_true",
        help="with --reuse: only query (else the index is"
        " emptied and rebuilt, as `rebuild_search_index --clear` does)",
    )
    args = parser.parse_args()
    _setup_django(args)

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    seconds = build_corpus(
        articles=args.articles,
        comments=args.comments,
        seed=args.seed,
        reuse=args.reuse,
    )
    if seconds:
        print(
            f"corpus: {args.articles:,} articles, {args.comments:,} comments in "
            f"{seconds:.1f} s = {args.articles / seconds:,.0f} articles/s, "
            f"{args.comments / seconds:,.0f} comments/s"
        )
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    if not args.skip_index:
        report = index(args.batch_size, args.workers, clear=args.reuse)
        print(
            f"indexing: {report.articles:,} articles in {report.article_seconds:.1f} s = "
            f"{report.articles_per_second:,.0f} articles/s   (target ≥ 2,000)"
        )
        print(
            f"indexing: {report.comments:,} visible comments in {report.comment_seconds:.1f} s = "
            f"{report.comments_per_second:,.0f} comments/s"
        )
    from minbar.news.models import Section

    slugs = list(Section.objects.order_by("position", "pk").values_list("slug", flat=True))
    queries = make_queries(args.queries, seed=args.seed, sections=slugs)
    time_queries(queries[:20])  # warm caches: the analyser's, the database's
    samples, cpu, with_hits = time_queries(queries)
    print(f"search ({len(queries)} queries, {with_hits} with hits on the page):")
    print(f"  read path  {_percentiles(samples)}   (SQLite target: p95 < 50 ms)")
    # CPU time (this process, and on PostgreSQL its server process too) is what a query costs
    # on an idle machine: the wall time above also counts waiting for a CPU on a busy one.
    print(f"  read CPU   {_percentiles(cpu)}")
    if args.page_queries:
        pages = time_pages(queries[: args.page_queries])
        print(f"  whole page {_percentiles(pages)}   ({len(pages)} GET /search/)")
    by_kind: dict[str, list[float]] = {}
    names = ["word", "word", "word", "two words", "two words", "phrase", "prefix", "exclusion",
             "by date", "section"]  # fmt: skip
    cpu_by_kind: dict[str, list[float]] = {}
    for i, sample in enumerate(samples):
        by_kind.setdefault(names[i % 10], []).append(sample)
        cpu_by_kind.setdefault(names[i % 10], []).append(cpu[i])
    for name, values in by_kind.items():
        print(f"    {name:<10} {_percentiles(values)}")
    print("  CPU by kind:")
    for name, values in cpu_by_kind.items():
        print(f"    {name:<10} {_percentiles(values)}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

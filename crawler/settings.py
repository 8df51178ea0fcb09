"""Scrapy settings for newscrawl (``scrapy.cfg`` points here).

Only what differs from Scrapy's defaults, or what we want stated, is set. Our own settings
share the ``NEWSCRAWL_`` prefix.
"""

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"  # `scrapy crawl`: exit 1 where the crawl cannot start

# Be polite: identify ourselves, obey robots.txt, let AutoThrottle pace each site.
USER_AGENT = "newscrawl/0.1 (+https://github.com/newscrawl/newscrawl)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # a cap; AutoThrottle stays below it

DOWNLOAD_TIMEOUT = 30
# Names resolved to IPv6 addresses too (getaddrinfo): Scrapy's default resolver asks for
# IPv4 only, so a start URL such as http://[::1]:8080/ or a host with only AAAA records
# failed as a DNS error. It caches as the default does (DNSCACHE_*), and the address check
# (SafeDestinationMiddleware) sees every address the connection may use; DNS_TIMEOUT does
# not apply to it (the system resolver's own timeout does).
TWISTED_DNS_RESOLVER = "scrapy.resolver.CachingHostnameResolver"  # (Scrapy 2.19+)
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
# A sitemap may hold 50 MB once uncompressed (sitemaps.org): a start URL (which may be a
# sitemap), one a site names, robots.txt names or a sitemap index lists may be that large,
# whatever DOWNLOAD_MAXSIZE says
NEWSCRAWL_SITEMAP_MAXSIZE = 50 * 1024 * 1024
# The links of a page beyond its first 5,000 are not followed (0: all): each costs the
# reactor about 0.2 ms, and a page of 200,000 links held a crawl for 54 s (`links_cut`).
NEWSCRAWL_MAX_PAGE_LINKS = 5000
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Scrapy's "Gave up retrying" line: the spider logs every URL that failed, once, with its
# reason (and counts it), so Scrapy's own ERROR line said it twice.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"

# Throughput (see bench/README.md, "Crawl throughput"). Scrapy starts CONCURRENT_ITEMS
# asyncio tasks for every response's output; a page yields one item, so the default 100
# mostly spends reactor time. Extraction runs in NEWSCRAWL_EXTRACT_WORKERS processes (default
# one per core), each replaced after NEWSCRAWL_EXTRACT_MAX_TASKS pages to bound its heap.
CONCURRENT_ITEMS = 16
# Response bytes waiting for the item pipelines before Scrapy stops scheduling downloads
# (Scrapy's default, 5 MB, about 28 corpus articles). The extraction workers are the
# bottleneck, and the pages waiting must outlast a batch's write, which holds the reactor
# (about 150 ms every 2 s on the bench): with 1 MB waiting, the workers ran dry during each
# write and sat idle 4.4 ms a page, 6% of their time; with 5 MB, 0.2 ms.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 5_000_000
NEWSCRAWL_EXTRACT_WORKERS = 0  # 0: one per core (`--workers`)
NEWSCRAWL_EXTRACT_FUNCTION = ""  # the job a worker runs ("": crawler.jobs.extract_job)
NEWSCRAWL_RULES: list[str] = []  # extra site-rule folders (`--rules`)
NEWSCRAWL_EXTRACT_TIMEOUT = 30.0
NEWSCRAWL_EXTRACT_MAX_TASKS = 500
NEWSCRAWL_EXTRACT_MAX_BYTES = 5 * 1024 * 1024  # a larger page is stored, not extracted
NEWSCRAWL_EXTRACTION_ENABLED = True
# Writes: one transaction per so many rows or seconds, whichever comes first.
NEWSCRAWL_BATCH_SIZE = 200
NEWSCRAWL_BATCH_SECONDS = 2.0
NEWSCRAWL_STORAGE_ENABLED = True

# 0 means unlimited; NewsSpider sets it from its ``max_depth`` argument.
DEPTH_LIMIT = 0

# REQUEST_FINGERPRINTER_IMPLEMENTATION is gone in Scrapy 2.19: the default fingerprinter is used.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "crawler.pipelines.ExtractionPipeline": 300,
    "crawler.pipelines.StoragePipeline": 800,
}

# Our own settings. NEWSCRAWL_MAX_PAGES is the default page budget when the spider gets no
# ``max_pages`` argument (0 = unlimited).
NEWSCRAWL_DB = "news.db"
NEWSCRAWL_LOCK_HELD = False  # True: the caller holds the database's lock (newscrawl crawl)
NEWSCRAWL_MAX_PAGES = 0

# No listening ports: a cron job or a timer unit needs neither Scrapy's telnet console nor
# its remote-control HTTP server (Scrapy 2.19), and every open port is one more to secure.
# `-s TELNETCONSOLE_ENABLED=1` or `-s REMOTE_CONTROL_ENABLED=1` turns one back on.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

EXTENSIONS = {
    "crawler.extensions.OneLineNetworkErrorsExtension": 100,
    "crawler.extensions.StopPromptlyExtension": 200,
    "crawler.extensions.BodySizeLimit": 300,
    "crawler.progress.ProgressExtension": 500,
}
NEWSCRAWL_PROGRESS_ENABLED = True
NEWSCRAWL_STOP_PROMPTLY = True  # on a stop, drop the requests not yet sent (they stay queued)
NEWSCRAWL_PROGRESS_INTERVAL = 60  # seconds between progress log lines when not on a terminal

# The frontier (crawler/frontier.py) in the SQLite file: resumes killed runs, fetches known
# articles only when they changed, spends the page budgets (crawler/budget.py). Below
# DepthMiddleware (900) and UrlLengthMiddleware (800), so it only records requests they let
# through, and below RefererMiddleware (700), so a page that waited for its site's listings
# keeps the Referer of the page that linked it.
SPIDER_MIDDLEWARES = {"crawler.scheduling.FrontierMiddleware": 650}
NEWSCRAWL_FRONTIER_ENABLED = True
# Requests Scrapy's scheduler holds at most (0: no limit). Page requests admitted beyond it
# stay queued in the frontier and are scheduled as the scheduler drains below half of it.
NEWSCRAWL_QUEUE_LIMIT = 2000
# Scrapy's default priority queue, finding the next priority in a heap rather than a scan of
# them all (crawler/pqueues.py): a dated entry's priority is its date to the second.
SCHEDULER_PRIORITY_QUEUE = "crawler.pqueues.DownloaderAwarePriorityQueue"
NEWSCRAWL_SKIPPED_RETRY_DAYS = 7  # a URL skipped for a passing cause is retried after
NEWSCRAWL_ONE_LINE_ERRORS_ENABLED = True

# Safety (crawler/middlewares.py; README "What newscrawl refuses by default"). Only http(s):
# the file, data, ftp and s3 handlers are switched off. A host is resolved before every
# request (each redirect hop and retry too) and refused when it is not a public address,
# unless NEWSCRAWL_ALLOW_PRIVATE (`--allow-private`) or NEWSCRAWL_ALLOWED_NETWORKS (CIDRs)
# allow it. An offsite redirect is refused in the downloader (crawler.middlewares.
# OffsiteMiddleware: not at scheduling, where Scrapy drops it without an errback; not
# waived by the dont_filter a retry sets), a redirect loop at the hop that closes it
# (RedirectLoopMiddleware), and a hop to a URL requested already is recorded when the
# duplicate filter drops it (StoragePipeline.request_dropped), so each is recorded on the
# URL that redirected; Cookie and Authorization stay with the host that set them.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's robots.txt and offsite filters, raising their own IgnoreRequest subclasses
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.OffsiteMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsTxtMiddleware": 100,
    "crawler.middlewares.SafeDestinationMiddleware": 60,  # after OffsiteMiddleware (50)
    "crawler.middlewares.RedirectLoopMiddleware": 610,  # sees a 3xx before RedirectMiddleware
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.MetaRefreshMiddleware": 580,  # where Scrapy's is
    "crawler.middlewares.RetryAfterMiddleware": 560,  # sees a 429/503 before RetryMiddleware
    "crawler.middlewares.DeadHostMiddleware": 540,  # sees a failure once its retries are spent
    "crawler.middlewares.ContentSniffMiddleware": 585,  # after decompression (590)
    "crawler.middlewares.CompleteBodyMiddleware": 595,  # before decompression (590)
    "crawler.extensions.StopPromptlyMiddleware": 990,  # last: nothing is sent once stopping
}
NEWSCRAWL_SAFE_DESTINATION_ENABLED = True
NEWSCRAWL_REDIRECT_LOOP_ENABLED = True
NEWSCRAWL_ALLOW_PRIVATE = False
NEWSCRAWL_ALLOWED_NETWORKS: list[str] = []
NEWSCRAWL_RETRY_AFTER_ENABLED = True
NEWSCRAWL_RETRY_AFTER_CODES = [429, 503]
NEWSCRAWL_RETRY_AFTER_MAX = 60.0  # seconds: a longer Retry-After is cut to this
NEWSCRAWL_BACKOFF_BASE = 1.0  # seconds: a 429/503 without Retry-After waits 1, 2, 4...
NEWSCRAWL_THROTTLE_RETRIES = 5  # retries of a throttled (429/503) URL, instead of RETRY_TIMES
# (robots.txt: RETRY_TIMES, if fewer; crawler/middlewares.py RetryAfterMiddleware)
NEWSCRAWL_DEAD_HOST_FAILURES = 3  # connection failures in a row that give a host up (0: never)
NEWSCRAWL_COMPLETE_BODY_ENABLED = True
NEWSCRAWL_CONTENT_SNIFF_ENABLED = True

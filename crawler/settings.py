"""Scrapy settings for newscrawl (``scrapy.cfg`` points here).

Only what differs from Scrapy's defaults, or what we want stated, is set. Our own settings
share the ``NEWSCRAWL_`` prefix.
"""

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

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
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

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
NEWSCRAWL_MAX_PAGES = 0

EXTENSIONS = {"crawler.extensions.OneLineNetworkErrorsExtension": 100}
NEWSCRAWL_ONE_LINE_ERRORS_ENABLED = True

"""Scrapy spiders of newscrawl (``SPIDER_MODULES``)."""

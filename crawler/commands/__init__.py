"""Scrapy commands of the project (COMMANDS_MODULE): `scrapy crawl`, as Scrapy's."""

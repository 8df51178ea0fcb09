"""`python -m crawler` is the `newscrawl` command."""

from crawler.cli import cli

cli(prog_name="newscrawl")

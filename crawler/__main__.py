"""`python -m crawler` is the `newscrawl` command."""

from crawler.entry import main

main(prog_name="newscrawl")

"""Extraction-quality evaluation of newscrawl: scoring, corpus runner, baseline gate."""

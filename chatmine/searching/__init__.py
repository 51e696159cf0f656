"""chatmine's own search index: one tokenizer, one file format, one ranking, for the site and the terminal.

terms (tokens) -> records (what is indexed) -> write (the files) -> read / query / rank (a search).
"""

"""Search over the archive, one index for the site and the terminal: one tokenizer, one file format,
one ranking.

terms (tokens) -> records (what is indexed) -> write (the files) -> read / query / rank (a search);
terminal.py is `chatmine search`.
"""

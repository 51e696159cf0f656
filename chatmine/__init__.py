"""chatmine: WeChat group archives (Jekyll markdown logs) into threads, Q&A, a site and a search."""

__version__ = "0.1.0"

"""The static site: what it shows, rendered to files and swapped in whole."""

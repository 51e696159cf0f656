"""Search over the archive, from the terminal and in the browser."""

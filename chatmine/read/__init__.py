"""Reading an archive: which files are logs, each log into records, the site's settings."""

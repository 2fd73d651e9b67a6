"""One reader per export kind."""

"""The intake store's migration revisions, oldest first."""

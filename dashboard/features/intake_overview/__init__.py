"""The intake overview page: its layout, callbacks, URL parameters and view."""

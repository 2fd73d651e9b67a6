"""The intake page: its layout, callbacks, URL parameters and view."""

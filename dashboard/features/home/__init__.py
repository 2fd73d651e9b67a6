"""The home page: its layout, callbacks, URL parameters and view."""

"""The province page: its layout, callbacks, URL parameters and view."""

"""The municipality page: its layout, callbacks, URL parameters and view."""

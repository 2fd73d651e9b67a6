"""The core map page: its layout, callbacks, URL parameters and view."""

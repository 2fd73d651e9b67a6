"""The fiche page: its layout, callbacks, URL parameters and view."""

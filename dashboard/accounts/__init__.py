"""Accounts and roles.

Who may see and change what (``access``), the accounts themselves (``users``), the login and the response
hardening of the web app (``web``).
"""

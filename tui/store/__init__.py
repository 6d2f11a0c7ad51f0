"""Persistence: the models, opening and migrating the database, transactions, exact quantities.

No business rule lives here: `tui.services` decides, the store keeps.
"""

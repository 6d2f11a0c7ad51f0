"""Services: every business rule, called alike by the CLI and the screens.

They read and write through `tui.store` (models, transactions, migrations) and use `tui.codes`
and `tui.labels`; they know nothing of Textual or click.
"""

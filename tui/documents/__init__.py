"""Documents a maker hands to people: the recall pack (CSV, spreadsheet, PDF) and customer notices.

Pure writers, like `tui.labels`: typed content in (`tui.documents.pack`), files out. They know no
store and no services; the services gather the content and call them. The PDF font is DejaVu Sans
(shipped in `fonts/`, Bitstream Vera licence with DejaVu's public-domain changes, which allows
redistribution: `fonts/LICENSE-DejaVu.txt`), so a customer's name prints in any script it covers.
"""

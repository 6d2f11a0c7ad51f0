"""Pure code logic: no I/O, no Textual, no database.

- `scan`: clean what a scanner sent (AIM identifiers, separators, control characters).
- `gtin`: GTIN check digits, forms (UPC-A = 0 + EAN-13 = GTIN-14) and allocation.
- `gs1`: GS1 element strings and Digital Link URIs, read and built.
- `sku`: SKU normalisation and suggestions.
- `lotcode`: lot codes from templates, with per-key sequence numbers.
- `commands`: command barcodes (done, cancel, undo, quantities).
- `symbols`: which modules of a barcode are dark, for the labels package to draw.
- `units`: units of measure and exact conversions (fl oz is the US fluid ounce).
- `amounts`: quantities as typed (`2.5kg`, `3case`) read against an item's unit, density and packs.
"""

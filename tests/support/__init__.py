"""What the tests share and nothing tests by itself: databases on both backends, fake printers."""

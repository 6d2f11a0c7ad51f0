"""A rendered label and its file forms: PNG (kept with every print job) and PDF (office printers).

The PNG stored with a job is the label as printed; a reprint sends that PNG again, so a reprint
is identical to the original even if a template or a product name changed since.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from tui.errors import InvalidInput
from tui.labels.sizes import LabelSize


@dataclass(frozen=True)
class RenderedLabel:
    image: Image.Image
    """Reading orientation; mode "1", or "P" (white, black, red) on black/red tape."""
    size: LabelSize
    template: str
    version: int

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.image.save(buffer, format="PNG", dpi=(self.size.dpi, self.size.dpi))
        return buffer.getvalue()

    def pdf(self, copies: int = 1) -> bytes:
        """One page per copy, at the label's physical size (the dpi sets the page size)."""
        page = self.image.convert("RGB")
        buffer = io.BytesIO()
        page.save(
            buffer,
            format="PDF",
            resolution=float(self.size.dpi),
            save_all=True,
            append_images=[page] * (copies - 1),
            title=f"Lotkeeper label ({self.template})",
        )
        return buffer.getvalue()

    def bitmap(self) -> Image.Image:
        """1-bit image (red printed as black) for printers with one colour."""
        if self.image.mode == "1":
            return self.image
        return self.image.convert("L").point(lambda v: 255 if v > 200 else 0, mode="1")


def load_png(data: bytes, size: LabelSize, template: str, version: int) -> RenderedLabel:
    """A stored label back from its PNG (a reprint or a job sent after a restart)."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"the stored label image is damaged ({exc}): print a new label instead") from exc
    return RenderedLabel(image=image, size=size, template=template, version=version)

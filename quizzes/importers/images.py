"""Files embedded in question files: only real, reasonably sized pictures become Wagtail images.

A file is opened and fully decoded with Pillow before anything is stored, with the decompression-bomb
warning made an error: a renamed text file, an MP3, a truncated JPEG or a 30 000 × 30 000 PNG is
refused with a message that names it, and the question it belongs to is not imported.
"""

from __future__ import annotations

import io
import warnings

from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000


def image_problem(name: str, data: bytes) -> str | None:
    """Why the embedded file `name` cannot become an image of the bank; None when it can."""
    if not data:
        return _("The embedded file “%(name)s” is empty.") % {"name": name}
    if len(data) > MAX_BYTES:
        return _("The embedded picture “%(name)s” is larger than 5 MB.") % {"name": name}
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in FORMATS:
                    return _("The embedded file “%(name)s” is a %(format)s picture; only JPEG, PNG, GIF and WebP are imported.") % {
                        "name": name, "format": image.format}
                if image.width * image.height > MAX_PIXELS:
                    raise Image.DecompressionBombError(name)
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _("The embedded picture “%(name)s” claims an enormous pixel size (a “decompression bomb”) and was refused.") % {"name": name}
    except UnidentifiedImageError:
        return _("The embedded file “%(name)s” is not a picture; only pictures (JPEG, PNG, GIF, WebP) can be imported.") % {"name": name}
    except (OSError, SyntaxError, EOFError, ValueError):
        return _("The embedded picture “%(name)s” is damaged or incomplete.") % {"name": name}
    return None

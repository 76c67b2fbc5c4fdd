"""Lead images: what an upload must be, and the renditions made from it.

Pillow directly (docs/decisions/0014): a rendition is a fixed set of sizes made once, when the
image is saved, and written through Django's storage under a name derived from the original's,
so its URL never changes meaning and can be cached for ever. No thumbnail library's key-value
store or first-view generation is needed for that.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

if TYPE_CHECKING:
    from minbar.news.models import Article

# Larger photos are not needed for a 1200 px page; 10 MB allows a camera JPEG as it comes.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# 40 megapixels decode to about 160 MB of memory; anything bigger is refused unread.
MAX_PIXELS = 40_000_000
# Google's news rich results and Discover want images at least 1200 px wide.
MIN_WIDTH, MIN_HEIGHT = 1200, 675
FORMATS = {"JPEG", "PNG", "WEBP"}
# Every rendition is cropped to 16:9 around the centre, so every slot has one known shape.
WIDTHS = (400, 800, 1200)
RATIO = (16, 9)
LARGEST = WIDTHS[-1]
KINDS = (("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg"))


def height_for(width: int) -> int:
    return round(width * RATIO[1] / RATIO[0])


def validate_upload(upload: File) -> None:
    """Refuse what is not a photo we can safely serve, with the reason in the reader's language.

    The pixel count is read from the header before anything is decoded, so a small file that
    would expand to gigabytes (a decompression bomb) costs nothing."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // 1024 // 1024},
            code="image_too_large",
        )
    bomb = ValidationError(
        _(
            "The image has too many pixels (over %(limit)s million): it may be a decompression "
            "bomb. Upload a smaller photo."
        )
        % {"limit": MAX_PIXELS // 1_000_000},
        code="image_bomb",
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise bomb
            kind = image.format
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise bomb from exc
    except ValidationError:
        raise
    except Exception as exc:
        raise ValidationError(
            _("This file is not an image we can read (JPEG, PNG or WebP)."), code="image_invalid"
        ) from exc
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            _("Upload a JPEG, PNG or WebP image (this one is %(kind)s).") % {"kind": kind},
            code="image_type",
        )
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValidationError(
            _("The image must be at least %(w)s×%(h)s pixels (this one is %(width)s×%(height)s).")
            % {"w": MIN_WIDTH, "h": MIN_HEIGHT, "width": width, "height": height},
            code="image_small",
        )


def rendition_name(original: str, *, width: int, ext: str) -> str:
    key = hashlib.sha256(original.encode()).hexdigest()[:20]
    return f"renditions/{key}-{width}.{ext}"


def make_renditions(original: str) -> list[str]:
    """Write the renditions of the stored image `original` that do not exist yet; returns the
    names written. Safe to run again (nothing is redone) and from several processes."""
    wanted = [
        (width, ext, fmt)
        for width in WIDTHS
        for ext, fmt, _type in KINDS
        if not default_storage.exists(rendition_name(original, width=width, ext=ext))
    ]
    if not wanted:
        return []
    with default_storage.open(original, "rb") as handle:
        source: Image.Image = Image.open(handle)
        source = ImageOps.exif_transpose(source)
        source = source.convert("RGB")
    written: list[str] = []
    for width, ext, fmt in wanted:
        frame = ImageOps.fit(source, (width, height_for(width)), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        options = {"quality": 80, "method": 4} if fmt == "WEBP" else {"quality": 82}
        frame.save(buffer, fmt, optimize=True, progressive=fmt == "JPEG", **options)
        name = rendition_name(original, width=width, ext=ext)
        default_storage.save(name, ContentFile(buffer.getvalue()))
        written.append(name)
    return written


@dataclass(frozen=True)
class LeadImage:
    alt: str
    caption: str
    credit: str
    webp_srcset: str
    jpeg_srcset: str
    src: str  # the middle JPEG, for browsers that read neither srcset
    thumb: str  # the smallest JPEG, for cards
    thumb_webp: str
    # The largest JPEG: {"url", "width", "height", "type"} for OpenGraph and JSON-LD.
    large: dict[str, Any]

    width: int = LARGEST
    height: int = height_for(LARGEST)


def lead_image(article: Article) -> LeadImage | None:
    # A file field is false exactly when its name is empty.
    name = article.image.name
    if not name:
        return None

    def url(width: int, ext: str) -> str:
        return default_storage.url(rendition_name(name, width=width, ext=ext))

    def srcset(ext: str) -> str:
        return ", ".join(f"{url(w, ext)} {w}w" for w in WIDTHS)

    return LeadImage(
        alt=article.image_alt,
        caption=article.image_caption,
        credit=article.image_credit,
        webp_srcset=srcset("webp"),
        jpeg_srcset=srcset("jpg"),
        src=url(WIDTHS[1], "jpg"),
        thumb=url(WIDTHS[0], "jpg"),
        thumb_webp=url(WIDTHS[0], "webp"),
        large={
            "url": url(LARGEST, "jpg"),
            "width": LARGEST,
            "height": height_for(LARGEST),
            "type": "image/jpeg",
        },
    )

"""Uploaded pictures: checked and stripped of metadata by Pillow, resized into renditions for `srcset`.

Files are read and written through Django's default storage only, so any storage backend works.
A rendition's name is derived from its original's ("articles/2026/a.jpg" at 800 pixels is
"renditions/articles/2026/a-800w.webp" and "...-800w.jpg"), so no table lists them.
"""

import io
import posixpath
import re
import warnings
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.crypto import get_random_string
from PIL import Image, ImageOps, UnidentifiedImageError

from . import jobs

# Widths of a lead image's renditions (never wider than the upload), and the sides of an author's square photo.
LEAD_WIDTHS = (480, 800, 1200, 1600)
PHOTO_SIZES = (96, 192, 384)
# Pillow format -> file extension of what we store.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_FORMATS = {"webp": "WEBP", "jpg": "JPEG"}
QUALITY = 82
# Shapes we can show. WebP holds at most 16,383 pixels a side; a lead image's widest rendition is 1,600
# pixels, so an image at most 10 times as tall as it is wide always fits (1,600 x 16,000).
MAX_SIDE = 16_383
MAX_ASPECT_RATIO = 10


class Sources(NamedTuple):
    """What an <img>/<picture> needs: a WebP and a JPEG srcset, a fallback src and the intrinsic size."""

    webp: str
    jpeg: str
    src: str
    width: int | None
    height: int | None


def check_shape(width: int, height: int) -> None:
    """Raise ValidationError unless an image of `width` x `height` pixels can be shown and resized."""
    size = {"width": f"{width:,}", "height": f"{height:,}"}
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise ValidationError(
            "This image is %(width)s × %(height)s pixels, too %(shape)s to show: its longer side may be at most "
            "%(ratio)s times its shorter side. Please crop it.", code="extreme_aspect_ratio",
            params={**size, "ratio": MAX_ASPECT_RATIO, "shape": "tall and narrow" if height > width else "wide and short"},
        )
    if max(width, height) > MAX_SIDE:
        raise ValidationError(
            "This image is %(width)s × %(height)s pixels; each side may be at most %(limit)s pixels. "
            "Please upload a smaller version.", code="side_too_long", params={**size, "limit": f"{MAX_SIDE:,}"},
        )


def check(file) -> None:
    """Raise ValidationError unless `file` is a JPEG, PNG or WebP image of a size we can safely decode."""
    if file.size is not None and file.size > settings.IMAGES_MAX_BYTES:
        raise ValidationError(
            "This file is %(size)s MB; images up to %(limit)s MB are accepted.", code="file_too_large",
            params={"size": round(file.size / 1e6, 1), "limit": settings.IMAGES_MAX_BYTES // 1_000_000},
        )
    too_many_pixels = ValidationError(
        "This image has too many pixels to process safely (the limit is %(limit)s megapixels). "
        "Please upload a smaller version.", code="too_many_pixels",
        params={"limit": settings.IMAGES_MAX_PIXELS // 1_000_000},
    )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns past Image.MAX_IMAGE_PIXELS and raises DecompressionBombError at twice that.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                if image.format not in FORMATS:
                    raise ValidationError(
                        "Upload a JPEG, PNG or WebP image; this file is %(format)s.", code="unsupported_format",
                        params={"format": image.format},
                    )
                if image.width * image.height > settings.IMAGES_MAX_PIXELS:
                    raise too_many_pixels
                check_shape(image.width, image.height)
                image.load()  # decode it all now, so a truncated file is refused here and not on save
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except UnidentifiedImageError:
        raise ValidationError(
            "This file is not an image. Upload a JPEG, PNG or WebP picture.", code="not_an_image") from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError("This image is damaged or incomplete; please export it again.", code="damaged_image") from None
    finally:
        file.seek(0)


class ImageFormField(forms.ImageField):
    """An image upload field whose refusals say what is wrong (too many pixels, not an image, ...)."""

    def to_python(self, data):
        if data:
            check(data)
        return super().to_python(data)


def without_metadata(file) -> ContentFile:
    """Return the image re-encoded upright and without EXIF (GPS, camera) or other metadata."""
    file.seek(0)
    with Image.open(file) as original:
        check_shape(original.width, original.height)  # an upload that did not come through ImageFormField
        image_format = original.format
        image = ImageOps.exif_transpose(original)  # keep the orientation the camera recorded, then drop the tag
    image.info = {}
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
    else:
        image.save(out, image_format)
    stem = posixpath.splitext(posixpath.basename(file.name))[0]
    return ContentFile(out.getvalue(), name=f"{stem}.{FORMATS[image_format]}")


def rendition_name(name: str, width: int, extension: str) -> str:
    """Return where the rendition of the stored image `name` at `width` pixels lives."""
    return f"renditions/{posixpath.splitext(name)[0]}-{width}w.{extension}"


def lead_widths(width: int | None) -> list[int]:
    """Return the rendition widths of a lead image `width` pixels wide (no upscaling)."""
    if not width:
        return [LEAD_WIDTHS[0]]
    return sorted({min(w, width) for w in LEAD_WIDTHS})


def _encode(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    if image_format == "JPEG":
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image.convert("RGB").save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode or image.mode == "P" else "RGB")
        image.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def make_renditions(name: str, widths, *, square: bool = False) -> list[str]:
    """Write the WebP and JPEG renditions of the stored image `name`; return their names."""
    with default_storage.open(name) as stored, Image.open(stored) as original:
        return _write_renditions(original, name, widths, square=square)


def _write_renditions(original: Image.Image, name: str, widths, *, square: bool) -> list[str]:
    original.load()
    made = []
    for width in widths:
        if square:
            resized = ImageOps.fit(original, (width, width), Image.Resampling.LANCZOS)
        else:
            height = max(1, round(original.height * width / original.width))
            resized = original.resize((width, height), Image.Resampling.LANCZOS)
        for extension, image_format in RENDITION_FORMATS.items():
            target = rendition_name(name, width, extension)
            if default_storage.exists(target):
                default_storage.delete(target)
            made.append(default_storage.save(target, ContentFile(_encode(resized, image_format))))
    return made


def delete_renditions(name: str) -> int:
    """Delete every rendition of the stored image `name`; return how many were deleted."""
    if not name:
        return 0
    folder, stem = posixpath.split(rendition_name(name, 0, "x"))
    stem = stem[: -len("-0w.x")]
    pattern = re.compile(re.escape(stem) + r"-\d+w\.(?:webp|jpg)\Z")
    try:
        _, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    doomed = [f for f in files if pattern.match(f)]
    for filename in doomed:
        default_storage.delete(posixpath.join(folder, filename))
    return len(doomed)


def prepare_upload(instance, field_name: str) -> str | None:
    """Before a save: strip a new upload's metadata. Return the image name it replaces, or None if unchanged."""
    file = getattr(instance, field_name)
    previous = ""
    if instance.pk:
        rows = type(instance)._default_manager.filter(pk=instance.pk).values_list(field_name, flat=True)
        previous = next(iter(rows), "") or ""
    if file and not file._committed:  # a file just uploaded, not yet in storage
        clean = without_metadata(file)
        clean.name = _name_of_its_own(instance, field_name, clean.name)
        setattr(instance, field_name, clean)
        return previous
    return previous if (file.name or "") != previous else None


def _name_of_its_own(instance, field_name: str, filename: str) -> str:
    """Return `filename`, with a random suffix if an image stored beside it has the same stem.

    Renditions are named by the stem alone, so "a.jpg" uploaded beside "a.png" would overwrite its renditions.
    """
    folder, basename = posixpath.split(instance._meta.get_field(field_name).generate_filename(instance, filename))
    stem, extension = posixpath.splitext(basename)
    try:
        taken = {posixpath.splitext(f)[0] for f in default_storage.listdir(folder)[1]}
    except (FileNotFoundError, NotADirectoryError):
        return basename
    name = stem
    while name in taken:
        name = f"{stem}_{get_random_string(7)}"  # as Storage.get_alternative_name does
    return name + extension


def replace_renditions(*, old: str, new: str, widths, square: bool = False) -> None:
    """After a save that changed an image: make the new one's renditions, then drop the old image once committed.

    The old image and its renditions are deleted only when the transaction that saved the change commits, so
    a page never points at missing files. If a rendition cannot be made, what was stored of the new image is
    deleted and the error raised: the transaction rolls back to the old image, whose files are untouched.

    An image of more than IMAGES_JOB_PIXELS is resized by a job once the change commits (on a worker, the
    request does not wait for it), which then deletes the old image.
    """
    if new:
        try:
            with default_storage.open(new) as stored, Image.open(stored) as original:
                if original.width * original.height > settings.IMAGES_JOB_PIXELS:
                    jobs.enqueue("healthsite.tasks.make_renditions", new, list(widths), square, old or "")
                    return
                _write_renditions(original, new, widths, square=square)
        except Exception:
            discard(new)
            raise
    if old and old != new:
        transaction.on_commit(lambda: discard(old), robust=True)


def discard(name: str) -> None:
    """Delete the stored image `name` and every rendition of it."""
    delete_renditions(name)
    default_storage.delete(name)


def absolute_url(name: str) -> str:
    """Return the address of a stored file as others need it (feeds, OpenGraph): with scheme and host."""
    url = default_storage.url(name)
    return settings.SITE_URL + url if url.startswith("/") else url


def share_url(name: str, widths) -> str:
    """Return the absolute address of the JPEG rendition best for sharing (about 1200 pixels wide)."""
    width = max((w for w in widths if w <= 1200), default=min(widths))
    return absolute_url(rendition_name(name, width, "jpg"))


def sources(name: str, widths, *, width: int | None = None, height: int | None = None) -> Sources:
    """Return the srcsets of the stored image `name`'s renditions (see make_renditions)."""
    def srcset(extension):
        return ", ".join(f"{default_storage.url(rendition_name(name, w, extension))} {w}w" for w in widths)

    fallback = max((w for w in widths if w <= 800), default=min(widths))
    return Sources(
        webp=srcset("webp"), jpeg=srcset("jpg"), src=default_storage.url(rendition_name(name, fallback, "jpg")),
        width=width, height=height,
    )

"""Pictures of questions: Moodle's `@@PLUGINFILE@@/name` files ⇄ Wagtail images in rich text.

On import each picture becomes a Wagtail image in a collection named after the question's category
(one picture imported twice is stored once: images are found again by their SHA-1), and each
`<img src="@@PLUGINFILE@@/name" alt=…>` becomes Wagtail's `<embed embedtype="image" …/>`. On export
the embeds become `<img src="@@PLUGINFILE@@/name">` again with the file's bytes beside them.
"""

from __future__ import annotations

import html
import io
import re
from urllib.parse import quote, unquote

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from .models import QuestionCategory

IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTR = re.compile(r'(\w+)="([^"]*)"')
EMBED = re.compile(r"<embed\b[^>]*/?>", re.IGNORECASE)


class ImageStore:
    def __init__(self):
        self.collections: dict[int, Collection] = {}
        self.by_hash: dict[tuple[int, str], object] = {}
        self.written: list[str] = []  # files put in storage by this import, deleted if it is rolled back

    def discard_written_files(self) -> None:
        """Delete the picture files this import wrote: a rolled-back import leaves no orphan on disk."""
        Image = get_image_model()
        storage = Image._meta.get_field("file").storage
        for name in self.written:
            storage.delete(name)
        self.written.clear()

    def collection(self, category: QuestionCategory) -> Collection:
        if category.pk not in self.collections:
            root = Collection.get_first_root_node()
            name = category.path[:255]
            found = root.get_children().filter(name=name).first()
            collection = self.collections[category.pk] = found or root.add_child(name=name)
            # The collection's pictures in one query, so re-importing a bank with a picture per question
            # does not look each one up.
            for image in get_image_model().objects.filter(collection=collection).exclude(file_hash="").order_by("pk"):
                self.by_hash.setdefault((collection.pk, image.file_hash), image)
        return self.collections[category.pk]

    def image(self, *, name: str, data: bytes, alt: str, category: QuestionCategory):
        collection = self.collection(category)
        digest = hash_filelike(io.BytesIO(data))
        key = (collection.pk, digest)
        if key not in self.by_hash:
            filename = name.rsplit("/", 1)[-1] or "image"
            image = get_image_model()(title=(alt or filename)[:255], collection=collection, file=ImageFile(io.BytesIO(data), name=filename))
            image._set_image_file_metadata()
            try:
                image.save()
            finally:  # the file is written before the row: remember it even if the row's insert fails
                if image.file.name and getattr(image.file, "_committed", False):
                    self.written.append(image.file.name)
            self.by_hash[key] = image
        return self.by_hash[key]

    def embed(self, texts: list[str], *, files: dict[str, bytes], category: QuestionCategory) -> list[str]:
        """`texts` with each @@PLUGINFILE@@ picture replaced by a Wagtail image embed."""

        def replace(match: re.Match) -> str:
            attrs = {k.lower(): html.unescape(v) for k, v in ATTR.findall(match.group(0))}
            src = attrs.get("src", "")
            if not src.startswith("@@PLUGINFILE@@/"):
                return match.group(0)
            name = unquote(src[len("@@PLUGINFILE@@/"):])
            if name not in files:
                return match.group(0)
            alt = attrs.get("alt") or name.rsplit("/", 1)[-1]
            image = self.image(name=name, data=files[name], alt=alt, category=category)
            return f'<embed alt="{html.escape(alt)}" embedtype="image" format="fullwidth" id="{image.pk}"/>'

        return [IMG.sub(replace, text) for text in texts]


def plugin_files(texts: list[str]) -> tuple[list[str], dict[str, bytes]]:
    """Image embeds → `<img src="@@PLUGINFILE@@/name" alt=…>` and the files by name (one query)."""
    ids = {int(a["id"]) for text in texts for m in EMBED.finditer(text)
           if (a := dict(ATTR.findall(m.group(0)))).get("embedtype") == "image" and a.get("id", "").isdigit()}
    images = {image.pk: image for image in get_image_model().objects.filter(pk__in=ids)} if ids else {}
    files: dict[str, bytes] = {}

    def replace(match: re.Match) -> str:
        attrs = dict(ATTR.findall(match.group(0)))
        image = images.get(int(attrs["id"])) if attrs.get("embedtype") == "image" and attrs.get("id", "").isdigit() else None
        if image is None:
            return ""
        name = f"{image.pk}-{image.file.name.rsplit('/', 1)[-1]}"
        with image.open_file() as fh:
            files[name] = fh.read()
        return f'<img src="@@PLUGINFILE@@/{quote(name)}" alt="{attrs.get("alt", "")}">'

    return [EMBED.sub(replace, text) for text in texts], files

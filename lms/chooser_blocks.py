"""Snippet choosers that reuse the snippets this request already read (lms.request_cache)."""

from __future__ import annotations

import copy

from wagtail.snippets.blocks import SnippetChooserBlock

from .request_cache import recall


class RememberingSnippetChooserBlock(SnippetChooserBlock):
    """Wagtail's snippet chooser; reading a stream's blocks asks the database only for snippets not read yet."""

    def bulk_to_python(self, values):
        known = recall(self.model_class, [pk for pk in values if pk is not None])
        missing = [pk for pk in values if pk is not None and pk not in known]
        objects = {**known, **(self.model_class.objects.in_bulk(missing) if missing else {})}
        result, seen = [], set()
        for pk in values:
            obj = objects.get(pk)
            # As Wagtail does: the same snippet twice in a stream is two objects; a remembered one is copied
            # too, so a block changing its value never changes what the reader that remembered it holds.
            if obj is not None and (pk in seen or pk in known):
                obj = copy.copy(obj)
            result.append(obj)
            seen.add(pk)
        return result

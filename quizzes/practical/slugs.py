"""Pinyin slugs for practice pages.

The lesson 栏目设置 teaches “访问地址使用小写拼音、数字和连字符”, but Wagtail fills a slug from the title by
keeping the Chinese characters (or, with unicode slugs off, by dropping them and leaving nothing). Practice
pages therefore turn an empty or Chinese slug into hyphenated pinyin (招商引资动态 → zhao-shang-yin-zi-dong-tai),
unique among the page's siblings: in the model (whatever saves the page), in the admin form (so its
“already in use” check sees the real address) and, through a small endpoint, in the editor as the title is typed.
"""

from __future__ import annotations

from django.utils.text import slugify
from pypinyin import Style, lazy_pinyin
from wagtail.admin.forms import WagtailAdminPageForm

# Long titles make unreadable addresses; cut at a syllable boundary below this.
MAX_LENGTH = 80


def needs_pinyin(slug: str | None) -> bool:
    """True for an empty slug or one with characters other than ASCII (Chinese, full-width punctuation)."""
    return not slug or not slug.isascii()


def pinyin_slug(text: str) -> str:
    """Lower-case pinyin, numbers and hyphens for `text`; "" when nothing in it can be spelt."""
    # lazy_pinyin gives one item per Chinese character and keeps other runs (“2026”, “Expo ”, “：”) whole;
    # slugify then drops the punctuation and folds the separators into single hyphens.
    syllables = lazy_pinyin(text or "", style=Style.NORMAL, errors="default")
    slug = slugify("-".join(syllables)).strip("-_")
    if len(slug) > MAX_LENGTH:
        slug = slug[:MAX_LENGTH].rsplit("-", 1)[0].strip("-_")
    return slug


def free_slug(base: str, *, parent, page=None) -> str:
    """`base`, or `base-2`, `base-3`… : the first address not taken by another child of `parent`."""
    from wagtail.models import Page

    base = base or "page"
    candidate, suffix = base, 1
    while not Page._slug_is_available(candidate, parent, page):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


def slug_for(*, slug: str | None, title: str, parent, page=None) -> str:
    """The slug a practice page should get: `slug` if already ASCII, else the pinyin of it (or of the title)."""
    if not needs_pinyin(slug):
        return slug
    return free_slug(pinyin_slug(slug or title) or pinyin_slug(title), parent=parent, page=page)


class PinyinSlugMixin:
    """For practice page models: an empty or Chinese slug becomes pinyin before Wagtail validates or saves."""

    def _set_core_field_defaults(self):
        # Wagtail's own hook for “fill the slug from the title” (called by full_clean, minimal_clean and so
        # by save): it runs before the per-field checks, once the parent is known, so siblings can be compared.
        parent_is_known = bool(self.path or getattr(self, "_cached_parent_obj", None))
        if parent_is_known and needs_pinyin(self.slug) and (self.slug or self.title):
            self.slug = slug_for(slug=self.slug, title=self.title, parent=self.get_parent(), page=self if self.pk else None)
        super()._set_core_field_defaults()


class PinyinSlugPageForm(WagtailAdminPageForm):
    """The admin form of practice pages: the slug may be left empty, and a Chinese one is turned into pinyin."""

    def __init__(self, *args, **kwargs):
        from django.urls import reverse

        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is not None:
            slug.required = False
            # Read by quizzes/pinyin-slug.js, which asks the server for the pinyin as the title is typed.
            slug.widget.attrs["data-pinyin-slug-url"] = reverse("practice_pinyin_slug")
            if self.parent_page is not None:
                slug.widget.attrs["data-pinyin-slug-parent"] = str(self.parent_page.pk)
            if self.instance.pk:
                slug.widget.attrs["data-pinyin-slug-page"] = str(self.instance.pk)

    def clean(self):
        title = self.cleaned_data.get("title")
        if "slug" in self.cleaned_data and title and self.parent_page is not None:
            self.cleaned_data["slug"] = slug_for(
                slug=self.cleaned_data["slug"], title=title, parent=self.parent_page, page=self.instance if self.instance.pk else None
            )
        return super().clean()

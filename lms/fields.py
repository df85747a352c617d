"""Model fields shared by every app."""

from wagtail.fields import RichTextField

from .sanitize import clean_rich_text


class SafeRichTextField(RichTextField):
    """Rich text cleaned on the way out (every value read from the database) and on the way in, like SafeRichTextBlock.

    Cleaning on save alone is not enough: rows written before, by an import, by a data migration or by SQL
    never went through it. Reading through here means every template, serializer and export sees clean markup.
    """

    def from_db_value(self, value, expression, connection):
        return clean_rich_text(value) if value else value

    def to_python(self, value):
        value = super().to_python(value)
        return clean_rich_text(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return clean_rich_text(value) if value else value

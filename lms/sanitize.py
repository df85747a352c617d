"""Rich text is cleaned on its way in and out: only the markup the editor itself produces survives.

The Wagtail editor never produces <script> or event handlers, but rich text also arrives by other roads
(imports, the API, data loaded by hand), so the blocks do not trust their input.
"""

import re

import nh3

# The editor's markup, in Wagtail's database format: <a linktype="page" id="3">, <embed embedtype="image" …/>,
# and data-block-key on block elements.
TAGS = set(nh3.ALLOWED_TAGS) | {"embed"}
ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "hreflang", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}


# nh3 writes void elements HTML-style (<embed …>), but Wagtail only expands <embed …/> (its FIND_EMBED_TAG
# wants the slash): without it every image in cleaned rich text would vanish from the page.
_EMBED_WITHOUT_SLASH = re.compile(r"<embed(\b[^>]*?)\s*/?>")


def clean_rich_text(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        generic_attribute_prefixes={"data-"},
        link_rel=None,
        url_schemes={"http", "https", "mailto", "tel"},
    )
    return _EMBED_WITHOUT_SLASH.sub(r"<embed\1/>", cleaned)

"""Serving a page without asking the database for the site or the site's home page.

Wagtail finds the site of every request with a query (site and home page joined), loads the home page's
specific type, then routes from it. The sites change almost never: they are kept in the cache (cleared when
a site is saved or deleted, see apps.py), and the requested page is found by its URL path under the
site's root, whose path Wagtail itself keeps in the cache (`Site.get_site_root_paths`).
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from .request_cache import share_site_root_paths, site_root_paths

SITES_CACHE_KEY = "lms:wagtail-sites"

MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT, MATCH_DEFAULT, MATCH_HOSTNAME = range(4)


def forget_sites(**kwargs) -> None:
    cache.delete(SITES_CACHE_KEY)


def _all_sites() -> list[Site]:
    sites = cache.get(SITES_CACHE_KEY)
    if sites is None:
        # Without their home pages: a cached page would go stale when edited; these are only the site rows.
        sites = list(Site.objects.order_by("pk"))
        cache.set(SITES_CACHE_KEY, sites, 3600)
    return sites


def site_for_request(request) -> Site | None:
    """The site Wagtail's `Site.find_for_request` would choose (same rules as `get_site_for_hostname`), from the cache."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    try:
        port = int(port)
    except (TypeError, ValueError):
        pass

    def match(site):
        if site.hostname == hostname and site.port == port:
            return MATCH_HOSTNAME_PORT
        if site.hostname == hostname and site.is_default_site:
            return MATCH_HOSTNAME_DEFAULT
        return MATCH_DEFAULT if site.is_default_site else MATCH_HOSTNAME

    sites = sorted((s for s in _all_sites() if s.hostname == hostname or s.is_default_site), key=match)
    if not sites:
        return None
    if len(sites) == 1 or match(sites[0]) in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return sites[0]
    return sites[len(sites) == 2]


def _routes_like_a_page(page) -> bool:
    """Whether the page answers for its own URL as `Page.route` does: Wagtail's own `route`, or one that declares
    it only finds its descendants faster (`routes_by_url_path`, e.g. the home page) and serves itself as Wagtail would."""
    return type(page).route is Page.route or getattr(type(page), "routes_by_url_path", False)


def route_by_url_path(request, *, root_url_path: str, path_components: list[str], root: Page | None = None):
    """The route Wagtail's slug-by-slug walk would reach, found in one lookup by URL path; None to walk instead.

    Every page type under our sites keeps Wagtail's own routing (none overrides `route` or has sub-routes),
    so the page whose url_path is the request path is the page Wagtail would reach."""
    if not path_components:
        return None
    target = root_url_path + "/".join(path_components) + "/"
    parent_path = root_url_path + "".join(f"{slug}/" for slug in path_components[:-1])
    wanted = {target} if root is not None and parent_path == root_url_path else {target, parent_path}
    pages = Page.objects.filter(url_path__in=wanted)
    if root is not None:
        pages = pages.filter(path__startswith=root.path)
    # The rows as Wagtail's Page (one query), then only the requested page in its own type (one more): the parent
    # stays a plain Page, as treebeard's get_parent() gives it; a page needing its parent's own fields asks for them.
    pages = list(pages)
    found = {page.url_path: page for page in pages}
    if len(found) < len(pages):
        return None  # two pages share a URL path (e.g. translations of a root): let Wagtail walk the tree
    page = found.get(target)
    if page is None:
        return None
    page = page.specific
    share_site_root_paths(page, *pages)
    if not _routes_like_a_page(page):
        return None
    parent = found.get(parent_path, root)
    if parent is not None:
        # Treebeard's get_parent() uses this instead of another query.
        page._cached_parent_obj = parent
    return page.route(request, [])  # Http404 when the page is not live


class PageRouteMiddleware:
    """Before Wagtail serves a page: the site from the cache, the page by its URL path (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or hasattr(request, "_wagtail_route_for_request"):
            return None
        site = site_for_request(request)
        if site is None:
            return None
        request._wagtail_site = site
        # `{% pageurl %}` and `page.get_url(request)` read the root paths from the request: one cache read in all.
        share_site_root_paths(request)
        root_url_path = next((root.root_path for root in site_root_paths() if root.site_id == site.pk), None)
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        if root_url_path is None:
            return None
        try:
            route = route_by_url_path(request, root_url_path=root_url_path, path_components=[c for c in path.split("/") if c])
        except Http404:
            return None  # Wagtail walks the tree and answers 404 itself
        if route is not None:
            request._wagtail_route_for_request = route
        return None

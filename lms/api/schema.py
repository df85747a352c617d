def exclude_wagtail_admin_api(endpoints):
    """Keep Wagtail's own admin API out of our OpenAPI schema: it is not ours to document."""
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith("/admin/")]

"""Outward channels. Each `send_*` returns an `Outcome`; none raises for what the far end answers."""

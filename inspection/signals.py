"""Signals other apps listen to (notifications): sent after the transaction that opened or closed an item commits."""

from django.dispatch import Signal

rectification_opened = Signal()  # kwargs: item (Rectification)
rectification_closed = Signal()  # kwargs: item (Rectification)

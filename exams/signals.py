"""Signals other apps (notifications) listen to; each is sent after the transaction that caused it commits.

- `sitting_scheduled(sitting)`: a sitting was created (not a make-up).
- `makeup_scheduled(sitting)`: a make-up (补考) was created; `sitting.parent` is the sitting it makes up for.
- `sitting_opened(sitting)`: the invitations were computed at opening; `selectors.invitees(sitting)` lists them.
"""

from django.dispatch import Signal

sitting_scheduled = Signal()
makeup_scheduled = Signal()
sitting_opened = Signal()

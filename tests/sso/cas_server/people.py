"""The CAS server's user store: Django auth users for the passwords, cas_server's UserAttributes for what it
releases about them (the service pattern chooses which attributes, under which names)."""

from cas_server.auth import DjangoAuthUser
from cas_server.models import UserAttributes


class DirectoryUser(DjangoAuthUser):
    def attributs(self):
        if self.user is None:
            return {}
        row = UserAttributes.objects.filter(username=self.username).first()
        return {"uid": self.username, **(row.attributs if row else {})}

"""Single sign-on (统一身份认证): OIDC, CAS and LDAP sign-in linked to the training roster.

Depends on lms (people, roles, audit log); lms never imports it. Switched on by the environment
(lms/settings/sso.py)."""

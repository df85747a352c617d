// A real OpenID Provider for the single sign-on tests (node's oidc-provider), on 127.0.0.1 only.
// Everything comes from the environment the test sets: PORT, OIDC_CLIENTS (client metadata), OIDC_JWKS (the
// private signing keys, so a test can also forge tokens signed by this provider's key), OIDC_ACCOUNTS
// (claims per login name). Its built-in development sign-in page accepts any login name: the account's
// claims (phone_number, employee_no, groups) are what the academy matches on.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: JSON.parse(process.env.OIDC_CLIENTS),
  jwks: JSON.parse(process.env.OIDC_JWKS),
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...(accounts[id] || {}) };
      },
    };
  },
  claims: {
    openid: ['sub'],
    profile: ['name'],
    phone: ['phone_number', 'phone_number_verified'],
    employee: ['employee_no'],
    groups: ['groups'],
  },
  scopes: ['openid', 'profile', 'phone', 'employee', 'groups', 'offline_access'],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${port}`));

// A real OpenID Connect provider for the sign-in tests: the certified `oidc-provider` package.
//
// Usage: node provider.mjs CONFIG_JSON   (started by tests/oidc_provider.py)
// CONFIG_JSON: {"clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris,
//               id_token_ttl?}], "accounts": {"login": {email, email_verified, name, groups}},
//               "claims_in_id_token": true}
// Listens on a free port of 127.0.0.1 and prints one line of JSON: {"issuer": "http://..."}.
// The sign-in page is our own (no third-party assets): any password is accepted for a login
// listed in "accounts"; an unknown login gets the page again with an error.
import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2] || '{}');
const accounts = config.accounts || {};
const ttls = Object.fromEntries((config.clients || []).map((c) => [c.client_id, c.id_token_ttl]));

const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function readForm(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: (config.clients || []).map(({ id_token_ttl: _ttl, ...client }) => ({
      grant_types: ['authorization_code'], response_types: ['code'], ...client,
    })),
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    conformIdTokenClaims: config.claims_in_id_token === false,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page('Sign out', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`);
        },
        postLogoutSuccessSource: async (ctx) => { ctx.body = page('Signed out', '<p>You are signed out.</p>'); },
      },
    },
    pkce: { required: () => true },
    ttl: { IdToken: (ctx, token, client) => ttls[client.clientId] || 3600 },
    async findAccount(ctx, sub) {
      if (!accounts[sub]) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...accounts[sub] }) };
    },
    async loadExistingGrant(ctx) {  // first-party clients: no consent screen
      const { client, session } = ctx.oidc;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Error', Object.entries(out).map(([k, v]) => `<p>${esc(k)}: ${esc(v)}</p>`).join(''));
    },
  });
  provider.proxy = false;
  const handle = provider.callback();

  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) return handle(req, res);
    try {
      let error = '';
      if (req.method === 'POST' && match[2]) {
        const form = await readForm(req);
        const login = form.get('login') || '';
        if (accounts[login]) {
          await provider.interactionFinished(req, res, { login: { accountId: login } },
            { mergeWithLastSubmission: false });
          return undefined;
        }
        error = `<p role="alert">Unknown user ${esc(login)}.</p>`;
      }
      const details = await provider.interactionDetails(req, res);
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(page('Demo identity provider', `${error}
<form method="post" action="/interaction/${esc(details.uid)}/login">
<p><label for="login">User name</label> <input id="login" name="login" autocomplete="off"></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password"></p>
<p><button type="submit">Sign in</button></p></form>`));
    } catch (err) {
      res.statusCode = 400;
      res.end(page('Error', `<p>${esc(err.message)}</p>`));
    }
    return undefined;
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

// A real OpenID Connect provider for VIK's tests: the certified `oidc-provider` package,
// with a sign-in page (user name and password), a consent page and RP-initiated logout.
// For tests only — never a production identity provider.
//
// Configuration from the environment:
//   OIDC_TEST_PORT                 port on 127.0.0.1 (the issuer is http://127.0.0.1:PORT)
//   OIDC_TEST_CLIENT_ID / _SECRET  the one client (VIK)
//   OIDC_TEST_REDIRECT_URI         VIK's callback
//   OIDC_TEST_POST_LOGOUT_URI      where the provider sends the browser after signing out
//   OIDC_TEST_ACCOUNTS             a JSON file: { login: { password, mfa, claims: {...} } }
// An account with "mfa": true signs in with amr ["pwd", "otp"] and acr "urn:vik:test:mfa".

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required`);
    process.exit(2);
  }
  return value;
};

const port = Number(env('OIDC_TEST_PORT'));
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(readFileSync(env('OIDC_TEST_ACCOUNTS'), 'utf8'));

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: env('OIDC_TEST_CLIENT_ID'),
      client_secret: env('OIDC_TEST_CLIENT_SECRET'),
      redirect_uris: [env('OIDC_TEST_REDIRECT_URI')],
      post_logout_redirect_uris: [env('OIDC_TEST_POST_LOGOUT_URI')],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  claims: {
    openid: ['sub', 'amr'],
    profile: ['name', 'given_name', 'family_name'],
    email: ['email'],
    vik: ['employee_number', 'groups'],
  },
  acrValues: ['urn:vik:test:pwd', 'urn:vik:test:mfa'],
  conformIdTokenClaims: false, // the ID token carries the claims, as Entra ID's does
  cookies: { keys: ['vik-test-provider-only'] },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accounts[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
  },
});
provider.proxy = false;

const readForm = (req) => new Promise((resolve, reject) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => resolve(new URLSearchParams(body)));
  req.on('error', reject);
});

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (req.method === 'GET' && prompt.name === 'login') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page('Sign in at the test provider', `
<form method="post" action="/interaction/${escape(uid)}">
  <label>User name <input name="login" autocomplete="off" autofocus></label>
  <label>Password <input name="password" type="password"></label>
  <button type="submit">Sign in</button>
</form>`));
    return;
  }
  if (req.method === 'GET' && prompt.name === 'consent') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page('Allow access', `
<p>${escape(params.client_id)} asks for: ${escape(params.scope)}</p>
<form method="post" action="/interaction/${escape(uid)}">
  <button type="submit" name="consent" value="yes">Allow</button>
  <button type="submit" name="consent" value="no">Deny</button>
</form>`));
    return;
  }
  const form = await readForm(req);
  if (prompt.name === 'login') {
    const login = form.get('login') || '';
    const account = accounts[login];
    if (!account || account.password !== form.get('password')) {
      res.statusCode = 401;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(page('Sign in at the test provider', '<p>Wrong user name or password.</p>'));
      return;
    }
    const mfa = Boolean(account.mfa);
    await provider.interactionFinished(req, res, {
      login: {
        accountId: login,
        amr: mfa ? ['pwd', 'otp'] : ['pwd'],
        acr: mfa ? 'urn:vik:test:mfa' : 'urn:vik:test:pwd',
      },
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (form.get('consent') !== 'yes') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'The person did not allow access',
    }, { mergeWithLastSubmission: false });
    return;
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
    mergeWithLastSubmission: true,
  });
}

const handle = provider.callback();
createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.statusCode = 400;
      res.end(`interaction failed: ${error.message}`);
    });
    return;
  }
  handle(req, res);
}).listen(port, '127.0.0.1', () => {
  console.log(`oidc test provider ready at ${issuer}`);
});

/**
 * The sign-in bar of the bundled GraphiQL (gateway/graphiql.ts), run in the browser before GraphiQL
 * starts. `hubSignIn(options)` returns GraphiQL's options with the stored credential as headers of
 * every HTTP request (the schema fetch included) and as graphql-ws connection parameters.
 *
 * A value with three dot-separated base64url parts is a JWT, sent as `Authorization: Bearer …`
 * (a pasted "Bearer " prefix is dropped); anything else is a partner API key, sent as `x-api-key`.
 * The JWT's claims are decoded only to show who is signed in and until when; the gateway verifies it.
 * Signing in or out reloads the page, so GraphiQL fetches the schema again with the new credential.
 */

export const GRAPHIQL_CREDENTIAL_KEY = 'precision-hub.graphiql.credential';

export const GRAPHIQL_SIGN_IN_STYLE = `
  body { display: flex; flex-direction: column; height: 100vh; margin: 0; }
  #root { flex: 1; min-height: 0; }
  #root > .graphiql-container { height: 100%; width: 100%; }
  .hub-sign-in { display: flex; align-items: center; gap: 8px; padding: 6px 12px; font: 14px system-ui, sans-serif;
    background: #0b3954; color: #fff; flex: none; }
  .hub-sign-in input { flex: 1; max-width: 640px; padding: 4px 8px; font: 13px ui-monospace, monospace; }
  .hub-sign-in button { padding: 4px 12px; font: inherit; cursor: pointer; }
  .hub-sign-in .hub-problem { color: #ffd166; }
`;

export const GRAPHIQL_SIGN_IN_SCRIPT = String.raw`
function hubSignIn(options) {
  var KEY = ${JSON.stringify(GRAPHIQL_CREDENTIAL_KEY)};
  var form = document.getElementById('hub-sign-in');
  var JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

  function claimsOf(token) {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part + '==='.slice((part.length + 3) % 4)));
    } catch (e) {
      return {};
    }
  }
  function headersOf(credential) {
    return JWT.test(credential) ? { authorization: 'Bearer ' + credential } : { 'x-api-key': credential };
  }
  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    for (var name in attributes) node.setAttribute(name, attributes[name]);
    if (text) node.textContent = text;
    form.appendChild(node);
    return node;
  }
  function showSignIn(problem) {
    form.replaceChildren();
    element('label', { for: 'hub-credential' }, 'Sign in to load the schema and run operations:');
    var input = element('input', { id: 'hub-credential', type: 'password', placeholder: 'bearer token (JWT) or API key', autocomplete: 'off', 'aria-label': 'Bearer token or API key', autofocus: '' });
    element('button', { type: 'submit' }, 'Sign in');
    if (problem) element('span', { class: 'hub-problem', role: 'alert' }, problem);
    form.onsubmit = function (event) {
      event.preventDefault();
      var credential = input.value.trim().replace(/^Bearer\s+/i, '');
      if (!credential) return;
      sessionStorage.setItem(KEY, credential);
      location.reload();
    };
  }
  function showSignedIn(credential) {
    form.replaceChildren();
    var who = 'API key';
    if (JWT.test(credential)) {
      var claims = claimsOf(credential);
      who = (claims.sub || 'unknown') + ' (' + (claims.role || 'no role') + (claims.org ? ', ' + claims.org : '') + ')';
      if (typeof claims.exp === 'number') who += ' until ' + new Date(claims.exp * 1000).toLocaleString();
    }
    element('span', { 'data-testid': 'hub-signed-in' }, 'Signed in as ' + who);
    element('button', { type: 'button' }, 'Sign out').onclick = function () {
      sessionStorage.removeItem(KEY);
      location.reload();
    };
  }

  // GraphiQL opens a new empty tab on a load whose URL names no query unless one of its stored tabs
  // matches the query and variables it is given: give it the active tab's, so reloading (signing in
  // or out) keeps the tabs as they were.
  if (!new URL(location.href).searchParams.get('query')) {
    try {
      var tabs = JSON.parse(localStorage.getItem('graphiql:tabState') || 'null');
      var active = tabs && tabs.tabs && tabs.tabs[tabs.activeTabIndex];
      if (active && typeof active.query === 'string') options = Object.assign({}, options, { query: active.query, variables: active.variables || undefined });
    } catch (e) {
      // unreadable stored tabs: GraphiQL starts afresh
    }
  }

  var credential = sessionStorage.getItem(KEY);
  var problem;
  if (credential && JWT.test(credential)) {
    var exp = claimsOf(credential).exp;
    if (typeof exp === 'number' && exp * 1000 <= Date.now()) {
      sessionStorage.removeItem(KEY);
      credential = null;
      problem = 'Your token expired: paste a new one.';
    }
  }
  if (!credential) {
    showSignIn(problem);
    // Nothing is sent without credentials (every gateway request needs them): say what to do instead.
    return Object.assign({}, options, {
      fetcher: function () {
        return Promise.resolve({ errors: [{ message: 'Not signed in: paste a bearer token or API key in the bar above to load the schema and run operations.' }] });
      },
    });
  }
  showSignedIn(credential);
  var headers = headersOf(credential);
  return Object.assign({}, options, { additionalHeaders: headers, connectionParams: headers });
}
`;

// The console's calls: the query API is this page's own origin, the command API is found by one
// rule (apiBase). The token comes from the fragment (`#token=<jwt>`), is kept for the tab in
// sessionStorage and the fragment is cleared, so it stays neither in the address bar nor the history.

const tokenKey = 'membership-token';
const apiKey = 'membership-command-api';

/** `api=<origin>` in the fragment, or in the query string (the accept link's fragment is its token). */
export function rememberApi() {
  const given = new URLSearchParams(location.hash.slice(1)).get('api') ?? new URLSearchParams(location.search).get('api');
  if (given) sessionStorage.setItem(apiKey, new URL(given).origin);
}

export function readFragment() {
  rememberApi();
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('token')) sessionStorage.setItem(tokenKey, fragment.get('token'));
  if (fragment.has('token') || fragment.has('api')) history.replaceState(null, '', location.pathname + location.search);
}

export const token = () => sessionStorage.getItem(tokenKey);
export const saveToken = (value) => sessionStorage.setItem(tokenKey, value);

/**
 * The command API's origin: `api=<origin>` when given (rememberApi); otherwise this page's origin
 * with port 3000 when the page is served on 3001 (the two APIs' default ports), or this page's own
 * origin on any other port (one host name in front of both APIs). Whatever the rule finds, the
 * page's Content-Security-Policy refuses an origin the server was not configured with.
 */
export function apiBase() {
  const given = sessionStorage.getItem(apiKey);
  if (given) return given;
  if (location.port !== '3001') return location.origin;
  const url = new URL(location.origin);
  url.port = '3000';
  return url.origin;
}

/** A refusal of either API, from its application/problem+json body when it has one. */
export class Problem extends Error {
  constructor(status, body) {
    super(body?.title ? `${body.title}${body.detail ? `: ${body.detail}` : ''}` : `HTTP ${status}`);
    this.status = status;
    this.code = body?.code;
    this.title = body?.title ?? `HTTP ${status}`;
    this.detail = body?.detail;
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
  }

  /** One line for the page: title, detail and each field error. */
  describe() {
    const fields = this.errors.map((e) => `${e.path ?? e.field ?? ''} ${e.message ?? ''}`.trim());
    return [this.message, ...fields].join(' · ');
  }
}

async function problemOf(response) {
  const type = response.headers.get('content-type') ?? '';
  const body = /json/.test(type) ? await response.json().catch(() => undefined) : undefined;
  return new Problem(response.status, body);
}

/** `base` '' is the query API (this origin), else the command API; `bearer: false` sends no token. */
export async function call(base, path, { method = 'GET', body, bearer = true, headers = {}, raw = false } = {}) {
  const sent = { ...headers };
  if (bearer) sent.authorization = `Bearer ${token()}`;
  if (body !== undefined) sent['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw await problemOf(response);
  if (raw) return response;
  return response.status === 204 ? undefined : response.json();
}

export const query = (path, options) => call('', path, options);
export const command = (path, options) => call(apiBase(), path, { method: 'POST', ...options });

/** Builds an element; strings are text nodes, so names and emails never become markup. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined || value === null) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

export const $ = (id) => document.getElementById(id);

/** Shows a message in the page's status line; a Problem is shown with its title and field errors. */
export function say(message, isError = false) {
  const status = $('status');
  status.textContent = message instanceof Problem ? message.describe() : message instanceof Error ? message.message : message;
  if (isError) status.dataset.error = 'true'; else delete status.dataset.error;
}

// The invitation's accept page (the link of the mail, INVITATION_ACCEPT_URL): the token is in the
// fragment, which no browser sends to a server (`?api=<origin>` in INVITATION_ACCEPT_URL names the
// command API when the rule of api.js does not find it); it is posted once to the command API's
// POST /v1/invitations/accept, without a bearer token (the token is the credential).
import { Problem, apiBase, call, rememberApi, say } from './api.js';

async function accept() {
  const invitation = new URLSearchParams(location.hash.slice(1)).get('token');
  rememberApi();
  // Out of the address bar and the history: the token works once, but until then it is a key.
  history.replaceState(null, '', location.pathname + location.search);
  if (!invitation) {
    say('This link has no invitation token: open the link of your invitation mail as it is.', true);
    document.body.dataset.accepted = 'false';
    return;
  }
  try {
    await call(apiBase(), '/v1/invitations/accept', { method: 'POST', body: { token: invitation }, bearer: false });
    say('Welcome! Your membership is active.');
    document.body.dataset.accepted = 'true';
  } catch (error) {
    say(error instanceof Problem ? error.title : error, true);
    if (error instanceof Problem && error.code) document.body.dataset.code = error.code;
    document.body.dataset.accepted = 'false';
  }
}

accept();

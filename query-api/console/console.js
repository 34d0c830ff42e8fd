// The admin console: the tenant's members (search, filter, paging, bulk status changes, detail,
// CSV export), invitations, and live status changes. No dependencies, no build step; it calls only
// the public APIs with the user's token (`#token=<jwt>`, see api.js for `#api=`).
import { $, readFragment, saveToken, say, token } from './api.js';
import { installInvitations, loadInvitations } from './invitations.js';
import { followMembers } from './live.js';
import { installMembers, memberChanged, reload } from './members.js';

async function start() {
  readFragment();
  if (!token()) {
    say('Paste a tenant token (npm run token -- --tenant <id> --role admin).');
    $('token-form').hidden = false;
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      saveToken(String(new FormData(event.target).get('token')));
      location.reload();
    });
    return;
  }
  installMembers();
  installInvitations();
  $('content').hidden = false;
  // The stream first: a change made while the list is read is applied to its row (by revision).
  void followMembers(memberChanged);
  try {
    await reload();
    say('Ready.');
    document.body.dataset.loaded = 'true';
  } catch (error) {
    say(error, true);
    document.body.dataset.loaded = 'error';
  }
  // Staff may read members but not invitations: that refusal is shown and the rest still works.
  await loadInvitations().catch((error) => say(error, true));
}

start();

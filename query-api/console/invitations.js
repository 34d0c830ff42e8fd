// Invitations: the invite form (POST /v1/invitations) and the pending invitations with resend and
// revoke (GET /v1/invitations?status=pending, a read model of this API).
import { $, command, el, query, say } from './api.js';

const reported = (action) => (...args) => action(...args).catch((error) => say(error, true));

function rowOf(invitation) {
  const act = (verb) => reported(async () => {
    const { position } = await command(`/v1/invitations/${encodeURIComponent(invitation.invitationId)}/${verb}`);
    say(`Invitation ${invitation.email ?? invitation.invitationId}: ${verb === 'resend' ? 'sent again' : 'revoked'}`);
    await loadInvitations(position);
  });
  return el('tr', { 'data-invitation-id': invitation.invitationId },
    el('td', {}, invitation.email ?? '—'),
    el('td', {}, invitation.status),
    el('td', {}, invitation.sentAt?.slice(0, 16).replace('T', ' ') ?? '—'),
    el('td', {}, invitation.expiresAt.slice(0, 16).replace('T', ' ')),
    el('td', {},
      el('button', { type: 'button', class: 'resend', onclick: act('resend') }, 'Resend'), ' ',
      el('button', { type: 'button', class: 'revoke', onclick: act('revoke') }, 'Revoke')));
}

/** After a change of ours, `position` (its receipt's) makes the read wait until the list has it. */
export async function loadInvitations(position) {
  const headers = position === undefined ? {} : { 'x-consistency-position': String(position) };
  const { items } = await query('/v1/invitations?status=pending', { headers });
  $('invitations').tBodies[0].replaceChildren(...items.map(rowOf));
  $('no-invitations').hidden = items.length > 0;
}

async function invite(event) {
  event.preventDefault();
  const form = event.target;
  const data = new FormData(form);
  const body = Object.fromEntries(['email', 'firstName', 'lastName'].map((name) => [name, String(data.get(name)).trim()]));
  const membershipTypeId = String(data.get('membershipTypeId') ?? '').trim();
  if (membershipTypeId) body.membershipTypeId = membershipTypeId;
  const invited = await command('/v1/invitations', { body });
  form.reset();
  say(`Invited ${body.email}: the link works until ${invited.expiresAt.slice(0, 16).replace('T', ' ')} UTC`);
  $('invite').dataset.invitationId = invited.invitationId;
  await loadInvitations(invited.position);
}

export function installInvitations() {
  $('invite').addEventListener('submit', reported(invite));
  $('refresh-invitations').addEventListener('click', reported(() => loadInvitations()));
}

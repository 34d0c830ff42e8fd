// The member list: search and status filter, cursor paging ("More"), row selection, bulk status
// changes with each refused row marked, a member's detail, and the CSV export.
import { $, Problem, command, el, query, say } from './api.js';

const rows = new Map(); // memberId → { member, tr }
const reported = (action) => (...args) => action(...args).catch((error) => say(error, true));
let nextCursor = null;
let total = 0;

function filterParams() {
  const form = new FormData($('filter'));
  const params = new URLSearchParams();
  const q = String(form.get('q') ?? '').trim();
  if (q) params.set('q', q);
  if (form.get('status')) params.set('status', String(form.get('status')));
  return params;
}

/** Whether a member read alone (a live change of a row not shown) belongs in the list as filtered. */
function matchesFilter(member) {
  const params = filterParams();
  if (params.get('status') && member.status !== params.get('status')) return false;
  const q = params.get('q')?.toLowerCase();
  return !q || [member.email, member.firstName, member.lastName, `${member.firstName} ${member.lastName}`].some((text) => text.toLowerCase().includes(q));
}

function statusCell(member) {
  return el('td', { class: 'status', 'data-status': member.status }, member.status);
}

function rowOf(member) {
  const tr = el('tr', { 'data-member-id': member.memberId },
    el('td', {}, el('input', { type: 'checkbox', class: 'select', 'aria-label': `Select ${member.firstName} ${member.lastName}`, onchange: selectionChanged })),
    el('td', {}, el('button', { type: 'button', class: 'link', onclick: reported(() => showDetail(member.memberId)) }, `${member.firstName} ${member.lastName}`)),
    el('td', {}, member.email),
    statusCell(member),
    el('td', { class: 'result' }));
  return tr;
}

function put(member, { first = false } = {}) {
  const known = rows.get(member.memberId);
  if (known) {
    // A stale read (the list was read before a live change arrived) never undoes a newer status.
    if (member.revision < known.member.revision) return;
    known.member = member;
    known.tr.querySelector('td.status').replaceWith(statusCell(member));
    return;
  }
  const tr = rowOf(member);
  rows.set(member.memberId, { member, tr });
  const body = $('members').tBodies[0];
  if (first) body.prepend(tr); else body.append(tr);
}

function showCounts() {
  $('total').textContent = `${rows.size} of ${total} shown`;
  $('more').hidden = !nextCursor;
}

async function loadPage(cursor) {
  const params = filterParams();
  if (cursor) params.set('cursor', cursor);
  const page = await query(`/v1/members?${params}`);
  for (const member of page.items) put(member);
  nextCursor = page.nextCursor;
  total = page.total;
  showCounts();
}

/** Reads the list again from the first page, as the filter now says. */
export async function reload() {
  rows.clear();
  $('members').tBodies[0].replaceChildren();
  $('select-all').checked = false;
  selectionChanged();
  await loadPage(null);
}

function selected() {
  return [...rows.values()].filter(({ tr }) => tr.querySelector('input.select').checked).map(({ member }) => member.memberId);
}

function selectionChanged() {
  const count = selected().length;
  $('selected-count').textContent = `${count} selected`;
  $('bulk').querySelector('button').disabled = count === 0;
}

async function applyBulk(event) {
  event.preventDefault();
  const form = new FormData($('bulk'));
  const memberIds = selected();
  const reason = String(form.get('reason') ?? '').trim();
  const { results } = await command('/v1/members/bulk', { body: { action: form.get('action'), memberIds, ...(reason ? { reason } : {}) } });
  let refused = 0;
  for (const result of results) {
    const row = rows.get(result.memberId);
    if (!row) continue;
    const cell = row.tr.querySelector('td.result');
    cell.textContent = result.ok ? 'done' : result.code ?? 'refused';
    cell.dataset.ok = String(result.ok);
    if (!result.ok) refused += 1;
    else row.tr.querySelector('input.select').checked = false;
  }
  selectionChanged();
  say(`${form.get('action')}: ${results.length - refused} done, ${refused} refused`, refused > 0);
}

async function showDetail(memberId) {
  const member = await query(`/v1/members/${encodeURIComponent(memberId)}`);
  const subscription = member.subscription;
  const facts = [
    ['Name', `${member.firstName} ${member.lastName}`], ['Email', member.email], ['Status', member.status],
    ['Membership type', member.membershipTypeName ?? '—'], ['Member since', member.createdAt.slice(0, 10)],
    ['Last activity', member.lastActivityAt?.slice(0, 10) ?? '—'],
    ['Subscription', subscription ? `${subscription.status} (${subscription.billing}, ${subscription.interval})` : 'none'],
    ...(subscription ? [['Monthly amount', `${(subscription.monthlyAmountCents / 100).toFixed(2)} ${subscription.currency}`],
      ['Period ends', subscription.periodEnd.slice(0, 10)]] : []),
  ];
  $('detail-facts').replaceChildren(...facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, String(value))]));
  $('detail').dataset.memberId = memberId;
  $('detail').hidden = false;
}

async function exportCsv() {
  const response = await query(`/v1/members/export.csv?${filterParams()}`, { raw: true });
  const url = URL.createObjectURL(await response.blob());
  const link = el('a', { href: url, download: 'members.csv' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A live change: the row's status changes in place; a member not shown is read and added if the filter keeps it. */
export async function memberChanged(change) {
  const known = rows.get(change.memberId);
  if (known) {
    if (change.revision > known.member.revision) put({ ...known.member, status: change.status, revision: change.revision });
    return;
  }
  let member;
  try {
    // The stream sends a change once the read model has it: this read sees it.
    member = await query(`/v1/members/${encodeURIComponent(change.memberId)}`);
  } catch (error) {
    if (error instanceof Problem && error.status === 404) return;
    throw error;
  }
  if (!rows.has(member.memberId) && matchesFilter(member)) {
    total += 1;
    put(member, { first: true });
    showCounts();
  } else if (rows.has(member.memberId)) put(member);
}

export function installMembers() {
  $('filter').addEventListener('submit', (event) => { event.preventDefault(); reported(reload)(); });
  $('filter').querySelector('select').addEventListener('change', reported(reload));
  $('more').addEventListener('click', reported(() => loadPage(nextCursor)));
  $('bulk').addEventListener('submit', reported(applyBulk));
  $('export').addEventListener('click', reported(exportCsv));
  $('close-detail').addEventListener('click', () => { $('detail').hidden = true; });
  $('select-all').addEventListener('change', () => {
    for (const { tr } of rows.values()) tr.querySelector('input.select').checked = $('select-all').checked;
    selectionChanged();
  });
}

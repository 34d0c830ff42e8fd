// The analytics dashboard: reads the query API's analytics routes with a tenant token and draws
// them. No dependencies, no build step. The token comes from `#token=…` (kept for the tab in
// sessionStorage, never sent anywhere but this API); `?to=YYYY-MM-DD` sets the last day shown.

const $ = (id) => document.getElementById(id);
const day = 86_400_000;
const iso = (time) => new Date(time).toISOString().slice(0, 10);

function token() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('membership-token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('membership-token');
}

async function get(path, bearer) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${bearer}` } });
  const body = await response.json();
  if (!response.ok) throw new Error(`${body.title ?? response.status}: ${body.detail ?? ''}`);
  return body;
}

const money = (cents, currency) => currency ? `${(cents / 100).toFixed(2)} ${currency}` : '—';
const percent = (rate) => `${Math.round(rate * 100)}%`;

function line(svg, values) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? 300 / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(95 - (v / max) * 90).toFixed(1)}`).join(' ');
  svg.innerHTML = `<polyline points="${points}"></polyline><text x="2" y="10" font-size="8">${max}</text>`;
  svg.dataset.values = values.join(',');
}

function retentionTable(retention) {
  const periods = Math.max(0, ...retention.cohorts.map((c) => c.retained.length));
  $('retention').tHead.innerHTML = `<tr><th>Cohort</th><th>Size</th>${Array.from({ length: periods }, (_, n) => `<th>M${n}</th>`).join('')}</tr>`;
  $('retention').tBodies[0].innerHTML = retention.cohorts.map((c) => `<tr data-cohort="${c.cohort}"><th>${c.cohort}</th><td>${c.size}</td>${
    c.rates.map((rate, n) => `<td data-period="${n}" title="${c.retained[n]} of ${c.size}" style="background: hsl(222 70% ${97 - rate * 50}%)">${percent(rate)}</td>`).join('')}</tr>`).join('');
}

// The MRR chart: above, MRR at each month's end (a line); below, each month's movements stacked
// around zero, new, expansion and reactivation up, contraction and churn down (one scale for all
// months, so bars compare). A month's bars add up to its change of MRR.
const gains = ['newCents', 'expansionCents', 'reactivationCents'];
const losses = ['contractionCents', 'churnCents'];
const kind = (key) => key.replace('Cents', '');
const sum = (m, keys) => keys.reduce((total, key) => total + m[key], 0);

function revenueChart(svg, data) {
  const rows = data.months;
  const width = 600 / Math.max(1, rows.length);
  const maxMrr = Math.max(1, ...rows.map((m) => m.mrrCents));
  const maxMove = Math.max(1, ...rows.map((m) => Math.max(sum(m, gains), sum(m, losses))));
  const zero = 135;
  const scale = (cents) => (cents / maxMove) * 58;
  const bars = rows.map((m, i) => {
    const x = i * width + 4;
    const stack = (keys, direction) => {
      let edge = zero;
      return keys.map((key) => {
        const height = scale(m[key]);
        const y = direction < 0 ? edge - height : edge;
        edge += direction * height;
        return height > 0 ? `<rect class="${kind(key)}" x="${x}" y="${y.toFixed(1)}" width="${width - 8}" height="${height.toFixed(1)}"></rect>` : '';
      }).join('');
    };
    const title = `${m.month}: MRR ${money(m.mrrCents, data.currency)}; ${[...gains, ...losses].map((key) => `${kind(key)} ${money(m[key], data.currency)}`).join(', ')}`;
    return `<g data-month="${m.month}" ${[...gains, ...losses].map((key) => `data-${kind(key)}="${m[key]}"`).join(' ')}><title>${title}</title>`
      + `${stack(gains, -1)}${stack(losses, 1)}<text x="${x}" y="212" font-size="9">${m.month}</text></g>`;
  });
  const points = rows.map((m, i) => `${(i * width + width / 2).toFixed(1)},${(60 - (m.mrrCents / maxMrr) * 50).toFixed(1)}`).join(' ');
  svg.innerHTML = `<line class="zero" x1="0" x2="600" y1="${zero}" y2="${zero}"></line>${bars.join('')}`
    + `<polyline class="mrr" points="${points}"></polyline><text x="2" y="9" font-size="8">MRR ${money(maxMrr, data.currency)}</text>`;
  svg.dataset.mrr = rows.map((m) => m.mrrCents).join(',');
}

function revenue(data) {
  const rows = data.months;
  const ratios = (m) => `net MRR churn ${m.netMrrChurn === null ? '—' : percent(m.netMrrChurn)}, quick ratio ${m.quickRatio === null ? '—' : m.quickRatio.toFixed(2)}`;
  $('revenue').tBodies[0].innerHTML = rows.map((m) => `<tr data-month="${m.month}" title="${ratios(m)}"><th>${m.month}</th>${
    [m.mrrCents, m.newCents, m.expansionCents, m.reactivationCents, m.contractionCents, m.churnCents].map((v) => `<td>${money(v, data.currency)}</td>`).join('')}</tr>`).join('');
  revenueChart($('chart-revenue'), data);
  $('net-mrr-churn').textContent = data.netMrrChurn === null ? '—' : percent(data.netMrrChurn);
  $('quick-ratio').textContent = data.quickRatio === null ? '—' : data.quickRatio.toFixed(2);
}

async function show(bearer) {
  const to = new URLSearchParams(location.search).get('to') ?? iso(Date.now());
  const end = Date.parse(`${to}T00:00:00Z`);
  // The first day of the month eleven months before `to`'s: twelve months with it.
  const yearAgo = iso(Date.UTC(new Date(end).getUTCFullYear(), new Date(end).getUTCMonth() - 11, 1));
  const [overview, daily, weekly, monthly, retention, money12] = await Promise.all([
    get('/v1/analytics/overview', bearer),
    get(`/v1/analytics/engagement?interval=day&from=${iso(end - 89 * day)}&to=${to}`, bearer),
    get(`/v1/analytics/engagement?interval=week&from=${iso(end - 181 * day)}&to=${to}`, bearer),
    get(`/v1/analytics/engagement?interval=month&from=${yearAgo}&to=${to}`, bearer),
    get(`/v1/analytics/retention?from=${yearAgo}&to=${to}&mode=on`, bearer),
    get(`/v1/analytics/revenue?from=${yearAgo}&to=${to}`, bearer),
  ]);
  $('total-members').textContent = overview.totalMembers;
  $('active-this-month').textContent = overview.activeThisMonth;
  $('mrr').textContent = money(overview.monthlyRevenueCents, overview.currency);
  $('retention-rate').textContent = percent(overview.retentionRate);
  for (const key of ['dau', 'wau', 'mau']) $(key).textContent = daily[key];
  $('stickiness').textContent = percent(daily.stickiness);
  $('as-of').textContent = `as of ${to}`;
  line($('chart-daily'), daily.series.map((p) => p.activeMembers));
  line($('chart-weekly'), weekly.series.map((p) => p.activeMembers));
  line($('chart-monthly'), monthly.series.map((p) => p.activeMembers));
  retentionTable(retention);
  revenue(money12);
  $('content').hidden = false;
  $('status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  document.body.dataset.loaded = 'true';
}

async function start() {
  const bearer = token();
  if (!bearer) {
    $('status').textContent = 'Paste a tenant token (npm run token -- --tenant <id> --role owner).';
    $('token-form').hidden = false;
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem('membership-token', new FormData(event.target).get('token'));
      location.reload();
    });
    return;
  }
  try {
    await show(bearer);
  } catch (error) {
    $('status').textContent = error.message;
    $('status').dataset.error = 'true';
    document.body.dataset.loaded = 'error';
  }
}

start();

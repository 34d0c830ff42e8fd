// Live updates (DESIGN §12): a single-use ticket from POST /v1/stream/tickets opens GET /v1/stream.
// EventSource's own reconnection would present the spent ticket again, so on any error the stream
// is closed and reopened with a new ticket and `lastEventId=` (the last change seen), which the
// server resumes after: no change is missed across a reconnection.
import { $, query } from './api.js';

const retryMs = [500, 1000, 2000, 5000, 10_000];

export function followMembers(onChange) {
  let lastEventId = null;
  let failures = 0;
  const state = (value) => {
    document.body.dataset.live = value;
    $('live').textContent = value === 'open' ? 'live' : value;
  };

  async function open() {
    state('connecting');
    let ticket;
    try {
      ({ ticket } = await query('/v1/stream/tickets', { method: 'POST' }));
    } catch {
      return retry();
    }
    const params = new URLSearchParams({ ticket });
    if (lastEventId !== null) params.set('lastEventId', lastEventId);
    const source = new EventSource(`/v1/stream?${params}`);
    source.addEventListener('open', () => {
      failures = 0;
      state('open');
    });
    source.addEventListener('member', (event) => {
      lastEventId = event.lastEventId || lastEventId;
      Promise.resolve(onChange(JSON.parse(event.data))).catch(() => undefined);
    });
    source.addEventListener('error', () => {
      source.close();
      retry();
    });
  }

  function retry() {
    state('reconnecting');
    setTimeout(open, retryMs[Math.min(failures, retryMs.length - 1)]);
    failures += 1;
  }

  return open();
}

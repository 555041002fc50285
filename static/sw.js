/* Seva Portal's service worker, served at /sw.js (seva.views.service_worker) so that it
 * controls the whole portal. What it does and why: docs/offline.md.
 *
 * - Static files: hashed names (production) from its cache first, they never change; plain
 *   names (tests, `make run`) from the network first, the cache when there is none.
 * - The pages a coordinator needs to report without a network (the landing page, the report
 *   form, the form's htmx fragments: a task's number inputs, his district's seats, mandals and
 *   booths): from the network first, kept for when there is none. These hold personal data:
 *   they live in their own cache, which the pages empty at sign-out and on any signed-out page.
 * - A report form posted while the network drops: kept in the queue (static/js/queue.js) and
 *   the form shown again, saying so, instead of the browser's "no internet" page.
 * - Background Sync ("seva-reports"): the queue is sent when the network returns.
 */
importScripts('/static/js/queue.js');

const STATIC_CACHE = 'seva-static-v1';
const PAGES_CACHE = 'seva-pages';
const FORM_URL = self.SevaQueue.FORM_URL;
const PAGES = new Set(['/', FORM_URL]);
const FRAGMENTS = new Set([
  '/activities/metric-fields/',
  '/assembly-seats/options/',
  '/mandals/options/',
  '/booths/options/',
]);
// The parameters that decide a fragment's content; htmx also sends the field's own current
// value, and the booth search text (filtered here when offline).
const KEY_PARAMS = ['task', 'district', 'assembly_seat'];
const HASHED = /\.[0-9a-f]{12}\.\w+$/;

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== STATIC_CACHE && name !== PAGES_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })()
  );
});

/* The cache key of a page or fragment: its path and the parameters that matter, sorted. */
function pageKey(url) {
  if (PAGES.has(url.pathname)) return url.origin + url.pathname;
  if (!FRAGMENTS.has(url.pathname)) return null;
  const params = new URLSearchParams();
  for (const name of KEY_PARAMS) {
    const value = url.searchParams.get(name);
    if (value) params.set(name, value);
  }
  // A chosen seat decides the mandals and booths whatever district the form also sends (the
  // booth picker includes the district for its district-wide search; the warm-up asks by seat).
  if (params.has('assembly_seat')) params.delete('district');
  return `${url.origin}${url.pathname}?${params}`;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && request.mode === 'navigate' && url.pathname === FORM_URL) {
    event.respondWith(postReport(event));
    return;
  }
  if (request.method !== 'GET') return;
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(HASHED.test(url.pathname) ? cacheFirst(request) : networkFirst(request, request.url, url));
    return;
  }
  const key = pageKey(url);
  if (key) event.respondWith(networkFirst(request, key, url));
});

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request, key, url) {
  const cacheName = url.pathname.startsWith('/static/') ? STATIC_CACHE : PAGES_CACHE;
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    // Only a page as it is (not a redirect to the sign-in page, not an error page), and a
    // seat's whole booth list, not one search's answer.
    const whole = !(url.searchParams.get('q') || '').trim();
    if (whole && response.status === 200 && response.type === 'basic' && !response.redirected) {
      await cache.put(key, response.clone());
    }
    return response;
  } catch (offline) {
    const hit = await cache.match(key);
    if (!hit) throw offline;
    const search = (url.searchParams.get('q') || '').trim();
    return url.pathname === '/booths/options/' && search ? filterOptions(hit, search) : hit;
  }
}

/* Offline booth search: the seat's cached booths whose text contains what was typed. */
async function filterOptions(response, search) {
  const needle = search.toLocaleLowerCase();
  const lines = (await response.text()).split('\n');
  const kept = lines.filter((line) => !/value="\d/.test(line) || line.toLocaleLowerCase().includes(needle));
  return new Response(kept.join('\n'), { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

/* The report form posted: to the server when there is a network; when the network drops, into
   the queue, and back to the form, which says the report waits on the phone. */
async function postReport(event) {
  const copy = event.request.clone();
  try {
    return await fetch(event.request);
  } catch (offline) {
    const fields = [...(await copy.formData()).entries()].map(([name, value]) => [name, String(value)]);
    const user = await self.SevaQueue.getUser();
    if (!user) throw offline;
    const report = self.SevaQueue.report(fields, user);
    await self.SevaQueue.put(report);
    await askForSync();
    return Response.redirect(`${FORM_URL}?queued=${encodeURIComponent(report.uuid)}`, 303);
  }
}

async function askForSync() {
  try {
    if (self.registration.sync) await self.registration.sync.register('seva-reports');
  } catch (unsupported) {
    // No Background Sync: the pages send on `online` and on the next visit.
  }
}

async function tellPages(result) {
  for (const client of await self.clients.matchAll({ type: 'window' })) {
    client.postMessage({ type: 'seva-queue', result: { stored: result.stored.length, refused: result.refused.length } });
  }
}

self.addEventListener('sync', (event) => {
  if (event.tag !== 'seva-reports') return;
  event.waitUntil(
    (async () => {
      const result = await self.SevaQueue.flush();
      await tellPages(result);
      // Still no network: fail, so the browser tries again later. Signed out: the next
      // sign-in sends them.
      if (result.offline && result.waiting) throw new Error('offline');
    })()
  );
});

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'clear-personal') event.waitUntil(caches.delete(PAGES_CACHE));
  if (data.type === 'sync') event.waitUntil(askForSync());
});

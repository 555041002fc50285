/* Seva Portal: the small behaviours of every page (docs/offline.md).
 *
 * 1. A form sent by POST shows that it is sending and cannot be sent twice.
 * 2. The service worker (/sw.js) is registered, and what the report form needs offline is
 *    fetched once through it.
 * 3. The report form: a draft that survives a reload or a closed tab; without a network a
 *    report goes into the phone's queue (static/js/queue.js); a report the server refused
 *    comes back into the form with its errors.
 * 4. The queue: "waiting to send (N)" and its reports on every page, sent on the `online`
 *    event, on each visit and by Background Sync.
 * 5. Signing out sends what waits first (or warns), then empties the caches of personal data.
 * The words come from the page (templates/partials/offline.html), in the user's language.
 */
(function () {
  'use strict';

  const body = document.body;
  const words = (document.getElementById('seva-words') || {}).dataset || {};
  const user = body.dataset.user || '';
  const reportUrl = body.dataset.reportUrl || '';
  const Queue = window.SevaQueue;
  const PAGES_CACHE = 'seva-pages';
  const DRAFT_KEY = `seva-draft-${user}`;
  const WARM_KEY = `seva-warm-${user}`;
  const WARM_HOURS = 6;
  const say = (text, n) => (text || '').replace('{n}', n);

  /* 1. Submit once ----------------------------------------------------------------------- */

  const SUBMITS = 'button:not([type]), button[type=submit], input[type=submit]';

  // On the document, so that a form's own handler (the offline queue) runs first and may take
  // the submission over (defaultPrevented).
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (event.defaultPrevented || form.method.toLowerCase() !== 'post') return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = '1';
    const submitter = event.submitter;
    // After the browser has read the form: a disabled button's name=value would not be sent.
    setTimeout(() => {
      for (const button of form.querySelectorAll(SUBMITS)) button.disabled = true;
      if (submitter && submitter.tagName === 'BUTTON' && words.sending) {
        submitter.dataset.label = submitter.textContent;
        submitter.textContent = words.sending;
        submitter.setAttribute('aria-busy', 'true');
      }
    }, 0);
  });

  function release(form) {
    delete form.dataset.sending;
    for (const button of form.querySelectorAll(SUBMITS)) {
      button.disabled = false;
      if (button.dataset.label !== undefined) {
        button.textContent = button.dataset.label;
        delete button.dataset.label;
        button.removeAttribute('aria-busy');
      }
    }
  }

  // Back to a page kept in the back-forward cache: its forms can be sent again.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) document.querySelectorAll('form[data-sending]').forEach(release);
  });

  /* Signed out (a sign-in page, a session gone): no page of the last user may stay cached. */
  if (!user) {
    if ('caches' in window) caches.delete(PAGES_CACHE);
    return;
  }
  if (!Queue || !('indexedDB' in window)) return;
  Queue.setUser(user);

  /* 4. The queue on the page --------------------------------------------------------------- */

  const panel = document.getElementById('seva-queue');
  let note = '';

  async function showQueue() {
    if (!panel) return;
    const mine = await Queue.of(user);
    const waiting = mine.filter((r) => r.status === 'waiting');
    const refused = mine.filter((r) => r.status === 'refused');
    panel.textContent = '';
    if (note) panel.append(element('p', { class: 'notice', 'data-testid': 'offline-note' }, note));
    if (waiting.length) {
      panel.append(element('h2', { 'data-testid': 'offline-waiting' }, say(words.waiting, waiting.length)));
      panel.append(element('ul', {}, ...waiting.map((r) => element('li', {}, r.label))));
    }
    if (refused.length) {
      const items = refused.map((r) => {
        const fix = element('button', { type: 'button', class: 'secondary' }, words.fix);
        fix.addEventListener('click', () => fixReport(r));
        return element('li', { class: 'error' }, `${r.label}: ${words.refused} `, fix);
      });
      panel.append(element('ul', { 'data-testid': 'offline-refused' }, ...items));
    }
    panel.hidden = !panel.childElementCount;
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  let flushing = null;
  /* Send what waits; one run at a time in this page (and one across pages: queue.js's lock). */
  function flush() {
    if (!flushing) {
      flushing = Queue.flush()
        .then(async (result) => {
          if (result.stored.length && !result.waiting) note = words.allSent;
          if (result.signedOut && result.waiting) note = words.signIn;
          if (result.refused.length) await bringBackRefused();
          return result;
        })
        .catch(() => null)
        .finally(() => {
          flushing = null;
          showQueue();
        });
    }
    return flushing;
  }

  window.addEventListener('online', flush);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', (event) => {
      if ((event.data || {}).type !== 'seva-queue') return;
      if (event.data.result.stored) note = words.allSent;
      bringBackRefused().then(showQueue);
    });
  }

  /* 3. The report form ----------------------------------------------------------------------- */

  const form = reportUrl && location.pathname === reportUrl ? document.querySelector('[data-testid=activity-form]') : null;
  const params = new URLSearchParams(location.search);

  function fieldsOf(target) {
    return [...new FormData(target).entries()].map(([name, value]) => [name, String(value)]);
  }

  function saveDraft() {
    const fields = fieldsOf(form).filter(([name]) => name !== 'csrfmiddlewaretoken');
    localStorage.setItem(DRAFT_KEY, JSON.stringify(fields));
  }

  function draft() {
    try {
      return JSON.parse(localStorage.getItem(DRAFT_KEY) || 'null');
    } catch (broken) {
      return null;
    }
  }

  function clearDraft() {
    localStorage.removeItem(DRAFT_KEY);
  }

  /* Put the draft's values into the fields that are there and still empty; a choice that
     loads more fields (task, seat) is announced, so htmx brings them and this runs again. */
  function applyDraft(fields, within) {
    for (const [name, value] of fields) {
      if (name === 'client_uuid' || !value) continue;
      const input = within.querySelector(`[name="${CSS.escape(name)}"]`);
      if (!input || input.value === value) continue;
      if (input.tagName === 'SELECT' && ![...input.options].some((o) => o.value === value)) continue;
      if (input.tagName !== 'SELECT' && input.value && input.type !== 'date') continue;
      input.value = value;
      if (input.tagName === 'SELECT') input.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }

  function freshUuid() {
    const input = form.querySelector('[name=client_uuid]');
    if (input) input.value = crypto.randomUUID();
  }

  /* A form as the server answered it (with its errors) replaces the one on the page. */
  function showAnswer(html) {
    const answer = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-testid=activity-form]');
    if (!answer) return false;
    form.innerHTML = answer.innerHTML;
    if (window.htmx) window.htmx.process(form);
    const first = form.querySelector('.has-error, .errors');
    if (first) first.scrollIntoView({ block: 'center' });
    return true;
  }

  async function fixReport(report) {
    if (!form) {
      location.assign(reportUrl);
      return;
    }
    if (!showAnswer(report.html)) return;
    await Queue.remove(report.uuid);
    saveDraft();
    note = words.refusedBack;
    await showQueue();
  }

  /* A refused report comes back into the form when the form holds nothing typed yet. */
  async function bringBackRefused() {
    if (!form || draft()) return;
    const refused = (await Queue.of(user)).find((r) => r.status === 'refused');
    if (refused) await fixReport(refused);
  }

  function labelOf() {
    const text = (name) => {
      const select = form.querySelector(`select[name=${name}]`);
      return select && select.value ? select.selectedOptions[0].textContent.trim() : '';
    };
    const numbers = [...form.querySelectorAll('#metric-fields input')]
      .filter((input) => input.value)
      .map((input) => `${(form.querySelector(`label[for="${input.id}"]`) || {}).textContent || input.name}: ${input.value}`);
    const date = (form.querySelector('[name=date]') || {}).value;
    return [text('task'), date, text('booth') || text('mandal') || text('assembly_seat'), numbers.join(', ')]
      .filter(Boolean)
      .join(' · ');
  }

  if (form) {
    const answered = Boolean(form.querySelector('.has-error, .errors')); // the server's answer to a POST
    if (params.has('queued')) {
      // The network dropped while the form was sent: the service worker queued it.
      clearDraft();
      note = words.savedHere;
      history.replaceState(null, '', reportUrl);
    }
    if (!answered) {
      // A fresh reference for this form, also when the page comes from the offline cache.
      freshUuid();
      const kept = draft();
      if (kept) {
        applyDraft(kept, form);
        form.addEventListener('htmx:afterSettle', (event) => applyDraft(draft() || [], event.target));
      }
    }
    form.addEventListener('input', saveDraft);
    form.addEventListener('change', saveDraft);

    form.addEventListener('submit', async (event) => {
      if (navigator.onLine) {
        // Sent as a page: the next page says how it went (see below).
        sessionStorage.setItem('seva-sent', '1');
        return;
      }
      event.preventDefault();
      if (form.dataset.sending) return;
      form.dataset.sending = '1';
      try {
        await Queue.put(Queue.report(fieldsOf(form), user, labelOf()));
        clearDraft();
        // Ready for the next report: the same task, place and date, numbers and notes empty.
        form.querySelectorAll('#metric-fields input, textarea').forEach((input) => {
          input.value = '';
        });
        freshUuid();
        note = words.savedHere;
        askForSync();
      } finally {
        delete form.dataset.sending;
        await showQueue();
        panel.scrollIntoView({ block: 'start' });
      }
    });
  }

  // After a report sent as a page: the form again means refused (its answer shows the
  // errors; the draft stays), any other page means stored.
  if (sessionStorage.getItem('seva-sent') && !form) {
    sessionStorage.removeItem('seva-sent');
    clearDraft();
  }
  if (form && sessionStorage.getItem('seva-sent')) sessionStorage.removeItem('seva-sent');

  function askForSync() {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: 'sync' });
    }
  }

  /* 5. Signing out --------------------------------------------------------------------------- */

  const logout = document.querySelector('[data-testid=logout]');
  const logoutForm = logout && logout.closest('form');
  if (logoutForm) {
    logoutForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (logoutForm.dataset.sending) return;
      logoutForm.dataset.sending = '1';
      if (navigator.onLine) await flush();
      const left = (await Queue.of(user)).length;
      if (left && !window.confirm(say(words.signOutKeep, left))) {
        delete logoutForm.dataset.sending;
        return;
      }
      clearDraft();
      localStorage.removeItem(WARM_KEY);
      if ('caches' in window) await caches.delete(PAGES_CACHE);
      logoutForm.submit();
    });
  }

  /* 2. The service worker, and the form ready for offline use ----------------------------------- */

  async function register() {
    if (!('serviceWorker' in navigator)) return;
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
    if (reportUrl && navigator.onLine) await warm();
  }

  /* Fetch, through the worker (which keeps them), the report form and the static files it
     uses; on the form itself also each task's number inputs and the district's seats, mandals
     and booths. Read from the form (its htmx URLs and choices), so nothing here names a task
     or a place. The form's part once every few hours, after the page has loaded, so that a
     first visit stays light (bench/README.md). */
  async function warm() {
    const last = Number(localStorage.getItem(WARM_KEY) || 0);
    const root = document.documentElement.dataset;
    if (Date.now() - last < WARM_HOURS * 3600 * 1000 && (await caches.has(PAGES_CACHE))) {
      root.offlineReady = root.offlineWarm = '1';
      return;
    }
    if (!form && (await caches.match(new URL(reportUrl, location.href).href))) {
      root.offlineWarm = '1';
      return;
    }
    const response = await fetch(reportUrl, { credentials: 'same-origin' });
    if (!response.ok || response.redirected) return;
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const sheet = page.querySelector('[data-testid=activity-form]');
    if (!sheet) return;
    const urls = new Set();
    page.querySelectorAll('script[src], link[href]').forEach((node) => {
      const url = new URL(node.getAttribute('src') || node.getAttribute('href'), location.href);
      if (url.pathname.startsWith('/static/')) urls.add(url.href);
    });
    performance.getEntriesByType('resource').forEach((entry) => {
      if (new URL(entry.name).pathname.startsWith('/static/')) urls.add(entry.name);
    });
    if (!form) {
      await fetchAll([...urls]);
      root.offlineWarm = '1';
      return;
    }
    const fragment = (select, name, value) => `${select.getAttribute('hx-get')}?${new URLSearchParams({ [name]: value })}`;
    const task = sheet.querySelector('#id_task');
    if (task && task.getAttribute('hx-get')) {
      [...task.options].filter((o) => o.value).forEach((o) => urls.add(fragment(task, 'task', o.value)));
    }
    const district = sheet.querySelector('#id_district');
    if (district && district.value && district.getAttribute('hx-get')) urls.add(fragment(district, 'district', district.value));
    const seats = sheet.querySelector('#id_assembly_seat');
    for (const select of [sheet.querySelector('#id_mandal'), sheet.querySelector('#id_booth')]) {
      if (!seats || !select || !select.getAttribute('hx-get')) continue;
      [...seats.options].filter((o) => o.value).forEach((o) => urls.add(fragment(select, 'assembly_seat', o.value)));
    }
    await fetchAll([...urls]);
    localStorage.setItem(WARM_KEY, String(Date.now()));
    root.offlineReady = root.offlineWarm = '1';
  }

  /* GET each URL, three at a time (through the worker, which keeps the answers). */
  async function fetchAll(list) {
    const next = async () => {
      while (list.length) await fetch(list.shift(), { credentials: 'same-origin' }).catch(() => null);
    };
    await Promise.all([next(), next(), next()]);
  }

  /* On every page: show the queue, send what waits, then get ready for offline use. */
  window.addEventListener('load', async () => {
    await bringBackRefused();
    await showQueue();
    if (navigator.onLine && (await Queue.of(user)).some((r) => r.status === 'waiting')) await flush();
    register().catch(() => null);
  });
})();

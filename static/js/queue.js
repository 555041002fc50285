/* Seva Portal: the phone's queue of reports made without a network (docs/offline.md).
 *
 * One module for both sides: the pages load it (static/js/seva.js uses it) and the service
 * worker imports it (static/sw.js), so a report is queued and sent by the same code whether
 * the page sends it (on the `online` event, on the next visit) or the worker does (Background
 * Sync, or a form post whose network dropped).
 *
 * A queued report is the report form's own fields ([name, value] pairs, `client_uuid`
 * included), kept in IndexedDB with the user who made it. Sending posts those fields to the
 * report form's URL, as the form itself does, with a CSRF token fetched just before: the
 * server then checks it exactly as a typed report, answers in the user's language, and stores
 * a resend (same `client_uuid`) once. A Web Lock lets one sender run at a time across the
 * tabs and the worker.
 */
(function (scope) {
  'use strict';

  const DB_NAME = 'seva-offline';
  const REPORTS = 'reports';
  const META = 'meta';
  const FORM_URL = '/activities/new/';
  const TOKEN_URL = '/offline/token/';
  const LOGIN_PATH = '/accounts/login/';

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(REPORTS, { keyPath: 'uuid' });
        request.result.createObjectStore(META);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  /* One transaction on one store; resolves with the request's result once committed. */
  async function withStore(store, mode, act) {
    const db = await openDb();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(store, mode);
        const request = act(tx.objectStore(store));
        tx.oncomplete = () => resolve(request ? request.result : undefined);
        tx.onerror = tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  const same = (a, b) => String(a) === String(b);

  const SevaQueue = {
    FORM_URL,

    /* Keep a report (a new one, or one whose state changed). */
    put(report) {
      return withStore(REPORTS, 'readwrite', (store) => store.put(report));
    },
    remove(uuid) {
      return withStore(REPORTS, 'readwrite', (store) => store.delete(uuid));
    },
    async all() {
      const rows = await withStore(REPORTS, 'readonly', (store) => store.getAll());
      return rows.sort((a, b) => a.created - b.created);
    },
    /* The reports of one user: another user's wait on the phone for him to sign in. */
    async of(user) {
      return (await SevaQueue.all()).filter((report) => same(report.user, user));
    },

    /* Who is signed in on this phone, as the pages last said (the worker cannot read a page's
       session, and needs it to file a report it queues itself). */
    setUser(user) {
      return withStore(META, 'readwrite', (store) => store.put(String(user), 'user'));
    },
    getUser() {
      return withStore(META, 'readonly', (store) => store.get('user'));
    },

    /* A new report from the form's fields. */
    report(fields, user, label) {
      const entries = fields.filter(([name]) => name !== 'csrfmiddlewaretoken');
      const uuid = (entries.find(([name]) => name === 'client_uuid') || [])[1];
      if (!uuid) throw new Error('A report without client_uuid cannot be queued.');
      const value = (name) => (entries.find(([key]) => key === name) || [])[1] || '';
      return {
        uuid,
        user: String(user),
        fields: entries,
        status: 'waiting',
        created: Date.now(),
        label: label || [value('task'), value('date')].filter(Boolean).join(' · '),
      };
    },

    /* Send what waits, oldest first, as the signed-in user. Returns what happened:
       {stored: [...], refused: [...], waiting: n, signedOut, offline}. */
    flush() {
      const locks = scope.navigator && scope.navigator.locks;
      return locks ? locks.request('seva-queue', sendAll) : sendAll();
    },
  };

  async function token() {
    const response = await scope.fetch(TOKEN_URL, { credentials: 'same-origin', cache: 'no-store' });
    return response.json();
  }

  /* One report, one answer: "stored" (the form redirected), "refused" (the form came back with
     its errors: status 200, or 400), "signed-out", or "later" (no network, a server error, a
     refused token: the report waits). */
  async function send(report, who) {
    const body = new URLSearchParams(report.fields);
    body.set('csrfmiddlewaretoken', who.csrf);
    const response = await scope.fetch(FORM_URL, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      redirect: 'follow',
    });
    const path = new URL(response.url).pathname;
    if (path.startsWith(LOGIN_PATH)) return { outcome: 'signed-out' };
    if (response.redirected && response.ok) return { outcome: 'stored' };
    if (!response.redirected && path === FORM_URL && (response.status === 200 || response.status === 400)) {
      return { outcome: 'refused', html: await response.text() };
    }
    return { outcome: 'later' };
  }

  async function sendAll() {
    const result = { stored: [], refused: [], waiting: 0, signedOut: false, offline: false };
    let user = null;
    for (const report of await SevaQueue.all()) {
      if (report.status !== 'waiting') continue;
      let who;
      let answer;
      try {
        who = await token(); // a fresh token for each report
        if (!who.signed_in) {
          result.signedOut = true;
          break;
        }
        user = who.user;
        if (!same(report.user, who.user)) continue;
        answer = await send(report, who);
      } catch (error) {
        result.offline = true; // no network (or no JSON from it): try again later
        break;
      }
      if (answer.outcome === 'stored') {
        await SevaQueue.remove(report.uuid);
        result.stored.push(report);
      } else if (answer.outcome === 'refused') {
        report.status = 'refused';
        report.html = answer.html;
        await SevaQueue.put(report);
        result.refused.push(report);
      } else {
        result.signedOut = answer.outcome === 'signed-out';
        break;
      }
    }
    const left = await SevaQueue.all();
    result.waiting = left.filter((r) => r.status === 'waiting' && (user === null || same(r.user, user))).length;
    return result;
  }

  scope.SevaQueue = SevaQueue;
})(self);

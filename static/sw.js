// chibo's service worker (docs/rules.md "Offline reading and recording").
// Pages come from the network first; the last good copy of a few pages
// (home, meetings, their documents, the cell and its roll) is kept per user
// and shown, with a banner, when the network is gone. POST answers are never
// kept; a sign-in page, a sign-out or another user's page drops the copies.
'use strict';
const SHELL = 'chibo-shell-1';
const PAGES = 'chibo-pages-';
const PRECACHE = ['/static/app.css', '/static/offline.js', '/static/offline.html'];
const KEEP = [/^\/$/, /^\/meetings\/\d+$/, /^\/documents\/\d+$/, /^\/orgs\/\d+(\/members)?$/];
// A copy older than a session's longest life (12 hours) is not shown.
const MAX_AGE = 12 * 3600 * 1000;

self.addEventListener('install', e => {
  e.waitUntil(caches.open(SHELL).then(c => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', e => {
  e.waitUntil(caches.keys()
    .then(ks => Promise.all(ks.filter(k => k.startsWith('chibo-shell-') && k !== SHELL).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

async function dropPages(except) {
  for (const k of await caches.keys()) if (k.startsWith(PAGES) && k !== except) await caches.delete(k);
}

self.addEventListener('message', e => {
  if (e.data === 'logout') e.waitUntil(dropPages());
});

self.addEventListener('fetch', e => {
  const r = e.request;
  // POSTs pass through untouched; the page script's own fresh reads too.
  if (r.method !== 'GET' || r.headers.has('x-chibo-fresh')) return;
  const url = new URL(r.url);
  if (url.origin !== location.origin) return;
  if (url.pathname.startsWith('/static/')) {
    e.respondWith(fetch(r).then(res => {
      if (res.ok && PRECACHE.includes(url.pathname)) {
        const copy = res.clone();
        caches.open(SHELL).then(c => c.put(r, copy));
      }
      return res;
    }, () => caches.match(r, {ignoreSearch: true}).then(hit => hit || Response.error())));
    return;
  }
  const keep = !url.search && KEEP.some(p => p.test(url.pathname));
  if (r.mode === 'navigate' || keep) e.respondWith(page(r, url, keep));
});

async function page(r, url, keep) {
  let res;
  try {
    res = await fetch(r);
  } catch (err) {
    const hit = await saved(r.url);
    if (hit) return hit;
    if (r.mode === 'navigate') return (await caches.match('/static/offline.html')) || Response.error();
    throw err;
  }
  if (url.pathname === '/login') await dropPages();
  else if (keep && res.status === 200 && res.type === 'basic') await store(r.url, res.clone());
  return res;
}

// Pages name their user in <meta name="chibo-user">; a document is filed
// with the one user whose pages are kept.
async function store(key, res) {
  const type = res.headers.get('content-type') || '';
  let user;
  const body = await res.arrayBuffer();
  if (type.startsWith('text/html')) {
    const m = new TextDecoder().decode(body).match(/<meta name="chibo-user" content="([^"]+)"/);
    if (!m) return dropPages();
    user = PAGES + m[1];
    await dropPages(user);
  } else {
    const names = (await caches.keys()).filter(k => k.startsWith(PAGES));
    if (names.length !== 1) return;
    user = names[0];
  }
  const headers = new Headers(res.headers);
  headers.set('x-chibo-saved', String(Date.now()));
  await (await caches.open(user)).put(key, new Response(body, {status: 200, headers}));
}

function hhmm(t) {
  const d = new Date(t);
  return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
}

async function saved(key) {
  for (const k of await caches.keys()) {
    if (!k.startsWith(PAGES)) continue;
    const hit = await (await caches.open(k)).match(key);
    if (!hit) continue;
    const at = Number(hit.headers.get('x-chibo-saved') || 0);
    if (Date.now() - at > MAX_AGE) return null;
    if (!(hit.headers.get('content-type') || '').startsWith('text/html')) return hit;
    const banner = '<main><p class="offline-banner" role="status">Bản lưu lúc ' + hhmm(at) + ', đang ngoại tuyến</p>';
    // The copy's one-time message was for that visit, not this one.
    const html = (await hit.text()).replace(/<p class="flash"[^>]*>.*?<\/p>/, '').replace('<main>', banner);
    return new Response(html, {status: 200, headers: hit.headers});
  }
  return null;
}

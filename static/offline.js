// chibo offline: registers the service worker, keeps the roll call and the
// minutes typed on a meeting's page in IndexedDB until the server has them,
// and shows conflicts for the secretary to decide (docs/rules.md "Offline
// recording and explicit conflicts"). No framework; pages stay server-made.
(() => {
  'use strict';
  const meta = document.querySelector('meta[name=chibo-user]');
  const user = meta ? meta.content : '';
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
  if (!user || !window.indexedDB) return;

  // --- the queue, one IndexedDB store; items never hold a CSRF token ---
  const open = () => new Promise((ok, ko) => {
    const r = indexedDB.open('chibo-offline', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('queue', {keyPath: 'id', autoIncrement: true});
    r.onsuccess = () => ok(r.result);
    r.onerror = () => ko(r.error);
  });
  const run = (mode, f) => open().then(d => new Promise((ok, ko) => {
    const t = d.transaction('queue', mode);
    const req = f(t.objectStore('queue'));
    t.oncomplete = () => ok(req.result);
    t.onerror = () => ko(t.error);
  }));
  const mine = () => run('readonly', s => s.getAll()).then(all => all.filter(i => i.user === user));
  const put = item => run('readwrite', s => s.put(item));
  const drop = id => run('readwrite', s => s.delete(id));

  const KIND = {attendance: 'Điểm danh, phát biểu', minutes: 'Biên bản, biểu quyết'};
  const main = document.querySelector('main');
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined) e.setAttribute(k, v);
    for (const k of kids) e.append(k);
    return e;
  };
  const time = t => new Date(t).toLocaleTimeString('vi-VN', {hour: '2-digit', minute: '2-digit'});
  let note = '';

  // --- sending: a fresh page load gives the session's current token ---
  async function fresh(item) {
    const res = await fetch('/meetings/' + item.meeting, {headers: {'x-chibo-fresh': '1'}, cache: 'no-store'});
    if (res.redirected && new URL(res.url).pathname === '/login') return {expired: true};
    if (!res.ok) return {failed: 'Không mở được buổi sinh hoạt (mã ' + res.status + ').'};
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const who = doc.querySelector('meta[name=chibo-user]');
    if (!who || who.content !== user) return {expired: true};
    const token = doc.querySelector('input[name=_csrf]');
    return token ? {token: token.value} : {expired: true};
  }

  async function send(item) {
    const f = await fresh(item);
    if (f.expired || f.failed) return f;
    const body = new URLSearchParams(item.fields);
    body.set('base_version', String(item.base));
    body.set('_csrf', f.token);
    const res = await fetch('/meetings/' + item.meeting + '/offline/' + item.kind, {method: 'POST', body});
    const json = (res.headers.get('content-type') || '').includes('json') ? await res.json() : null;
    if (res.ok && json) return {saved: json};
    if (res.status === 409 && json) return {conflict: json};
    if (res.status === 422 && json) return {invalid: json.errors};
    if (res.status === 401 || (res.redirected && new URL(res.url).pathname === '/login')) return {expired: true};
    return {failed: 'Máy chủ trả lời mã ' + res.status + '.'};
  }

  // Sends every waiting item in order; stops at the first network failure.
  // Calls queue behind each other, so each sees the queue as left before.
  let chain = Promise.resolve();
  // Once the session is known to have ended, only a new page load (after
  // signing in) or the network coming back tries again.
  let expired = false;
  const flush = () => (chain = chain.then(sendAll, sendAll));
  async function sendAll() {
    const items = (await mine()).sort((a, b) => a.id - b.id);
    for (const item of items) {
      if (item.state !== 'pending') continue;
      let r;
      try { r = await send(item); } catch (e) { note = ''; break; }
      if (r.expired) {
        note = 'Phiên đăng nhập đã hết: hãy đăng nhập lại để gửi các thay đổi đã lưu trên máy.';
        expired = true;
        break;
      }
      note = '';
      if (r.saved) {
        await drop(item.id);
        // Later changes typed on the same page build on this one.
        for (const next of items) if (next.id > item.id && next.meeting === item.meeting && next.base === item.base) {
          next.base = r.saved.version;
          await put(next);
        }
        note = 'Đã gửi lên máy chủ: ' + KIND[item.kind] + ' (ghi lúc ' + time(item.savedAt) + ').';
      } else if (r.conflict) {
        Object.assign(item, {state: 'conflict', conflict: r.conflict});
        await put(item);
      } else {
        Object.assign(item, {state: 'invalid', errors: r.invalid || [r.failed]});
        await put(item);
      }
    }
    await show();
  }
  const find = id => mine().then(all => all.find(i => i.id === id));

  // --- the panel at the top of every page ---
  const text = item => (item.conflict ? item.conflict.rows.map(r => r.label + ': ' + r.mine)
    : item.fields.map(([k, v]) => k + ': ' + v)).join('\n');

  function conflictView(item) {
    const c = item.conflict;
    const box = el('div', {class: 'conflict'});
    box.append(el('p', {class: 'alert', role: 'alert'}, c.message));
    const same = c.rows.filter(r => !r.differs).length;
    for (const r of c.rows.filter(r => r.differs)) {
      box.append(el('div', {class: 'cf-row'}, el('h4', {}, r.label), el('div', {class: 'cf-pair'},
        el('div', {class: 'cf-mine'}, el('b', {}, 'Của bạn'), el('p', {}, r.mine || '(trống)')),
        el('div', {class: 'cf-theirs'}, el('b', {}, 'Trên máy chủ'), el('p', {}, r.theirs || '(trống)')))));
    }
    if (same) box.append(el('p', {class: 'muted'}, same + ' mục giống nhau ở hai bản.'));
    const act = el('div', {class: 'cf-actions'});
    const button = (label, cls, f) => {
      const b = el('button', {type: 'button', class: cls}, label);
      b.addEventListener('click', f);
      act.append(b);
    };
    if (!c.signed) button('Gửi bản của tôi (thay bản trên máy chủ)', 'cf-send', async () => {
      Object.assign(item, {state: 'pending', base: c.version, conflict: undefined});
      await put(item);
      await flush();
    });
    button('Sao chép bản của tôi', 'secondary cf-copy', async () => {
      const t = text(item);
      try { await navigator.clipboard.writeText(t); note = 'Đã sao chép bản của anh/chị.'; } catch (e) {
        const area = el('textarea', {rows: '6', readonly: ''}, t);
        act.after(area);
        area.select();
        note = 'Chọn và sao chép nội dung trong ô dưới đây.';
      }
      const p = document.querySelector('#offline-queue .note');
      if (p) p.textContent = note;
    });
    const amend = document.querySelector('#amend[data-meeting="' + item.meeting + '"]');
    if (c.signed && amend) button('Chép vào ô đính chính', 'secondary cf-amend', () => {
      amend.value = (amend.value ? amend.value + '\n' : '') + text(item);
      amend.focus();
    });
    button(c.signed ? 'Xong, bỏ bản trên máy' : 'Giữ bản trên máy chủ (bỏ bản của tôi)', 'secondary cf-keep', async () => {
      if (!confirm('Bỏ bản của anh/chị đang lưu trên máy? Không lấy lại được.')) return;
      await drop(item.id);
      if (!c.signed) { location.reload(); return; }
      await show();
    });
    box.append(act);
    return box;
  }

  async function show() {
    const items = (await mine()).sort((a, b) => a.id - b.id);
    let panel = document.getElementById('offline-queue');
    if (!items.length && !note) { if (panel) panel.remove(); return; }
    if (!panel) {
      panel = el('section', {id: 'offline-queue', class: 'card', 'aria-live': 'polite'});
      const banner = main.querySelector('.offline-banner');
      if (banner) banner.after(panel); else main.prepend(panel);
    }
    panel.replaceChildren();
    const waiting = items.filter(i => i.state === 'pending').length;
    if (waiting) panel.append(el('p', {class: 'saved-local'}, 'Đã lưu trên máy – sẽ gửi khi có mạng (' + waiting + ' thay đổi).'));
    panel.append(el('p', {class: 'note'}, note));
    for (const item of items) {
      const head = el('p', {}, el('strong', {}, KIND[item.kind]), ' · ',
        el('a', {href: '/meetings/' + item.meeting}, item.title || 'Buổi sinh hoạt'), ' · ghi lúc ' + time(item.savedAt));
      const box = el('div', {class: 'offline-item', 'data-state': item.state}, head);
      if (item.state === 'conflict') box.append(conflictView(item));
      if (item.state === 'invalid') {
        box.append(el('p', {class: 'error'}, (item.errors || []).join('; ')));
        const form = document.querySelector('form[data-offline="' + item.kind + '"][data-meeting="' + item.meeting + '"]');
        const b = el('button', {type: 'button', class: 'secondary'}, form ? 'Điền lại vào biểu mẫu để sửa' : 'Bỏ bản này');
        b.addEventListener('click', async () => {
          if (form) fill(form, item.fields); else if (!confirm('Bỏ bản này? Không lấy lại được.')) return;
          await drop(item.id);
          await show();
        });
        box.append(b);
      }
      panel.append(box);
    }
  }

  function fill(form, fields) {
    for (const c of form.querySelectorAll('input[type=checkbox]')) c.checked = false;
    for (const [k, v] of fields) {
      const f = form.querySelector('[name="' + CSS.escape(k) + '"]');
      if (!f) continue;
      if (f.type === 'checkbox') f.checked = true; else f.value = v;
    }
    form.scrollIntoView();
  }

  // --- the meeting-day forms go through the queue, online or not ---
  for (const form of document.querySelectorAll('form[data-offline]')) {
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      const fields = [...new FormData(form)].filter(([k]) => k !== '_csrf').map(([k, v]) => [k, String(v)]);
      const item = {user, meeting: form.dataset.meeting, kind: form.dataset.offline,
        base: Number(form.dataset.version), fields, savedAt: Date.now(), state: 'pending',
        title: (document.querySelector('main h1') || {}).textContent};
      // On the phone first: nothing typed is lost if the page dies now.
      item.id = await put(item);
      await flush();
      const left = await find(item.id);
      if (!left) { location.assign('/meetings/' + item.meeting); return; }
      if (left.state === 'invalid' && left.errors && !document.querySelector('.offline-banner')) {
        // Online and refused for its content: the server shows the form
        // with each field's error, as without this script.
        await drop(left.id);
        HTMLFormElement.prototype.submit.call(form);
        return;
      }
      window.scrollTo(0, 0);
    });
  }

  // Signing out drops the kept pages (another person may use this phone).
  for (const form of document.querySelectorAll('form[action="/logout"]')) {
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      const waiting = (await mine()).length;
      if (waiting && !confirm('Còn ' + waiting + ' thay đổi chưa gửi lên máy chủ; chúng được giữ trên máy cho lần đăng nhập sau của anh/chị. Vẫn đăng xuất?')) return;
      if (window.caches) for (const k of await caches.keys()) if (k.startsWith('chibo-pages-')) await caches.delete(k);
      if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage('logout');
      form.submit();
    });
  }

  addEventListener('online', () => { expired = false; flush(); });
  setInterval(() => {
    if (!expired) mine().then(all => { if (all.some(i => i.state === 'pending')) flush(); });
  }, 3000);
  show().then(() => flush());
})();

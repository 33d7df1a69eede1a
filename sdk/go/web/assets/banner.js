/*
 * Keyturn license banner. Include it once in the product's pages:
 *
 *   <script src="/license/banner.js" defer></script>
 *
 * It loads banner.css itself, asks /license/standing what to show, and renders the banner at the top
 * of <body> (or inside an element marked data-keyturn-banner-slot). A D-7 banner closed by the user
 * becomes a red pill with a live countdown, placed in an element marked data-keyturn-pill (e.g. in
 * the product's header) or, without one, in the top right corner. On the module's own pages (lock
 * screen, license page) it enhances the paste box instead. Plain JavaScript, no build step.
 *
 * Once the banner shows the latest standing, <html> gets data-keyturn-state="ready": browser tests
 * wait for it instead of sleeping.
 */
(() => {
  "use strict";
  if (window.__keyturnBanner) {
    return;
  }
  window.__keyturnBanner = true;

  const script = document.currentScript;
  const base =
    script && script.src ? script.src.replace(/\/banner\.js(?:[?#].*)?$/, "") : "/license";
  const page = document.documentElement.getAttribute("data-keyturn-page");
  const zone = (() => {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return "";
    }
  })();
  const POLL_MS = 60 * 1000;
  const LOCK_POLL_MS = 5 * 1000;
  const DAY = 86400000;
  const RESULT_KEY = "keyturn-install-result";

  const state = { standing: null, offset: 0, expanded: false, timer: 0 };

  const ICONS = {
    info: '<circle cx="12" cy="12" r="9"/><path d="M12 11v5"/><path d="M12 8h.01"/>',
    warning:
      '<path d="M12 3.5 2.8 19.5h18.4z"/><path d="M12 10v4.5"/><path d="M12 17.3h.01"/>',
    danger: '<circle cx="12" cy="12" r="9"/><path d="M12 7.5v5.5"/><path d="M12 16.5h.01"/>',
    lock: '<rect x="4" y="10.5" width="16" height="10.5" rx="2.5"/><path d="M8 10.5V7.5a4 4 0 0 1 8 0v3"/>',
  };

  // ------------------------------------------------------------------ helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child);
      }
    }
    return node;
  }

  function icon(name) {
    const span = el("span", { class: "kt-banner__icon", "aria-hidden": "true" });
    span.innerHTML =
      '<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor"' +
      ' stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false">' +
      (ICONS[name] || ICONS.info) +
      "</svg>";
    return span;
  }

  function serverNow() {
    return Date.now() + state.offset;
  }

  function localDateTime(iso) {
    const date = new Date(iso);
    if (isNaN(date.getTime())) {
      return iso;
    }
    return date.toLocaleString(undefined, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    });
  }

  function loadCss() {
    const href = base + "/banner.css";
    if (page || document.querySelector('link[data-keyturn-css], link[href="' + href + '"]')) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const link = el("link", { rel: "stylesheet", href: href, "data-keyturn-css": true });
      link.addEventListener("load", resolve);
      link.addEventListener("error", resolve);
      document.head.append(link);
    });
  }

  async function fetchStanding() {
    const url = base + "/standing" + (zone ? "?tz=" + encodeURIComponent(zone) : "");
    const res = await fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!res.ok) {
      throw new Error("HTTP " + res.status);
    }
    const standing = await res.json();
    // The product's clock is the one that counts (it may be a demo clock far from the browser's).
    state.offset = Date.parse(standing.evaluated_at) - Date.now();
    state.standing = standing;
    return standing;
  }

  function postJson(path, body) {
    return fetch(base + path, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body || {}),
    });
  }

  // ------------------------------------------------------------------ banner

  const CLOSE_LABELS = {
    UNTIL_NEXT_STAGE: "Dismiss this license notice until the next reminder",
    FOR_24H: "Dismiss this license notice for 24 hours",
    TO_PILL: "Collapse this license notice into a countdown",
  };

  function levelName(banner) {
    return String(banner.level || "NONE").toLowerCase();
  }

  function removeRendered() {
    document.querySelectorAll("[data-keyturn-banner], [data-keyturn-pill-button]").forEach((n) => {
      n.remove();
    });
    clearInterval(state.timer);
    state.timer = 0;
  }

  function render() {
    removeRendered();
    const s = state.standing;
    const b = s && s.banner;
    if (!b || b.level === "NONE" || b.display === "NONE" || b.display === "HIDDEN") {
      return;
    }
    if (b.display === "PILL" && !state.expanded) {
      renderPill(s);
      return;
    }
    renderBanner(s);
  }

  /** The text, with the part that says how much time is left in bold. */
  function bannerText(text) {
    const p = el("p", { class: "kt-banner__text" });
    const when = /(\d+ days? remaining before \w+|expires in \d+ days?|expires (?:today|tomorrow))/;
    text.split(when).forEach((part, i) => {
      if (part) {
        p.append(i % 2 === 1 ? el("strong", {}, part) : part);
      }
    });
    return p;
  }

  function renderBanner(s) {
    const b = s.banner;
    const level = levelName(b);
    const urgent = level !== "info";
    const text = bannerText(b.text);
    const actions = el("div", { class: "kt-banner__actions" });
    if (level === "lock") {
      actions.append(el("a", { class: "kt-banner__button", href: base + "/" }, "Unlock"));
    }
    const renew = renewControl(s, "kt-banner__button");
    if (renew) {
      actions.append(renew);
    }
    let close = null;
    if (b.dismissible || b.display === "PILL") {
      const label = b.display === "PILL" ? CLOSE_LABELS.TO_PILL : CLOSE_LABELS[b.dismissal];
      close = el(
        "button",
        {
          type: "button",
          class: "kt-banner__close",
          "aria-label": label || "Dismiss this license notice",
          title: label || "Dismiss",
          "data-keyturn-close": true,
        },
        el("span", { "aria-hidden": "true" }, "\u00d7"),
      );
      close.addEventListener("click", () => dismiss(close));
      actions.append(close);
    }
    const banner = el(
      "div",
      {
        class: "kt-banner kt-banner--" + level,
        role: urgent ? "alert" : "status",
        "aria-live": urgent ? "assertive" : "polite",
        "aria-label": "License notice",
        "data-keyturn-banner": true,
        "data-level": b.level,
        "data-stage": b.stage || s.phase,
        "data-display": b.display,
      },
      el("div", { class: "kt-banner__inner" }, icon(level), text, actions),
    );
    banner.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && close) {
        event.preventDefault();
        dismiss(close);
      }
    });
    const slot = document.querySelector("[data-keyturn-banner-slot]");
    if (slot) {
      slot.append(banner);
    } else {
      document.body.prepend(banner);
    }
  }

  async function dismiss(button) {
    const s = state.standing;
    if (s.banner.display === "PILL") {
      // Already dismissed on the server: closing only folds it back into the pill.
      state.expanded = false;
      render();
      focusPill();
      return;
    }
    button.disabled = true;
    try {
      const res = await postJson("/banner/dismiss");
      if (!res.ok) {
        throw new Error("HTTP " + res.status);
      }
      const answer = await res.json();
      s.banner = answer.banner;
      state.expanded = false;
      render();
      ready();
      if (answer.banner.display === "PILL") {
        focusPill();
      }
    } catch (e) {
      button.disabled = false;
    }
  }

  // ------------------------------------------------------------------ pill

  function countdown(s) {
    const ms = Date.parse(s.expires_at) - serverNow();
    if (!(ms > 0)) {
      return "License expired";
    }
    const pad = (n) => String(n).padStart(2, "0");
    const d = Math.floor(ms / DAY);
    const h = Math.floor(ms / 3600000) % 24;
    const m = Math.floor(ms / 60000) % 60;
    const sec = Math.floor(ms / 1000) % 60;
    return "Expires in " + d + "d " + pad(h) + "h " + pad(m) + "m " + pad(sec) + "s";
  }

  function renderPill(s) {
    const text = el("span", { class: "kt-pill__text", "data-keyturn-countdown": true }, countdown(s));
    const slot = document.querySelector("[data-keyturn-pill]");
    const pill = el(
      "button",
      {
        type: "button",
        class: "kt-pill" + (slot ? "" : " kt-pill--floating"),
        "data-keyturn-pill-button": true,
        "aria-label": (s.banner.pill_text || "License expiring") + ". Show the license notice.",
        title: s.banner.text,
      },
      el("span", { class: "kt-pill__dot", "aria-hidden": "true" }),
      text,
    );
    pill.addEventListener("click", () => {
      state.expanded = true;
      render();
      const close = document.querySelector("[data-keyturn-close]");
      if (close) {
        close.focus();
      }
    });
    (slot || document.body).append(pill);
    state.timer = setInterval(() => {
      text.textContent = countdown(s);
    }, 1000);
  }

  function focusPill() {
    const pill = document.querySelector("[data-keyturn-pill-button]");
    if (pill) {
      pill.focus();
    }
  }

  // ------------------------------------------------------------------ renew

  function renewControl(s, cls) {
    const r = s.renewal;
    if (!r) {
      return null;
    }
    if (r.kind === "server") {
      const button = el("button", { type: "button", class: cls, "data-keyturn-renew": true }, "Renew");
      button.addEventListener("click", () => openRenewal(s, button));
      return button;
    }
    const link = el("a", { class: cls, href: r.href, "data-keyturn-renew": true }, "Renew");
    if (r.kind === "portal") {
      link.target = "_blank";
      link.rel = "noopener";
    }
    return link;
  }

  function field(label, input) {
    return el("label", { class: "kt-field" }, el("span", { class: "kt-field__label" }, label), input);
  }

  function openRenewal(s, opener) {
    const d = s.renewal.details;
    const facts = el("dl", { class: "kt-facts kt-facts--compact" });
    for (const [term, value] of [
      ["Customer", d.customer],
      ["Customer reference", d.customer_reference],
      ["Tier", d.tier],
      ["Current expiry", d.expires_at ? localDateTime(d.expires_at) : ""],
    ]) {
      facts.append(el("div", {}, el("dt", {}, term), el("dd", {}, value)));
    }
    const name = el("input", { type: "text", name: "contact_name", autocomplete: "name", maxlength: 200 });
    const email = el("input", { type: "email", name: "contact_email", autocomplete: "email", maxlength: 320 });
    const message = el("textarea", { name: "message", rows: 3, maxlength: 4000 });
    message.value = "Please renew our license for " + s.product_name + ".";
    const result = el("div", { class: "kt-result-slot", role: "status", "aria-live": "polite" });
    const send = el("button", { type: "submit", class: "kt-button kt-button--primary" }, "Send request");
    const cancel = el("button", { type: "button", class: "kt-button kt-button--secondary" }, "Close");
    const form = el(
      "form",
      { class: "kt-dialog__form" },
      el("h2", { id: "kt-renew-title" }, "Request a renewal"),
      el(
        "p",
        { class: "kt-dialog__intro" },
        "This sends a renewal request to " + s.vendor_name + " with your license details.",
      ),
      facts,
      field("Your name", name),
      field("Your e-mail", email),
      field("Message", message),
      result,
      el("div", { class: "kt-actions" }, send, cancel),
    );
    const dialog = el(
      "dialog",
      { class: "kt-dialog", "aria-labelledby": "kt-renew-title", "data-keyturn-renewal": true },
      form,
    );
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      opener.focus();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      send.disabled = true;
      result.replaceChildren();
      try {
        const res = await postJson("/renewal-request", {
          contact_name: name.value,
          contact_email: email.value,
          message: message.value,
        });
        const body = await res.json();
        if (res.ok && body.sent) {
          result.replaceChildren(outcome(true, "SENT", body.message));
          send.remove();
        } else {
          const box = outcome(false, body.code || "ERROR", body.detail || "HTTP " + res.status);
          if (body.fallback_href) {
            box.append(el("a", { href: body.fallback_href, class: "kt-result__link" }, "Send it by e-mail instead"));
          }
          result.replaceChildren(box);
          send.disabled = false;
        }
      } catch (e) {
        result.replaceChildren(outcome(false, "NETWORK", "The product could not be reached."));
        send.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
  }

  function outcome(ok, code, message) {
    return el(
      "div",
      { class: "kt-result kt-result--" + (ok ? "ok" : "error"), role: ok ? "status" : "alert" },
      el("span", { class: "kt-result__code" }, code),
      el("p", { class: "kt-result__message" }, message),
    );
  }

  // ------------------------------------------------------------------ the module's own pages

  function enhancePage() {
    document.querySelectorAll("time[data-kt-local]").forEach((t) => {
      t.textContent = localDateTime(t.getAttribute("datetime"));
    });
    fetchStanding()
      .then((s) => {
        document.querySelectorAll("[data-kt-banner-text]").forEach((p) => {
          if (s.banner && s.banner.text) {
            p.textContent = s.banner.text;
          }
        });
        document.querySelectorAll("button[data-kt-renew]").forEach((b) => {
          if (s.renewal && s.renewal.kind === "server") {
            b.addEventListener("click", () => openRenewal(s, b));
          }
        });
      })
      .catch(() => {})
      .then(ready);
    const form = document.getElementById("kt-install-form");
    const slot = document.getElementById("kt-install-result");
    let carried = null;
    try {
      carried = JSON.parse(sessionStorage.getItem(RESULT_KEY) || "null");
      sessionStorage.removeItem(RESULT_KEY);
    } catch (e) {
      carried = null;
    }
    if (carried && slot) {
      slot.replaceChildren(outcome(true, carried.code, carried.message));
    }
    if (form) {
      form.addEventListener("submit", (event) => install(event, form));
    }
    if (page === "lock") {
      // Another way in (a check-in, `keyturn install`) also unlocks: look every few seconds.
      setInterval(() => {
        fetchStanding()
          .then((s) => {
            if (s.mode !== "LOCKED") {
              window.location.reload();
            }
          })
          .catch(() => {});
      }, LOCK_POLL_MS);
    }
  }

  async function install(event, form) {
    event.preventDefault();
    const slot = document.getElementById("kt-install-result");
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      const res = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const body = await res.json();
      if (res.ok && body.installed) {
        const after = form.getAttribute("data-kt-after");
        slot.replaceChildren(
          outcome(
            true,
            body.code,
            after === "reload" ? "License installed. Opening the product\u2026" : body.message,
          ),
        );
        if (after !== "reload") {
          // The page shows the new license once reloaded; the answer is carried across.
          try {
            sessionStorage.setItem(RESULT_KEY, JSON.stringify({ code: body.code, message: body.message }));
          } catch (e) {
            // Private mode without storage: the new standing alone says it.
          }
        }
        window.location.reload();
        return;
      } else {
        slot.replaceChildren(outcome(false, body.code || "ERROR", body.detail || "HTTP " + res.status));
      }
    } catch (e) {
      slot.replaceChildren(outcome(false, "NETWORK", "The product could not be reached."));
    } finally {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
    }
  }

  // ------------------------------------------------------------------ start

  /** For the product's own browser tests: the banner reflects the latest standing. */
  function ready() {
    document.documentElement.setAttribute("data-keyturn-state", "ready");
  }

  function refresh() {
    return fetchStanding()
      .then(render)
      .catch(() => {})
      .then(ready);
  }

  function start() {
    if (page) {
      enhancePage();
      return;
    }
    loadCss().then(refresh);
    setInterval(refresh, POLL_MS);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") {
        refresh();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

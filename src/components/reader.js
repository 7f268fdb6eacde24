// Reader pages: load the islands' WASM once the page is in, and move between reader pages
// without a page load (the next page's HTML is fetched and swapped in).
(js, wasm) => {
  let mod = null;

  // Each <leptos-island> is hydrated once; islands inside an island's children wait for their
  // parent to set up what they share (the callback Leptos leaves on <leptos-children>).
  const hydrateIslands = async (root) => {
    const parents = [];
    const walk = async (node) => {
      for (const el of Array.from(node.children)) {
        if (el.tagName === "LEPTOS-ISLAND") {
          if (!el.$$hydrated) {
            el.$$hydrated = true;
            const onParent = parents[parents.length - 1];
            if (onParent) onParent();
            const island = mod[el.dataset.component];
            if (island) await island(el);
            else console.warn("no code for the island", el.dataset.component);
          }
          await walk(el);
        } else if (el.tagName === "LEPTOS-CHILDREN") {
          parents.push(el.$$on_hydrate);
          await walk(el);
          parents.pop();
        } else {
          await walk(el);
        }
      }
    };
    await walk(root);
  };

  // A view is reported once the page is shown (never on render, so a cached page counts
  // too): after the first load and after each page swapped in. Prerendered pages wait until
  // they are visible.
  const reportView = () => {
    const id = document.querySelector("[data-article-id]")?.dataset.articleId;
    if (!id || !navigator.sendBeacon) return;
    const send = () => navigator.sendBeacon("/api/view", id);
    if (document.visibilityState === "visible") send();
    else addEventListener("visibilitychange", function once() {
      if (document.visibilityState !== "visible") return;
      removeEventListener("visibilitychange", once);
      send();
    });
  };
  reportView();

  const start = () =>
    import(js).then(async (m) => {
      await m.default({ module_or_path: wasm });
      m.hydrate();
      mod = m;
      await hydrateIslands(document.body);
      document.body.setAttribute("data-hydrated", "true");
    });
  // After `load` (the lead image is in) and an idle moment, with a backstop for busy pages.
  const idle = () =>
    "requestIdleCallback" in window ? requestIdleCallback(start, { timeout: 1500 }) : setTimeout(start, 0);
  if (document.readyState === "complete") idle();
  else addEventListener("load", idle, { once: true });

  // ---- navigation ----
  const readerPage = (url) =>
    url.origin === location.origin &&
    !/^\/(admin|api|media|pkg|sitemaps)(\/|$)/.test(url.pathname) &&
    !/\.[A-Za-z0-9]+$/.test(url.pathname);
  const HEAD_TAGS =
    'meta[name="description"],meta[name="robots"],meta[property^="og:"],meta[name^="twitter:"],' +
    'link[rel="canonical"],link[rel="prev"],link[rel="next"],script[type="application/ld+json"]';
  const remember = () => history.replaceState({ ...history.state, scroll: scrollY }, "");
  let latest = 0;

  async function go(url, push, scroll) {
    const mine = ++latest;
    let res, html;
    try {
      res = await fetch(url, { headers: { Accept: "text/html" } });
      html = await res.text();
    } catch (e) {
      location.assign(url);
      return;
    }
    if (mine !== latest) return;
    const doc = new DOMParser().parseFromString(html, "text/html");
    if (!(res.headers.get("content-type") || "").includes("text/html") || doc.body.dataset.app !== "reader") {
      location.assign(url);
      return;
    }
    const arrived = new URL(res.url || url);
    arrived.hash = url.hash;
    if (push) {
      remember();
      history.scrollRestoration = "manual";
      history.pushState({ scroll: 0 }, "", arrived);
    }
    document.title = doc.title;
    document.head.querySelectorAll(HEAD_TAGS).forEach((el) => el.remove());
    doc.head.querySelectorAll(HEAD_TAGS).forEach((el) => document.head.append(el));
    document.body.replaceChildren(...doc.body.childNodes);
    // The old page's islands, out of the page now, let go of what they hold open (live
    // coverage's stream).
    dispatchEvent(new Event("portal:leave"));
    reportView();
    const target = arrived.hash && document.getElementById(decodeURIComponent(arrived.hash.slice(1)));
    if (scroll != null) scrollTo(0, scroll);
    else if (target) target.scrollIntoView();
    else scrollTo(0, 0);
    // A new page: keyboard and screen-reader users start at its content, as after a page load
    // they would start at its top (not on a <body> whose old focus is gone).
    if (push) document.getElementById("content")?.focus({ preventScroll: true });
    if (mod) await hydrateIslands(document.body);
  }

  // What the islands call: open a page, or record that the page changed in place (the filter).
  window.portalNavigate = (href) => go(new URL(href, location.href), true, null);
  window.portalPush = (href) => {
    remember();
    history.scrollRestoration = "manual";
    history.pushState({ scroll: scrollY }, "", href);
  };

  addEventListener("click", (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = ev.target instanceof Element && ev.target.closest("a[href]");
    if (!a || a.target || a.hasAttribute("download") || /\bexternal\b/.test(a.rel)) return;
    const url = new URL(a.href, location.href);
    if (!readerPage(url)) return;
    // A link within this page: the browser scrolls to it.
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    ev.preventDefault();
    go(url, true, null);
  });

  addEventListener("submit", (ev) => {
    const form = ev.target;
    if (ev.defaultPrevented || !(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "get") return;
    const url = new URL(form.action, location.href);
    if (!readerPage(url)) return;
    ev.preventDefault();
    url.search = new URLSearchParams(new FormData(form)).toString();
    go(url, true, null);
  });

  addEventListener("popstate", (ev) => go(new URL(location.href), false, ev.state?.scroll ?? 0));
}

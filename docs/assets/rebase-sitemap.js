/* Instant navigation works wherever the site is served (any host, port or path), not only at site_url:
   Material keeps a page list from sitemap.xml, whose URLs are absolute. Rebase them on this copy of the site.
   The site's URL and this page's base come from the script tag's data-site and data-base (docs/overrides/main.html);
   a file rather than an inline script, so that the Content-Security-Policy needs no 'unsafe-inline'. */
(() => {
  const me = document.currentScript;
  const site = me?.getAttribute("data-site");
  if (!site) return;
  const rel = me.getAttribute("data-base") || ".";
  const base = new URL(rel.endsWith("/") ? rel : `${rel}/`, location.href).href;
  if (base === site) return;
  const parse = DOMParser.prototype.parseFromString;
  DOMParser.prototype.parseFromString = function (text, type) {
    const doc = parse.call(this, text, type);
    if (type === "text/xml" && doc.documentElement?.localName === "urlset") {
      for (const loc of doc.getElementsByTagName("loc")) {
        const u = loc.textContent.trim();
        if (u.startsWith(site)) loc.textContent = base + u.slice(site.length);
      }
    }
    return doc;
  };
})();

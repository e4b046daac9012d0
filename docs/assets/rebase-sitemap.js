/* Instant navigation works wherever the site is served (any host, port or path), not only at site_url:
   Material keeps a page list from sitemap.xml, whose URLs are absolute. Rebase them on this copy of the site.
   The site's URL and this page's base come from the script tag's data-site and data-base (docs/overrides/main.html);
   a file rather than an inline script, so that the Content-Security-Policy needs no 'unsafe-inline'. */
(function () {
  var me = document.currentScript;
  var site = me && me.getAttribute("data-site");
  if (!site) return;
  var rel = me.getAttribute("data-base") || ".";
  var base = new URL(rel.charAt(rel.length - 1) === "/" ? rel : rel + "/", location.href).href;
  if (base === site) return;
  var parse = DOMParser.prototype.parseFromString;
  DOMParser.prototype.parseFromString = function (text, type) {
    var doc = parse.call(this, text, type);
    if (type === "text/xml" && doc.documentElement && doc.documentElement.localName === "urlset") {
      var locs = doc.getElementsByTagName("loc");
      for (var i = 0; i < locs.length; i++) {
        var u = locs[i].textContent.trim();
        if (u.indexOf(site) === 0) locs[i].textContent = base + u.slice(site.length);
      }
    }
    return doc;
  };
})();

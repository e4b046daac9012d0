/* The notebooks contain no mathematics, but mkdocs-jupyter's page template loads MathJax from a CDN unless a
   MathJax object already exists. This stub makes that loader a no-op, so the site requests nothing from
   another host. */
window.MathJax = window.MathJax || {
  startup: { promise: Promise.resolve() },
  typesetPromise: () => Promise.resolve(),
  typesetClear: () => {},
  texReset: () => {},
};

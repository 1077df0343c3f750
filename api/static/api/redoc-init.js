/* Starts Redoc on the schema named by the page (no inline script: the CSP forbids it). */
"use strict";
(function () {
  const root = document.getElementById("redoc");
  Redoc.init(root.dataset.schemaUrl, { hideDownloadButton: false }, root);
})();

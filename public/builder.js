/* The embed builder's copy button (/insluiten). The page is rendered by
 * the server alone, without the app's script, so this is all it runs. */
(function () {
  'use strict';
  var box = document.querySelector('.copy');
  var snippet = document.querySelector('pre.snippet');
  if (!box || !snippet || !navigator.clipboard) return;
  var status = box.querySelector('[role=status]');
  box.hidden = false;
  box.querySelector('button').addEventListener('click', function () {
    navigator.clipboard.writeText(snippet.textContent).then(
      function () { status.textContent = box.dataset.copied; },
      function () { status.textContent = box.dataset.failed; }
    );
  });
})();

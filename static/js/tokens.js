// API tokens page: a Copy button for the new token (shown once). Without a clipboard the
// button stays hidden and the token stays selectable in its field.
(function () {
  "use strict";
  const button = document.getElementById("copy-token");
  if (!button || !navigator.clipboard) return;
  const field = document.getElementById(button.dataset.target);
  const status = document.getElementById("copy-token-status");
  button.hidden = false;
  field.addEventListener("focus", function () { field.select(); });
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(
      function () { status.textContent = "Copied."; },
      function () { field.select(); status.textContent = "Select and copy it by hand."; }
    );
  });
})();

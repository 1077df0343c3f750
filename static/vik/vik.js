// Small behaviours that the CSP-safe markup cannot express on its own.
// Forms with data-confirm ask before submitting (e.g. revoking a grant).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
// After an htmx swap, move keyboard focus to the swapped region's heading if it asks for it.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target.querySelector("[data-focus-after-swap]");
  if (target) { target.focus(); }
});

// Keyboard shortcuts for reviewers: a button with data-shortcut="x" is pressed by the key x,
// unless the reviewer is typing in a field. Works on the queue, the review page and htmx-swapped panels.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  const button = document.querySelector(`[data-shortcut="${CSS.escape(event.key.toLowerCase())}"]`);
  if (!button) return;
  event.preventDefault();
  button.click();
});

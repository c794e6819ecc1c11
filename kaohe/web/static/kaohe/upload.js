// Upload progress for forms marked data-upload-progress: the bar follows the bytes sent,
// then the label says that the server is checking the file, which can take a while.
document.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.target.closest("[data-upload-progress]");
  const { loaded, total, lengthComputable } = event.detail;
  if (!form || !lengthComputable || !total) return;
  const bar = form.querySelector("[data-upload-bar]");
  const label = form.querySelector("[data-upload-label]");
  bar.value = Math.round((100 * loaded) / total);
  if (loaded >= total) label.textContent = label.dataset.checking;
});

// Page behaviour declared with data attributes, so no page needs inline event handlers (which the
// Content-Security-Policy forbids): data-autosubmit, data-print, data-confirm, data-history-back.
(function () {
  document.addEventListener("change", function (event) {
    const field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
    if (event.target.closest("[data-history-back]")) {
      if (window.history.length > 1) window.history.back(); else window.location.href = "/";
    }
  });
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();

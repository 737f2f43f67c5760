// Behaviour shared by every page, kept out of the templates: the Content-Security-Policy
// refuses inline scripts and on…= attributes.
//   <select data-auto-submit>  sends its form when the choice changes;
//   <button data-print>        opens the browser's print dialog.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-auto-submit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

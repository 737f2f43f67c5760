// Behaviour shared by every page, kept out of the templates: the Content-Security-Policy
// refuses inline scripts and on…= attributes.
//   <select data-auto-submit>  sends its form when the choice changes;
//   <button data-print>        opens the browser's print dialog.
//   <input data-school-suggest>  suggests schools as one types (below).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-auto-submit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// <input data-school-suggest="URL" list="ID">: a school box (name or code) fills its <datalist> with the
// schools matching what is typed, fetched from URL?q=…; the server still checks what is sent.
let schoolSuggestTimer;
document.addEventListener("input", (event) => {
  const field = event.target.closest("[data-school-suggest]");
  if (!field || !field.list) return;
  clearTimeout(schoolSuggestTimer);
  schoolSuggestTimer = setTimeout(async () => {
    const text = field.value.trim();
    if (text.length < 2) return;
    const url = new URL(field.dataset.schoolSuggest, window.location.href);
    url.searchParams.set("q", text);
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const { schools } = await response.json();
      field.list.replaceChildren(
        ...schools.map((school) => {
          const option = document.createElement("option");
          option.value = school.label;
          return option;
        }),
      );
    } catch {
      // No suggestions (offline, signed out): the box still works as plain text.
    }
  }, 250);
});

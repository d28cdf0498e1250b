/* comment-portal staff pages: ask before leaving a page with typed, unsaved text. Every page works without this
   file (it is a progressive extra). */
(function () {
  "use strict";

  // A staff form (a 归纳意见, a reason written for 40 minutes, a note) with words typed and not saved asks before the
  // page goes: a link, the back button, closing the tab (the browser's own 离开此网站？). Sending the form never asks.
  // GET forms (the queue's filters) and the login and password forms hold nothing to lose. A form the server gave back (an error, a save refused
  // because someone else changed the group meanwhile) holds unsaved text even where it equals what was shown.
  var forms = Array.prototype.filter.call(document.querySelectorAll("main form"), function (form) {
    return (form.getAttribute("method") || "get").toLowerCase() === "post" && !form.querySelector("input[type=password]") &&
      form.querySelector("textarea, input[type=text], input:not([type]), select");
  });
  if (!forms.length) return;
  var givenBack = function (form) {
    return !!(form.querySelector(".errors, .has-error") ||
              (form.previousElementSibling && form.previousElementSibling.matches(".alert[role=alert]")));
  };
  var changed = function (form) {
    var back = givenBack(form);
    return Array.prototype.some.call(form.querySelectorAll("textarea, input[type=text], input:not([type])"), function (box) {
      return box.value.trim() !== "" && (back || box.value !== box.defaultValue);
    }) || Array.prototype.some.call(form.querySelectorAll("select:not([multiple])"), function (select) {
      var shown = Array.prototype.findIndex.call(select.options, function (option) { return option.defaultSelected; });
      return select.selectedIndex !== Math.max(shown, 0);
    });
  };
  var sending = false;
  forms.forEach(function (form) {
    form.addEventListener("submit", function () { sending = true; });
  });
  window.addEventListener("pageshow", function () { sending = false; });
  window.addEventListener("beforeunload", function (event) {
    if (sending || !forms.some(changed)) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();

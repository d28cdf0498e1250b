/* comment-portal: small enhancements. Every page works without this file (it is a progressive extra). */
(function () {
  "use strict";

  // 大字版: switch in place (no reload, the reader keeps their place) by setting the same cookie the
  // link's server route sets. The link swaps its words with data-other-label.
  function isLarge() {
    return /(?:^|;\s*)text_size=large(?:;|$)/.test(document.cookie);
  }
  function show(large) {
    var root = document.documentElement;
    if (root.classList.contains("large-text") === large) return;
    root.classList.toggle("large-text", large);
    document.querySelectorAll("a[data-text-size]").forEach(function (link) {
      var next = large ? "standard" : "large";
      var words = link.getAttribute("data-other-label");
      link.setAttribute("data-other-label", link.textContent);
      link.textContent = words;
      link.setAttribute("data-text-size", next);
      link.href = link.href.replace(/\/text-size\/(large|standard)/, "/text-size/" + next);
    });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-text-size]") : null;
    if (!link) return;
    event.preventDefault();
    var large = link.getAttribute("data-text-size") === "large";
    var secure = location.protocol === "https:" ? "; secure" : "";
    document.cookie = "text_size=" + (large ? "large; max-age=31536000" : "; max-age=0") + "; path=/; samesite=lax" + secure;
    show(large);
  });
  // A page restored from the back/forward cache shows the size chosen since.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) show(isLarge());
  });

  // A comment form with words typed and not sent asks before the page goes (a link, the back button, closing the
  // window: the browser's own question). The form carries autocomplete="off", so a browser never puts a sent
  // comment, name or phone back into the form for the next person at a shared computer; this question keeps the
  // unsent text of the one at the keyboard. A form the server gave back (an error, a notice) holds unsent text too.
  var form = document.querySelector("form.comment-form");
  if (form) {
    var givenBack = !!document.querySelector(".error-summary, main .alert");
    var sending = false;
    var unsent = function () {
      return Array.prototype.some.call(form.querySelectorAll("textarea, input[type=text]"), function (box) {
        return box.value.trim() !== "" && (givenBack || box.value !== box.defaultValue);
      });
    };
    // Files over the limits are refused here, before the form goes: a body over the server's cap (a 40 MB scan) is
    // answered unread, and what was typed could not be given back. The server checks again either way.
    var files = form.querySelector("input[type=file][data-max-bytes]");
    var fileProblem = function () {
      var chosen = files && files.files ? files.files : [];
      var most = Number(files && files.getAttribute("data-max-files"));
      var limit = Number(files && files.getAttribute("data-max-bytes"));
      if (chosen.length > most) return "最多可上传" + most + "个附件，您选择了" + chosen.length + "个。";
      for (var i = 0; i < chosen.length; i++) {
        if (chosen[i].size > limit) {
          return "附件“" + chosen[i].name + "”有 " + (chosen[i].size / 1048576).toFixed(1) + " MB，单个附件不能超过 " +
            files.getAttribute("data-max-label") + "：请压缩或分成几个文件后重新选择。意见尚未提交，您填写的内容都还在。";
        }
      }
      return "";
    };
    form.addEventListener("submit", function (event) {
      var problem = files ? fileProblem() : "";
      var shown = document.getElementById("attachments-refused");
      if (!problem) {
        if (shown) shown.remove();
        sending = true;
        return;
      }
      event.preventDefault();
      if (!shown) {
        shown = document.createElement("p");
        shown.id = "attachments-refused";
        shown.className = "errors";
        shown.setAttribute("role", "alert");
        files.parentNode.insertBefore(shown, files);
      }
      shown.textContent = problem;
      files.focus();
    });
    window.addEventListener("pageshow", function () { sending = false; });
    window.addEventListener("beforeunload", function (event) {
      if (sending || !unsent()) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  // Error summary: start there, and let its links put the cursor into the field they name.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      var field = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
      if (!field) return;
      event.preventDefault();
      field.focus();
      field.scrollIntoView({block: "center"});
    });
  }
})();

// Checks a chosen file's type and size before it is sent, and shows upload progress (htmx).
(function () {
  "use strict";
  function check(input) {
    var max = parseInt(input.dataset.maxBytes || "0", 10);
    var allowed = (input.getAttribute("accept") || "").split(",").map(function (s) { return s.trim().toLowerCase(); });
    var message = "";
    Array.prototype.forEach.call(input.files || [], function (file) {
      var ext = "." + file.name.split(".").pop().toLowerCase();
      if (allowed.length && allowed[0] && allowed.indexOf(ext) < 0 && allowed.indexOf(file.type) < 0) {
        message = "Tệp " + file.name + " không đúng loại (nhận: " + allowed.join(", ") + ").";
      } else if (max && file.size > max) {
        message = "Tệp " + file.name + " lớn hơn " + Math.round(max / 1048576) + " MB.";
      }
    });
    input.setCustomValidity(message);
    var note = document.getElementById("c-" + input.id);
    if (note) { note.textContent = message; }
  }
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("input[type=file]")) { check(e.target); }
  });
  document.addEventListener("htmx:xhr:progress", function (e) {
    var bar = document.getElementById("upload-progress");
    if (bar && e.detail.lengthComputable) {
      bar.hidden = false;
      bar.value = Math.round(e.detail.loaded / e.detail.total * 100);
    }
  });
  // After htmx swaps an error summary in, move focus to it as a full page load would.
  document.addEventListener("htmx:afterSwap", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();

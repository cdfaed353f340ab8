// kezdocs workspace: the only script. Shows the fields of the chosen event; lets files be dropped on the
// upload form. Without it every form still works (all fields shown; the file input).
(function () {
  "use strict";
  function showEventFields() {
    var select = document.getElementById("event-kind");
    if (!select) return;
    var update = function () {
      document.querySelectorAll(".event-field").forEach(function (label) {
        var codes = (label.getAttribute("data-events") || "").split(" ");
        label.hidden = codes.indexOf(select.value) < 0;
      });
    };
    select.addEventListener("change", update);
    update();
  }
  function dropFiles() {
    var form = document.getElementById("upload-form"), input = document.getElementById("upload-input");
    if (!form || !input) return;
    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (e) { e.preventDefault(); form.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      form.addEventListener(name, function () { form.classList.remove("over"); });
    });
    form.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      input.files = e.dataTransfer.files;
      form.submit();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { showEventFields(); dropFiles(); });
})();

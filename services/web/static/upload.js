// Drag-and-drop onto the dossier's upload form; without this script the form works as it is.
(function () {
  "use strict";
  document.querySelectorAll("form.upload").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector("[data-drop]");
    var chosen = form.querySelector("[data-chosen]");
    if (!input || !zone || !window.DataTransfer) {
      return;
    }
    zone.hidden = false;
    function show() {
      chosen.textContent = input.files.length ? input.files[0].name : "";
    }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("over");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer.files;
      if (!files.length) {
        return;
      }
      var one = new DataTransfer(); // the form posts one document at a time
      one.items.add(files[0]);
      input.files = one.files;
      show();
    });
    input.addEventListener("change", show);
  });
})();

// The "Print" button of "My plan" (a file, not inline script: the Content-Security-Policy forbids those).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-plan");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }
});

/* Bulk assignment: "全选" ticks every task box on the page (the boxes work without it). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll("input[name=tasks]").forEach(function (box) { box.checked = all.checked; });
  });
});

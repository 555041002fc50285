// The broadcast form's live counter: characters and SMS parts as the message is typed, with
// the same rule as seva.notify.sms.sms_parts (160/153 in the GSM alphabet, 70/67 otherwise:
// any Hindi letter). The alphabet and the limit come from the field's data attributes.
(function () {
  "use strict";

  function parts(text, gsm, extended) {
    var isGsm = true;
    var length = 0;
    for (var ch of text) {
      if (gsm.has(ch)) { length += 1; }
      else if (extended.has(ch)) { length += 2; }
      else { isGsm = false; break; }
    }
    var single = 160, multi = 153;
    if (!isGsm) {
      length = 0;
      for (var c of text) { length += c.codePointAt(0) > 0xffff ? 2 : 1; }
      single = 70; multi = 67;
    }
    if (length <= single) { return { length: length, parts: length ? 1 : 0 }; }
    return { length: length, parts: Math.ceil(length / multi) };
  }

  function setUp(field) {
    var output = document.getElementById(field.dataset.smsCounter);
    if (!output) { return; }
    // Shown under the message it counts (the form's fields are rendered by a shared partial).
    var block = field.closest(".field");
    if (block) { block.appendChild(output); }
    var gsm = new Set(Array.from(field.dataset.gsm || ""));
    gsm.add("\n"); gsm.add("\r");
    var extended = new Set(Array.from(field.dataset.gsmExtended || ""));
    var max = parseInt(field.dataset.maxParts || "3", 10);
    var template = output.dataset.template || "__CHARS__ / __PARTS__ / __MAX__";
    function update() {
      var counted = parts(field.value, gsm, extended);
      output.textContent = template
        .replace("__CHARS__", String(Array.from(field.value).length))
        .replace("__PARTS__", String(counted.parts))
        .replace("__MAX__", String(max));
      output.classList.toggle("error", counted.parts > max);
    }
    field.addEventListener("input", update);
    update();
  }

  function init() {
    document.querySelectorAll("textarea[data-sms-counter]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

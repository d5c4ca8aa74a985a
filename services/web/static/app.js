/* Censo dashboard: input filtering and live field validation (the server remains the authority),
   copy and print buttons, select-all, closing alerts, and catching up after the live stream reconnects. */
(function () {
  "use strict";

  var FILTERS = {
    digits: /[^0-9]/g,
    phone: /[^0-9+]/g,
    letters: /[^\p{L}' ’\-]/gu,
    code: /[^A-Za-z0-9]/g
  };

  function valueOf(id) {
    var element = document.getElementById(id);
    return element ? element.value : "";
  }

  var RULES = {
    cedula: function (v) {
      if (!v) return "Cédula: es obligatoria.";
      return /^[1-9][0-9]{2,9}$/.test(v) ? "" : "Cédula: debe tener entre 3 y 10 dígitos y no empezar por cero.";
    },
    nombre: function (v) {
      var name = v.trim().replace(/\s+/g, " ");
      if (name.length < 3) return "Nombre completo: debe tener al menos 3 caracteres.";
      return /^\p{L}[\p{L}' ’\-]*$/u.test(name) ? "" : "Nombre completo: solo puede tener letras (con tildes), espacios, apóstrofos y guiones.";
    },
    telefono: function (v) {
      var phone = v.replace(/^\+57/, "").replace(/^57(?=\d{10}$)/, "");
      if (!v) return "Teléfono: es obligatorio.";
      return /^(3\d{9}|60[1-8]\d{7})$/.test(phone) ? "" : "Teléfono: debe ser un celular de 10 dígitos que empiece por 3, o un fijo que empiece por 60.";
    },
    password: function (v) {
      if (v.length < 8) return "Contraseña: debe tener al menos 8 caracteres.";
      if (/^\d+$/.test(v)) return "Contraseña: no puede tener solo números.";
      var cedula = valueOf("f-cedula");
      if (cedula && v.indexOf(cedula) !== -1) return "Contraseña: no puede ser ni contener la cédula.";
      return "";
    },
    confirm: function (v, input) {
      return v === valueOf(input.dataset.match) ? "" : "Confirmar contraseña: no coincide.";
    },
    goal: function (v) {
      var goal = Number(v);
      return Number.isInteger(goal) && goal >= 1 && goal <= 10000 ? "" : "Meta de referidos: debe estar entre 1 y 10.000.";
    },
    policy: function (_v, input) {
      return input.checked ? "" : "Política de tratamiento de datos: debe aceptarla para registrarse.";
    }
  };

  function validate(input) {
    var rule = RULES[input.dataset.validate];
    if (!rule) return true;
    var message = rule(input.value, input);
    input.setCustomValidity(message);
    input.setAttribute("aria-invalid", message ? "true" : "false");
    var error = document.getElementById(input.id + "-error");
    if (error) error.textContent = message;
    var field = input.closest(".field");
    if (field) field.classList.toggle("field--invalid", Boolean(message));
    return !message;
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    var filter = FILTERS[input.dataset && input.dataset.filter];
    if (filter) {
      var cleaned = input.value.replace(filter, "");
      if (input.dataset.filter === "code") cleaned = cleaned.toUpperCase();
      if (cleaned !== input.value) input.value = cleaned;
    }
    if (input.dataset && input.dataset.touched) validate(input);
    var dependent = document.querySelector('[data-match="' + input.id + '"]');
    if (dependent && dependent.dataset.touched) validate(dependent);
  });

  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (input.dataset && input.dataset.validate && input.value) {
      input.dataset.touched = "1";
      validate(input);
    }
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "checkbox" && input.dataset.validate) {
      input.dataset.touched = "1";
      validate(input);
    }
    if (input.matches && input.matches("[data-select-all]")) {
      var table = input.closest("table");
      table.querySelectorAll('input[name="user_ids"]').forEach(function (box) {
        box.checked = input.checked;
      });
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var first = null;
    form.querySelectorAll("[data-validate]").forEach(function (input) {
      input.dataset.touched = "1";
      if (!validate(input) && !first) first = input;
    });
    if (first) {
      event.preventDefault();
      first.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.querySelector(copy.dataset.copy);
      var done = function () {
        var label = copy.textContent;
        copy.textContent = "¡Copiado!";
        setTimeout(function () { copy.textContent = label; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done);
      } else {
        source.select();
        document.execCommand("copy");
        done();
      }
    }
    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) dismiss.closest(".alert").remove();
    if (event.target.closest("[data-print]")) window.print();  // a witnesses' list on paper
  });

  // Live updates: after the stream comes back (server restart, network), fetch every live
  // fragment again, since changes may have happened meanwhile.
  var opened = 0;
  document.addEventListener("htmx:sseOpen", function () {
    opened += 1;
    var status = document.getElementById("estado-conexion");
    if (status) status.hidden = true;
    if (opened > 1) htmx.trigger(document.body, "resync");
  });
  document.addEventListener("htmx:sseError", function () {
    var status = document.getElementById("estado-conexion");
    if (status && opened > 0) status.hidden = false;
  });
})();

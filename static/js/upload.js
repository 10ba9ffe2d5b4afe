// Uploads each chosen file to the claim-files API on its own request, showing upload
// progress, then follows its status URL until it is processed or failed. The server tells
// an 835 (booked as a remittance) from an 837, 277CA or 999 (read as a claim file).
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  const input = document.getElementById("files");
  const drop = document.getElementById("drop");
  const table = document.getElementById("uploads");
  const tbody = table.querySelector("tbody");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const endpoint = form.dataset.endpoint;

  function text(el, value) { el.textContent = value; return el; }

  function row(file) {
    const tr = document.createElement("tr");
    const name = text(document.createElement("td"), file.name);
    const progressCell = document.createElement("td");
    const bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    progressCell.appendChild(bar);
    const result = text(document.createElement("td"), "Waiting…");
    result.className = "result";
    tr.append(name, progressCell, result);
    tbody.appendChild(tr);
    table.hidden = false;
    return { bar, result };
  }

  function link(result, body, label) {
    result.textContent = "";
    const a = document.createElement("a");
    const kind = body.kind || "835";
    if (kind === "835") { a.href = "/remittances/" + body.id + "/"; }
    else if (kind === "837") { a.href = "/claims/?file=" + body.id; }
    else { a.href = "/claims/?status=rejected"; }
    a.textContent = label;
    result.appendChild(a);
  }

  function describe(body) {
    const c = body.counts || {};
    const kind = body.kind || "835";
    let what;
    if (kind === "835") { what = "835: " + c.claims + " claims, " + c.denials + " denials"; }
    else if (kind === "837") { what = "837: " + c.claims + " claims submitted"; }
    else { what = kind + ": " + c.accepted + " accepted, " + c.rejected + " rejected"; }
    return what +
      (body.warnings && body.warnings.length ? ", " + body.warnings.length + " warnings" : "");
  }

  function follow(ui, body) {
    if (body.status === "processed") {
      link(ui.result, body, (body.duplicate ? "Already received: " : "Booked: ") + describe(body));
      ui.result.classList.add("ok");
      return;
    }
    if (body.status === "failed") {
      link(ui.result, body, "Rejected: " + body.error);
      ui.result.classList.add("error");
      return;
    }
    ui.result.textContent = "Processing…";
    setTimeout(function () {
      fetch(body.status_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (next) { next.duplicate = body.duplicate; follow(ui, next); })
        .catch(function () { follow(ui, body); });
    }, 1000);
  }

  function send(file) {
    const ui = row(file);
    const data = new FormData();
    data.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", endpoint);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        ui.bar.value = Math.round((e.loaded / e.total) * 100);
        ui.result.textContent = "Uploading… " + ui.bar.value + "%";
      }
    };
    xhr.onload = function () {
      ui.bar.value = 100;
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
      if (xhr.status === 202 || xhr.status === 200) { follow(ui, body); return; }
      if (xhr.status === 503 && body.id) {
        // Stored; the task queue is down. It is booked once the queue is back: keep following.
        ui.result.textContent = body.detail;
        setTimeout(function () { follow(ui, body); }, 5000);
        return;
      }
      if (body.id) { link(ui.result, body, "Rejected: " + (body.detail || body.error)); }
      else { ui.result.textContent = "Rejected: " + (body.detail || ("HTTP " + xhr.status)); }
      ui.result.classList.add("error");
    };
    xhr.onerror = function () {
      ui.result.textContent = "Upload failed: the connection was interrupted. Try again.";
      ui.result.classList.add("error");
    };
    xhr.send(data);
  }

  const noFile = document.getElementById("no-file");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    noFile.hidden = input.files.length > 0;  // an upload with no file says so
    Array.from(input.files).forEach(send);
    input.value = "";
  });
  ["dragover", "dragenter"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    drop.addEventListener(t, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    Array.from(e.dataTransfer.files).forEach(send);
  });
})();

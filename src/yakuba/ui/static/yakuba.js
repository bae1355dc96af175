/* yakuba 窓口画面の小さなスクリプト（ビルド不要・外部資材なし）。
 *
 * - 変更を伴う送信は fetch() で行い、<meta name="csrf-token"> の値を X-CSRF-Token ヘッダーに入れる
 *   （サーバーの CSRF 検査はヘッダーだけを見るため）。業務目的の申告があれば X-Yakuba-Purpose も付ける。
 * - 応答（JSON）の redirect へ移動し、confirm は確認画面として表示し、result はフォームの下に表示し、
 *   errors は項目ごとに表示する。
 * - 日付・続柄・フリガナは入力欄を離れたときにサーバーで検査し、API と同じ日本語のメッセージを出す。
 */
(function () {
  "use strict";

  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute("content") : "";
  }

  function headers() {
    var h = { "X-CSRF-Token": meta("csrf-token"), Accept: "application/json" };
    var purpose = meta("yakuba-purpose");
    if (purpose) h["X-Yakuba-Purpose"] = encodeURIComponent(purpose);
    return h;
  }

  function send(url, data) {
    return fetch(url, {
      method: "POST",
      headers: headers(),
      body: new URLSearchParams(data),
      credentials: "same-origin",
    }).then(function (r) {
      if (r.status === 401) {
        window.location.assign("/login");
        return { status: 401, body: {} };
      }
      if ((r.headers.get("Content-Type") || "").indexOf("application/pdf") === 0) {
        return r.blob().then(function (blob) { return { status: r.status, body: {}, pdf: blob, headers: r.headers }; });
      }
      return r.json().then(
        function (body) { return { status: r.status, body: body }; },
        function () { return { status: r.status, body: { detail: "サーバーの応答を読み取れませんでした（" + r.status + "）" } }; }
      );
    }, function () {
      return { status: 0, body: { detail: "サーバーに接続できません。ネットワークを確認してください" } };
    });
  }

  function findField(form, field) {
    if (!field || !form) return null;
    var all = form.querySelectorAll("[data-label]");
    var i;
    for (i = 0; i < all.length; i++) if (all[i].getAttribute("data-label-n") === field) return all[i];
    for (i = 0; i < all.length; i++) if (all[i].getAttribute("data-label") === field) return all[i];
    for (i = 0; i < all.length; i++) if (all[i].getAttribute("data-label").indexOf(field + "（") === 0) return all[i];
    return null;
  }

  function hintOf(input) {
    var id = input.getAttribute("aria-describedby");
    return id ? document.getElementById(id.split(" ")[0]) : null;
  }

  function clearErrors(form) {
    if (!form) return;
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      var hint = hintOf(el);
      if (hint && hint.dataset.error) { hint.textContent = hint.dataset.original || ""; delete hint.dataset.error; hint.classList.remove("bad"); }
    });
  }

  function showErrors(form, body) {
    var box = document.getElementById("form-errors");
    var errors = body.errors || [];
    if (!errors.length) errors = [{ field: "", message: body.detail || "処理できませんでした" }];
    clearErrors(form);
    var list = document.createElement("ul");
    errors.forEach(function (e) {
      var li = document.createElement("li");
      var input = findField(form, e.field);
      if (input) {
        input.setAttribute("aria-invalid", "true");
        var hint = hintOf(input);
        if (hint) {
          if (!hint.dataset.error) hint.dataset.original = hint.textContent;
          hint.dataset.error = "1"; hint.textContent = e.message; hint.classList.add("bad");
        }
        var details = input.closest("details");
        if (details) details.open = true;
        var a = document.createElement("a");
        a.href = "#" + input.id; a.textContent = e.message;
        a.addEventListener("click", function (ev) { ev.preventDefault(); input.focus(); });
        li.appendChild(a);
      } else {
        li.textContent = e.message;
      }
      list.appendChild(li);
    });
    if (!box) { window.alert(errors.map(function (e) { return e.message; }).join("\n")); return; }
    box.innerHTML = "";
    var title = document.createElement("p");
    title.textContent = body.detail && errors.length > 1 ? body.detail : "次の点を確認してください";
    box.appendChild(title);
    box.appendChild(list);
    box.hidden = false;
    box.focus();
  }

  function handle(form, result) {
    var body = result.body || {};
    if (body.redirect) { window.location.assign(body.redirect); return; }
    if (body.confirm !== undefined) { showConfirm(form, body.confirm, body.pdf); return; }
    if (body.result !== undefined) { showResult(form, body.result); return; }
    showErrors(form, body);
  }

  // A read-only answer (the 税額試算): shown under the form, which stays for the next figures.
  function showResult(form, html) {
    var box = document.getElementById("form-errors");
    if (box) box.hidden = true;
    clearErrors(form);
    var target = document.getElementById("result");
    target.innerHTML = html;
    var first = target.querySelector("[tabindex]") || target;
    first.focus();
  }

  function pdfBlob(b64) {
    var bytes = atob(b64), buf = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) buf[i] = bytes.charCodeAt(i);
    return new Blob([buf], { type: "application/pdf" });
  }

  function download(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function issued(section, commit, result) {
    var disposition = result.headers.get("Content-Disposition") || "";
    var match = /filename="([^"]+)"/.exec(disposition);
    download(result.pdf, match ? match[1] : "certificate.pdf");
    var note = section.querySelector("#issued");
    var fee = result.headers.get("X-Fee");
    note.textContent = "発行しました（発行番号 " + (result.headers.get("X-Issuance-Id") || "") + "・手数料 " +
      (fee || "0") + "円）。PDF を保存しました。";
    note.hidden = false;
    commit.hidden = true;
    note.focus();
  }

  function showConfirm(form, html, pdf) {
    var section = document.getElementById("confirm");
    var box = document.getElementById("form-errors");
    if (box) box.hidden = true;
    section.innerHTML = html;
    form.hidden = true;
    section.hidden = false;
    document.title = "確認 — " + document.title.replace(/^確認 — /, "");
    var commit = section.querySelector('[data-action="commit"]');
    var preview = section.querySelector("#preview-link");
    if (preview && pdf) preview.href = URL.createObjectURL(pdfBlob(pdf));
    var firstCheck = section.querySelector('input[type="checkbox"]');
    (firstCheck || commit).focus();
    commit.addEventListener("click", function () {
      var data = new FormData(form);
      data.set("step", "commit");
      var ack = section.querySelector("#confirm_alerts");
      if (ack && ack.checked) data.set("confirm_alerts", "true");
      commit.disabled = true;
      send(form.action, data).then(function (result) {
        commit.disabled = false;
        if (result.pdf) { issued(section, commit, result); return; }
        if (result.body && result.body.redirect) { window.location.assign(result.body.redirect); return; }
        backToForm(form, section);
        showErrors(form, result.body || {});
      });
    });
    section.querySelector('[data-action="edit"]').addEventListener("click", function () {
      backToForm(form, section);
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  }

  function backToForm(form, section) {
    section.hidden = true;
    section.innerHTML = "";
    form.hidden = false;
    document.title = document.title.replace(/^確認 — /, "");
  }

  function wireForms() {
    document.querySelectorAll("form[data-ajax]").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var button = form.querySelector('button[type="submit"]');
        if (button) button.disabled = true;
        send(form.action, new FormData(form)).then(function (result) {
          if (button) button.disabled = false;
          handle(form, result);
        });
      });
    });
    document.querySelectorAll("button[data-post]").forEach(function (button) {
      button.addEventListener("click", function () {
        var question = button.getAttribute("data-confirm");
        if (question && !window.confirm(question)) return;
        button.disabled = true;
        send(button.getAttribute("data-post"), new FormData()).then(function (result) {
          button.disabled = false;
          handle(null, result);
        });
      });
    });
    document.querySelectorAll('[data-action="back"]').forEach(function (b) {
      b.addEventListener("click", function () { window.history.back(); });
    });
  }

  /* 入力欄を離れたときの検査: 日付は和暦で読み上げ、誤りは API と同じ文言で示す。 */
  var CHECKS = { date: "/ui/validate/date", zokugara: "/ui/validate/zokugara", kana: "/ui/validate/kana" };

  function liveCheck(input) {
    var kind = input.getAttribute("data-validate");
    var hint = hintOf(input);
    if (!hint) return;
    if (hint.dataset.original === undefined) hint.dataset.original = hint.textContent;
    var value = input.value.trim();
    if (!value) {
      input.removeAttribute("aria-invalid");
      hint.textContent = hint.dataset.original; hint.classList.remove("bad", "good");
      return;
    }
    var label = (input.getAttribute("data-label") || "").replace(/（.*$/, "");
    var q = new URLSearchParams({ value: value, field: label });
    if (input.getAttribute("data-calendar")) q.set("calendar", input.getAttribute("data-calendar"));
    fetch(CHECKS[kind] + "?" + q.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body || input.value.trim() !== value) return;
        if (body.ok) {
          input.removeAttribute("aria-invalid");
          hint.textContent = body.message ? "→ " + body.message : hint.dataset.original;
          hint.classList.remove("bad"); hint.classList.toggle("good", !!body.message);
          delete hint.dataset.error;
        } else {
          input.setAttribute("aria-invalid", "true");
          hint.textContent = body.message; hint.classList.add("bad"); hint.classList.remove("good");
          hint.dataset.error = "1";
        }
      }, function () {});
  }

  function wireChecks(root) {
    root.querySelectorAll("input[data-validate]").forEach(function (input) {
      var timer = null;
      input.addEventListener("change", function () { liveCheck(input); });
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { liveCheck(input); }, 600);
      });
    });
  }

  /* 転入届: 人を追加する（<template> を複製し、番号を振る）。 */
  function wirePersons() {
    var button = document.querySelector('[data-action="add-person"]');
    var template = document.getElementById("person-template");
    var holder = document.getElementById("persons");
    if (!button || !template || !holder) return;
    button.addEventListener("click", function () {
      var i = holder.querySelectorAll("fieldset.person").length;
      if (i >= 9) return;
      var html = template.innerHTML.split("__i__").join(String(i)).split("__n__").join(String(i + 1));
      var box = document.createElement("div");
      box.innerHTML = html;
      var fieldset = box.firstElementChild;
      holder.appendChild(fieldset);
      wireChecks(fieldset);
      var first = fieldset.querySelector("input");
      if (first) first.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    wireForms();
    wireChecks(document);
    wirePersons();
  });
})();

// The preview page: follows the server's event stream, explains blocks and notes,
// marks warnings, searches the library and adds a block where the reader points.
"use strict";
const token = document.querySelector('meta[name="lettersmith-token"]').content;
const $ = (id) => document.getElementById(id);
const letter = $("letter"), tip = $("tip");
let state = { notes: {}, body: [] }, shownHtml = null, chosen = null;

function text(tag, content, cls) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (cls) el.className = cls;
  return el;
}

function show(next) {
  state = next;
  $("error").hidden = !next.error;
  $("error").textContent = next.error || "";
  document.body.classList.toggle("has-error", !!next.error);
  if (next.html !== shownHtml) {
    const x = window.scrollX, y = window.scrollY;
    letter.innerHTML = next.html;
    shownHtml = next.html;
    window.scrollTo(x, y);  // the reader stays where they were
  }
  markWarnings(next.warnings || []);
  choose(chosen !== null && chosen < next.body.length ? chosen : null);
  $("status").textContent = (next.error ? "error (the last good letter is shown)" : "up to date")
    + ` \u00b7 build ${next.version} \u00b7 ${next.ms} ms`;
  document.body.dataset.version = next.version;
}

function markWarnings(warnings) {
  letter.querySelectorAll(".warned").forEach((el) => el.classList.remove("warned"));
  const list = $("warnings").querySelector("ul");
  list.replaceChildren(...warnings.map((w) => text("li", w.text)));
  $("warnings").hidden = !warnings.length;
  for (const w of warnings) {
    const targets = [
      ...w.snippets.flatMap((id) => [...letter.querySelectorAll(".snippet")].filter((d) => d.dataset.snippet === id)),
      ...w.notes.flatMap((n) => [...letter.querySelectorAll(`sup[data-note="${n}"], li#fn${n}`)]),
    ];
    for (const el of targets) {
      el.classList.add("warned");
      el.dataset.warning = ((el.dataset.warning || "") + "\n" + w.text).trim();
    }
  }
}

// ------------------------------------------------------------------ hover: provenance
letter.addEventListener("mousemove", (event) => {
  const block = event.target.closest(".snippet");
  const item = event.target.closest(".body-item");
  if (!block && !item) { tip.hidden = true; return; }
  const d = (block || item).dataset;
  if (block) {
    tip.replaceChildren(text("b", d.snippet), text("div", d.title),
                        text("div", d.origin ? "origin: " + d.origin : "origin: not recorded"));
  } else {
    tip.replaceChildren(text("b", `body item ${Number(d.n) + 1}`),
                        text("div", (state.body[d.n] || "") + " (written in the brief)"));
  }
  for (const w of (d.warning || "").split("\n").filter(Boolean)) tip.append(text("div", "\u26a0 " + w, "warn"));
  tip.style.left = Math.min(event.clientX + 14, window.innerWidth - 420) + "px";
  tip.style.top = (event.clientY + 16) + "px";
  tip.hidden = false;
});
letter.addEventListener("mouseleave", () => { tip.hidden = true; });

// ------------------------------------------------------------------ click: note, insertion point
letter.addEventListener("click", (event) => {
  const link = event.target.closest("a[href^='http']");
  if (link) {  // a source's address: in a new tab, so the preview stays
    event.preventDefault();
    window.open(link.href, "_blank", "noopener,noreferrer");
    return;
  }
  const note = event.target.closest("sup[data-note], section.notes li");
  if (note) {
    event.preventDefault();
    showNote(note.dataset.note || note.id.replace("fn", ""));
    return;
  }
  const item = event.target.closest(".body-item");
  if (item && !event.target.closest("a")) choose(Number(item.dataset.n));
});

function showNote(number) {
  const info = state.notes[number];
  const panel = $("note");
  panel.hidden = false;
  if (!info) { panel.replaceChildren(text("p", `note ${number}: not in the letter any more`)); return; }
  panel.replaceChildren(text("h2", `Note ${info.label}`));
  if (!info.cites.length) panel.append(text("p", "cites no source"));
  for (const c of info.cites) {
    const box = document.createElement("div");
    box.className = "cite";
    const head = document.createElement("div");
    head.append(text("span", c.form, "form"), " ", text("span", c.reason));
    const full = document.createElement("div");
    full.innerHTML = c.full;  // built by the HTML writer, escaped there
    box.append(head, full, text("div", `${c.id} (${c.type}) \u00b7 ${c.where}`, "meta"));
    panel.append(box);
  }
}

function choose(n) {
  chosen = n;
  letter.querySelectorAll(".body-item.chosen").forEach((el) => el.classList.remove("chosen"));
  if (n !== null) letter.querySelector(`.body-item[data-n="${n}"]`)?.classList.add("chosen");
  $("where").textContent = n === null
    ? "New blocks go at the end of the body. Click a paragraph of the letter to add after it."
    : `New blocks go after body item ${n + 1} (${state.body[n] || ""}).`;
}

// ------------------------------------------------------------------ search and add
let pending = null;
$("search").addEventListener("input", () => {
  clearTimeout(pending);
  pending = setTimeout(runSearch, 150);
});

async function runSearch() {
  const q = $("search").value.trim();
  const results = $("results");
  if (!q) { results.replaceChildren(); return; }
  const reply = await fetch(`/search?token=${encodeURIComponent(token)}&q=${encodeURIComponent(q)}`);
  const hits = await reply.json();
  if (q !== $("search").value.trim()) return;  // a newer search is on its way
  results.replaceChildren(...(hits.length ? hits.map(hitCard) : [text("p", "nothing matches")]));
}

function hitCard(hit) {
  const card = document.createElement("article");
  card.className = "hit";
  card.dataset.id = hit.id;
  const head = document.createElement("header");
  const add = text("button", "Add", "add");
  add.addEventListener("click", () => addBlock(hit.id));
  head.append(text("span", hit.kind, "kind"), text("span", hit.id, "id"), text("span", hit.score, "kind"), add);
  const body = document.createElement("div");
  body.className = "body";
  body.innerHTML = hit.html;  // rendered by the HTML writer
  body.querySelectorAll("[id]").forEach((el) => el.removeAttribute("id"));
  body.title = hit.title + (hit.origin ? "\norigin: " + hit.origin : "");
  card.append(head, body);
  return card;
}

async function addBlock(id) {
  const reply = await fetch("/add", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Lettersmith-Token": token },
    body: JSON.stringify({ id, after: chosen }),
  });
  const answer = await reply.json();
  if (answer.error && !reply.ok) { $("status").textContent = answer.error; return; }
  choose(answer.index);
}

// ------------------------------------------------------------------ the event stream
const events = new EventSource(`/events?token=${encodeURIComponent(token)}`);
events.onmessage = (event) => show(JSON.parse(event.data));
events.onerror = () => { $("status").textContent = "lost the server; is lettersmith preview still running?"; };

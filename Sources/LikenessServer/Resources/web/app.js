// The artists' enrolment page: plain JavaScript over the likeness API (/v1), no libraries.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem("likeness-token") || "", me: null, clips: [] };

function say(text, kind) {
  const status = $("status");
  status.textContent = text || "";
  status.className = kind || "";
}

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// One API call; the JSON answer, or an Error carrying the server's message.
async function api(method, path, body) {
  const headers = { Authorization: "Bearer " + state.token };
  let payload = body;
  if (body && !(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) {
    const error = new Error((data && data.error) || response.status + " " + response.statusText);
    error.status = response.status;
    throw error;
  }
  return data;
}

// --- Sign in -------------------------------------------------------------------------------------------------

async function signIn(token) {
  state.token = token.trim();
  try {
    state.me = await api("GET", "/v1/version");
  } catch (error) {
    state.me = null;
    sessionStorage.removeItem("likeness-token");
    say("Sign-in failed: " + error.message, "bad");
    return;
  }
  sessionStorage.setItem("likeness-token", state.token);
  $("whoami").textContent = "Signed in as " + state.me.role + (state.me.artist_id ? " for artist " + state.me.artist_id : "")
    + " (token " + state.me.token_id + ").";
  $("signout").hidden = false;
  $("enrol-section").hidden = state.me.role === "examiner";
  $("id-row").hidden = state.me.role !== "admin";
  $("list-section").hidden = false;
  say("");
  const consent = await api("GET", "/v1/consent-text");
  $("consent-text").textContent = consent.text;
  await refresh();
}

function signOut() {
  sessionStorage.removeItem("likeness-token");
  location.reload();
}

// --- Recording (MediaRecorder, converted to 16-bit WAV in the browser so the server needs no WebM decoder) -----

let recorder = null;

async function startRecording() {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.ondataavailable = (event) => chunks.push(event.data);
    recorder.onstop = async () => {
      stream.getTracks().forEach((track) => track.stop());
      const wav = await toWAV(new Blob(chunks, { type: recorder.mimeType }));
      addClip(new File([wav], "recording-" + (state.clips.length + 1) + ".wav", { type: "audio/wav" }));
      $("recording-state").textContent = "";
    };
    recorder.start();
    $("record").disabled = true;
    $("stop").disabled = false;
    $("recording-state").textContent = "Recording... speak naturally for 10 to 30 seconds.";
  } catch (error) {
    say("Cannot record here (" + error.message + "); upload a file instead.", "bad");
  }
}

function stopRecording() {
  if (recorder && recorder.state !== "inactive") recorder.stop();
  $("record").disabled = false;
  $("stop").disabled = true;
}

async function toWAV(blob) {
  const context = new AudioContext();
  const audio = await context.decodeAudioData(await blob.arrayBuffer());
  const samples = audio.getChannelData(0), rate = audio.sampleRate;
  const buffer = new ArrayBuffer(44 + samples.length * 2), view = new DataView(buffer);
  const text = (offset, s) => { for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i)); };
  text(0, "RIFF"); view.setUint32(4, 36 + samples.length * 2, true); text(8, "WAVE");
  text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
  text(36, "data"); view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  context.close();
  return buffer;
}

function addClip(file) {
  state.clips.push(file);
  const item = document.createElement("li");
  item.textContent = file.name + " (" + Math.round(file.size / 1024) + " KiB)";
  $("recordings").appendChild(item);
}

// --- Enrolment -------------------------------------------------------------------------------------------------

async function enrol(event) {
  event.preventDefault();
  const files = state.clips.concat(Array.from($("files").files));
  if (!$("name").value.trim()) return say("Give your name.", "bad");
  if (files.length === 0) return say("Record or choose at least one clip.", "bad");
  if (!$("consent-accept").checked) return say("Read the consent statement and tick the box to accept it.", "bad");
  const form = new FormData();
  form.append("name", $("name").value.trim());
  if (!$("id-row").hidden && $("artist-id").value.trim()) form.append("id", $("artist-id").value.trim());
  form.append("consent", $("consent-text").textContent);
  files.forEach((file) => form.append("clips", file, file.name));
  say("Analysing your recordings...");
  $("enrol").disabled = true;
  try {
    const result = await api("POST", "/v1/artists", form);
    showResult(result);
    say("Enrolled.", "ok");
    state.clips = [];
    $("recordings").textContent = "";
    $("files").value = "";
    await refresh(result.artist.id);
  } catch (error) {
    $("result").innerHTML = "";
    say("Not enrolled: " + error.message, "bad");
  } finally {
    $("enrol").disabled = false;
  }
}

function showResult(result) {
  const a = result.artist;
  let html = "<p class='ok'>" + (result.created ? "Enrolled" : "Updated") + " <b>" + escapeHTML(a.name) + "</b> (id "
    + escapeHTML(a.id) + "): " + result.added.length + " new clip(s), " + a.clips + " clip(s) and "
    + a.speech_seconds.toFixed(1) + " s of speech in all.</p>";
  if (result.skipped_duplicates.length) html += "<p>" + result.skipped_duplicates.length + " clip(s) were already enrolled.</p>";
  html += "<h3>Quality checks</h3><ul>";
  html += result.rejected.map((r) => "<li class='bad'>Refused " + escapeHTML(r.file) + ": " + escapeHTML(r.reason) + "</li>").join("");
  html += result.warnings.map((w) => "<li class='warn'>" + escapeHTML(w) + "</li>").join("");
  if (!result.rejected.length && !result.warnings.length) html += "<li class='ok'>Every clip passed: enough speech, no clipping, one voice.</li>";
  $("result").innerHTML = html + "</ul>";
}

// --- The artist's voiceprint and the list --------------------------------------------------------------------

async function refresh(selected) {
  const artists = await api("GET", "/v1/artists");
  $("artists").innerHTML = artists.map((a) => "<tr data-id='" + escapeHTML(a.id) + "'><td>" + escapeHTML(a.id) + "</td><td>"
    + escapeHTML(a.name) + "</td><td>" + a.clips + "</td><td>" + a.speech_seconds.toFixed(1) + "</td><td>"
    + escapeHTML(a.consent_state.status) + "</td></tr>").join("");
  const id = (state.me && state.me.artist_id) || selected || state.selected;
  state.selected = id;
  if (!id || !artists.some((a) => a.id === id)) { $("artist-section").hidden = true; return; }
  const detail = await api("GET", "/v1/artists/" + encodeURIComponent(id));
  const consent = detail.consent_state;
  $("artist-detail").innerHTML = "<p><b>" + escapeHTML(detail.name) + "</b> (id " + escapeHTML(detail.id) + "): "
    + detail.clips.length + " clip record(s), " + detail.speech_seconds.toFixed(1) + " s of speech.</p>"
    + "<p id='consent-status'>Consent: <b>" + escapeHTML(consent.status) + "</b>"
    + (consent.recorded_at ? " (recorded " + escapeHTML(consent.recorded_at) + ")" : "") + "</p>"
    + (consent.text ? "<blockquote>" + escapeHTML(consent.text) + "</blockquote>" : "");
  $("withdraw").disabled = consent.status !== "given";
  $("artist-section").hidden = false;
}

async function withdraw() {
  try {
    await api("POST", "/v1/artists/" + encodeURIComponent(state.selected) + "/consent", { withdraw: true });
    say("Consent withdrawn: your voiceprint is no longer searched.", "ok");
    await refresh();
  } catch (error) { say("Could not withdraw: " + error.message, "bad"); }
}

async function erase() {
  if (!confirm("Erase your voiceprint, name and consent record for good? This cannot be undone.")) return;
  try {
    const receipt = await api("DELETE", "/v1/artists/" + encodeURIComponent(state.selected));
    say("Erased. Erasure id " + receipt.erasure_id + " (keep it if you need to show which erasure this was).", "ok");
    $("artist-section").hidden = true;
    if (state.me.role === "artist") { $("enrol-section").hidden = true; $("list-section").hidden = true; }
    else await refresh();
  } catch (error) { say("Could not erase: " + error.message, "bad"); }
}

// --- Wiring --------------------------------------------------------------------------------------------------

$("signin-form").addEventListener("submit", (event) => { event.preventDefault(); signIn($("token").value); });
$("signout").addEventListener("click", signOut);
$("record").addEventListener("click", startRecording);
$("stop").addEventListener("click", stopRecording);
$("enrol-form").addEventListener("submit", enrol);
$("withdraw").addEventListener("click", withdraw);
$("erase").addEventListener("click", erase);
$("artists").addEventListener("click", (event) => {
  const row = event.target.closest("tr");
  if (row && state.me && state.me.role !== "artist") refresh(row.dataset.id);
});
if (!window.MediaRecorder) { $("record").disabled = true; $("recording-state").textContent = "Recording is not available in this browser."; }
if (state.token) signIn(state.token);

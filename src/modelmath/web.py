"""``modelmath serve``: a local page where a user pastes Keras code or uploads a model.

Only the static readers are used: pasted code is read as text by the source frontend
(never executed), uploads are read as `.keras` archives (config only), config JSON or
scripts. Requests are limited in size and in time; bad input is answered with the CLI's
error, shown next to the offending line.

    modelmath serve --port 8765
"""

from __future__ import annotations

import asyncio
import io
import re
from html import escape
from typing import Any

from modelmath.errors import InputFileError, ModelMathError
from modelmath.model_summary import Summary

# 2 MiB: the largest keras.applications config (NASNetLarge) is 1.0 MB of JSON. A .keras
# archive is mostly weights, so the page sends only its config.json (see _UPLOAD_SCRIPT).
MAX_REQUEST_BYTES = 2 * 1024 * 1024
REQUEST_SECONDS = 10.0
_WHERE_LINE = re.compile(r":(\d+)(?::(\d+))?$")

PAGE_STYLE = """
form { display: grid; gap: 8px; margin-bottom: 16px; }
textarea { width: 100%; min-height: 16em; font: 13px/1.4 ui-monospace, monospace; }
.row { display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
button { font-size: 1em; padding: 6px 16px; }
.error { background: #fff1f0; border: 1px solid #cf222e; padding: 8px 12px; }
pre.code { background: #f6f8fa; padding: 8px; overflow: auto; font-size: 13px; }
pre.code .bad { background: #ffebe9; display: block; }
pre.code .msg { color: #cf222e; display: block; white-space: pre-wrap; }
"""


def summaries_from_upload(data: bytes, filename: str) -> list[Summary]:
    """Summaries of an uploaded file, by content: .keras zip, JSON config or script."""
    from modelmath.analysis import analyze
    from modelmath.frontends import files, keras_config, load_source

    if data.startswith(files.ZIP_MAGIC):
        config = files.read_keras_archive_config(io.BytesIO(data), where=filename)
        graphs = [keras_config.graph_from_config(config, source=f"{filename}:config.json")]
    elif data.lstrip()[:1] in (b"{", b"["):
        config = files.parse_json(data, filename)
        graphs = [keras_config.graph_from_config(config, source=filename)]
    elif filename.endswith(".py") or not filename or filename == "<pasted code>":
        graphs = load_source(data, filename)
    else:
        raise InputFileError(
            "expected a .keras archive, a config JSON or a Keras script",
            received=filename,
            fix="Upload one of those, or paste the code",
        )
    out = []
    for g in graphs:
        try:
            out.append(analyze(g))
        except ModelMathError as err:
            raise err.with_context(g.source or filename) from None
    return out


def _code_with_error(code: str, err: ModelMathError) -> str:
    """The pasted code with line numbers, the error shown under the line it names."""
    line_no = None
    if err.where:
        m = _WHERE_LINE.search(err.where)
        if m and err.where.startswith("<pasted code>"):
            line_no = int(m.group(1))
    out = []
    for i, line in enumerate(code.splitlines(), start=1):
        text = f"{i:4d}  {escape(line)}"
        if i == line_no:
            out.append(f'<span class="bad" id="error-line">{text}</span>')
            out.append(f'<span class="msg">      ▲ {escape(str(err))}</span>')
        else:
            out.append(text)
    return '<pre class="code">' + "\n".join(out) + "</pre>"


# In the browser, take config.json out of a .keras zip (stored or deflated, read with the
# browser's own DecompressionStream) so the weights are never uploaded.
_UPLOAD_SCRIPT = r"""
async function kerasConfig(file) {
  const buf = new Uint8Array(await file.arrayBuffer());
  const dv = new DataView(buf.buffer);
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) return null;
  const count = dv.getUint16(end + 10, true);
  let p = dv.getUint32(end + 16, true);
  for (let n = 0; n < count; n++) {
    if (dv.getUint32(p, true) !== 0x02014b50) return null;
    const method = dv.getUint16(p + 10, true), size = dv.getUint32(p + 20, true);
    const nameLen = dv.getUint16(p + 28, true), extra = dv.getUint16(p + 30, true);
    const comment = dv.getUint16(p + 32, true), local = dv.getUint32(p + 42, true);
    const name = new TextDecoder().decode(buf.subarray(p + 46, p + 46 + nameLen));
    if (name === "config.json") {
      const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
      const data = buf.subarray(start, start + size);
      if (method === 0) return new TextDecoder().decode(data);
      if (method === 8) {
        const s = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
        return await new Response(s).text();
      }
      return null;
    }
    p += 46 + nameLen + extra + comment;
  }
  return null;
}
const form = document.getElementById("form");
form.addEventListener("submit", async function (e) {
  const input = document.getElementById("file");
  const file = input.files[0];
  if (!file || !/\.keras$/i.test(file.name) || form.dataset.ready) return;
  e.preventDefault();
  const config = await kerasConfig(file).catch(function () { return null; });
  if (config !== null) {
    document.getElementById("config_json").value = config;
    document.getElementById("config_name").value = file.name;
    input.value = "";
  }
  form.dataset.ready = "1";
  HTMLFormElement.prototype.submit.call(form);  // the button id shadows form.submit
});
"""


def render_page(code: str = "", result: str = "", error: ModelMathError | None = None) -> str:
    from modelmath.renderers.html import SCRIPT, STYLE

    error_html = ""
    if error is not None:
        error_html = f'<div class="error" role="alert" id="error">{escape(str(error))}</div>'
        if code:
            error_html += _code_with_error(code, error)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>modelmath</title><style>{STYLE}{PAGE_STYLE}</style></head><body>"
        "<h1>modelmath</h1>"
        "<p>Paste Keras code (it is read, never run) or upload a <code>.keras</code> file, "
        "a config JSON or a script. Click any number to see its working.</p>"
        '<form method="post" action="/" enctype="multipart/form-data" id="form">'
        '<input type="hidden" name="config_json" id="config_json">'
        '<input type="hidden" name="config_name" id="config_name">'
        f'<textarea name="code" id="code" spellcheck="false" '
        f'placeholder="from keras import layers, Model&#10;...">{escape(code)}</textarea>'
        '<div class="row"><input type="file" name="file" id="file" '
        'accept=".keras,.json,.py">'
        '<button type="submit" id="submit">Summarize</button></div></form>'
        f'{error_html}<div id="result">{result}</div>'
        f"<script>{SCRIPT}{_UPLOAD_SCRIPT}</script></body></html>\n"
    )


def _summarize(
    code: str, upload: bytes, filename: str, config_json: str = "", config_name: str = ""
) -> list[Summary]:
    if config_json:
        where = f"{config_name or 'upload.keras'}:config.json"
        return summaries_from_upload(config_json.encode("utf-8"), where)
    if upload:
        return summaries_from_upload(upload, filename or "upload")
    if not code.strip():
        raise InputFileError("nothing to summarize", fix="Paste Keras code or choose a file")
    return summaries_from_upload(code.encode("utf-8"), "<pasted code>")


def create_app() -> Any:
    """The Starlette application (imported lazily: only `modelmath serve` needs it)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse
    from starlette.routing import Route

    from modelmath.renderers.html import summary_fragment

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(render_page())

    async def submit(request: Request) -> HTMLResponse:
        form = await request.form(max_files=1, max_fields=8, max_part_size=MAX_REQUEST_BYTES)
        code = form.get("code") or ""
        code = code if isinstance(code, str) else ""
        config_json = form.get("config_json") or ""
        config_name = form.get("config_name") or ""
        config_json = config_json if isinstance(config_json, str) else ""
        config_name = config_name if isinstance(config_name, str) else ""
        upload = form.get("file")
        data, filename = b"", ""
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read(MAX_REQUEST_BYTES + 1)
            filename = upload.filename
        try:
            found = await asyncio.wait_for(
                run_in_threadpool(_summarize, code, data, filename, config_json, config_name),
                REQUEST_SECONDS,
            )
        except ModelMathError as err:
            return HTMLResponse(render_page(code, error=err), status_code=400)
        except asyncio.TimeoutError:
            slow = InputFileError(f"the summary took longer than {REQUEST_SECONDS:g} s")
            return HTMLResponse(render_page(code, error=slow), status_code=503)
        result = "".join(summary_fragment(s) for s in found)
        return HTMLResponse(render_page(code, result))

    async def health(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    app = Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/", submit, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
        ]
    )
    return _LimitBody(app, MAX_REQUEST_BYTES)


class _LimitBody:
    """ASGI middleware: refuse a request body larger than ``limit`` with 413."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        seen = 0
        sent_error = False

        async def limited_receive() -> Any:
            nonlocal seen, sent_error
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    sent_error = True
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            if sent_error:
                await _too_large(send, self.limit)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Any, limit: int) -> None:
    body = render_page(
        error=InputFileError(
            f"the request is larger than the {limit // 1024} KiB limit",
            fix="Paste less code, or run modelmath on the file locally",
        )
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/html; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def serve(host: str = "127.0.0.1", port: int = 8765) -> None:
    """Run the page until interrupted."""
    import uvicorn

    uvicorn.run(create_app(), host=host, port=port, log_level="warning")

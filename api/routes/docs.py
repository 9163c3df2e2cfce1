"""GET /docs: browsable API documentation rendered on the server from the same OpenAPI
document served at /openapi.json. Self-contained HTML (no CDN, no JavaScript), because
the service must document itself on machines without internet access."""

from __future__ import annotations

import json
from html import escape
from typing import Any, cast

from apiflask import APIBlueprint
from flask import Response, current_app

bp = APIBlueprint("docs", __name__, tag="Documentation")

_METHODS = ("get", "post", "put", "patch", "delete")
_CSS = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;
color:#1d1d1f;line-height:1.45}
h1{margin-bottom:.2rem}code,pre{font-family:ui-monospace,monospace;font-size:.85rem}
pre{background:#f5f5f7;padding:.6rem;overflow-x:auto;border-radius:4px}
.op{border:1px solid #ddd;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
.m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}
.get{color:#0a6}.post{color:#06c}.delete{color:#c30}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;
text-align:left;vertical-align:top}nav a{margin-right:1rem}
"""


def _schema(schema: Any) -> str:
    if not schema:
        return ""
    if isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f'<a href="#schema-{escape(name)}">{escape(name)}</a>'
    return f"<pre>{escape(json.dumps(schema, indent=2, ensure_ascii=False))}</pre>"


def _operation(path: str, method: str, op: dict[str, Any]) -> str:
    anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "")
    parts = [
        f'<div class="op" id="{escape(anchor)}"><h3><span class="m {method}">{method}</span>'
        f"<code>{escape(path)}</code> {escape(op.get('summary', ''))}</h3>",
        f"<p>{escape(op.get('description', ''))}</p>",
    ]
    if op.get("security"):
        parts.append("<p><b>Auth:</b> <code>Authorization: Bearer &lt;API key&gt;</code></p>")
    params = op.get("parameters") or []
    if params:
        rows = "".join(
            f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
            f"<td>{'yes' if p.get('required') else 'no'}</td>"
            f"<td>{escape(json.dumps(p.get('schema', {})))}</td>"
            f"<td>{escape(p.get('description', '') or p.get('schema', {}).get('description', ''))}"
            "</td></tr>"
            for p in params
        )
        parts.append("<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th>"
                     f"<th>schema</th><th>description</th></tr>{rows}</table>")
    body = op.get("requestBody")
    if body:
        parts.append("<h4>Request body</h4><ul>")
        for ctype, content in body.get("content", {}).items():
            parts.append(f"<li><code>{escape(ctype)}</code> {_schema(content.get('schema'))}</li>")
        parts.append("</ul>")
    parts.append("<h4>Responses</h4><table><tr><th>status</th><th>description</th>"
                 "<th>content</th></tr>")
    for status, response in sorted(op.get("responses", {}).items()):
        content = "".join(
            f"<div><code>{escape(ct)}</code> {_schema(c.get('schema'))}</div>"
            for ct, c in (response.get("content") or {}).items()
        )
        headers = ", ".join(response.get("headers", {}))
        extra = f"<br>headers: <code>{escape(headers)}</code>" if headers else ""
        parts.append(f"<tr><td>{escape(str(status))}</td>"
                     f"<td>{escape(response.get('description', ''))}{extra}</td>"
                     f"<td>{content}</td></tr>")
    parts.append("</table></div>")
    return "".join(parts)


def render(spec: dict[str, Any]) -> str:
    info = spec.get("info", {})
    ops = [
        (path, method, op)
        for path, item in spec.get("paths", {}).items()
        for method, op in item.items()
        if method in _METHODS
    ]
    nav = "".join(
        f'<li><span class="m {m}">{m}</span> <code>{escape(p)}</code> '
        f"{escape(o.get('summary', ''))}</li>"
        for p, m, o in ops
    )
    schemas = "".join(
        f'<h3 id="schema-{escape(name)}">{escape(name)}</h3>{_schema(schema)}'
        for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items())
    )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(info.get('title', 'API'))} docs</title><style>{_CSS}</style></head>"
        f"<body><h1>{escape(info.get('title', 'API'))} <small>{escape(info.get('version', ''))}"
        f"</small></h1><p>{escape(info.get('description', ''))}</p>"
        '<nav><a href="/openapi.json">openapi.json</a><a href="#schemas">Schemas</a></nav>'
        f"<h2>Endpoints</h2><ul>{nav}</ul>"
        + "".join(_operation(p, m, o) for p, m, o in ops)
        + f'<h2 id="schemas">Schemas</h2>{schemas}</body></html>'
    )


@bp.get("/docs")
@bp.doc(
    summary="API documentation",
    description="This documentation as HTML, generated from /openapi.json.",
    responses=cast(Any, {200: {"description": "HTML page.",
                               "content": {"text/html": {"schema": {"type": "string"}}}}}),
)
def docs() -> Response:
    spec = current_app._get_spec("json")  # type: ignore[attr-defined]
    return Response(render(spec if isinstance(spec, dict) else json.loads(spec)),
                    mimetype="text/html")

"""The raw-SQL floor: the benchmarked API calls in a minimal WSGI application.

Each call runs the SQL that the Django server needs for it through psycopg:
a key lookup by SHA-256 digest, the workspace check, the count and the page,
and the create under a product row lock. It renders the same JSON fields with
orjson. It has no framework, no validation beyond what the SQL needs and no logging, so
its throughput is what the database and the WSGI server allow. The benchmark
reports the Django server's figures as a fraction of these.

Run it under gunicorn with DATABASE_URL set:
    DATABASE_URL=postgres://... gunicorn bench.floor_app:application
"""

import hashlib
import os
import re
import uuid
from datetime import UTC, datetime

import orjson
import psycopg
from psycopg.rows import dict_row

# Keep in step with getresolved.api.pagination, so both servers count alike.
COUNT_CAP = 10_000
DEFAULT_LIMIT = 50
MAX_LIMIT = 200

ISSUE_COLUMNS = (
    "id, shortcode, product_id, title, description, status, priority, assignee_id, "
    "resolution_comment, created_at, updated_at"
)
CONVERSATION_COLUMNS = (
    "c.id, c.product_id, c.type, c.status, c.priority, c.source, c.subject, c.customer_name, "
    "c.customer_email, c.created_at, c.updated_at, c.last_message_at"
)
ALLOWED_TRANSITIONS = {
    "pending": {"in_progress", "done", "icebox", "dismissed"},
    "in_progress": {"pending", "done", "icebox", "dismissed"},
    "done": {"in_progress", "pending", "icebox", "dismissed"},
    "icebox": {"pending", "in_progress", "done", "dismissed"},
    "released": set(),
    "dismissed": set(),
}
SHORTCODE_RE = re.compile(r"^[A-Za-z0-9]{1,3}-\d+$")

_connection = None


def connection():
    """Return this process's connection, opened on first use (after gunicorn forks)."""
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True, row_factory=dict_row)
    return _connection


def dumps(value) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_UTC_Z)


class HttpError(Exception):
    def __init__(self, status: str, code: str, detail: str):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def authenticate(cursor, environ) -> dict:
    header = environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith("gr_"):
        raise HttpError("401 Unauthorized", "unauthorized", "Missing or malformed key.")
    digest = hashlib.sha256(token.strip().encode()).hexdigest()
    cursor.execute(
        "SELECT k.id, k.workspace_id, k.created_by_id, k.read_only, k.revoked_at, k.expires_at, w.is_active "
        "FROM workspaces_apikey k JOIN workspaces_workspace w ON w.id = k.workspace_id WHERE k.key_hash = %s",
        (digest,),
    )
    key = cursor.fetchone()
    now = datetime.now(UTC)
    if key is None or key["revoked_at"] is not None or (key["expires_at"] and key["expires_at"] <= now):
        raise HttpError("401 Unauthorized", "unauthorized", "Invalid, revoked or expired API key.")
    if not key["is_active"]:
        raise HttpError("403 Forbidden", "forbidden", "The workspace is disabled.")
    return key


def query_params(environ) -> dict:
    params = {}
    for pair in environ.get("QUERY_STRING", "").split("&"):
        name, _, value = pair.partition("=")
        if name:
            params[name] = value
    return params


def read_body(environ) -> dict:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    try:
        body = orjson.loads(environ["wsgi.input"].read(length))
    except orjson.JSONDecodeError:
        raise HttpError("400 Bad Request", "validation_error", "The body is not JSON.") from None
    if not isinstance(body, dict):
        raise HttpError("400 Bad Request", "validation_error", "The body must be a JSON object.")
    return body


def issue_list(cursor, key, params):
    where, args = ["workspace_id = %s"], [key["workspace_id"]]
    if params.get("status"):
        where.append("status = ANY(%s)")
        args.append(params["status"].split(","))
    if params.get("product_id"):
        where.append("product_id = %s")
        args.append(params["product_id"])
    limit = min(int(params.get("limit") or DEFAULT_LIMIT), MAX_LIMIT)
    offset = int(params.get("offset") or 0)
    condition = " AND ".join(where)

    cursor.execute(
        f"SELECT count(*) AS n FROM (SELECT 1 FROM issues_issue WHERE {condition} LIMIT %s) capped",
        (*args, COUNT_CAP + 1),
    )
    total = cursor.fetchone()["n"]
    rows = []
    if total > COUNT_CAP or offset < total:
        cursor.execute(
            f"SELECT {ISSUE_COLUMNS} FROM issues_issue WHERE {condition} "
            "ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s",
            (*args, limit, offset),
        )
        rows = cursor.fetchall()
    # The same rules for `total` beyond the cap as the Django server's pagination.
    if total > COUNT_CAP and rows and len(rows) < limit:
        total = offset + len(rows)
    elif total > COUNT_CAP and not rows:
        cursor.execute(f"SELECT count(*) AS n FROM issues_issue WHERE {condition}", args)
        total = cursor.fetchone()["n"]
    elif total > COUNT_CAP:
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM issues_issue WHERE {condition}", args)
        estimate = int(cursor.fetchone()["QUERY PLAN"][0]["Plan"]["Plan Rows"])
        total = max(estimate, COUNT_CAP + 1, offset + limit + 1)
    return "200 OK", {"data": rows, "pagination": {"total": total, "limit": limit, "offset": offset}}


def find_issue(cursor, key, reference, lock=False):
    if SHORTCODE_RE.match(reference):
        column, value = "shortcode", reference.upper()
    else:
        try:
            column, value = "id", uuid.UUID(reference)
        except ValueError:
            raise HttpError("404 Not Found", "not_found", "No such issue.") from None
    suffix = " FOR UPDATE" if lock else ""
    cursor.execute(
        f"SELECT {ISSUE_COLUMNS} FROM issues_issue WHERE workspace_id = %s AND {column} = %s{suffix}",
        (key["workspace_id"], value),
    )
    issue = cursor.fetchone()
    if issue is None:
        raise HttpError("404 Not Found", "not_found", "No such issue.")
    return issue


def linked_conversations(cursor, issue):
    cursor.execute(
        f"SELECT {CONVERSATION_COLUMNS} FROM conversations_conversation c "
        "JOIN issues_issue_conversations l ON l.conversation_id = c.id WHERE l.issue_id = %s "
        "ORDER BY c.created_at DESC, c.id DESC",
        (issue["id"],),
    )
    return cursor.fetchall()


def issue_detail(cursor, key, reference):
    issue = find_issue(cursor, key, reference)
    issue["conversations"] = linked_conversations(cursor, issue)
    return "200 OK", {"data": issue}


def issue_create(cursor, key, body):
    if not isinstance(body.get("title"), str) or not body["title"].strip():
        raise HttpError("400 Bad Request", "validation_error", "title is required.")
    now = datetime.now(UTC)
    with cursor.connection.transaction():
        cursor.execute(
            "UPDATE workspaces_product SET issue_counter = issue_counter + 1 "
            "WHERE id = %s AND workspace_id = %s RETURNING issue_counter, issue_prefix",
            (body.get("product_id"), key["workspace_id"]),
        )
        product = cursor.fetchone()
        if product is None:
            raise HttpError("400 Bad Request", "validation_error", "Unknown product_id.")
        number = product["issue_counter"]
        cursor.execute(
            "INSERT INTO issues_issue (id, workspace_id, product_id, number, shortcode, title, description, "
            "status, priority, assignee_id, resolution_comment, created_at, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, NULL, NULL, %s, %s) "
            f"RETURNING {ISSUE_COLUMNS}",
            (
                uuid.uuid4(),
                key["workspace_id"],
                body["product_id"],
                number,
                f"{product['issue_prefix']}-{number:03d}",
                body["title"].strip(),
                body.get("description"),
                body.get("status", "pending"),
                body.get("priority", "normal"),
                now,
                now,
            ),
        )
        issue = cursor.fetchone()
    # A new issue has no linked conversations unless conversation_ids were given.
    issue["conversations"] = []
    return "201 Created", {"data": issue}


def issue_patch(cursor, key, reference, body):
    with cursor.connection.transaction():
        issue = find_issue(cursor, key, reference, lock=True)
        status = body.get("status", issue["status"])
        if status != issue["status"] and status not in ALLOWED_TRANSITIONS[issue["status"]]:
            raise HttpError("400 Bad Request", "validation_error", "Transition not allowed.")
        cursor.execute(
            "UPDATE issues_issue SET status = %s, priority = %s, updated_at = %s WHERE id = %s "
            f"RETURNING {ISSUE_COLUMNS}",
            (status, body.get("priority", issue["priority"]), datetime.now(UTC), issue["id"]),
        )
        issue = cursor.fetchone()
    issue["conversations"] = linked_conversations(cursor, issue)
    return "200 OK", {"data": issue}


def conversation_detail(cursor, key, reference):
    try:
        conversation_id = uuid.UUID(reference)
    except ValueError:
        raise HttpError("404 Not Found", "not_found", "No such conversation.") from None
    cursor.execute(
        f"SELECT {CONVERSATION_COLUMNS} FROM conversations_conversation c WHERE c.workspace_id = %s AND c.id = %s",
        (key["workspace_id"], conversation_id),
    )
    conversation = cursor.fetchone()
    if conversation is None:
        raise HttpError("404 Not Found", "not_found", "No such conversation.")
    cursor.execute(
        "SELECT id, conversation_id, body, author_type, author_member_id, delivery_status, created_at "
        "FROM conversations_message "
        "WHERE conversation_id = %s ORDER BY created_at, id",
        (conversation_id,),
    )
    conversation["messages"] = cursor.fetchall()
    cursor.execute(
        "SELECT i.id, i.shortcode, i.title, i.status FROM issues_issue i "
        "JOIN issues_issue_conversations l ON l.issue_id = i.id WHERE l.conversation_id = %s "
        "ORDER BY i.created_at DESC, i.id DESC",
        (conversation_id,),
    )
    conversation["issues"] = cursor.fetchall()
    return "200 OK", {"data": conversation}


def route(cursor, environ):
    method = environ["REQUEST_METHOD"]
    parts = environ.get("PATH_INFO", "").strip("/").split("/")
    if parts[:2] != ["api", "v1"] or len(parts) not in (3, 4):
        raise HttpError("404 Not Found", "not_found", "Unknown path.")
    key = authenticate(cursor, environ)
    resource, reference = parts[2], parts[3] if len(parts) == 4 else None
    if resource == "issues" and reference is None and method == "GET":
        return issue_list(cursor, key, query_params(environ))
    if resource == "issues" and reference is None and method == "POST":
        return issue_create(cursor, key, read_body(environ))
    if resource == "issues" and reference and method == "GET":
        return issue_detail(cursor, key, reference)
    if resource == "issues" and reference and method == "PATCH":
        return issue_patch(cursor, key, reference, read_body(environ))
    if resource == "conversations" and reference and method == "GET":
        return conversation_detail(cursor, key, reference)
    raise HttpError("404 Not Found", "not_found", "Unknown path.")


def application(environ, start_response):
    try:
        with connection().cursor() as cursor:
            status, payload = route(cursor, environ)
    except HttpError as exc:
        status, payload = exc.status, {"error_code": exc.code, "detail": exc.detail}
    body = dumps(payload)
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]

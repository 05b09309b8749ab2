def test_openapi_documents_conversation_filters(anonymous_api):
    spec = anonymous_api.get("/api/v1/openapi.json").json()

    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/conversations"]["get"]["parameters"]}

    assert set(parameters) == {"limit", "offset", "product_id", "type", "status", "priority"}
    assert parameters["status"]["schema"]["items"]["enum"] == ["dismissed", "in_progress", "open", "resolved"]
    assert parameters["status"]["explode"] is False
    assert parameters["product_id"]["schema"]["items"]["format"] == "uuid"


def test_openapi_documents_message_delivery_status(anonymous_api):
    schemas = anonymous_api.get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert "delivery_status" in schemas["Message"]["properties"]
    assert "delivery_error" not in schemas["Message"]["properties"]
    assert set(schemas["ConversationDetail"]["properties"]) >= {"messages", "issues", "last_message_at"}


def test_openapi_conversation_id_is_uuid(anonymous_api):
    paths = anonymous_api.get("/api/v1/openapi.json").json()["paths"]

    for path in ("/api/v1/conversations/{id}", "/api/v1/conversations/{id}/messages"):
        for operation in paths[path].values():
            [parameter] = [p for p in operation["parameters"] if p["in"] == "path"]
            assert parameter["schema"] == {"type": "string", "format": "uuid"}


def test_llms_txt_documents_conversations(anonymous_api):
    text = anonymous_api.get("/api/v1/llms.txt").content.decode()

    assert "\n## Conversations\n" in text
    for route in (
        "GET /api/v1/conversations`",
        "GET /api/v1/conversations/{id}`",
        "PATCH /api/v1/conversations/{id}`",
        "POST /api/v1/conversations/{id}/messages`",
        "POST /api/v1/conversations`",
        "/api/v1/items",
        "delivery_status",
    ):
        assert route in text, route

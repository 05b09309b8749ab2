def test_llms_txt_documents_issues(anonymous_api, db):
    response = anonymous_api.get("/api/v1/llms.txt")

    text = response.content.decode()
    assert response.status_code == 200
    assert "\n## Issues\n" in text
    for fragment in (
        "GET /api/v1/issues",
        "POST /api/v1/issues",
        "PATCH /api/v1/issues/{id}",
        "assignee_id",
        "conversation_ids",
        "GET-1000",
        "/api/v1/actions",
        "Deprecation: true",
        "| icebox | pending, in_progress, done, dismissed |",
    ):
        assert fragment in text

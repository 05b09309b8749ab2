def test_admin_css_served_by_whitenoise(db, client):
    response = client.get("/static/admin/css/base.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b"".join(response.streaming_content)


def test_missing_static_file_is_404(db, client):
    assert client.get("/static/admin/css/no-such-file.css").status_code == 404

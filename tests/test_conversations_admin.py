import pytest
from django.test import Client

from conversations.models import Conversation, Message
from issues.services import issue_create
from tests.conversation_factories import make_conversation
from workspaces import services as workspace_services
from workspaces.models import Member, User


@pytest.fixture
def admin_user(workspace):
    member = workspace_services.member_create(workspace=workspace, role=Member.Role.ADMIN, email="ada@example.com")
    User.objects.filter(pk=member.user_id).update(is_staff=True, is_superuser=True)
    return User.objects.get(pk=member.user_id)


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def conversation(workspace, product):
    return make_conversation(
        workspace, product, subject="Export broken", customer_email="cleo@example.com", message="CSV export hangs"
    )


def test_admin_search_finds_message_text(admin_client, conversation, workspace, product):
    make_conversation(workspace, product, subject="Other", message="Unrelated")

    response = admin_client.get("/admin/conversations/conversation/", {"q": "hangs"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [conversation]


def test_admin_change_page_shows_messages_and_issues(admin_client, conversation, workspace, product):
    issue_create(workspace=workspace, product=product, title="Fix CSV export", conversations=[conversation])

    response = admin_client.get(f"/admin/conversations/conversation/{conversation.pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "CSV export hangs" in content
    assert "Fix CSV export" in content


def test_admin_reply_goes_through_service(
    admin_client, admin_user, conversation, mailoutbox, django_capture_on_commit_callbacks
):
    form = {
        "status": "resolved",
        "priority": "high",
        "reply": "Fixed in 2.1.",
        "messages-TOTAL_FORMS": "1",
        "messages-INITIAL_FORMS": "1",
        "messages-MIN_NUM_FORMS": "0",
        "messages-MAX_NUM_FORMS": "1000",
        "messages-0-id": str(conversation.messages.get().pk),
        "messages-0-conversation": str(conversation.pk),
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/conversations/conversation/{conversation.pk}/change/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    conversation.refresh_from_db()
    assert (conversation.status, conversation.priority) == ("resolved", "high")
    reply = conversation.messages.get(author_type=Message.AuthorType.AGENT)
    assert reply.body == "Fixed in 2.1."
    assert reply.author_member.user == admin_user
    assert reply.delivery_status == "sent"
    assert [email.to for email in mailoutbox] == [["cleo@example.com"]]


def test_admin_add_creates_first_message(admin_client, product):
    form = {
        "product": str(product.pk),
        "type": "idea",
        "source": "form",
        "status": "open",
        "priority": "normal",
        "subject": "Dark mode",
        "first_message": "  Please add dark mode.  ",
        "messages-TOTAL_FORMS": "0",
        "messages-INITIAL_FORMS": "0",
        "messages-MIN_NUM_FORMS": "0",
        "messages-MAX_NUM_FORMS": "1000",
    }

    response = admin_client.post("/admin/conversations/conversation/add/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    conversation = Conversation.objects.get()
    assert conversation.workspace_id == product.workspace_id
    assert conversation.last_message_at is not None
    assert [m.body for m in conversation.messages.all()] == ["Please add dark mode."]


def test_admin_add_requires_first_message(admin_client, product):
    form = {
        "product": str(product.pk),
        "type": "idea",
        "source": "form",
        "status": "open",
        "priority": "normal",
        "first_message": "   ",
        "messages-TOTAL_FORMS": "0",
        "messages-INITIAL_FORMS": "0",
        "messages-MIN_NUM_FORMS": "0",
        "messages-MAX_NUM_FORMS": "1000",
    }

    response = admin_client.post("/admin/conversations/conversation/add/", form)

    assert response.status_code == 200
    assert "first_message" in response.context["adminform"].form.errors
    assert Conversation.objects.count() == 0

"""The page tests' shared helpers: a page parsed as a reader's browser would, and the text it shows."""

from lxml import html as lxml_html


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content.decode())


def seen(node) -> str:
    """The text a reader sees in a node, whitespace folded."""
    return " ".join(node.text_content().split())


def body_text(tree) -> str:
    return seen(tree.find(".//main"))

"""Page objects: where things are on sinmun's reader pages (tests hold the assertions)."""

from playwright.sync_api import Page


class ArticlePage:
    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url

    def open(self, number: int) -> "ArticlePage":
        self.page.goto(f"{self.base_url}/article/{number}/")
        return self

    @property
    def title(self):
        return self.page.get_by_test_id("article-title")

    @property
    def byline(self):
        return self.page.get_by_test_id("byline")

    @property
    def registered(self):
        return self.page.get_by_test_id("registered")

    @property
    def body(self):
        return self.page.get_by_test_id("article-body")

    @property
    def most_viewed_items(self):
        return self.page.get_by_test_id("most-viewed").locator("li")

    def go_next(self):
        self.page.get_by_test_id("next-link").click()

    def go_to_list(self):
        self.page.get_by_test_id("list-link").click()

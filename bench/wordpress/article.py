#!/usr/bin/env python3
# ruff: noqa: S608 - writes SQL for our own demo text, quoted by sql_string
"""Print the bench article (the newest article of sinmun's demo paper) as SQL that
inserts it into WordPress's wp_posts, and remember which one it is (article.json).

Same title, subtitle and body HTML as sinmun serves, so both pages carry the same text.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[1] / "sinmun" / "demo" / "demo_paper.jsonl"


def newest_article() -> dict:
    articles = [
        json.loads(line)
        for line in DEMO.read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line).get("type") == "article"
    ]
    public = [a for a in articles if a.get("status") == "published"]
    return max(public, key=lambda a: a["registered_at"])


def sql_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def main() -> int:
    article = newest_article()
    (HERE / "article.json").write_text(
        json.dumps({"id": article["id"], "title": article["title"]}, ensure_ascii=False)
    )
    body = ""
    if article.get("subtitle"):
        body += f"<h2>{article['subtitle']}</h2>"
    body += article["body_html"]
    when = article["registered_at"][:19].replace("T", " ")
    sys.stdout.write(
        "DELETE FROM wp_posts WHERE post_name = 'sinmun-bench';\n"
        "INSERT INTO wp_posts (post_author, post_date, post_date_gmt, post_content, post_title,"
        " post_excerpt, post_status, comment_status, ping_status, post_name, to_ping, pinged,"
        " post_modified, post_modified_gmt, post_content_filtered, post_type)"
        f" VALUES (1, '{when}', '{when}', {sql_string(body)}, {sql_string(article['title'])},"
        " '', 'publish', 'open', 'open', 'sinmun-bench', '', '',"
        f" '{when}', '{when}', '', 'post');\n"
        "SELECT ID FROM wp_posts WHERE post_name = 'sinmun-bench';\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

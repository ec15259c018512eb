"""A generated corpus of stored-XSS payloads: attack families × the contexts they land in.

Every payload carries a marker (``xss<N>``): the script it would run calls
``alert('xss<N>')`` (or logs it), and the element it would inject has ``id="xss<N>"``.
A page is safe when no marker is found as an element id, no ``on*`` attribute or
script-bearing URL survives, and no dialog or console line with a marker appears in a
browser. ``M`` in the templates below is replaced by the marker.
"""

from __future__ import annotations

from dataclasses import dataclass

# Each family: (name, templates). ``M`` is the marker; templates stay short so they fit
# the narrow fields (a reporter's name is 60 characters) and get cut into broken markup
# when they do not.
FAMILIES: dict[str, list[str]] = {
    "script": [
        "<script>alert('M')</script>",
        "<ScRiPt id=M>alert('M')</sCrIpT>",
        "<script src=data:,alert('M')></script>",
        "<script/x>alert('M')</script>",
        "<scr<script>ipt>alert('M')</scr</script>ipt>",
        "<script>console.log('M')</script>",
        "<script type=module>alert('M')</script>",
        "<script\t>alert('M')</script\t>",
    ],
    "event": [
        "<img src=x id=M onerror=alert('M')>",
        "<svg id=M onload=alert('M')>",
        "<body onload=alert('M')>",
        "<details open id=M ontoggle=alert('M')>",
        "<input autofocus id=M onfocus=alert('M')>",
        "<video><source id=M onerror=alert('M')></video>",
        "<img/src=x/id=M/onerror=alert('M')>",
        "<img src=x id=M\nonerror=alert('M')>",
        "<img src=x id=M\x0conerror=alert('M')>",
        "<p id=M onmouseover=alert('M')>hover</p>",
        "<a href=# id=M onclick=alert('M')>x</a>",
        "<iframe id=M onload=alert('M')></iframe>",
        "<marquee id=M onstart=alert('M')>x</marquee>",
        "<img src=x id=M onerror=console.log('M')>",
        "<style onload=alert('M')></style>",
        "<audio src=x id=M onerror=alert('M')>",
    ],
    "js_url": [
        "<a id=M href=\"javascript:alert('M')\">x</a>",
        "<a id=M href=\"JaVaScRiPt:alert('M')\">x</a>",
        "<a id=M href=\"&#106;avascript:alert('M')\">x</a>",
        "<a id=M href=\"&#x6A;&#x61;vascript:alert('M')\">x</a>",
        "<a id=M href=\"java&#x09;script:alert('M')\">x</a>",
        "<a id=M href=\"java\nscript:alert('M')\">x</a>",
        "<a id=M href=\" \x01javascript:alert('M')\">x</a>",
        "<a id=M href=\"javascript&colon;alert('M')\">x</a>",
        "<a id=M href=\"java&Tab;script:alert('M')\">x</a>",
        "<a id=M href=\"data:text/html,<script>alert('M')</script>\">x</a>",
        '<a id=M href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        "<a id=M href=\"vbscript:msgbox('M')\">x</a>",
        "<iframe id=M src=\"javascript:alert('M')\"></iframe>",
        "<form id=M action=\"javascript:alert('M')\"><button>x</button></form>",
        "<button id=M formaction=\"javascript:alert('M')\">x</button>",
        "<object id=M data=\"javascript:alert('M')\"></object>",
        "<embed id=M src=\"data:text/html,<script>alert('M')</script>\">",
        "<img id=M src=\"javascript:alert('M')\">",
        "<img id=M srcset=\"javascript:alert('M') 1x\">",
        "<a id=M href=\"&#0000106&#0000097vascript:alert('M')\">x</a>",
        "javascript:alert('M')",
        "<a id=M href=\"jav&#x0A;ascript:alert('M')\">x</a>",
    ],
    "svg_math": [
        "<svg><script>alert('M')</script></svg>",
        "<svg><a id=M xlink:href=\"javascript:alert('M')\"><text>x</text></a></svg>",
        "<svg><animate id=M onbegin=alert('M') attributeName=x dur=1s>",
        "<svg><set id=M attributeName=href to=\"javascript:alert('M')\"/></svg>",
        "<svg><foreignObject><iframe id=M srcdoc=\"<script>alert('M')</script>\"></iframe></foreignObject></svg>",
        "<math><mtext><table><mglyph><style><img src=x id=M onerror=alert('M')>",
        "<svg><style><img src=x id=M onerror=alert('M')></style></svg>",
        "<math><maction id=M actiontype=statusline xlink:href=\"javascript:alert('M')\">x</maction></math>",
        "<svg><use href=\"data:image/svg+xml,<svg id='M' onload='alert(1)'/>\"/></svg>",
        "<math><mi xlink:href=\"javascript:alert('M')\">x</mi></math>",
        "<form><math><mtext></form><form><mglyph><style></math><img src=x id=M onerror=alert('M')>",
        "<svg></p><style><a id=\"</style><img src=x id=M onerror=alert('M')>\">",
        "<svg><title><![CDATA[</title><img src=x id=M onerror=alert('M')>]]></svg>",
        "<math><annotation-xml encoding=text/html><img src=x id=M onerror=alert('M')></annotation-xml></math>",
    ],
    "mxss": [
        "<noscript><p title=\"</noscript><img src=x id=M onerror=alert('M')>\">",
        "<template><script>alert('M')</script></template>",
        "<template><img src=x id=M onerror=alert('M')></template>",
        "<style><img src=x id=M onerror=alert('M')></style>",
        "<textarea></textarea><img src=x id=M onerror=alert('M')>",
        "<title><img src=x id=M onerror=alert('M')></title>",
        "<xmp><img src=x id=M onerror=alert('M')></xmp>",
        "<noembed><img title=\"</noembed><img src=x id=M onerror=alert('M')>\"></noembed>",
        "<iframe><img src=x id=M onerror=alert('M')></iframe>",
        "<!--><img src=x id=M onerror=alert('M')>-->",
        "<![CDATA[><img src=x id=M onerror=alert('M')>]]>",
        "<!-- --!><img src=x id=M onerror=alert('M')>-->",
        "<p><!--</p><img src=x id=M onerror=alert('M')>--></p>",
        "<select><template><img src=x id=M onerror=alert('M')></template></select>",
        "<noframes><img title=\"</noframes><img src=x id=M onerror=alert('M')>\">",
        "<plaintext><img src=x id=M onerror=alert('M')>",
    ],
    "table": [
        "<table background=\"javascript:alert('M')\"><tr><td>x</td></tr></table>",
        "<table><tr><td background=\"javascript:alert('M')\">x</td></tr></table>",
        "<table><tr><td style=\"background:url(javascript:alert('M'))\">x</td></tr></table>",
        "<table id=M onmouseover=alert('M')><tr><td>x</td></tr></table>",
        "<table><tr><th id=M onclick=alert('M')>x</th></tr></table>",
        "<table><caption id=M onfocus=alert('M') tabindex=0>x</caption></table>",
        "<table><tr><td colspan=\"1 onmouseover=alert('M')\">x</td></tr></table>",
        "<table><img src=x id=M onerror=alert('M')></table>",
        "<table><tr><td><svg id=M onload=alert('M')></td></tr></table>",
        "<table><form><input id=M autofocus onfocus=alert('M')></form></table>",
    ],
    "broken": [
        '<img src="x',
        "<img src=x id=M onerror=alert('M')//",
        "\"><script>alert('M')</script>",
        "'><img src=x id=M onerror=alert('M')>",
        "</title><script>alert('M')</script>",
        "</textarea><script>alert('M')</script>",
        "--><script>alert('M')</script>",
        "</script><script>alert('M')</script>",
        '<a href="https://ok.example/" id=M onclick=alert(\'M\') x="',
        "<<script>script>alert('M')<</script>/script>",
        "<svg/onload=alert('M')",
        "<img src=x id=M onerror=alert('M') <p>",
        "</p></div></article><img src=x id=M onerror=alert('M')>",
        '" onmouseover="alert(\'M\')" x="',
        "' onfocus='alert(`M`)' autofocus x='",
        "]]></news:title><script>alert('M')</script>",
        "</style></script><img src=x id=M onerror=alert('M')>",
        "<div id=M style=\"background:url('javascript:alert(1)')\">",
    ],
    "unicode": [
        "\uff1cscript\uff1ealert('M')\uff1c/script\uff1e",
        "\uff1cimg src=x id=M onerror=alert('M')\uff1e",
        "\u202e<img src=x id=M onerror=alert('M')>\u202c",
        "<scr\x00ipt>alert('M')</scr\x00ipt>",
        "<img src=x id=M on\x00error=alert('M')>",
        "<img src=x id=M onerror\x00=alert('M')>",
        "\ufeff<script>alert('M')</script>",
        "<a id=M href=\"java\u200bscript:alert('M')\">x</a>",
        "<a id=M href=\"javascript\u2028:alert('M')\">x</a>",
        "<a id=M href=\"\u0000javascript:alert('M')\">x</a>",
        "%3Cscript%3Ealert('M')%3C/script%3E",
        "\\u003cscript\\u003ealert('M')\\u003c/script\\u003e",
        "<\u0131mg src=x id=M onerror=alert('M')>",
        "<img src=x id=M onerror=\u0430lert('M')>",
        "\u2028<script>alert('M')</script>\u2029",
        "\x85<img src=x id=M onerror=alert('M')>\x0b",
        "<a id=M href=\"\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:alert('M')\">x</a>",
        "\U0001f600<script>alert('M')</script>\U0001f600",
    ],
    "css_meta": [
        "<link id=M rel=stylesheet href=\"javascript:alert('M')\">",
        "<meta id=M http-equiv=refresh content=\"0;url=javascript:alert('M')\">",
        "<base id=M href=\"javascript:alert('M')//\">",
        "<style>@import 'javascript:alert(\"M\")';</style>",
        "<div id=M style=\"width:expression(alert('M'))\">x</div>",
        '<p class="M" style="behavior:url(#default#time2)" onbegin=alert(\'M\')>x</p>',
        "<isindex id=M action=\"javascript:alert('M')\" type=image>",
        "<keygen id=M autofocus onfocus=alert('M')>",
    ],
}

# Where the payload lands inside the field's text.
CONTEXTS: dict[str, str] = {
    "bare": "{p}",
    "paragraph": "<p>{p}</p>",
    "korean_text": "서울시 예산안 {p} 발표",
    "attr_break": '기사" {p}',
    "in_link": '<a href="https://ok.example/">{p}</a>',
    "in_cell": "<table><tr><td>{p}</td></tr></table>",
    "in_bold": "<b>{p}</b>",
    "in_list": "<ul><li>{p}</li></ul>",
}


@dataclass(frozen=True)
class Payload:
    marker: str
    family: str
    context: str
    text: str


def _families_with_contexts():
    """Every template in every family, each in a rotating context, plus every context for
    the first templates of each family: the combination is real, not a repeat."""
    contexts = list(CONTEXTS.items())
    for family, templates in FAMILIES.items():
        for i, template in enumerate(templates):
            # each template in three contexts, rotating, so every family meets every context
            for k in range(3):
                name, wrap = contexts[(i + k * 3) % len(contexts)]
                yield family, name, template, wrap


def payloads() -> list[Payload]:
    out = []
    seen = set()
    for n, (family, context, template, wrap) in enumerate(_families_with_contexts(), start=1):
        marker = f"xss{n}"
        text = wrap.format(p=template.replace("M", marker))
        if text in seen:
            continue
        seen.add(text)
        out.append(Payload(marker=marker, family=family, context=context, text=text))
    return out


PAYLOADS = payloads()


def sample(per_family: int) -> list[Payload]:
    """``per_family`` payloads of each family, spread over its contexts (for the browser)."""
    by_family: dict[str, list[Payload]] = {}
    for payload in PAYLOADS:
        by_family.setdefault(payload.family, []).append(payload)
    chosen = []
    for items in by_family.values():
        step = max(1, len(items) // per_family)
        chosen.extend(items[::step][:per_family])
    return chosen

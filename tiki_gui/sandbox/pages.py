"""The sandbox's HTML pages: login, consent and Hydra's fallback error page.

Plain HTML with a little inline CSS; they are shown to people in an embedded browser, so each
page says plainly that it is the local sandbox and not Tiki. Every value is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

__all__ = ["SCOPE_DESCRIPTIONS", "consent_page", "error_page", "login_page", "scope_description"]

SCOPE_DESCRIPTIONS: dict[str, str] = {
    "offline": "Stay connected: the app gets a refresh token and keeps access while you are away.",
    "offline_access": (
        "Stay connected: the app gets a refresh token and keeps access while you are away."
    ),
    "product": "Read and manage your products.",
    "order": "Read and manage your orders.",
    "inventory": "Read your inventory (read only).",
    "multichannel": "Use multichannel features (some partners only).",
    "all": "Basic access to your products and orders (deprecated scope).",
}

_STYLE = """
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
       color: #1f2933; background: #f3f5f7; }
.banner { background: #fff4ce; color: #5c4400; border-bottom: 1px solid #e8d48b;
          padding: 8px 16px; text-align: center; font-size: 14px; }
main { max-width: 420px; margin: 32px auto; background: #fff; border: 1px solid #dde2e7;
       border-radius: 8px; padding: 24px 28px; }
h1 { font-size: 20px; margin: 0 0 8px; }
p { margin: 8px 0; }
label { display: block; margin: 14px 0 4px; font-weight: 600; }
input[type=text], input[type=password] { box-sizing: border-box; width: 100%; padding: 8px;
       border: 1px solid #b8c2cc; border-radius: 4px; font: inherit; }
.buttons { display: flex; gap: 8px; margin-top: 20px; }
button { flex: 1; padding: 9px 12px; border-radius: 4px; border: 1px solid #1a73e8;
         font: inherit; cursor: pointer; background: #1a73e8; color: #fff; }
button.secondary { background: #fff; color: #1a73e8; }
.error { background: #fdecea; color: #8a1c13; border: 1px solid #f5c2bd; border-radius: 4px;
         padding: 8px 12px; }
ul.scopes { padding-left: 0; list-style: none; }
ul.scopes li { padding: 8px 0; border-bottom: 1px solid #eef1f4; }
code { background: #eef1f4; padding: 1px 4px; border-radius: 3px; }
dl { margin: 12px 0; } dt { font-weight: 600; margin-top: 8px; } dd { margin: 2px 0 0; }
.note { color: #52606d; font-size: 13px; }
"""


def _layout(heading: str, body: str) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Tiki Sandbox</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        '<div class="banner" role="note">Local sandbox: this page comes from tiki-gui on your '
        "computer, not from Tiki.</div>\n"
        f"<main>\n<h1>{escape(heading)}</h1>\n{body}</main>\n</body>\n</html>\n"
    )


def scope_description(scope: str) -> str:
    """What a scope lets the app do, in words a seller understands."""
    return SCOPE_DESCRIPTIONS.get(scope, "A scope the sandbox does not describe.")


def _scope_list(scopes: Iterable[str]) -> str:
    items = [f"<li><code>{escape(s)}</code><br>{escape(scope_description(s))}</li>" for s in scopes]
    if not items:
        return "<p>The app requests no scopes.</p>\n"
    return '<ul class="scopes">\n' + "\n".join(items) + "\n</ul>\n"


def login_page(
    *, login_challenge: str, client_id: str, username: str = "", error: str | None = None
) -> str:
    """The sign-in form: any seller name with a non-empty password signs in."""
    error_html = f'<p class="error" role="alert">{escape(error)}</p>\n' if error else ""
    autofocus_user = "" if username else " autofocus"
    autofocus_password = " autofocus" if username else ""
    body = (
        f"<p>Sign in to let <strong>{escape(client_id)}</strong> access your seller account.</p>\n"
        f"{error_html}"
        '<form method="post" action="/sc/oauth2/login">\n'
        '<input type="hidden" name="login_challenge" '
        f'value="{escape(login_challenge, quote=True)}">\n'
        '<label for="username">Seller name</label>\n'
        '<input type="text" id="username" name="username" autocomplete="username" '
        f'value="{escape(username, quote=True)}"{autofocus_user}>\n'
        '<label for="password">Password</label>\n'
        '<input type="password" id="password" name="password" '
        f'autocomplete="current-password"{autofocus_password}>\n'
        '<label class="inline"><input type="checkbox" id="remember" name="remember" '
        'value="1" checked> Remember me in this browser</label>\n'
        '<div class="buttons"><button type="submit" id="login-submit">Sign in</button></div>\n'
        "</form>\n"
        '<p class="note">Any seller name works with any non-empty password. A name starting '
        'with "inactive" signs in as an inactive seller.</p>\n'
    )
    return _layout("Sign in", body)


def consent_page(
    *, consent_challenge: str, client_id: str, username: str, scopes: tuple[str, ...]
) -> str:
    """The consent form listing each requested scope with a description."""
    body = (
        f"<p>Signed in as <strong>{escape(username)}</strong>.</p>\n"
        f"<p><strong>{escape(client_id)}</strong> wants to:</p>\n"
        f"{_scope_list(scopes)}"
        '<form method="post" action="/sc/oauth2/consent">\n'
        '<input type="hidden" name="consent_challenge" '
        f'value="{escape(consent_challenge, quote=True)}">\n'
        '<div class="buttons">\n'
        '<button type="submit" class="secondary" name="action" value="deny" '
        'id="consent-deny">Deny</button>\n'
        '<button type="submit" name="action" value="allow" id="consent-allow">Allow</button>\n'
        "</div>\n</form>\n"
    )
    return _layout("Allow access?", body)


def error_page(*, error: str, description: str, hint: str) -> str:
    """Hydra's fallback error page, shown when the app cannot be redirected to."""
    parts = [
        "<p>The authorization server cannot send you back to the app.</p>\n",
        '<dl class="error" role="alert">\n',
        f"<dt>Error</dt><dd><code>{escape(error or 'unknown_error')}</code></dd>\n",
    ]
    if description:
        parts.append(f"<dt>Description</dt><dd>{escape(description)}</dd>\n")
    if hint:
        parts.append(f"<dt>Hint</dt><dd>{escape(hint)}</dd>\n")
    parts.append("</dl>\n")
    return _layout("An error occurred", "".join(parts))

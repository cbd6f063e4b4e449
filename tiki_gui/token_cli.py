"""``tiki-gui token`` and ``tiki-gui profiles``: stored tokens for scripts, without Qt.

``main(["token", "--profile", "Shop", "--seller", "123"])`` prints a valid access token for the
seller, refreshing (and storing the rotated pair) first when it is expired or has less than 60
seconds left. Nothing here imports Qt, and ``httpx`` is imported only when a refresh is needed,
so the command starts fast. Errors end in ONE line on stderr and a documented exit status
(:class:`ExitCode`); no secret is ever printed there.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import TYPE_CHECKING, TextIO

from tiki_gui.core.cancellation import DEFAULT_DEADLINE
from tiki_gui.core.errors import (
    ApiError,
    MalformedResponseError,
    OAuthError,
    TikiGuiError,
    TransportError,
)
from tiki_gui.core.tokens import is_token_text
from tiki_gui.storage.errors import (
    KeyringUnavailableError,
    LockTimeoutError,
    MissingClientSecretError,
    NoTokenError,
    ProfileNotFoundError,
    ReauthorizationRequiredError,
    SellerAmbiguousError,
    TokenNotSavedError,
)
from tiki_gui.storage.profile_store import ProfileStore
from tiki_gui.storage.profiles import Grant, Profile
from tiki_gui.storage.records import SellerRecord
from tiki_gui.storage.vault import TokenVault, reauthorization_message

if TYPE_CHECKING:
    from tiki_gui.core.tokens import TokenSet

__all__ = ["REFRESH_MARGIN", "ExitCode", "main"]

REFRESH_MARGIN = timedelta(seconds=60)
"""A token with less than this left is refreshed before it is printed."""


class ExitCode(IntEnum):
    """Exit statuses of ``tiki-gui token`` and ``tiki-gui profiles``."""

    OK = 0
    ERROR = 1
    """Anything else (a damaged settings file, an unexpected failure)."""
    USAGE = 2
    """Wrong command-line arguments."""
    UNKNOWN_PROFILE = 3
    NO_TOKEN = 4
    """No token stored yet for the profile, or none for the seller named."""
    SELLER_AMBIGUOUS = 5
    """Several sellers: name one with --seller (or the name matches several)."""
    REFRESH_REFUSED = 6
    """The server refused the refresh token (invalid_grant) or there is none: authorize again."""
    NETWORK = 7
    """The token endpoint could not be reached (nothing stored changed)."""
    KEYRING_UNAVAILABLE = 8
    """No usable OS keyring (or it refused to store the refreshed pair)."""
    REFRESH_FAILED = 9
    """The server answered with another error (invalid_client, 5xx, ...) or no client secret."""
    BUSY = 10
    """Another process kept refreshing this token for too long."""


_EXIT_CODES_HELP = """\
exit status:
   0  success
   1  other error (for example a damaged settings file)
   2  wrong arguments
   3  unknown profile
   4  no token yet (for the profile, or for the seller named)
   5  seller ambiguous: the profile has several sellers, choose one with --seller
   6  refresh refused (invalid_grant) or no refresh token: authorize again in tiki-gui
   7  network failure: the token endpoint could not be reached; nothing was changed
   8  keyring unavailable: no usable OS keyring (tokens live only there)
   9  refresh failed: the server answered another error, or no client secret is stored
  10  busy: another process kept this token's refresh lock too long
"""

_COMMAND_DESCRIPTION = """\
Print a valid access token of a stored profile, for scripts:

  curl -H "Authorization: Bearer $(tiki-gui token --profile Shop)" \\
       https://api.tiki.vn/integration/v2/sellers/me

The token is refreshed first when it has expired or expires within 60 seconds; the rotated pair
is stored in the OS keyring before it is printed. Two scripts asking at once never refresh the
same token twice (a lock file in the runtime directory). Tokens are obtained in the tiki-gui
window (authorize once per seller); the sandbox profile is not available here.
"""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 86_400:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}")
    return value


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tiki-gui",
        description="Qt-free commands of tiki-gui for scripts.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_EXIT_CODES_HELP,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    token = commands.add_parser(
        "token",
        help="print a valid access token of a stored profile and seller",
        description=_COMMAND_DESCRIPTION,
        epilog=_EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    token.add_argument("--profile", required=True, metavar="NAME", help="profile name")
    token.add_argument(
        "--seller",
        metavar="ID_OR_NAME",
        help="seller id or name (may be left out when the profile has one seller)",
    )
    token.add_argument(
        "--json",
        action="store_true",
        help="print the whole token set as JSON (access_token, refresh_token, token_type, scope, "
        "expires_at, obtained_at, seller, profile); never the client secret",
    )
    token.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_DEADLINE,
        metavar="SECONDS",
        help=f"most time a refresh request may take in all (default {DEFAULT_DEADLINE:g})",
    )
    profiles = commands.add_parser(
        "profiles",
        help="list stored profiles and their sellers (no secrets)",
        description="List the stored profiles and, per profile, the sellers with a token and "
        "their status. No secret or token is printed.",
        epilog=_EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    profiles.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _token_json(profile: Profile, record: SellerRecord) -> str:
    token: TokenSet = record.token
    data = {
        "access_token": token.access_token,
        "refresh_token": token.refresh_token,
        "token_type": token.token_type,
        "scope": None if token.scope is None else " ".join(token.scope),
        "expires_at": _iso(token.expires_at),
        "obtained_at": _iso(token.obtained_at),
        "seller": {"id": record.seller_id, "name": record.seller_name},
        "profile": profile.name,
    }
    return json.dumps(data, ensure_ascii=False)


def _print_token(profile: Profile, record: SellerRecord, as_json: bool, out: TextIO) -> None:
    token = record.token
    if not is_token_text(token.access_token) or not (
        token.refresh_token is None or is_token_text(token.refresh_token)
    ):
        # Stored by an older version: never print what could inject a header or a terminal code.
        raise TikiGuiError(
            f"The stored token of seller {record.seller_name!r} ({record.seller_id}) contains "
            "spaces or control characters, so it is not printed; authorize again in tiki-gui."
        )
    out.write((_token_json(profile, record) if as_json else record.token.access_token) + "\n")
    out.flush()


def _run_token(args: argparse.Namespace, out: TextIO) -> int:
    store = ProfileStore()
    vault = TokenVault(store, deadline=args.timeout)
    profile = store.get(args.profile)
    record = vault.find_seller(profile.name, args.seller)
    if record.needs_reauthorization and profile.grant is Grant.AUTHORIZATION_CODE:
        raise ReauthorizationRequiredError(
            reauthorization_message(record), interrupted=record.refresh_interrupted
        )
    if record.token.is_expired(leeway=REFRESH_MARGIN):
        from tiki_gui.core.http import make_http_client

        with make_http_client() as http:
            try:
                record = vault.refresh(
                    profile.name,
                    record.seller_id,
                    http,
                    started_from=record.token,
                    min_remaining=REFRESH_MARGIN,
                )
            except TokenNotSavedError as exc:
                # The server already rotated the pair: printing it is the only way not to lose it.
                lost = SellerRecord(record.seller_id, record.seller_name, exc.token)
                _print_token(profile, lost, args.json, out)
                raise
    _print_token(profile, record, args.json, out)
    return ExitCode.OK


def _seller_lines(vault: TokenVault, profile: Profile) -> tuple[list[str], list[object]]:
    lines: list[str] = []
    data: list[object] = []
    now = datetime.now(UTC)
    for record in vault.sellers(profile.name):
        status = record.status(now)
        expires = _iso(record.token.expires_at) or "no expiry"
        lines.append(f"    {record.seller_id}  {record.seller_name}  {status.value} ({expires})")
        data.append(
            {
                "id": record.seller_id,
                "name": record.seller_name,
                "status": status.value,
                "expires_at": _iso(record.token.expires_at),
                "last_refresh": _iso(record.last_refresh),
                "has_refresh_token": record.can_refresh,
            }
        )
    return lines, data


def _run_profiles(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    store = ProfileStore()
    vault = TokenVault(store)
    keyring_error: KeyringUnavailableError | None = None
    listing: list[object] = []
    text: list[str] = []
    for profile in store.list():
        entry: dict[str, object] = {
            "name": profile.name,
            "client_id": profile.client_id,
            "grant": profile.grant.value,
            "auth_method": profile.auth_method,
            "redirect_uri": profile.redirect_uri,
            "scopes": list(profile.scopes),
            "token_endpoint": profile.endpoints.token_endpoint,
        }
        text.append(
            f"{profile.name}  (client {profile.client_id}, {profile.grant.value}, "
            f"{profile.auth_method})"
        )
        if keyring_error is None:
            try:
                lines, sellers = _seller_lines(vault, profile)
            except KeyringUnavailableError as exc:
                keyring_error = exc
            else:
                entry["sellers"] = sellers
                text.extend(lines or ["    (no token yet)"])
        if keyring_error is not None:
            entry["sellers"] = None
        listing.append(entry)
    if args.json:
        out.write(json.dumps(listing, ensure_ascii=False, indent=2) + "\n")
    elif text:
        out.write("\n".join(text) + "\n")
    else:
        out.write("No profiles yet: create one in the tiki-gui window.\n")
    out.flush()
    if keyring_error is not None:
        err.write(f"tiki-gui profiles: sellers not listed: {_one_line(str(keyring_error))}\n")
        return ExitCode.KEYRING_UNAVAILABLE
    return ExitCode.OK


def _exit_code(exc: BaseException) -> tuple[ExitCode, str]:
    """The exit status for an error and the one line that explains it."""
    message = _one_line(str(exc)) or type(exc).__name__
    table: tuple[tuple[type[BaseException], ExitCode, str], ...] = (
        (ProfileNotFoundError, ExitCode.UNKNOWN_PROFILE, ""),
        (NoTokenError, ExitCode.NO_TOKEN, ""),
        (SellerAmbiguousError, ExitCode.SELLER_AMBIGUOUS, ""),
        (ReauthorizationRequiredError, ExitCode.REFRESH_REFUSED, "refresh refused: "),
        (TransportError, ExitCode.NETWORK, "network failure, nothing changed: "),
        (KeyringUnavailableError, ExitCode.KEYRING_UNAVAILABLE, "keyring unavailable: "),
        (LockTimeoutError, ExitCode.BUSY, ""),
        (MissingClientSecretError, ExitCode.REFRESH_FAILED, ""),
        (OAuthError, ExitCode.REFRESH_FAILED, "refresh failed: "),
        (MalformedResponseError, ExitCode.REFRESH_FAILED, "refresh failed: "),
        (ApiError, ExitCode.REFRESH_FAILED, "refresh failed: "),
        (TikiGuiError, ExitCode.ERROR, ""),
    )
    for kind, code, prefix in table:
        if isinstance(exc, kind):
            return code, prefix + message
    return ExitCode.ERROR, f"unexpected error ({type(exc).__name__})"


def main(argv: list[str], *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``tiki-gui token ...`` or ``tiki-gui profiles ...``; ``argv`` starts with the command.

    Returns the exit status (:class:`ExitCode`); prints results on ``out`` (stdout) and at most
    one line on ``err`` (stderr) for an error.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2); argparse printed the text
        return int(exc.code) if isinstance(exc.code, int) else ExitCode.USAGE
    command = f"tiki-gui {args.command}"
    try:
        if args.command == "token":
            return _run_token(args, out)
        return _run_profiles(args, out, err)
    except Exception as exc:
        code, line = _exit_code(exc)
        err.write(f"{command}: {line}\n")
        err.flush()
        return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The request console's work: send as a stored seller, show the answer, copy, export.

An :class:`ApiConsole` owns the :class:`~tiki_gui.ui.api_console.console_panel.ApiConsolePanel`.
Its sellers are the stored-tokens controller's; the token is taken from the vault on a worker
(refreshed there first when near expiry: :func:`~tiki_gui.api.seller_call.send_as_seller`),
never typed. One request at a time runs on the console's own
:class:`~tiki_gui.ui.shared.jobs.JobRunner` with a core
:class:`~tiki_gui.core.cancellation.Cancellation`: Cancel, and closing the window, end it at
once. Each request and answer goes into the console's timeline with the token masked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox

from tiki_gui.api.console import (
    BODY_METHODS,
    CONSOLE_MAX_BODY,
    ApiRequest,
    WriteNotAllowedError,
    placeholder_in,
)
from tiki_gui.api.presets import missing_scope
from tiki_gui.api.snippet_code import render
from tiki_gui.api.snippets import SnippetLanguage
from tiki_gui.core.cancellation import DEFAULT_DEADLINE, Cancellation
from tiki_gui.core.errors import MalformedResponseError, TransportError, ValidationError
from tiki_gui.core.shared_http import SharedHttp
from tiki_gui.ui.api_console.console_panel import ApiConsolePanel
from tiki_gui.ui.api_console.copy_menu import CopyTarget
from tiki_gui.ui.api_console.export_dialog import ExportDialog
from tiki_gui.ui.shared.jobs import Job, JobRunner
from tiki_gui.ui.shared.storage_text import storage_text
from tiki_gui.ui.shared.widgets import ask_to_confirm

if TYPE_CHECKING:
    from tiki_gui.api.seller_call import SellerCall
    from tiki_gui.api.snippets import HttpCall
    from tiki_gui.core.timeline import Timeline
    from tiki_gui.storage import Profile, SellerRecord
    from tiki_gui.storage.profiles import ProfileWithSecret
    from tiki_gui.ui.profiles.controller import ProfilesController
    from tiki_gui.ui.signin.flow import AuthorizationFlow
    from tiki_gui.ui.stored_tokens.controller import StoredTokensController

__all__ = ["ApiConsole"]


def _error_text(error: Exception) -> str:
    """The reason a request got no answer: the core's own sentence (it names the seller API or
    the token endpoint, and holds no secret), or the storage's words for a refresh problem."""
    if isinstance(error, TransportError | MalformedResponseError | WriteNotAllowedError):
        return str(error)
    return storage_text(error)


class ApiConsole(QObject):
    """Sends the panel's request as the chosen seller; one request at a time."""

    message = Signal(str)  # something for the status bar
    finished = Signal()  # a request ended (answer, failure or cancel)

    def __init__(
        self,
        *,
        tokens: StoredTokensController,
        profiles: ProfilesController,
        flow: AuthorizationFlow,
        form_config: Callable[[], ProfileWithSecret],
        http: SharedHttp,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.panel = ApiConsolePanel()
        self.dock: QDockWidget | None = None  # where the window shows the panel, if anywhere
        self.deadline = DEFAULT_DEADLINE  # seconds one request may take in all
        self.max_body = CONSOLE_MAX_BODY  # bytes of one answer read at most
        self._tokens, self._profiles, self._flow = tokens, profiles, flow
        self._form_config, self._http = form_config, http
        self._jobs = JobRunner("api_console", threads=1, parent=self)
        self._job: Job[SellerCall] | None = None
        self._timeline: Timeline | None = None
        self._closed = False
        panel = self.panel
        panel.send.clicked.connect(self.send)
        panel.path.returnPressed.connect(self.send)
        panel.cancel.clicked.connect(self.cancel)
        panel.seller.currentIndexChanged.connect(self._update_warning)
        panel.preset.currentIndexChanged.connect(self._update_warning)
        panel.refresh_token.clicked.connect(self._on_refresh_token)
        panel.copy_curl.clicked.connect(self._on_copy_curl)
        panel.copy_menu.copy_requested.connect(self._on_copy)
        panel.export.clicked.connect(self.open_export)
        panel.tree.copied.connect(self._on_copied)
        panel.timeline.copied.connect(self._on_copied)
        tokens.loaded.connect(self._on_sellers_changed)
        tokens.changed.connect(self._on_sellers_changed)
        profiles.opened.connect(self._on_profile_opened)
        self._on_profile_opened(profiles.current, profiles.profile)

    # -- state -------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._job is not None and self._job.pending

    @property
    def timeline(self) -> Timeline | None:
        """The console's record of requests and answers (made at the first request)."""
        return self._timeline

    def _profile(self) -> Profile | None:
        return self._profiles.profile

    def _record(self) -> SellerRecord | None:
        seller_id = self.panel.seller_id()
        records = self._tokens.manager.records()
        return next((r for r in records if r.seller_id == seller_id), None)

    def select_seller(self, seller_id: int) -> None:
        index = self.panel.seller.findData(seller_id)
        if index >= 0:
            self.panel.seller.setCurrentIndex(index)

    def open_for(self, seller_id: int | None = None) -> None:
        """Show the console (raise its dock), with ``seller_id`` chosen if given."""
        if seller_id is not None:
            self.select_seller(seller_id)
        dock = self.dock
        if dock is not None:
            dock.show()
            dock.raise_()
            window = dock.parentWidget()
            if isinstance(window, QMainWindow):
                height = max(dock.height(), window.height() // 2)
                window.resizeDocks([dock], [height], Qt.Orientation.Vertical)
        self.panel.path.setFocus()

    @Slot(str, object)
    def _on_profile_opened(self, _name: str, profile: Profile | None) -> None:
        self.cancel()
        self.panel.set_api_base(profile.endpoints.api_base if profile is not None else "")
        self.panel.set_result(None)
        self._on_sellers_changed()

    @Slot()
    def _on_sellers_changed(self) -> None:
        self.panel.set_sellers(self._tokens.manager.records())
        self.panel.send.setEnabled(not self.busy and self.panel.seller.count() > 0)
        self._update_warning()

    @Slot()
    def _update_warning(self) -> None:
        record, preset = self._record(), self.panel.current_preset()
        granted = record.token.scope if record is not None else None
        missing = missing_scope(granted, preset.scope if preset is not None else None)
        if missing is None or preset is None:
            self.panel.set_warning(None)
            return
        text = self.tr(
            "This token was not granted the '%1' scope that this request needs (granted: %2): "
            "Tiki will answer 403. Authorize again with '%1' in the scope, once the app is "
            "approved for it in Tiki's console."
        )
        shown = " ".join(granted or ()) or self.tr("none")
        self.panel.set_warning(text.replace("%1", missing).replace("%2", shown))

    # -- sending -----------------------------------------------------------------------------

    def _request(self) -> ApiRequest:
        """The panel's request; ValidationError, in the UI's language, when it cannot be sent."""
        profile = self._profile()
        base = profile.endpoints.api_base if profile is not None else None
        text = self.panel.path.text().strip() or "/"
        method = self.panel.method.currentText()
        placeholder = placeholder_in(text.split("?", 1)[0])
        if placeholder is not None:
            raise ValidationError(
                self.tr("Replace %1 in the path with a value first: nothing was sent.").replace(
                    "%1", placeholder
                )
            )
        body = self.panel.request_body.text() if method in BODY_METHODS else ""
        problem = self.panel.request_body.problem() if body else None
        if problem is not None:
            raise ValidationError(
                self.tr("The body is not valid JSON: nothing was sent. %1").replace("%1", problem)
            )
        return ApiRequest.parse(method, text, api_base=base, body=body)

    @Slot()
    def send(self) -> None:
        """Send the panel's request (a write only when switched on and confirmed)."""
        if self.busy or self._closed:
            return
        record, profile = self._record(), self._profile()
        if record is None or profile is None:
            self.panel.show_problem(self.tr("Pick a seller with a stored token first."))
            return
        try:
            request = self._request()
        except ValidationError as exc:
            self.panel.show_problem(str(exc))
            return
        if not request.is_write:
            self._start(request, record, allow_write=False)
            return
        if not self.panel.allow_write.isChecked():
            self.panel.show_problem(
                self.tr(
                    "%1 changes data on Tiki, for real on production: nothing was sent. Switch "
                    "on \u201cAllow writes\u201d to send it (you will be asked to confirm)."
                ).replace("%1", request.method)
            )
            return
        who = f"{record.seller_name} ({record.seller_id})"
        ask_to_confirm(
            self.panel,
            "api_write_confirm",
            self.tr("Send a write"),
            self.tr("Send %1 %2 as seller %3? It changes the seller's data on %4 for real.")
            .replace("%1", request.method)
            .replace("%2", request.target)
            .replace("%3", who)
            .replace("%4", profile.endpoints.api_base),
            lambda: self._start(request, record, allow_write=True),
            icon=QMessageBox.Icon.Warning,
        )

    def _start(self, request: ApiRequest, record: SellerRecord, *, allow_write: bool) -> None:
        if self.busy or self._closed:
            return
        from tiki_gui.api.seller_call import send_as_seller
        from tiki_gui.api.traffic import ConsoleTraffic
        from tiki_gui.core.timeline import Timeline

        if self._timeline is None:
            self._timeline = Timeline()
            self.panel.timeline.watch(self._timeline)
        timeline = self._timeline
        preset = self.panel.current_preset()
        scope = preset.scope if preset is not None and preset.path == request.path else None
        traffic = ConsoleTraffic(timeline, record.token.access_token)
        timeline.record_note(f"Console: {request.method} {request.target} as {record.seller_name}")
        vault, name, seller_id = self._tokens.vault, self._profiles.current, record.seller_id
        http, deadline, max_body, stop = self._http, self.deadline, self.max_body, Cancellation()

        def call() -> SellerCall:
            return send_as_seller(
                vault, name, seller_id, http.get(), request,
                allow_write=allow_write, required_scope=scope, deadline=deadline,
                cancellation=stop, max_body=max_body, observer=traffic,
            )  # fmt: skip

        self.panel.set_busy(True)
        self._job = self._jobs.submit(call, self._on_answer, self._on_failed, on_cancel=stop.cancel)

    @Slot()
    def cancel(self) -> None:
        """Stop the request under way (its socket is shut down; the outcome is dropped)."""
        job = self._job
        if job is None or not job.pending:
            return
        job.cancel()
        if self._timeline is not None:
            self._timeline.record_note("Console: cancelled")
        self.panel.set_busy(False)
        self.panel.show_problem(
            self.tr("Cancelled: the answer was not read (what Tiki did with it is unknown).")
        )
        self.finished.emit()

    def _on_answer(self, call: SellerCall) -> None:
        self.panel.set_busy(False)
        if call.refreshed:
            if self._timeline is not None:
                self._timeline.record_note("Console: the token was refreshed before sending")
            self._tokens.manager.update_record(call.record)
            self._tokens.refresher.update_record(call.record)
        self.panel.set_result(call.result)
        self._update_warning()
        self.finished.emit()

    def _on_failed(self, error: Exception) -> None:
        self.panel.set_busy(False)
        if self._timeline is not None:
            self._timeline.record_error(error)
        self.panel.show_problem(_error_text(error))
        self.finished.emit()

    @Slot()
    def _on_refresh_token(self) -> None:
        record = self._record()
        if record is not None:
            self._tokens.refresh_seller(record.seller_id)
            self.panel.refresh_token.setVisible(False)
            self.message.emit(
                self.tr("Refreshing the token of %1\u2026").replace("%1", record.seller_name)
            )

    # -- copy and export ---------------------------------------------------------------------

    @Slot()
    def _on_copy_curl(self) -> None:
        self._on_copy(CopyTarget.REQUEST.value, SnippetLanguage.CURL.value, False)

    def snippet(self, target: CopyTarget, language: SnippetLanguage, include: bool) -> str:
        """The code for ``target``; ValidationError when it cannot be made (says why)."""
        return render(self._call(target, include), language, include_secrets=include)

    def _call(self, target: CopyTarget, include: bool) -> HttpCall:
        from tiki_gui.api.snippets import api_call, refresh_call, token_exchange_call
        from tiki_gui.core.client_auth import ClientCredentials

        profile, record = self._profile(), self._record()
        if profile is None:
            raise ValidationError(self.tr("Save the profile first."))
        if target is CopyTarget.REQUEST:
            token = record.token.access_token if record is not None else None
            return api_call(profile.endpoints.api_base, self._request(), token)
        # The exchange as this session's last flow of this profile sent it (else the profile's).
        flow_profile, flow_request = self._flow.profile, self._flow.request
        from_flow = (
            flow_profile is not None
            and flow_request is not None
            and flow_profile.client_id.strip() == profile.client_id
        )
        secret = self._flow.secret if from_flow else self._form_config().secret
        if not secret:
            if include:
                raise ValidationError(self.tr("The client secret is not known: enter it first."))
            secret = "unused"  # noqa: S105  (never rendered: the snippet names the variable)
        credentials = ClientCredentials(profile.client_id, secret, profile.auth_method)
        if target is CopyTarget.REFRESH:
            refresh = record.token.refresh_token if record is not None else None
            return refresh_call(profile.endpoints.token_endpoint, credentials, refresh)
        if flow_request is not None and from_flow:
            redirect_uri, pkce = flow_request.redirect_uri, flow_request.pkce is not None
        else:
            redirect_uri, pkce = profile.redirect_uri, profile.use_pkce
        # A code and its verifier are single use and come from a new authorization: both are
        # always environment variables (TIKI_AUTH_CODE, TIKI_CODE_VERIFIER).
        return token_exchange_call(
            profile.endpoints.token_endpoint, credentials, redirect_uri=redirect_uri, uses_pkce=pkce
        )

    @Slot(str, str, bool)
    def _on_copy(self, target: str, language: str, include: bool) -> None:
        lang = SnippetLanguage(language)
        try:
            text = self.snippet(CopyTarget(target), lang, include)
        except ValidationError as exc:
            self.message.emit(str(exc))
            return
        QGuiApplication.clipboard().setText(text)
        what = self.tr("%1 code").replace("%1", lang.label)
        if include:
            what += " " + self.tr("(with live secrets)")
        self._on_copied(what)

    @Slot()
    def open_export(self) -> ExportDialog | None:
        """Open the export dialog for the chosen seller (non-blocking)."""
        record, profile = self._record(), self._profile()
        if record is None or profile is None:
            self.message.emit(self.tr("Pick a seller with a stored token first."))
            return None
        dialog = ExportDialog(record, profile.endpoints.api_base, profile.name, self.panel)
        dialog.exported.connect(
            lambda path: self.message.emit(
                self.tr("Token exported to %1 (it holds a live token).").replace("%1", path)
            )
        )
        dialog.open()
        return dialog

    @Slot(str)
    def _on_copied(self, what: str) -> None:
        self.message.emit(self.tr("%1 copied to the clipboard.").replace("%1", what))

    def close(self) -> None:
        """Cancel the request under way and wait for its worker (within a fraction of a second)."""
        if self._closed:
            return
        self.cancel()
        self._closed = True
        self._jobs.close()
        self.panel.timeline.close_timeline()

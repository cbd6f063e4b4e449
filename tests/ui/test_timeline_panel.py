"""The timeline panel shows each entry of the watched timeline, masked, and appends the entries
recorded in one event-loop turn in one edit, after the window has painted what the step changed
(tiki_gui/ui/signin/timeline_panel.py, issue 11's P3); hidden, it leaves its text alone until
shown (P2: the consent page's start)."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tiki_gui.core.timeline import Timeline
from tiki_gui.ui.signin.timeline_panel import TimelinePanel


def test_entries_of_one_turn_are_appended_in_one_edit_and_in_order(qtbot: QtBot) -> None:
    panel = TimelinePanel()
    qtbot.addWidget(panel)
    panel.show()
    timeline = Timeline()
    panel.watch(timeline)
    edits: list[str] = []
    panel.text.textChanged.connect(lambda: edits.append(panel.text.toPlainText()))
    timeline.record_note("first")
    timeline.record_callback("http://127.0.0.1:8765/callback?code=SECRETCODE&state=S")
    timeline.record_note("third")
    assert edits == []  # nothing laid out before the event loop's next turn
    qtbot.waitUntil(lambda: len(edits) >= 1)
    qtbot.wait(50)  # nothing more comes
    assert len(edits) == 1
    text = panel.text.toPlainText()
    assert text.index("first") < text.index("callback") < text.index("third")
    assert "SECRETCODE" not in text
    assert text == timeline.as_text().rstrip("\n")


def test_entries_from_a_worker_thread_and_a_switch_of_timeline(qtbot: QtBot) -> None:
    panel = TimelinePanel()
    qtbot.addWidget(panel)
    panel.show()
    old, new = Timeline(), Timeline()
    panel.watch(old)
    worker = threading.Thread(target=lambda: old.record_note("from the old flow"))
    worker.start()
    worker.join()
    panel.watch(new)  # before the old entry reached the panel: it never shows
    new.record_note("from the new flow")
    qtbot.waitUntil(lambda: "from the new flow" in panel.text.toPlainText())
    qtbot.wait(50)
    assert "from the old flow" not in panel.text.toPlainText()
    assert panel.as_text() == new.as_text()


def test_a_hidden_panel_writes_its_text_once_shown(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    panel = TimelinePanel(window)
    panel.hide()  # as over the consent page
    window.show()
    timeline = Timeline()
    edits: list[str] = []
    panel.text.textChanged.connect(lambda: edits.append(panel.text.toPlainText()))
    panel.watch(timeline)
    timeline.record_note("while hidden")
    qtbot.wait(50)
    assert edits == []  # not laid out while nobody can see it
    assert panel.as_text() == timeline.as_text()  # (Copy as text has it all the same)
    worker = threading.Thread(target=lambda: timeline.record_note("queued at the show"))
    worker.start()
    worker.join()  # recorded, its line still on its way to the GUI thread
    panel.show()
    assert panel.text.toPlainText() == timeline.as_text().rstrip("\n")
    timeline.record_note("once shown")
    qtbot.waitUntil(lambda: "once shown" in panel.text.toPlainText())
    qtbot.wait(50)
    assert panel.text.toPlainText() == timeline.as_text().rstrip("\n")  # each line once
    assert panel.text.toPlainText().count("queued at the show") == 1

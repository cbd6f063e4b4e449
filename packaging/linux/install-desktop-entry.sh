#!/bin/sh
# Add tiki-gui to this user's application menu, or take it out again. No root needed.
#
#   ./install-desktop-entry.sh              run from the unpacked tiki-gui folder
#   ./install-desktop-entry.sh --uninstall  remove the menu entry and icons
#
# Writes $XDG_DATA_HOME/applications/tiki-gui.desktop (default ~/.local/share/applications) with
# an absolute Exec= to the tiki-gui beside this script, and copies the icons into
# $XDG_DATA_HOME/icons/hicolor/. Move the folder? Run it again.
set -eu

APP_ID="tiki-gui"
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
data_home=${XDG_DATA_HOME:-"$HOME/.local/share"}
case "$data_home" in /*) ;; *) data_home="$HOME/.local/share" ;; esac  # XDG: absolute only
applications="$data_home/applications"
icons="$data_home/icons/hicolor"
entry="$applications/$APP_ID.desktop"

refresh() {
    # Optional helpers of the desktop; nothing fails without them.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icons/index.theme" ]; then
        gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$entry"
    for icon in "$icons"/*/apps/"$APP_ID".png "$icons"/scalable/apps/"$APP_ID".svg; do
        [ -e "$icon" ] && rm -f "$icon"
    done
    refresh
    echo "Removed $entry and the $APP_ID icons."
    exit 0
fi
if [ $# -gt 0 ]; then
    echo "usage: $0 [--uninstall]" >&2
    exit 2
fi

executable="$here/$APP_ID"
if [ ! -x "$executable" ]; then
    echo "$executable not found: run this script from the unpacked tiki-gui folder." >&2
    exit 1
fi
case "$executable" in
    *[[:space:]\"\'\`\$\\]*)
        echo "The folder's path holds a space or quote ($here); move it somewhere plainer." >&2
        exit 1
        ;;
esac

if [ -d "$here/share/icons/hicolor" ]; then
    for source in "$here"/share/icons/hicolor/*/apps/"$APP_ID".*; do
        size_dir=$(basename "$(dirname "$(dirname "$source")")")
        mkdir -p "$icons/$size_dir/apps"
        cp -f "$source" "$icons/$size_dir/apps/"
    done
fi

mkdir -p "$applications"
tmp="$entry.tmp.$$"
cat >"$tmp" <<DESKTOP
[Desktop Entry]
Type=Application
Version=1.4
Name=tiki-gui
GenericName=Tiki OAuth client
Comment=Run Tiki Marketplace's OAuth 2.0 authorization code flow and get tokens
Exec=$executable
TryExec=$executable
Icon=$APP_ID
Terminal=false
Categories=Development;
Keywords=Tiki;OAuth;OAuth2;token;marketplace;
StartupNotify=true
StartupWMClass=$APP_ID
DESKTOP
mv -f "$tmp" "$entry"
refresh
echo "Installed $entry (Exec=$executable)."

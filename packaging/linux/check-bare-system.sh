#!/usr/bin/env bash
# The Linux bundle on a system with nothing but desktop libraries: a minimal Debian 12 made with
# debootstrap, plus the few libraries every desktop has (no Python, no Qt, no build tools).
# Unpacks the archive there and runs `tiki-gui-cli self-test` offscreen, in an X window (Xvfb),
# and as the unprivileged user `nobody` (Chromium's sandbox on). Root only (chroot, mounts);
# downloads about 150 MB of Debian packages; a few minutes. Not part of CI: a release check.
#
#   sudo packaging/linux/check-bare-system.sh dist/tiki-gui-VERSION-linux-x86_64.tar.gz [ROOTFS]
set -euo pipefail
archive=$(readlink -f "$1")
root=${2:-/tmp/tiki-gui-bare-rootfs}
# What a desktop has anyway: OpenGL/EGL and GBM (Mesa), fontconfig and a font, ALSA; and an X
# server to show the window in.
desktop_packages="libgl1 libegl1 libgbm1 libfontconfig1 libasound2 fonts-dejavu-core xvfb xauth"

if [ ! -x "$root/bin/sh" ]; then
    command -v debootstrap >/dev/null || apt-get install -y -qq --no-install-recommends debootstrap
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian
fi
# rslave: unmounting these later never propagates back to the host's /dev and /sys.
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
mountpoint -q "$root/dev" || { mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"; }
mountpoint -q "$root/sys" || { mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"; }
unmount_all() {
    local try
    for try in 1 2 3 4 5; do  # Xvfb may still be closing files in the chroot's /dev
        umount -R "$root/dev" "$root/sys" "$root/proc" 2>/dev/null || true
        mountpoint -q "$root/dev" || mountpoint -q "$root/sys" || mountpoint -q "$root/proc" || return 0
        sleep 1
    done
    echo "could not unmount everything under $root" >&2
}
trap unmount_all EXIT
cp /etc/resolv.conf "$root/etc/resolv.conf"
chroot "$root" /bin/sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends $desktop_packages >/dev/null"
if chroot "$root" /bin/sh -c 'command -v python3' >/dev/null; then
    echo "python3 is installed in $root: not a bare system" >&2
    exit 1
fi
rm -rf "$root/opt/tiki-gui"
mkdir -p "$root/opt"
tar -xzf "$archive" -C "$root/opt"

run() {  # run a self-test in the chroot; its JSON line must say ok
    local name="$1" command="$2" line
    echo "--- $name"
    line=$(chroot "$root" /bin/sh -c "cd /tmp && $command" 2>/dev/null) || {
        echo "$line"; echo "FAILED: $name" >&2; exit 1; }
    echo "$line"
    case "$line" in *'"ok": true'*) ;; *) echo "FAILED: $name" >&2; exit 1 ;; esac
}
bare='env -i PATH=/usr/bin:/bin LANG=C.UTF-8'
xvfb='xvfb-run -a -s "-screen 0 1280x900x24"'
run "offscreen, as root" "$bare HOME=/root QT_QPA_PLATFORM=offscreen /opt/tiki-gui/tiki-gui-cli self-test"
run "X11 window, as root" "$bare HOME=/root $xvfb /opt/tiki-gui/tiki-gui-cli self-test"
chroot "$root" /bin/sh -c 'mkdir -p /tmp/nobody-home && chown nobody /tmp/nobody-home'
run "X11 window, as nobody" "setpriv --reuid=nobody --regid=nogroup --clear-groups \
    $bare HOME=/tmp/nobody-home $xvfb /opt/tiki-gui/tiki-gui-cli self-test"
echo "bare system OK: $(chroot "$root" dpkg -l | grep -c '^ii') Debian packages, no Python"

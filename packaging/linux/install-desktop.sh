#!/bin/sh
# Install (or remove) FTRAG Advisor's desktop integration for the current user only:
# the menu entry, the .ftrag file type (opens with FTRAG Advisor on double-click), the icons,
# and ~/.local/bin/ftrag-advisor.  Nothing outside your home folder is touched; no root needed.
#
#   sh install-desktop.sh [BUNDLE_DIR]      # BUNDLE_DIR: the unpacked ftrag-advisor/ folder
#   sh install-desktop.sh --uninstall
#
# The bundle stays where it is: move it first if you want it elsewhere (e.g. ~/Applications),
# then run this again.  Inside an unpacked download the script sits in ftrag-advisor/desktop/
# and finds its bundle by itself; in a source checkout it uses dist/ftrag-advisor (`make
# install-desktop` builds it first).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data_home=${XDG_DATA_HOME:-"$HOME/.local/share"}
bin_dir="$HOME/.local/bin"
apps="$data_home/applications"
mime_packages="$data_home/mime/packages"
icons="$data_home/icons/hicolor"
sizes="16 24 32 48 64 128 256 512"

refresh() {
    command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$data_home/mime" || true
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f "$icons" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$apps/ftrag-advisor.desktop" "$mime_packages/ftrag-advisor.xml"
    for s in $sizes; do
        rm -f "$icons/${s}x${s}/apps/ftrag-advisor.png" "$icons/${s}x${s}/mimetypes/application-x-ftrag.png"
    done
    rm -f "$icons/scalable/apps/ftrag-advisor.svg" "$icons/scalable/mimetypes/application-x-ftrag.svg"
    if [ -L "$bin_dir/ftrag-advisor" ]; then rm -f "$bin_dir/ftrag-advisor"; fi
    refresh
    echo "FTRAG Advisor's desktop integration removed (the app folder itself was not touched)."
    exit 0
fi

# Where the app and this script's companion files are.
if [ $# -ge 1 ]; then
    bundle=$(cd "$1" && pwd)
elif [ -x "$here/../ftrag-advisor" ]; then     # inside an unpacked download: ftrag-advisor/desktop/
    bundle=$(cd "$here/.." && pwd)
else                                            # source checkout: packaging/linux/
    bundle=$(cd "$here/../.." && pwd)/dist/ftrag-advisor
fi
exe="$bundle/ftrag-advisor"
if [ ! -x "$exe" ]; then
    echo "error: no FTRAG Advisor app at $bundle (build it with 'make package', or pass the unpacked folder)" >&2
    exit 1
fi
icon_src="$bundle/_internal/resources/icons"
[ -d "$icon_src" ] || { echo "error: no icons in $icon_src" >&2; exit 1; }

mkdir -p "$apps" "$mime_packages" "$bin_dir"

# Menu entry, with the absolute path of this bundle (quoted for the Exec key's rules).
quoted=$(printf '%s' "$exe" | sed 's/[\\"`$]/\\&/g')
sed -e "s|^Exec=.*|Exec=\"$quoted\" %f|" -e "s|^TryExec=.*|TryExec=$exe|" \
    "$here/ftrag-advisor.desktop" > "$apps/ftrag-advisor.desktop"
chmod 644 "$apps/ftrag-advisor.desktop"

# File type, and its icon (the app icon doubles as the document icon).
cp "$here/ftrag-advisor-mime.xml" "$mime_packages/ftrag-advisor.xml"
for s in $sizes; do
    if [ -f "$icon_src/ftrag-advisor-$s.png" ]; then
        mkdir -p "$icons/${s}x${s}/apps" "$icons/${s}x${s}/mimetypes"
        cp "$icon_src/ftrag-advisor-$s.png" "$icons/${s}x${s}/apps/ftrag-advisor.png"
        cp "$icon_src/ftrag-advisor-$s.png" "$icons/${s}x${s}/mimetypes/application-x-ftrag.png"
    fi
done
mkdir -p "$icons/scalable/apps" "$icons/scalable/mimetypes"
cp "$icon_src/ftrag-advisor.svg" "$icons/scalable/apps/ftrag-advisor.svg"
cp "$icon_src/ftrag-advisor.svg" "$icons/scalable/mimetypes/application-x-ftrag.svg"

# The command line: ~/.local/bin/ftrag-advisor (eval, report, new, … and the app).
if [ ! -e "$bin_dir/ftrag-advisor" ] || [ -L "$bin_dir/ftrag-advisor" ]; then
    ln -sf "$exe" "$bin_dir/ftrag-advisor"
fi

refresh
# Make FTRAG Advisor the default application for .ftrag files of this user.
command -v xdg-mime >/dev/null 2>&1 && xdg-mime default ftrag-advisor.desktop application/x-ftrag || true

echo "FTRAG Advisor installed for $(id -un): menu entry, .ftrag file type and icons in $data_home,"
echo "command $bin_dir/ftrag-advisor -> $exe"
echo "Remove with: sh $0 --uninstall"

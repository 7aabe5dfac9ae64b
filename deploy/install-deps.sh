#!/bin/sh
# Install the Debian 12 packages Zizhu needs, and only those missing.
# apt-get runs only when something is missing; as root, or through sudo.
set -eu
NEED="gcc make pkg-config libc6-dev libfcgi-dev libsqlite3-dev sqlite3 libjansson-dev libcmark-dev libsodium-dev nginx curl libfcgi-bin systemd python3 libzip-dev libexpat1-dev libxlsxwriter-dev clang libclang-rt-14-dev valgrind chromium"
# a test that builds with clang needs the sanitizer runtime too
if [ "${ZIZHU_DEPS_EXTRA:-}" ]; then NEED="$NEED $ZIZHU_DEPS_EXTRA"; fi
missing=""
for p in $NEED; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# the browser test runs under Node; a Node installed another way is fine
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -z "$(echo "$missing" | tr -d ' ')" ] && exit 0
echo "Installing missing packages:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "Need root (or sudo) to install:$missing" >&2; exit 1; }
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# do not let the package start a system nginx on port 80
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d.zizhu >/dev/null
	$SUDO chmod +x /usr/sbin/policy-rc.d.zizhu
	$SUDO mv /usr/sbin/policy-rc.d.zizhu /usr/sbin/policy-rc.d
	trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing

#!/usr/bin/env bash
# Extracting and compiling translations (make messages, and the catalog test) needs GNU gettext.
set -euo pipefail
if command -v xgettext >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1; then
  exit 0
fi
echo "GNU gettext not found: installing Debian's gettext package for the translation catalogs"
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
else
  echo "Cannot install gettext without root; install it to run make messages." >&2
  exit 1
fi

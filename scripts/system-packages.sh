#!/usr/bin/env bash
# Install the Debian packages kaohe's tests and demo need, when they are missing.
#   postgresql      the PostgreSQL 15 server the test set-up starts on loopback
#   chromium        the browser the Playwright tests drive (never a downloaded build)
#   fonts-noto-cjk  so that Chinese renders in the browser, screenshots and PDFs
#   gettext         msgfmt, to compile the translation catalogs
#   wrk             the HTTP load tool `make bench` measures pages with, on loopback
#   redis-server    the Redis the Celery tests start on loopback (KAOHE_TASKS=celery)
#   libpango…       what WeasyPrint lays out the PDF reports with
#   libreoffice-calc-nogui, poppler-utils   the office suite and PDF tools the export
#                   tests open the XLSX and PDF files with
set -euo pipefail
packages=(postgresql chromium fonts-noto-cjk gettext wrk redis-server
  libpango-1.0-0 libpangoft2-1.0-0
  libreoffice-calc-nogui poppler-utils)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  sudo=sudo
else
  sudo=
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

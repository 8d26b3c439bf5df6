#!/usr/bin/env bash
# Build (default) or serve the site with the bundled content:
#   scripts/site.sh            → site/
#   scripts/site.sh serve      → http://127.0.0.1:8000 with live reload
#   scripts/site.sh check      → validate the examples only
source "$(dirname "$0")/setup.sh"
exec .venv/bin/erfaringsbank "${@:-build}"

#!/usr/bin/env bash
# Vendor GOV.UK Frontend from npm into src/safecity/web/static/vendor/govuk/ (git-ignored).
# Runs at build time (`make static`); the app never fetches anything at run time.
# Idempotent: does nothing when the pinned version is already vendored.
set -euo pipefail
VERSION="${GOVUK_FRONTEND_VERSION:-5.14.0}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/safecity/web/static/vendor/govuk"
STAMP="$DEST/VERSION"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$VERSION" ] && [ -f "$DEST/govuk-frontend.min.css" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "vendor-govuk: npm was not found; install Node.js and npm to vendor GOV.UK Frontend." >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "vendor-govuk: installing govuk-frontend@$VERSION from npm"
npm install --no-save --no-audit --no-fund --silent --prefix "$WORK" "govuk-frontend@$VERSION"
DIST="$WORK/node_modules/govuk-frontend/dist/govuk"
[ -f "$DIST/govuk-frontend.min.css" ] || { echo "vendor-govuk: govuk-frontend@$VERSION has no dist/govuk/govuk-frontend.min.css" >&2; exit 1; }

rm -rf "$DEST.tmp"
mkdir -p "$DEST.tmp"
cp "$DIST/govuk-frontend.min.js" "$DEST.tmp/"
cp -R "$DIST/assets" "$DEST.tmp/assets"
# The compiled CSS points at /assets/…; make the URLs relative so they resolve under /static/.
sed -e 's#url(/assets/#url(assets/#g' "$DIST/govuk-frontend.min.css" > "$DEST.tmp/govuk-frontend.min.css"
cp "$WORK/node_modules/govuk-frontend/LICENSE.txt" "$DEST.tmp/" 2>/dev/null || true
echo "$VERSION" > "$DEST.tmp/VERSION"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
echo "vendor-govuk: GOV.UK Frontend $VERSION is in ${DEST#$ROOT/}"

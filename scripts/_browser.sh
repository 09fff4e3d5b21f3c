# Sourced by scripts/test: the browser test loads the public pages in Debian's chromium,
# headless. Installed here when missing and the machine allows it (root with apt-get);
# VANBANG_CHROMIUM names another binary.
# The printing tests decode QR codes with zbar too (zbarimg, Debian's zbar-tools).
if { [ -z "${VANBANG_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; } ||
    ! command -v zbarimg >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "scripts/test: installing chromium for the browser test (apt-get)" >&2
        # A failure here fails the browser test only, with its own message.
        { apt-get update -qq >/dev/null &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                chromium fonts-dejavu-core zbar-tools >/dev/null; } ||
            echo "scripts/test: could not install chromium" >&2
    else
        echo "scripts/test: the browser test needs chromium:" \
            "apt-get install chromium, or set VANBANG_CHROMIUM" >&2
    fi
fi

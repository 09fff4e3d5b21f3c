# Sourced by scripts/test: the browser test loads the public pages in Debian's chromium,
# headless. Installed here when missing and the machine allows it (root with apt-get);
# VANBANG_CHROMIUM names another binary.
# The printing tests decode QR codes with zbar too (zbarimg, Debian's zbar-tools). The
# document-signing tests check PAdES signatures with poppler's pdfsig (poppler-utils) against
# an NSS database made with certutil (libnss3-tools), and sign on a real PKCS#11 token
# (softhsm2).
if { [ -z "${VANBANG_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; } ||
    ! command -v zbarimg >/dev/null 2>&1 || ! command -v pdfsig >/dev/null 2>&1 ||
    ! command -v certutil >/dev/null 2>&1 || ! command -v softhsm2-util >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "scripts/test: installing chromium, zbar-tools, poppler-utils, libnss3-tools" \
            "and softhsm2 for the browser, printing and signing tests (apt-get)" >&2
        # A failure here fails the tests needing them only, with their own messages.
        { apt-get update -qq >/dev/null &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                chromium fonts-dejavu-core zbar-tools poppler-utils libnss3-tools \
                softhsm2 >/dev/null; } ||
            echo "scripts/test: could not install the test tools with apt-get" >&2
    else
        echo "scripts/test: the browser, printing and signing tests need chromium," \
            "zbar-tools, poppler-utils, libnss3-tools and softhsm2: apt-get install them," \
            "or set VANBANG_CHROMIUM for chromium" >&2
    fi
fi

/* Stand-in for Windows 10's icuuc.dll under Wine 8 (which has none): Qt6Core imports these
 * ucnv_* converter functions.  Every converter is reported unavailable, so Qt falls back to
 * its own codecs.  Used by the Wine test harness only; never part of the bundle. */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode;
typedef uint16_t UChar;
#define U_FILE_ACCESS_ERROR 4
#define U_UNSUPPORTED_ERROR 16

static void fail(UErrorCode *err, UErrorCode code) {
    if (err && *err <= 0) *err = code;
}

__declspec(dllexport) void *ucnv_open(const char *name, UErrorCode *err) {
    (void)name;
    fail(err, U_FILE_ACCESS_ERROR);
    return NULL;
}
__declspec(dllexport) void ucnv_close(void *cnv) { (void)cnv; }
__declspec(dllexport) void ucnv_reset(void *cnv) { (void)cnv; }
__declspec(dllexport) int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
__declspec(dllexport) const char *ucnv_getName(const void *cnv, UErrorCode *err) {
    (void)cnv;
    fail(err, U_UNSUPPORTED_ERROR);
    return "";
}
__declspec(dllexport) void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const UChar *u,
        int32_t l, int32_t cp, int r, UErrorCode *err) {
    (void)c; (void)a; (void)u; (void)l; (void)cp; (void)r; (void)err;
}
__declspec(dllexport) void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *s,
        int32_t l, int r, UErrorCode *err) {
    (void)c; (void)a; (void)s; (void)l; (void)r; (void)err;
}
__declspec(dllexport) void ucnv_getToUCallBack(const void *cnv, void **action, const void **ctx) {
    (void)cnv;
    if (action) *action = NULL;
    if (ctx) *ctx = NULL;
}
__declspec(dllexport) void ucnv_getFromUCallBack(const void *cnv, void **action, const void **ctx) {
    (void)cnv;
    if (action) *action = NULL;
    if (ctx) *ctx = NULL;
}
__declspec(dllexport) void ucnv_setToUCallBack(void *cnv, void *action, const void *ctx,
        void **old_action, const void **old_ctx, UErrorCode *err) {
    (void)cnv; (void)action; (void)ctx;
    if (old_action) *old_action = NULL;
    if (old_ctx) *old_ctx = NULL;
    fail(err, U_UNSUPPORTED_ERROR);
}
__declspec(dllexport) void ucnv_setFromUCallBack(void *cnv, void *action, const void *ctx,
        void **old_action, const void **old_ctx, UErrorCode *err) {
    (void)cnv; (void)action; (void)ctx;
    if (old_action) *old_action = NULL;
    if (old_ctx) *old_ctx = NULL;
    fail(err, U_UNSUPPORTED_ERROR);
}
__declspec(dllexport) void ucnv_cbToUWriteUChars(void *args, const UChar *s, int32_t length,
        int32_t offset, UErrorCode *err) {
    (void)args; (void)s; (void)length; (void)offset;
    fail(err, U_UNSUPPORTED_ERROR);
}
__declspec(dllexport) void ucnv_cbFromUWriteUChars(void *args, const UChar **s,
        const UChar *limit, int32_t offset, UErrorCode *err) {
    (void)args; (void)s; (void)limit; (void)offset;
    fail(err, U_UNSUPPORTED_ERROR);
}
__declspec(dllexport) void ucnv_toUnicode(void *cnv, UChar **t, const UChar *tl, const char **s,
        const char *sl, int32_t *offsets, int8_t flush, UErrorCode *err) {
    (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)offsets; (void)flush;
    fail(err, U_UNSUPPORTED_ERROR);
}
__declspec(dllexport) void ucnv_fromUnicode(void *cnv, char **t, const char *tl, const UChar **s,
        const UChar *sl, int32_t *offsets, int8_t flush, UErrorCode *err) {
    (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)offsets; (void)flush;
    fail(err, U_UNSUPPORTED_ERROR);
}
__declspec(dllexport) int32_t ucnv_toUCountPending(const void *cnv, UErrorCode *err) {
    (void)cnv; (void)err;
    return 0;
}
__declspec(dllexport) int32_t ucnv_fromUCountPending(const void *cnv, UErrorCode *err) {
    (void)cnv; (void)err;
    return 0;
}
__declspec(dllexport) const char *ucnv_getStandardName(const char *name, const char *standard,
        UErrorCode *err) {
    (void)name; (void)standard;
    fail(err, U_UNSUPPORTED_ERROR);
    return NULL;
}
__declspec(dllexport) const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
__declspec(dllexport) int32_t ucnv_countAvailable(void) { return 0; }

// Unversioned wrappers over the few ICU C calls Zhaoren uses.
//
// ICU renames every C symbol per version (utrans_openU is really utrans_openU_72),
// so Swift cannot name them through a plain module map. Each call is wrapped here in
// a static inline function with a stable name; no versioned name appears in Swift.
#ifndef ZHAOREN_CICU_SHIM_H
#define ZHAOREN_CICU_SHIM_H

#include <stdint.h>
#include <unicode/utypes.h>
#include <unicode/utrans.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>


/// Opens a transliterator by ICU id (e.g. "Han-Latin"), forward direction.
static inline UTransliterator *zr_translit_open(const UChar *id, int32_t idLength, UErrorCode *status) {
    return utrans_openU(id, idLength, UTRANS_FORWARD, NULL, 0, NULL, status);
}

/// Opens a transliterator from custom rules (forward direction).
static inline UTransliterator *zr_translit_open_rules(const UChar *id, int32_t idLength,
                                                      const UChar *rules, int32_t rulesLength,
                                                      UErrorCode *status) {
    UParseError parseError;
    return utrans_openU(id, idLength, UTRANS_FORWARD, rules, rulesLength, &parseError, status);
}

static inline void zr_translit_close(UTransliterator *t) { utrans_close(t); }

/// Transliterates `text` (UTF-16, `*length` units, buffer of `capacity` units) in place.
static inline void zr_translit_run(const UTransliterator *t, UChar *text, int32_t *length,
                                   int32_t capacity, UErrorCode *status) {
    int32_t limit = *length;
    utrans_transUChars(t, text, length, capacity, 0, &limit, status);
}

/// Opens a charset converter (e.g. "GB18030") that stops at the first illegal or
/// unmappable byte sequence instead of substituting.
static inline UConverter *zr_converter_open_strict(const char *name, UErrorCode *status) {
    UConverter *c = ucnv_open(name, status);
    if (U_FAILURE(*status) || c == NULL) return c;
    ucnv_setToUCallBack(c, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, status);
    if (U_FAILURE(*status)) { ucnv_close(c); return NULL; }
    ucnv_setFromUCallBack(c, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, status);
    if (U_FAILURE(*status)) { ucnv_close(c); return NULL; }
    return c;
}

static inline void zr_converter_close(UConverter *c) { ucnv_close(c); }

/// Decodes `srcLength` bytes into UTF-16 `dest`; returns the number of UTF-16 units
/// (which may exceed `destCapacity`, with U_BUFFER_OVERFLOW_ERROR). Resets the converter first.
static inline int32_t zr_converter_to_utf16(UConverter *c, UChar *dest, int32_t destCapacity,
                                            const char *src, int32_t srcLength, UErrorCode *status) {
    ucnv_reset(c);
    return ucnv_toUChars(c, dest, destCapacity, src, srcLength, status);
}

/// Encodes `srcLength` UTF-16 units into the converter's charset; returns the byte count.
static inline int32_t zr_converter_from_utf16(UConverter *c, char *dest, int32_t destCapacity,
                                              const UChar *src, int32_t srcLength, UErrorCode *status) {
    ucnv_reset(c);
    return ucnv_fromUChars(c, dest, destCapacity, src, srcLength, status);
}

static inline int zr_failure(UErrorCode status) { return U_FAILURE(status) ? 1 : 0; }
static inline const char *zr_error_name(UErrorCode status) { return u_errorName(status); }

#endif
